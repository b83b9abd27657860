// The dashboard: loads what the control API shows, renders each section, and keeps it current: at once
// after anything the journal stream reports, and every 2 s for changes made through the control API.
import { call, query, ControlError } from './api.js';
import { datadogView } from './views/datadog.js';
import { faultsView } from './views/faults.js';
import { journalView } from './views/journal.js';
import { overviewView } from './views/overview.js';
import { sailpointView } from './views/sailpoint.js';
import { settingsView } from './views/settings.js';
import { stateView } from './views/state.js';

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

/** @type {Array<(data: any) => void>} */
const views = [
  overviewView(sectionBody('overview')),
  datadogView(sectionBody('datadog'), page),
  sailpointView(sectionBody('sailpoint')),
  faultsView(sectionBody('faults'), page),
  settingsView(sectionBody('settings'), page),
];
stateView(sectionBody('state'), page);

/** Loads everything the views show; one load at a time, and one more if asked while running. */
async function refresh() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      const [health, overview, clock, state, faults, rateLimits, outcomes] = await Promise.all([
        call('GET', '/health'), call('GET', '/overview'), call('GET', '/clock'), call('GET', '/state'),
        call('GET', '/faults'), call('GET', '/rate-limits'), call('GET', '/datadog/credential-outcome'),
      ]);
      const data = { health, overview, clock, state, faults: faults.faults, rateLimits, outcomes };
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

journalView(sectionBody('journal'), page);
void refresh();
setInterval(() => {
  if (document.visibilityState === 'visible') void refresh();
}, POLL_MS);
