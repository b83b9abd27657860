// Reset everything or one scope (after a confirmation), export the state as a file, import one.
import { h, field } from '../dom.js';
import { scopeOptions } from '../vendors.js';

/**
 * @param {HTMLElement} body
 * @param {import('../app.js').Page} page
 * @param {import('../vendors.js').Vendors} vendors
 */
export function stateView(body, page, vendors) {
  const scope = /** @type {HTMLSelectElement} */ (h('select', { name: 'scope' }, scopeOptions(vendors, (props, text) => h('option', props, text))));
  const scopeId = /** @type {HTMLInputElement} */ (h('input', { name: 'scope_id', size: 20 }));
  const file = /** @type {HTMLInputElement} */ (h('input', { type: 'file', accept: 'application/json,.json' }));
  const mode = /** @type {HTMLSelectElement} */ (h('select', { name: 'mode' }, h('option', {}, 'replace'), h('option', {}, 'merge')));

  /** @param {string} question @param {Record<string, string>} target */
  const reset = (question, target) => {
    if (!confirm(question)) return;
    void page.act(async () => {
      await page.call('POST', `/reset${page.query(target)}`);
      return 'Reset done';
    });
  };
  body.replaceChildren(
    h('div', { class: 'inline' },
      h('button', { type: 'button', class: 'danger', onclick: () => reset('Reset everything to the seed: state, journal, faults, the vendors\' own overrides, rate limits and clock?', {}) }, 'Reset all'),
      field('Reset one', scope), field('id', scopeId),
      h('button', {
        type: 'button',
        onclick: () => {
          const id = scopeId.value.trim();
          if (id) reset(`Reset ${scope.value} ${id} to the seed (its state, journal entries, faults, the vendor\'s own overrides for it and counters)?`, { [scope.value]: id });
        },
      }, 'Reset')),
    h('div', { class: 'inline' },
      h('button', {
        type: 'button',
        onclick: () => void page.act(async () => {
          const doc = await page.call('GET', '/state');
          const link = h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' })), download: 'syncmock-state.json' });
          link.click();
          setTimeout(() => URL.revokeObjectURL(/** @type {HTMLAnchorElement} */ (link).href), 1000);
          return 'State exported (secrets redacted: importing it back keeps the stored ones)';
        }),
      }, 'Export state'),
      field('State file', file), field('Mode', mode),
      h('button', {
        type: 'button',
        onclick: () => void page.act(async () => {
          const chosen = file.files?.[0];
          if (!chosen) throw new Error('Choose a state file first');
          let doc;
          try {
            doc = JSON.parse(await chosen.text());
          } catch {
            throw new Error(`${chosen.name} is not JSON`);
          }
          const { imported } = await page.call('POST', `/state${page.query({ mode: mode.value })}`, doc);
          file.value = '';
          return `Imported (${mode.value}): ${JSON.stringify(imported)}`;
        }),
      }, 'Import')));
}
