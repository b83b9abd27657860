// The dashboard: loads what the control API shows, renders each section, and keeps it current: soon after
// anything the journal stream reports, and every 2 s for changes made through the control API. Loads are
// coalesced (at most one per MIN_GAP_MS, however many requests the stream reports: a test suite running
// beside an open dashboard must not pay for a full state export per request), and only what the sections on
// screen show is loaded; a section that comes into view is brought up to date then. The journal view is
// kept live by the stream itself.
import { call, query, ControlError } from './api.js';
import { h } from './dom.js';
import { faultsView } from './views/faults.js';
import { journalView } from './views/journal.js';
import { overviewView } from './views/overview.js';
import { settingsView } from './views/settings.js';
import { stateView } from './views/state.js';
import { VENDOR_PANELS } from './views/vendors.js';

const POLL_MS = 2000;
/** The least time between two loads that no action in the page asked for. */
const MIN_GAP_MS = 1500;
/** How soon a load follows the first request the stream reports after a quiet spell. */
const EVENT_DELAY_MS = 150;

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
let lastLoad = -Infinity;

/** A load soon: within MIN_GAP_MS of the last one, when the page is visible; one pending at most. */
function schedule() {
  if (soon !== undefined || document.visibilityState !== 'visible') return;
  soon = setTimeout(() => {
    soon = undefined;
    void refresh();
  }, Math.max(EVENT_DELAY_MS, lastLoad + MIN_GAP_MS - performance.now()));
}

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
    await refresh(true);
  },
  changed: schedule,
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

/** Vendor panels' own data: data key -> path under /__admin. */
const loads = Object.entries(Object.assign({}, ...panels.map((p) => p.load ?? {})));
/** Where each piece of data comes from (faults: the list in the answer). */
/** @type {Record<string, () => Promise<any>>} */
const sources = {
  health: () => call('GET', '/health'),
  overview: () => call('GET', '/overview'),
  clock: () => call('GET', '/clock'),
  state: () => call('GET', '/state'),
  faults: () => call('GET', '/faults').then((f) => f.faults),
  rateLimits: () => call('GET', '/rate-limits'),
  ...Object.fromEntries(loads.map(([key, path]) => [key, () => call('GET', path)])),
};
const settingsNeeds = ['clock', 'rateLimits', ...loads.map(([key]) => key)];

/**
 * Each view with its section and the data it shows.
 * @type {Array<{ section: string, needs: string[], render: (data: any) => void }>}
 */
const views = [
  { section: 'overview', needs: ['health', 'overview', 'clock'], render: overviewView(sectionBody('overview'), (health) => panels.flatMap((p) => p.facts?.(health) ?? [])) },
  ...panels.flatMap((p) => (p.state ? [{ section: p.name, needs: ['state'], render: p.state(sectionBody(p.name), page) }] : [])),
  { section: 'faults', needs: ['faults'], render: faultsView(sectionBody('faults'), page, vendors) },
  { section: 'settings', needs: settingsNeeds, render: settingsView(sectionBody('settings'), page) },
  ...panels.flatMap((p) => (p.settings ? [{ section: 'settings', needs: settingsNeeds, render: p.settings(sectionBody('settings'), page) }] : [])),
];
stateView(sectionBody('state'), page, vendors);

/** The sections on screen (or within a screen of it); a view elsewhere is left as it is until it comes near. */
const onScreen = new Set();
/** Sections whose views have missed a load since they last rendered. */
const stale = new Set(views.map((v) => v.section));
const observer = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (entry.isIntersecting) onScreen.add(entry.target.id);
    else onScreen.delete(entry.target.id);
  }
  if ([...onScreen].some((id) => stale.has(id))) schedule();
}, { rootMargin: '100% 0px' });
for (const id of new Set(views.map((v) => v.section))) observer.observe(/** @type {HTMLElement} */ (document.getElementById(id)));

/**
 * Loads what the views on screen show (all of them after an action in the page); one load at a time, and one
 * more if asked while running.
 * @param {boolean} [all]
 */
async function refresh(all = false) {
  if (running) {
    again = true;
    return running;
  }
  lastLoad = performance.now();
  running = (async () => {
    try {
      const shown = views.filter((v) => all || onScreen.has(v.section));
      // health and clock for the header, whatever is on screen.
      const keys = [...new Set(['health', 'clock', ...shown.flatMap((v) => v.needs)])];
      const values = await Promise.all(keys.map((key) => sources[key]()));
      const data = Object.fromEntries(keys.map((key, i) => [key, values[i]]));
      /** @type {HTMLElement} */ (document.getElementById('version')).textContent = data.health.version;
      /** @type {HTMLElement} */ (document.getElementById('clock-pill')).textContent = data.clock.frozen ? `clock frozen at ${data.clock.now}` : '';
      for (const view of views) stale.add(view.section);
      for (const view of shown) view.render(data);
      for (const view of shown) stale.delete(view.section);
    } catch (err) {
      say(`Cannot load the control API: ${err instanceof Error ? err.message : err}`, true);
    }
  })();
  await running;
  running = undefined;
  if (again) {
    again = false;
    schedule();
  }
}

journalView(sectionBody('journal'), page, vendors);
void refresh(true);
setInterval(schedule, POLL_MS);
document.addEventListener('visibilitychange', schedule);
