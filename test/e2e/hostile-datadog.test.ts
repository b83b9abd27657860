// Thousands of hostile requests against every Datadog route (fast-check, fixed seed): wrong types, huge and
// deep JSON, unicode, nulls, duplicate keys, prototype-pollution keys, long ids, traversal in ids, SQL
// fragments, odd content types and headers. Never a 5xx, every error is {"errors": [...]}, a refusal
// changes nothing, and the server is healthy afterwards.
import fc from 'fast-check';
import t from 'tap';
import { http, schemaValidator, startServer } from '../helpers';
import { PREFIX, datadog, seedCreateBody, seedPatchBody, seedValidateBody } from '../datadog/dd';
import {
  HostileHarness, assertProperty, conforms, hostileContentType, hostileExtraHeaders, hostileHeaderValue, hostileId,
  hostileJsonBody, hostileQuery, type Expectations,
} from './hostile';

const RUNS = Number(process.env.SYNCMOCK_FUZZ_RUNS ?? 500);
const UNLIMITED = { limit: 1_000_000, periodSeconds: 60 };

const FUZZ_KEYS = { 'dd-api-key': 'fuzz-api-key', 'dd-application-key': 'fuzz-app-key' };
const SEEDED_KEYS = { 'dd-api-key': 'syncmock-api-key', 'dd-application-key': 'syncmock-app-key' };
const SEEDED_CONFIG_ID = '11111111-2222-3333-4444-555555555555';

const errorShape = conforms(schemaValidator('datadog/error-response.json'), 'datadog/error-response.json');
const configShape = conforms(schemaValidator('datadog/integration-config-response.json'), 'datadog/integration-config-response.json');
const listShape = conforms(schemaValidator('datadog/integration-configs-response.json'), 'datadog/integration-configs-response.json');
const emptyBody = (body: unknown) => (body === undefined ? undefined : 'should be empty');

const expectations = (success: Expectations['successBody']): Expectations => ({ errorBody: errorShape, successBody: success });

/** Mostly keys that get past auth (so bodies are judged), sometimes none, read-only, or hostile ones. */
const keyHeaders = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<Record<string, string>>(FUZZ_KEYS, SEEDED_KEYS) },
  { weight: 1, arbitrary: fc.constantFrom<Record<string, string>>({}, { 'dd-api-key': 'fuzz-api-key' }, { ...SEEDED_KEYS, 'dd-application-key': 'syncmock-read-only-app-key' }) },
  { weight: 1, arbitrary: fc.record({ 'dd-api-key': hostileHeaderValue, 'dd-application-key': hostileHeaderValue }) },
);

t.test('hostile requests to every Datadog route', async (t) => {
  const server = await startServer(t, {
    logLevel: 'warn',
    datadog: { rateLimits: { integration_config_read: UNLIMITED, integration_config_write: UNLIMITED, integration_config_validate: UNLIMITED } },
  });
  const dd = datadog(server.url, FUZZ_KEYS['dd-api-key'], FUZZ_KEYS['dd-application-key']);
  const ids = [SEEDED_CONFIG_ID];
  for (let i = 0; i < 2; i++) ids.push((await dd.call('POST', '', seedCreateBody())).json.data.id);
  const harness = new HostileHarness(server);
  const id = hostileId(ids);
  const query = hostileQuery(['filter[integration_type]', 'page[size]'], ['OKTA', 'GOOGLE_WORKSPACE', 'ENTRA_ID']);

  const routes: Array<{ name: string; method: fc.Arbitrary<string>; path: fc.Arbitrary<string>; body?: unknown; expect: Expectations }> = [
    { name: 'GET list', method: fc.constant('GET'), path: fc.constant(''), expect: expectations(listShape) },
    { name: 'POST create', method: fc.constant('POST'), path: fc.constant(''), body: seedCreateBody(), expect: expectations(configShape) },
    { name: 'POST validate credentials', method: fc.constant('POST'), path: fc.constant('/validate'), body: seedValidateBody(), expect: expectations(emptyBody) },
    { name: 'GET by id', method: fc.constant('GET'), path: id.map((i) => `/${i}`), expect: expectations(configShape) },
    { name: 'PATCH', method: fc.constant('PATCH'), path: id.map((i) => `/${i}`), body: seedPatchBody(), expect: expectations(configShape) },
    { name: 'POST validate stored', method: fc.constant('POST'), path: id.map((i) => `/${i}/validate`), expect: expectations(emptyBody) },
    {
      name: 'other methods and paths under the prefix',
      method: fc.constantFrom('PUT', 'OPTIONS', 'TRACE', 'DELETE', 'PATCH', 'POST', 'HEAD', 'GET'),
      path: fc.oneof(fc.constant(''), fc.constant('/'), id.map((i) => `/${i}/${i}`), id.map((i) => `//${i}`), id.map((i) => `/validate/${i}`)),
      body: seedPatchBody(),
      expect: expectations(() => undefined), // whatever succeeds here is another route's business; refusals are checked
    },
    // Last: it removes configs.
    { name: 'DELETE', method: fc.constant('DELETE'), path: id.map((i) => `/${i}`), expect: expectations(emptyBody) },
  ];

  for (const route of routes) {
    const withBody = route.body !== undefined;
    const request = fc.record({
      method: route.method,
      path: route.path,
      query,
      keys: keyHeaders,
      extra: hostileExtraHeaders,
      contentType: hostileContentType,
      body: withBody ? hostileJsonBody(route.body) : fc.constant(undefined),
    });
    await assertProperty(t, route.name, fc.asyncProperty(request, async (r) => {
      const headers: Record<string, string> = { ...r.extra, ...r.keys };
      if (withBody) headers['content-type'] = r.contentType;
      await harness.check({ method: r.method as 'GET', url: `${PREFIX}${r.path}${r.query}`, headers, payload: r.body }, route.expect);
    }), RUNS, harness);
  }

  t.comment(`${harness.requests} requests in all`);
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was not polluted');
  t.equal((await http(`${server.url}/__admin/health`)).status, 200, 'healthy afterwards');
  const after = await dd.call('POST', '', seedCreateBody());
  t.equal(after.status, 200, 'and still serving writes');
  t.equal((await dd.call('GET', `/${after.json.data.id}`)).status, 200, 'and reads');
  t.notMatch(server.logs(), /"level":50/, 'no error was logged');
});
