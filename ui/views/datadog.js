// Datadog orgs and their entity context sync configurations. Secrets are never shown: the state export
// redacts them, and the page only says whether a config has any.
import { h, render, table, field, formValues } from '../dom.js';

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

/**
 * The overview's facts about Datadog: the revision a request that names none gets.
 * @param {any} health
 * @returns {Array<[string, string]>}
 */
export const datadogFacts = (health) => [['Datadog revision',
  `${health.datadog?.default_revision} (also served: ${health.datadog?.revisions.filter((/** @type {string} */ r) => r !== health.datadog?.default_revision).join(', ') || 'none'})`]];

/**
 * Forced outcomes of Datadog credential checks (the settings section's Datadog panel).
 * @param {HTMLElement} body
 * @param {import('../app.js').Page} page
 */
export function credentialOutcomeView(body, page) {
  /** @param {string} label @param {() => Promise<unknown>} action */
  const button = (label, action) => h('button', { type: 'button', onclick: () => void page.act(action) }, label);
  const outcomeForm = /** @type {HTMLFormElement} */ (h('form', {
    class: 'inline',
    onsubmit: (/** @type {Event} */ e) => {
      e.preventDefault();
      const { times, org, ...rest } = formValues(outcomeForm);
      void page.act(async () => {
        await page.call('POST', '/datadog/credential-outcome', { ...rest, ...(times && { times: Number(times) }), ...(org && { org }) });
        return 'Credential check outcome forced';
      });
    },
  },
  field('Outcome', h('select', { name: 'outcome' }, h('option', {}, 'invalid'), h('option', {}, 'valid'))),
  field('Times', h('input', { name: 'times', type: 'number', min: 1, size: 5 })),
  field('Org id', h('input', { name: 'org', size: 16 }), 'empty: whichever org checks next'),
  h('button', {}, 'Force'),
  button('Stop forcing', async () => { await page.call('DELETE', '/datadog/credential-outcome'); return 'No outcome forced'; })));
  const pending = h('div');
  body.append(h('h3', {}, 'Datadog credential checks'), outcomeForm, pending);
  /** @param {any} data */
  return (data) => render(pending, data.outcomes, () => h('p', { class: 'hint' }, data.outcomes.pending.length === 0
    ? 'No outcome forced for any org: checks look at the secrets.'
    : `Next checks of any org: ${data.outcomes.pending.join(', ')}`));
}
