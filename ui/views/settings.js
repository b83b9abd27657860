// The server clock and the rate limits in force (vendor panels add their own settings below: views/vendors.js).
import { h, render, table, field, formValues } from '../dom.js';

/**
 * @param {HTMLElement} body
 * @param {import('../app.js').Page} page
 */
export function settingsView(body, page) {
  /** @param {string} label @param {() => Promise<unknown>} action */
  const button = (label, action) => h('button', { type: 'button', onclick: () => void page.act(action) }, label);

  const clockNow = h('p');
  const freezeAt = /** @type {HTMLInputElement} */ (h('input', { name: 'freeze_at', placeholder: '2026-05-01T12:00:00Z', size: 22 }));
  const advance = /** @type {HTMLInputElement} */ (h('input', { name: 'advance_seconds', type: 'number', min: 0, step: 'any', size: 8 }));
  const clock = h('div', {}, h('h3', {}, 'Clock'), clockNow, h('div', { class: 'inline' },
    field('Freeze at (RFC 3339)', freezeAt),
    button('Freeze', async () => { await page.call('POST', '/clock', { freeze_at: freezeAt.value.trim() }); return 'Clock frozen'; }),
    field('Advance (seconds)', advance),
    button('Advance', async () => { await page.call('POST', '/clock', { advance_seconds: Number(advance.value) }); return 'Clock advanced'; }),
    button('Back to real time', async () => { await page.call('POST', '/clock', { real: true }); return 'Clock is real time'; })));

  const limits = h('div');
  body.replaceChildren(clock, h('h3', {}, 'Rate limits'), limits);

  /** @param {any} data */
  return (data) => {
    clockNow.textContent = data.clock.frozen ? `Frozen at ${data.clock.now}` : `Real time, now ${data.clock.now}`;
    render(limits, data.rateLimits, () => {
      const rows = Object.entries(data.rateLimits).flatMap(([vendor, groups]) =>
        Object.entries(/** @type {Record<string, any>} */ (groups)).map(([group, rule]) => ({ vendor, group, rule })));
      const form = /** @type {HTMLFormElement} */ (h('form', {
        onsubmit: (/** @type {Event} */ e) => {
          e.preventDefault();
          const values = formValues(form);
          /** @type {Record<string, Record<string, Record<string, number>>>} */
          const changes = {};
          for (const { vendor, group, rule } of rows) {
            for (const f of ['limit', 'period_seconds']) {
              const v = values[`${vendor}.${group}.${f}`];
              if (v !== undefined && Number(v) !== rule[f]) ((changes[vendor] ??= {})[group] ??= {})[f] = Number(v);
            }
          }
          void page.act(async () => { await page.call('PUT', '/rate-limits', changes); return 'Rate limits saved; counters start afresh'; });
        },
      }, table(['vendor', 'group', 'limit', 'per (seconds)'], rows.map(({ vendor, group, rule }) => [vendor, group,
        h('input', { name: `${vendor}.${group}.limit`, type: 'number', min: 1, value: rule.limit, 'aria-label': `${group} limit`, size: 7 }),
        h('input', { name: `${vendor}.${group}.period_seconds`, type: 'number', min: 1, value: rule.period_seconds, 'aria-label': `${group} period in seconds`, size: 6 }),
      ])), h('button', {}, 'Save rate limits')));
      return form;
    });
  };
}
