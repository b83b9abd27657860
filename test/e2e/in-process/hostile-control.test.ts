// Hostile requests over HTTP against every control route (/__admin/*, fast-check, fixed seed), behind an
// admin token: reset, the journal, faults, rate limits, the clock, forced credential outcomes, state export
// and import, health, and anything else under /__admin. Hostile bodies derive from valid ones (deep, huge,
// poisoned, mistyped), queries and ids are hostile, the token sometimes wrong. Never a 5xx, every error is
// {statusCode, error, message, details}, a success matches its schema, a refusal changes neither a table
// nor the control state (faults, rate limits, clock, forced outcomes, journal), no hang.
import fc from 'fast-check';
import t from 'tap';
import { http, schemaValidator } from '../../helpers';
import { startServerWithStore } from '../../store-reader';
import { PREFIX, datadog, seedCreateBody } from '../../datadog/dd';
import {
  HostileHarness, assertProperty, conforms, hostileContentType, hostileExtraHeaders, hostileHeaderValue, hostileId,
  hostileJsonBody, hostileQuery, type Expectations,
} from '../hostile';
import { SAILPOINT_SOURCE_ID, attrSyncPath, sailpointHeaders, sailpointToken } from '../surfaces';

const RUNS = Number(process.env.SYNCMOCK_FUZZ_RUNS ?? 100);
const ADMIN_TOKEN = 'fuzz-admin-token';
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const TENANT_1 = '58eb06a4-dcd7-4e96-8fac-cca2afc03e61';

const errorShape = conforms(schemaValidator('control/error.json'), 'control/error.json');
const shape = (file: string | null): Expectations => ({
  errorBody: errorShape,
  successBody: file === null
    ? (body) => (body === undefined ? undefined : 'should be empty')
    : conforms(schemaValidator(file.includes('/') ? file : `control/${file}`), file),
});

const VALID_FAULT = {
  vendor: 'datadog', method: 'GET', path: `${PREFIX}/*`, org: 'syncmock-org-1', status: 503, message: 'injected', retry_after_seconds: 1,
  delay_ms: 0, times: 2, probability: 0.5, seed: 7,
};
const VALID_RATE_LIMITS = {
  datadog: { integration_config_read: { limit: 50, period_seconds: 60 }, integration_config_write: { limit: 10 } },
  sailpoint: { api: { limit: 100, period_seconds: 10 } },
};
const VALID_OUTCOME = { outcome: 'invalid', times: 2, org: 'syncmock-org-1' };

/** Mostly the admin token (so requests reach the routes), sometimes none or a wrong one (401). */
const authorization = fc.oneof(
  { weight: 8, arbitrary: fc.constant(ADMIN) },
  { weight: 1, arbitrary: fc.constantFrom<Record<string, string>>({}, { authorization: ADMIN_TOKEN }, { authorization: `Bearer ${ADMIN_TOKEN}x` }, { authorization: 'Basic Zm9vOmJhcg==' }) },
  { weight: 1, arbitrary: hostileHeaderValue.map((v) => ({ authorization: v })) },
);

