// The control API, called the way any client must: same origin, relative URLs, a JSON content type on every
// write (a type a cross-site page cannot send without a preflight), and the admin token when the server
// has one. The token is asked for once and kept in sessionStorage: this tab only, gone when it closes.

const TOKEN_KEY = 'syncmock-admin-token';

export class ControlError extends Error {
  /**
   * @param {number} status
   * @param {string} message the control API's own message (it names the offending field)
   */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** @type {Promise<void> | undefined} */
let asking;

/**
 * Shows the token dialog once, however many calls were refused at the same time.
 * @param {boolean} refused whether a stored token was just refused
 */
function askForToken(refused) {
  asking ??= new Promise((resolve) => {
    const dialog = /** @type {HTMLDialogElement} */ (document.getElementById('token-dialog'));
    const input = /** @type {HTMLInputElement} */ (document.getElementById('token-input'));
    /** @type {HTMLElement} */ (document.getElementById('token-error')).textContent =
      refused ? 'The server refused that token.' : '';
    input.value = '';
    dialog.addEventListener('close', () => {
      sessionStorage.setItem(TOKEN_KEY, input.value);
      input.value = '';
      asking = undefined;
      resolve();
    }, { once: true });
    dialog.addEventListener('cancel', (e) => e.preventDefault(), { once: true }); // nothing works without it
    dialog.showModal();
  });
  return asking;
}

/**
 * fetch with the admin token; on 401 asks for a token and tries again.
 * @param {string} url
 * @param {RequestInit & { headers: Record<string, string> }} init
 * @returns {Promise<Response>}
 */
async function authorized(url, init) {
  for (;;) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const headers = { ...init.headers, ...(token && { authorization: `Bearer ${token}` }) };
    const res = await fetch(url, { ...init, headers, cache: 'no-store' });
    if (res.status !== 401) return res;
    if (token) sessionStorage.removeItem(TOKEN_KEY);
    await askForToken(Boolean(token));
  }
}

/**
 * One control API call. Resolves to the parsed answer (null for an empty one); a refusal throws ControlError.
 * @param {'GET' | 'POST' | 'PUT' | 'DELETE'} method
 * @param {string} path under /__admin, with its query string
 * @param {unknown} [body] sent as JSON on writes ({} when none)
 * @returns {Promise<any>}
 */
export async function call(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  /** @type {RequestInit & { headers: Record<string, string> }} */
  const init = { method, headers };
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body ?? {});
  }
  const res = await authorized(`/__admin${path}`, init);
  const text = await res.text();
  const parsed = text === '' ? null : JSON.parse(text);
  if (!res.ok) throw new ControlError(res.status, parsed?.message ?? `${res.status} ${res.statusText}`);
  return parsed;
}

/**
 * A query string from the non-empty values.
 * @param {Record<string, string | undefined>} params
 */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/**
 * Follows GET /__admin/requests/stream until stopped, reconnecting with Last-Event-ID after a break.
 * Read with fetch rather than EventSource, which cannot send the admin token.
 * @param {Record<string, string>} filters the journal's filters
 * @param {number} backlog how many recent entries to show first
 * @param {(entry: any) => void} onEntry
 * @param {(state: 'live' | 'reconnecting' | 'refused', detail?: string) => void} onState
 * @returns {() => void} stop
 */
export function followJournal(filters, backlog, onEntry, onState) {
  let stopped = false;
  let controller = new AbortController();
  /** @type {number | undefined} */
  let lastId;
  const connect = async () => {
    controller = new AbortController();
    /** @type {string | undefined} */
    let detail;
    try {
      /** @type {Record<string, string>} */
      const headers = { accept: 'text/event-stream' };
      if (lastId !== undefined) headers['last-event-id'] = String(lastId);
      const url = `/__admin/requests/stream${query({ ...filters, limit: lastId === undefined ? String(backlog) : undefined })}`;
      const res = await authorized(url, { headers, signal: controller.signal });
      if (!res.ok || !res.body) {
        const message = (await res.json().catch(() => null))?.message ?? `HTTP ${res.status}`;
        // A refused filter stays refused: say why instead of asking again every second.
        if (res.status === 400) return onState('refused', message);
        throw new Error(message);
      }
      onState('live');
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        let end;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          // This server sends one `id:` and one single-line `data:` per event, and comments as heartbeats.
          const data = event.split('\n').find((line) => line.startsWith('data:'));
          if (data === undefined) continue;
          const entry = JSON.parse(data.slice(5));
          lastId = entry.id;
          onEntry(entry);
        }
      }
    } catch (err) {
      detail = err instanceof Error ? err.message : String(err);
    }
    if (stopped) return;
    onState('reconnecting', detail);
    setTimeout(connect, 1000);
  };
  void connect();
  return () => {
    stopped = true;
    controller.abort();
  };
}
