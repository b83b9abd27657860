// Fault rules: the armed ones with their hits and remaining uses, a form to add one, and delete.
import { h, render, table, field, select, formValues } from '../dom.js';
import { pathExample, scopeLabels, scopeOptions, vendorNames } from '../vendors.js';

const NUMBERS = ['status', 'delay_ms', 'times', 'probability', 'seed', 'retry_after_seconds'];

/**
 * @param {HTMLElement} body
 * @param {import('../app.js').Page} page
 * @param {import('../vendors.js').Vendors} vendors
 */
export function faultsView(body, page, vendors) {
  const list = h('div');
  /** @param {string} name @param {Record<string, any>} [attrs] */
  const number = (name, attrs = {}) => h('input', { name, type: 'number', inputmode: 'numeric', ...attrs });
  const form = /** @type {HTMLFormElement} */ (h('form', {
    class: 'grid-form',
    onsubmit: (/** @type {Event} */ e) => {
      e.preventDefault();
      const { scope, scope_id: scopeId, drop, ...values } = formValues(form);
      /** @type {Record<string, unknown>} */
      const rule = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, NUMBERS.includes(k) ? Number(v) : v]));
      if (drop) rule.drop = true;
      if (scopeId) rule[scope] = scopeId;
      void page.act(async () => {
        const added = await page.call('POST', '/faults', rule);
        form.reset();
        return `Fault ${added.id} added`;
      });
    },
  },
  field('Vendor', select('vendor', vendorNames(vendors), 'any')),
  field('Method', select('method', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], 'any')),
  field('Path', h('input', { name: 'path', placeholder: pathExample(vendors, '/*/**') }), 'glob: * one segment, ** any'),
  field('Scope', h('select', { name: 'scope' }, scopeOptions(vendors, (props, text) => h('option', props, text), { aliases: true }))),
  field('Scope id', h('input', { name: 'scope_id', autocomplete: 'off' }), 'empty: every caller'),
  field('Status', number('status', { min: 400, max: 599 })),
  field('Message', h('input', { name: 'message' })),
  field('Retry after (s)', number('retry_after_seconds', { min: 0 })),
  field('Delay (ms)', number('delay_ms', { min: 0, max: 60000 })),
  field('Drop connection', h('input', { name: 'drop', type: 'checkbox', value: 'true' })),
  field('Times', number('times', { min: 1 }), 'empty: every match'),
  field('Probability', number('probability', { min: 0, max: 1, step: 'any' })),
  field('Seed', number('seed', { min: 0 })),
  h('button', {}, 'Add fault')));
  body.replaceChildren(list, h('h3', {}, 'Add a fault'), form);

  /** @param {any} data */
  return (data) => render(list, data.faults, () => data.faults.length === 0 ? h('p', { class: 'hint' }, 'No fault rules.') :
    table(['id', 'matches', 'does', 'hits', 'remaining', ''], data.faults.map((/** @type {any} */ f) => [
      h('code', {}, f.id),
      [f.vendor ?? 'any vendor', f.method, f.path, ...scopeLabels(vendors, f),
        f.probability !== undefined && `p=${f.probability} seed ${f.seed}`].filter(Boolean).join(' · '),
      [f.status && `status ${f.status}`, f.delay_ms && `delay ${f.delay_ms} ms`, f.drop && 'drop'].filter(Boolean).join(', '),
      f.hits,
      f.remaining ?? 'unlimited',
      h('button', {
        type: 'button',
        'aria-label': `Delete fault ${f.id}`,
        onclick: () => void page.act(async () => {
          await page.call('DELETE', `/faults/${encodeURIComponent(f.id)}`);
          return `Fault ${f.id} deleted`;
        }),
      }, 'Delete'),
    ]), 'Fault rules, in the order they are tried'));
}