t.test('hostile requests to every control route', async (t) => {
  const { server, store } = await startServerWithStore(t, { logLevel: 'warn', adminToken: ADMIN_TOKEN, datadog: { revision: '2026-08' } });
  const control = (method: string, path: string, json?: unknown) => http(`${server.url}/__admin${path}`, { method, headers: ADMIN, json });

  // Traffic for the journal and state to hold: a config, a SailPoint read, a fault rule, a forced outcome.
  const dd = datadog(server.url, 'syncmock-api-key', 'syncmock-app-key');
  t.equal((await dd.call('POST', '', { data: { type: 'integration_config', attributes: { ...seedCreateBody().data.attributes, integration_type: 'OKTA', secrets: { api_token: 't' } } } })).status, 200);
  const token = await sailpointToken(server.url);
  t.equal((await http(`${server.url}${attrSyncPath()}`, { headers: sailpointHeaders(token) })).status, 200);
  const fault = await control('POST', '/faults', { ...VALID_FAULT, path: '/nowhere' });
  t.equal(fault.status, 201, 'a fault rule to aim at');
  t.equal((await control('POST', '/datadog/credential-outcome', VALID_OUTCOME)).status, 200);
  t.equal((await control('POST', '/clock', { freeze_at: '2026-05-01T12:00:00Z' })).status, 200, 'a frozen clock: the control state holds still');
  const exported = await control('GET', '/state');
  t.equal(exported.status, 200, 'a state document to derive imports from (it registers the seed orgs and tenants)');

  // The control state a refusal must not change; `now` only when frozen (a running clock moves by itself).
  const memoryState = async (): Promise<string> => {
    const views = await Promise.all(['/faults', '/rate-limits', '/clock', '/datadog/credential-outcome', '/requests'].map((p) => control('GET', p)));
    const [faults, limits, clock, outcomes, journal] = views.map((v) => v.json);
    return JSON.stringify({
      faults, limits, outcomes,
      clock: { frozen: clock.frozen, offset_seconds: clock.offset_seconds, ...(clock.frozen && { now: clock.now }) },
      journal: { evicted: journal.evicted, ids: journal.requests.map((r: { id: number }) => r.id) },
    });
  };
  const harness = new HostileHarness(server.url, store, { memoryState });
  t.teardown(() => harness.close());

  const scopeQuery = hostileQuery(['org', 'tenant', 'api_key'], ['syncmock-org-1', TENANT_1, 'syncmock-api-key', 'nobody']);
  const journalQuery = hostileQuery(['vendor', 'method', 'path', 'status', 'limit', 'org', 'tenant', 'api_key'],
    ['datadog', 'sailpoint', 'get', `${PREFIX}/**`, '/oauth/*', '4xx', '200', '10', 'syncmock-org-1', TENANT_1]);
  const importQuery = hostileQuery(['mode'], ['replace', 'merge']);
  const faultId = hostileId([fault.json.id, 'no-such-rule']);

  interface Route {
    name: string;
    method: fc.Arbitrary<string>;
    path: fc.Arbitrary<string>;
    /** The valid body hostile ones derive from; undefined for bodiless routes. */
    body?: unknown;
    expect: Expectations;
  }
  const route = (name: string, method: string, path: fc.Arbitrary<string>, expect: Expectations, body?: unknown): Route =>
    ({ name, method: fc.constant(method), path, expect, body });
  const routes: Route[] = [
    route('GET health', 'GET', fc.constant('/health'), shape('health.json')),
    route('GET requests', 'GET', journalQuery.map((q) => `/requests${q}`), shape('requests-response.json')),
    route('GET overview', 'GET', fc.constant('/overview'), shape('overview.json')),
    route('GET faults', 'GET', fc.constant('/faults'), shape('faults-response.json')),
    route('GET fault', 'GET', faultId.map((id) => `/faults/${id}`), shape('fault-rule.json')),
    route('POST faults', 'POST', fc.constant('/faults'), shape('fault-rule.json'), VALID_FAULT),
    route('GET rate-limits', 'GET', fc.constant('/rate-limits'), shape('rate-limits.json')),
    route('PUT rate-limits', 'PUT', fc.constant('/rate-limits'), shape('rate-limits.json'), VALID_RATE_LIMITS),
    route('GET clock', 'GET', fc.constant('/clock'), shape('clock.json')),
    route('POST clock', 'POST', fc.constant('/clock'), shape('clock.json'), { advance_seconds: 30 }),
    route('GET credential-outcome', 'GET', scopeQuery.map((q) => `/datadog/credential-outcome${q}`), shape('datadog/control/credential-outcome.json')),
    route('POST credential-outcome', 'POST', fc.constant('/datadog/credential-outcome'), shape('datadog/control/credential-outcome.json'), VALID_OUTCOME),
    route('DELETE credential-outcome', 'DELETE', scopeQuery.map((q) => `/datadog/credential-outcome${q}`), shape('datadog/control/credential-outcome.json')),
    route('GET state', 'GET', scopeQuery.map((q) => `/state${q}`), shape('state.json')),
    route('POST state', 'POST', importQuery.map((q) => `/state${q}`), shape('state-import-response.json'), exported.json),
    route('DELETE requests', 'DELETE', hostileQuery(['vendor', 'org', 'tenant', 'api_key'], ['datadog', 'sailpoint', 'syncmock-org-1', TENANT_1]).map((q) => `/requests${q}`),
      shape('deleted-response.json')),
    route('POST reset', 'POST', scopeQuery.map((q) => `/reset${q}`), shape('reset-response.json')),
    route('DELETE fault', 'DELETE', faultId.map((id) => `/faults/${id}`), shape(null)),
    route('DELETE faults', 'DELETE', fc.constant('/faults'), shape(null)),
    {
      name: 'other methods and paths under /__admin',
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE'),
      path: fc.oneof(
        fc.constantFrom('', '/', '/nope', '/faults/a/b', '/datadog', '/datadog/nope', '/state/x', '/requests/1', '/reset/all', '/clock/real'),
        hostileId(['health', 'reset', 'faults']).map((p) => `/${p}`),
      ),
      body: { any: 'thing' },
      expect: { errorBody: errorShape, successBody: () => undefined }, // refusals are checked; a success is another route's business
    },
  ];

  for (const r of routes) {
    const request = fc.record({
      method: r.method,
      path: r.path,
      auth: authorization,
      extra: hostileExtraHeaders,
      contentType: hostileContentType,
      // Bodiless routes mostly get none, sometimes an empty one with a JSON content type, or any JSON.
      body: r.body === undefined
        ? fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant('') }, { weight: 1, arbitrary: hostileJsonBody({}) })
        : hostileJsonBody(r.body),
    });
    await assertProperty(t, r.name, fc.asyncProperty(request, async (q) => {
      const headers: Record<string, string> = { ...q.extra, ...q.auth };
      if (q.body !== undefined) headers['content-type'] = q.contentType;
      await harness.check({ method: q.method, url: `/__admin${q.path}`, headers, payload: q.body }, r.expect);
    }), RUNS, harness);
  }

  t.comment(`${harness.requests} requests in all`);
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was not polluted');
  t.equal((await http(`${server.url}/__admin/health`)).status, 200, 'healthy afterwards');
  t.equal((await control('POST', '/reset')).status, 200, 'a reset answers');
  t.equal((await dd.call('GET')).status, 200, 'the Datadog surface serves after it');
  t.equal((await http(`${server.url}${attrSyncPath(SAILPOINT_SOURCE_ID)}`, { headers: sailpointHeaders(await sailpointToken(server.url)) })).status, 200,
    'and the SailPoint surface');
  t.notMatch(server.logs(), /"level":50/, 'no error was logged');
});
