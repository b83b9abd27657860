// Issue 23, item 4, end to end: a few thousand distinct keys over HTTP in open auth mode (a new Datadog API key
// or SailPoint client id per request, as a suite that makes one per test does), the server clock moving past
// the rate-limit windows, then every in-memory per-key structure is read: none holds more than its bound, the
// rate limiter no more than the running windows. Then each refusal a bound makes is the control API's 4xx.
import t from 'tap';
import { OPEN_ORGS_CACHE_SIZE } from '../../src/datadog/auth';
import { MAX_PENDING_OUTCOMES } from '../../src/datadog/credentials';
import { MAX_FAULT_RULES } from '../../src/platform/faults';
import { SCOPE_REGISTRY_SIZE } from '../../src/platform/scope-registry';
import { MAX_JOURNAL_LISTENERS } from '../../src/platform/journal';
import { RATE_LIMIT_SWEEP_MIN } from '../../src/platform/rate-limiter';
import { admin } from '../control/admin';
import { PREFIX, seedCreateBody } from '../datadog/dd';
import { http, matchesSchema, startServer, type TestServer } from '../helpers';
import { SOURCE_ID, seedConfig, tokenForm } from '../sailpoint/sp';

const DATADOG_KEYS = 1_500;
const SAILPOINT_CLIENTS = 500;
/** Requests in flight at once. */
const PARALLEL = 8;
/** The clock moves on by a minute (the longest default window) after this many keys. */
const KEYS_PER_MINUTE = 250;

/** Runs `one(i)` for i in [0, n), PARALLEL at a time, moving the clock a minute on every KEYS_PER_MINUTE. */
async function eachKey(server: TestServer, n: number, one: (i: number) => Promise<void>): Promise<void> {
  for (let from = 0; from < n; from += PARALLEL) {
    await Promise.all(Array.from({ length: Math.min(PARALLEL, n - from) }, (_, j) => one(from + j)));
    if (Math.floor((from + PARALLEL) / KEYS_PER_MINUTE) > Math.floor(from / KEYS_PER_MINUTE)) server.context.clock.advance(61);
  }
}

/** Every structure's size: the platform's and each vendor's. */
function sizes(server: TestServer): Record<string, number> {
  const { context } = server;
  return {
    rate_limit_windows: context.rateLimits.size,
    fault_rules: context.faults.list().length,
    journal_listeners: context.journal.listeners,
    ...Object.assign({}, ...context.vendors.map(({ runtime }) => runtime.sizes())),
  };
}

