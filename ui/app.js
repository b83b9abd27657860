// The dashboard: loads what the control API shows, renders each section, and keeps it current: at once
// after anything the journal stream reports, and every 2 s for changes made through the control API.
import { call, query, ControlError } from './api.js';
import { h } from './dom.js';
import { faultsView } from './views/faults.js';
import { journalView } from './views/journal.js';
import { overviewView } from './views/overview.js';
import { settingsView } from './views/settings.js';
import { stateView } from './views/state.js';
import { VENDOR_PANELS } from './views/vendors.js';

const POLL_MS = 2000;

/**
 * What views get from the page.
 * @typedef {object} Page
 * @property {typeof call} call
 * @property {typeof query} query
 * @property {(action: () => Promise<unknown>) => Promise<void>} act runs an action, says how it went, refreshes
 * @property {() => void} changed the journal saw a request: refresh soon
 * @property {(live: boolean) => void} live
 */

/** @param {string} id */
const sectionBody = (id) => /** @type {HTMLElement} */ (document.querySelector(`#${id} .body`));
const notice = /** @type {HTMLElement} */ (document.getElementById('notice'));

/** @param {string} text @param {boolean} [error] */
function say(text, error = false) {
  notice.textContent = text;
  notice.classList.toggle('error', error);
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let soon;
/** @type {Promise<void> | undefined} */
let running;
let again = false;

/** @type {Page} */
const page = {
  call,
  query,
  async act(action) {
    try {
      const message = await action();
      say(typeof message === 'string' ? message : 'Done');
    } catch (err) {
      say(err instanceof ControlError ? `Refused (${err.status}): ${err.message}` : String(err instanceof Error ? err.message : err), true);
    }
    await refresh();
  },
  changed() {
    clearTimeout(soon);
    soon = setTimeout(refresh, 150);
  },
  live(on) {
    const el = /** @type {HTMLElement} */ (document.getElementById('live'));
    el.textContent = on ? 'live' : 'reconnecting';
    el.classList.toggle('off', !on);
  },
};

// The served vendors, first: the shared views' controls list them, and only theirs get panels.
/** @type {import('./vendors.js').Vendors} */
const vendors = await call('GET', '/overview').then((o) => o.vendors, (err) => {
  say(`Cannot load the control API: ${err instanceof Error ? err.message : err}`, true);
  return {};
});
const panels = Object.keys(vendors).flatMap((name) => (VENDOR_PANELS[name] ? [{ name, ...VENDOR_PANELS[name] }] : []));
// A section for each served vendor that shows its state, after the overview, with its link.
let after = /** @type {HTMLElement} */ (document.getElementById('overview'));
let link = /** @type {HTMLElement} */ (document.getElementById('overview-link'));
for (const { name, title, state } of panels) {
  if (!state) continue;
  const section = h('section', { id: name, 'aria-labelledby': `${name}-h` }, h('h2', { id: `${name}-h` }, title), h('div', { class: 'body' }));
  after.after(section);
  after = section;
  const a = h('a', { href: `#${name}` }, title);
  link.after(' ', a);
  link = a;
}

/** @type {Array<(data: any) => void>} */
const views = [
  overviewView(sectionBody('overview'), (health) => panels.flatMap((p) => p.facts?.(health) ?? [])),
  ...panels.flatMap((p) => (p.state ? [p.state(sectionBody(p.name), page)] : [])),
  faultsView(sectionBody('faults'), page, vendors),
  settingsView(sectionBody('settings'), page),
  ...panels.flatMap((p) => (p.settings ? [p.settings(sectionBody('settings'), page)] : [])),
];
stateView(sectionBody('state'), page, vendors);
/** Vendor panels' own data: data key -> path under /__admin. */
const loads = Object.entries(Object.assign({}, ...panels.map((p) => p.load ?? {})));

/** Loads everything the views show; one load at a time, and one more if asked while running. */
async function refresh() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      const [health, overview, clock, state, faults, rateLimits, ...loaded] = await Promise.all([
        call('GET', '/health'), call('GET', '/overview'), call('GET', '/clock'), call('GET', '/state'),
        call('GET', '/faults'), call('GET', '/rate-limits'), ...loads.map(([, path]) => call('GET', path)),
      ]);
      const data = { health, overview, clock, state, faults: faults.faults, rateLimits, ...Object.fromEntries(loads.map(([key], i) => [key, loaded[i]])) };
      /** @type {HTMLElement} */ (document.getElementById('version')).textContent = health.version;
      /** @type {HTMLElement} */ (document.getElementById('clock-pill')).textContent = clock.frozen ? `clock frozen at ${clock.now}` : '';
      for (const view of views) view(data);
    } catch (err) {
      say(`Cannot load the control API: ${err instanceof Error ? err.message : err}`, true);
    }
  })();
  await running;
  running = undefined;
  if (again) {
    again = false;
    await refresh();
  }
}

journalView(sectionBody('journal'), page, vendors);
void refresh();
setInterval(() => {
  if (document.visibilityState === 'visible') void refresh();
}, POLL_MS);
