// Datadog orgs and their entity context sync configurations. Secrets are never shown: the state export
// redacts them, and the page only says whether a config has any.
import { h, render, table, field } from '../dom.js';

/**
 * @param {HTMLElement} body
 * @param {import('../app.js').Page} page
 */
export function datadogView(body, page) {
  const list = h('div');
  /** @type {string | undefined} the org shown alone, once found */
  let only;
  const orgInput = /** @type {HTMLInputElement} */ (h('input', { name: 'org', autocomplete: 'off' }));
  // A password field: the key is not shown while typed, and the browser does not offer to keep it.
  const keyInput = /** @type {HTMLInputElement} */ (h('input', { name: 'api_key', type: 'password', autocomplete: 'off' }));
  const shown = h('p', { class: 'hint' });
  /** @type {any} */
  let last;
  const find = h('form', {
    class: 'inline',
    onsubmit: (/** @type {Event} */ e) => {
      e.preventDefault();
      const org = orgInput.value.trim();
      const apiKey = keyInput.value;
      keyInput.value = ''; // resolved once by the control API, then forgotten
      if (!org && !apiKey) return;
      void page.act(async () => {
        const doc = await page.call('GET', `/state${page.query(org ? { org } : { api_key: apiKey })}`);
        only = Object.keys(doc.datadog?.orgs ?? {})[0];
        orgInput.value = only ?? '';
        show(last);
        return `Showing org ${only}`;
      });
    },
  },
  field('Org id', orgInput), field('or API key', keyInput), h('button', {}, 'Find org'),
  h('button', { type: 'button', onclick: () => { only = undefined; orgInput.value = ''; show(last); } }, 'Show all'));
  body.replaceChildren(find, shown, list);

  /** @param {any} data */
  const show = (data) => {
    last = data;
    const orgs = Object.entries(data.state.datadog?.orgs ?? {}).filter(([id]) => only === undefined || id === only);
    if (only !== undefined && orgs.length === 0) orgs.push([only, { integration_configs: [] }]);
    shown.textContent = only === undefined ? `${orgs.length} orgs` : `Showing org ${only}`;
    render(list, orgs, () => orgs.map(([id, org]) => h('article', { class: 'org' },
      h('h3', {}, `Org ${id}`),
      /** @type {any} */ (org).integration_configs.length === 0
        ? h('p', { class: 'hint' }, 'No configurations.')
        : table(['id', 'type', 'name', 'domain', 'enabled', 'state', 'secrets', 'created / modified'],
          /** @type {any} */ (org).integration_configs.map((/** @type {any} */ c) => [
            h('code', {}, c.id), c.integration_type, c.name, c.domain, c.enabled ? 'yes' : 'no', c.state ?? '',
            c.secrets === undefined ? 'none' : 'set', [h('span', { class: 'nowrap' }, c.created_at ?? ''), h('br'), h('span', { class: 'nowrap' }, c.modified_at ?? '')],
          ])))));
  };
  return show;
}
