// The request journal, live: filters go to the server's stream, new entries appear at the top, and each
// opens to its request and response (redacted by the server) and a curl command.
import { followJournal } from '../api.js';
import { curlCommand } from '../curl.js';
import { h, field, select, formValues } from '../dom.js';
import { pathExample, scopeLabels, scopeOptions, vendorNames } from '../vendors.js';

/** Entries kept on the page; older ones drop off the bottom. */
const SHOWN = 200;

/**
 * @param {HTMLElement} body
 * @param {import('../app.js').Page} page
 * @param {import('../vendors.js').Vendors} vendors
 */
export function journalView(body, page, vendors) {
  const list = h('ol', { class: 'journal', 'aria-live': 'off' });
  const state = h('p', { class: 'hint' });
  const form = /** @type {HTMLFormElement} */ (h('form', { class: 'inline', onsubmit: (/** @type {Event} */ e) => e.preventDefault() },
    field('Vendor', select('vendor', vendorNames(vendors), 'any')),
    field('Method', select('method', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], 'any')),
    field('Status', select('status', ['2xx', '3xx', '4xx', '5xx'], 'any')),
    field('Path', h('input', { name: 'path', placeholder: pathExample(vendors, '/**'), size: 14 }), '* one segment, ** any'),
    field('Scope', h('select', { name: 'scope' }, scopeOptions(vendors, (props, text) => h('option', props, text)))),
    field('id', h('input', { name: 'scope_id', size: 14 })),
    h('button', {
      type: 'button',
      onclick: () => void page.act(async () => {
        const { deleted } = await page.call('DELETE', '/requests');
        list.replaceChildren();
        return `${deleted} journal entries cleared`;
      }),
    }, 'Clear journal')));
  body.replaceChildren(form, state, list);

  let stop = () => {};
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let typing;
  const follow = () => {
    stop();
    list.replaceChildren();
    const { scope, scope_id: scopeId, ...filters } = formValues(form);
    if (scopeId) filters[scope] = scopeId;
    stop = followJournal(filters, 100, (entry) => {
      list.prepend(entryItem(entry, vendors));
      while (list.children.length > SHOWN) list.lastElementChild?.remove();
      page.changed();
    }, (s, detail) => {
      state.textContent = s === 'live' ? '' : `Stream ${s}${detail ? `: ${detail}` : ''}`;
      page.live(s === 'live');
    });
  };
  form.addEventListener('input', (e) => {
    clearTimeout(typing);
    if (e.target instanceof HTMLSelectElement) follow();
    else typing = setTimeout(follow, 400); // once typing pauses
  });
  follow();
}

/** @param {any} entry @param {import('../vendors.js').Vendors} vendors */
function entryItem(entry, vendors) {
  const status = entry.status ?? 'no answer';
  const curl = h('pre', { class: 'curl', hidden: true });
  const copied = h('span', { class: 'hint', role: 'status' });
  const copy = h('button', {
    type: 'button',
    onclick: async () => {
      curl.textContent = curlCommand(entry, location.origin);
      curl.hidden = false;
      // The clipboard needs a secure context (loopback counts); elsewhere the command is there to select.
      copied.textContent = await (navigator.clipboard?.writeText(curl.textContent) ?? Promise.reject())
        .then(() => ' copied to the clipboard', () => ' select the command below to copy it');
    },
  }, 'Copy as curl');
  return h('li', { 'data-entry-id': entry.id }, h('details', {},
    h('summary', {},
      h('span', { class: `badge s${String(status)[0]}` }, status), ' ',
      h('strong', {}, entry.method), ' ', h('code', {}, entry.path), ' ',
      h('span', { class: 'hint' }, [entry.vendor ?? 'unknown vendor', ...scopeLabels(vendors, entry),
        `${entry.duration_ms} ms`, entry.time, entry.fault && 'fault'].filter(Boolean).join(' · '))),
    h('div', { class: 'exchange' },
      exchangePart('Request', entry.request, Object.keys(entry.query ?? {}).length > 0 ? entry.query : undefined),
      exchangePart('Response', entry.response),
      entry.fault && exchangePart('Fault applied', { headers: {}, body: entry.fault })),
    copy, copied, curl));
}

/**
 * @param {string} title
 * @param {{ headers: Record<string, unknown>, body: unknown }} part
 * @param {Record<string, unknown>} [query]
 */
function exchangePart(title, part, query) {
  return h('div', {}, h('h4', {}, title),
    query && h('pre', {}, `query ${JSON.stringify(query, null, 2)}`),
    h('pre', {}, Object.entries(part.headers).map(([k, v]) => `${k}: ${v}`).join('\n')),
    part.body !== null && part.body !== undefined && h('pre', {}, typeof part.body === 'string' ? part.body : JSON.stringify(part.body, null, 2)));
}