t.test('a new key per request: every structure stays within its bound', async (t) => {
  const server = await startServer(t, { logLevel: 'warn' });
  server.context.clock.freeze(new Date('2026-05-01T12:00:00Z'));
  const statuses = new Map<number, number>();
  const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

  await eachKey(server, DATADOG_KEYS, async (i) => {
    const headers = { 'dd-api-key': `bounded-api-key-${i}`, 'dd-application-key': 'bounded-app-key' };
    // Reads and writes by turns: a write registers the key's org in the store.
    const res = i % 2 === 0
      ? await http(`${server.url}${PREFIX}`, { headers })
      : await http(`${server.url}${PREFIX}`, { method: 'POST', headers, json: seedCreateBody() });
    count(res.status);
  });
  await eachKey(server, SAILPOINT_CLIENTS, async (i) => {
    const token = await http(`${server.url}/oauth/token`, { method: 'POST', body: tokenForm(`bounded-client-${i}`, 'secret') });
    count(token.status);
    const authorization = `Bearer ${token.json.access_token}`;
    const res = i % 2 === 0
      ? await http(`${server.url}/beta/sources/${SOURCE_ID}/attribute-sync-config`, { headers: { authorization } })
      : await http(`${server.url}/beta/sources/${SOURCE_ID}/attribute-sync-config`, { method: 'PUT', headers: { authorization }, json: seedConfig() });
    count(res.status);
  });
  t.same([...statuses.keys()], [200], 'every request answered 200', { statuses: Object.fromEntries(statuses) });

  const during = sizes(server);
  t.ok(during.rate_limit_windows <= RATE_LIMIT_SWEEP_MIN, `windows held: ${during.rate_limit_windows} (of ${DATADOG_KEYS + SAILPOINT_CLIENTS} keys)`);
  server.context.clock.advance(61);
  t.equal((await http(`${server.url}${PREFIX}`, { headers: { 'dd-api-key': 'one-more', 'dd-application-key': 'k' } })).status, 200);
  const after = sizes(server);
  t.equal(after.rate_limit_windows, 1, 'once every window has ended, only the new request\'s is held');
  t.ok(after.open_org_cache <= OPEN_ORGS_CACHE_SIZE, `open-mode orgs cached: ${after.open_org_cache}`);
  t.ok(after.known_org_cache <= SCOPE_REGISTRY_SIZE, `registered orgs cached: ${after.known_org_cache}`);
  t.ok(after.known_tenant_cache <= SCOPE_REGISTRY_SIZE, `registered tenants cached: ${after.known_tenant_cache}`);
  t.same({ outcomes: after.forced_credential_outcomes, rules: after.fault_rules, listeners: after.journal_listeners }, { outcomes: 0, rules: 0, listeners: 0 });
  t.same(Object.keys(after).sort(), ['forced_credential_outcomes', 'journal_listeners', 'fault_rules', 'known_org_cache', 'known_tenant_cache',
    'open_org_cache', 'rate_limit_windows'].sort(), 'every structure was read');
  const state = (await admin(server.url)('GET', '/overview')).json.vendors;
  t.ok(state.datadog.counts.orgs >= DATADOG_KEYS / 2, 'the store keeps every org written to: it is the state, not a cache');
  t.ok(state.sailpoint.counts.tenants >= SAILPOINT_CLIENTS / 2, 'and every tenant');
});

t.test('where a bound refuses, the control API answers a 4xx in its shape, and nothing held is dropped', async (t) => {
  const server = await startServer(t, { logLevel: 'warn' });
  const call = admin(server.url);
  const refused = (res: { status: number; json: any }, status: number, message: RegExp, what: string) => {
    t.equal(res.status, status, what);
    matchesSchema(t, 'control/error.json', res.json);
    t.match(res.json.message, message);
  };

  for (let i = 0; i < MAX_FAULT_RULES; i++) server.context.faults.add({ method: 'DELETE', status: 500 });
  refused(await call('POST', '/faults', { status: 503 }), 409, /At most 1000 fault rules/, 'the 1001st live fault rule: 409');
  t.equal((await call('GET', '/faults')).json.faults.length, MAX_FAULT_RULES, 'every rule is still held');

  t.equal((await call('POST', '/datadog/credential-outcome', { outcome: 'invalid', times: MAX_PENDING_OUTCOMES, api_key: 'k' })).status, 200);
  refused(await call('POST', '/datadog/credential-outcome', { outcome: 'valid', api_key: 'k' }), 409, /At most 1000 credential check outcomes/,
    'an outcome more than an org may have pending: 409');
  t.equal((await call('GET', '/datadog/credential-outcome?api_key=k')).json.pending.length, MAX_PENDING_OUTCOMES, 'none was dropped');

  const unsubscribe = Array.from({ length: MAX_JOURNAL_LISTENERS }, () => server.context.journal.subscribe({}, () => undefined));
  refused(await call('GET', '/requests/stream'), 429, /At most 100 journal streams/, 'a stream more than the bound: 429');
  unsubscribe.pop()?.();
  const stream = new AbortController();
  const opened = await fetch(`${server.url}/__admin/requests/stream`, { signal: stream.signal });
  t.equal(opened.status, 200, 'once one closes, a stream opens');
  stream.abort();
});
