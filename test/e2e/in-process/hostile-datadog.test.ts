// Thousands of hostile requests over HTTP against every Datadog route in both revisions (2026-06 by
// X-Syncmock-Datadog-Revision, 2026-08 as the server's default, as the official client sends it), the
// Entra ID routes included (fast-check, fixed seed): wrong types, huge and deep JSON, unicode, nulls,
// duplicate keys, prototype-pollution keys, long ids, traversal in ids, SQL fragments, odd content types,
// headers and revisions. Never a 5xx, every error is {"errors": [...]}, a success matches its revision's
// schema, a refusal leaves every table unchanged, and the server is healthy afterwards.
import fc from 'fast-check';
import t from 'tap';
import type { ValidateFunction } from 'ajv';
import { http, schemaValidator } from '../../helpers';
import { startServerWithStore } from '../../store-reader';
import { PREFIX, datadog, seedCreateBody, seedPatchBody, seedValidateBody } from '../../datadog/dd';
import { SECRETS, createAttributes, createBody } from '../../datadog/revision-fixtures';
import {
  HostileHarness, assertProperty, hostileContentType, hostileExtraHeaders, hostileHeaderValue, hostileId,
  hostileJsonBody, hostileQuery, type Expectations,
} from '../hostile';

const RUNS = Number(process.env.SYNCMOCK_FUZZ_RUNS ?? 250);
const UNLIMITED = { limit: 1_000_000, periodSeconds: 60 };

const FUZZ_KEYS = { 'dd-api-key': 'fuzz-api-key', 'dd-application-key': 'fuzz-app-key' };
const SEEDED_KEYS = { 'dd-api-key': 'syncmock-api-key', 'dd-application-key': 'syncmock-app-key' };
const SEEDED_CONFIG_ID = '11111111-2222-3333-4444-555555555555';
const REVISION_HEADER = 'x-syncmock-datadog-revision';
const DEFAULT_REVISION = '2026-08';

type Revision = '2026-06' | '2026-08';

/** The valid body of each operation in each revision, from which hostile ones are derived. */
const VALID_BODIES: Record<Revision, Record<string, unknown>> = {
  '2026-06': { create: seedCreateBody(), validate: seedValidateBody(), patch: seedPatchBody() },
  '2026-08': {
    create: createBody(createAttributes('OKTA')),
    validate: createBody({ domain: 'okta.example.com', integration_type: 'OKTA', secrets: SECRETS.OKTA }),
    patch: createBody({ integration_type: 'OKTA', name: 'renamed', enabled: false, secrets: SECRETS.OKTA }),
    activate: { data: { type: 'activate_entra_id_request', attributes: { domain: 'contoso.onmicrosoft.com', name: 'Entra', settings: { a: 1 } } } },
  },
};

const errorShape = schemaValidator('datadog/error-response.json');
const emptyBody = (body: unknown) => (body === undefined ? undefined : 'should be empty');

/** Which revision answers: the header's (trimmed), else the server's default; undefined for an unknown one. */
function revisionOf(header: string | undefined): Revision | undefined {
  const value = header?.trim() || DEFAULT_REVISION;
  return value === '2026-06' || value === '2026-08' ? value : undefined;
}

/** What a success answers, per revision: a schema file, null for no body; a revision without the route is missing. */
type SuccessFiles = Partial<Record<Revision, string | null>>;

/** Errors are Datadog's; a success matches its revision's schema (or, with 'any', is another route's business). */
function expectations(revision: Revision | undefined, files: SuccessFiles | 'any'): Expectations {
  return {
    errorBody: (body) => (errorShape(body) ? undefined : `is not {"errors": [...]}: ${JSON.stringify(errorShape.errors)}`),
    successBody: (body) => {
      if (files === 'any') return undefined;
      if (revision === undefined) return 'succeeded under an unknown revision';
      const file = files[revision];
      if (file === undefined) return `succeeded, but revision ${revision} has no such route`;
      if (file === null) return emptyBody(body);
      const validate: ValidateFunction = schemaValidator(file);
      return validate(body) ? undefined : `does not match ${file}: ${JSON.stringify(validate.errors)}`;
    },
  };
}
const both = (file: string | null): SuccessFiles => ({ '2026-06': file, '2026-08': file });

/** Mostly keys that get past auth (so bodies are judged), sometimes none, read-only, or hostile ones. */
const keyHeaders = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<Record<string, string>>(FUZZ_KEYS, SEEDED_KEYS) },
  { weight: 1, arbitrary: fc.constantFrom<Record<string, string>>({}, { 'dd-api-key': 'fuzz-api-key' }, { ...SEEDED_KEYS, 'dd-application-key': 'syncmock-read-only-app-key' }) },
  { weight: 1, arbitrary: fc.record({ 'dd-api-key': hostileHeaderValue, 'dd-application-key': hostileHeaderValue }) },
);

/** No header (the default, 2026-08), either revision by name, or a hostile value (an unknown revision). */
const revisionHeader = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.constantFrom('2026-06', '2026-08', ' 2026-06 ') },
  { weight: 1, arbitrary: fc.oneof(hostileHeaderValue, fc.constantFrom('2026-07', '2026-6', '2026-08,2026-06', 'latest')) },
);

interface Route {
  name: string;
  method: fc.Arbitrary<string>;
  path: fc.Arbitrary<string>;
  /** The operation whose valid body hostile ones derive from; 'none' for bodiless operations. */
  body: 'create' | 'validate' | 'patch' | 'activate' | 'none';
  success: SuccessFiles | 'any';
}

t.test('hostile requests to every Datadog route, both revisions', async (t) => {
  const { server, store } = await startServerWithStore(t, {
    logLevel: 'warn',
    datadog: { revision: DEFAULT_REVISION, rateLimits: { integration_config_read: UNLIMITED, integration_config_write: UNLIMITED, integration_config_validate: UNLIMITED } },
  });
  const dd = datadog(server.url, FUZZ_KEYS['dd-api-key'], FUZZ_KEYS['dd-application-key']);
  const ids = [SEEDED_CONFIG_ID];
  for (const [revision, body] of [['2026-08', VALID_BODIES['2026-08'].create], ['2026-08', VALID_BODIES['2026-08'].create], ['2026-06', VALID_BODIES['2026-06'].create]]) {
    const created = await dd.call('POST', '', body, { [REVISION_HEADER]: revision as string });
    t.equal(created.status, 200, `a ${revision} config to aim at`);
    ids.push(created.json.data.id);
  }
  const activated = await dd.call('POST', '/entra_id/activate');
  t.equal(activated.status, 200, 'an Entra ID config to aim at');
  ids.push(activated.json.data.id);
  // Every org the fuzz names by a fixed key exists before it starts; a hostile key is an org of its own.
  t.equal((await datadog(server.url, SEEDED_KEYS['dd-api-key'], SEEDED_KEYS['dd-application-key']).call('GET')).status, 200);

  const harness = new HostileHarness(server.url, store);
  t.teardown(() => harness.close());
  const id = hostileId(ids);
  const integrationType = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('entra_id', 'okta', 'google_workspace', 'crowdstrike', 'sentinelone', 'ENTRA_ID', 'jumpcloud') },
    { weight: 1, arbitrary: hostileId(['entra_id']) },
  );
  const query = hostileQuery(['filter[integration_type]', 'page[size]'], ['OKTA', 'GOOGLE_WORKSPACE', 'ENTRA_ID', 'CROWDSTRIKE']);

  const routes: Route[] = [
    { name: 'GET list', method: fc.constant('GET'), path: fc.constant(''), body: 'none', success: both('datadog/integration-configs-response.json') },
    { name: 'POST create', method: fc.constant('POST'), path: fc.constant(''), body: 'create', success: both('datadog/integration-config-response.json') },
    { name: 'POST validate credentials', method: fc.constant('POST'), path: fc.constant('/validate'), body: 'validate', success: both(null) },
    { name: 'GET by id', method: fc.constant('GET'), path: id.map((i) => `/${i}`), body: 'none', success: both('datadog/integration-config-response.json') },
    { name: 'PATCH', method: fc.constant('PATCH'), path: id.map((i) => `/${i}`), body: 'patch', success: both('datadog/integration-config-response.json') },
    { name: 'POST validate stored', method: fc.constant('POST'), path: id.map((i) => `/${i}/validate`), body: 'none', success: both(null) },
    { name: 'POST activate', method: fc.constant('POST'), path: integrationType.map((type) => `/${type}/activate`), body: 'activate',
      success: { '2026-08': 'datadog/integration-config-response.json' } },
    { name: 'POST deactivate', method: fc.constant('POST'), path: integrationType.map((type) => `/${type}/deactivate`), body: 'none',
      success: { '2026-08': 'datadog/integration-config-response.json' } },
    { name: 'GET Azure app registrations', method: fc.constant('GET'), path: fc.constant('/entra_id/azure_app_registrations'), body: 'none',
      success: { '2026-08': 'datadog/2026-08/entra-id-azure-app-registrations-response.json' } },
    {
      name: 'other methods and paths under the prefix',
      method: fc.constantFrom('PUT', 'OPTIONS', 'TRACE', 'DELETE', 'PATCH', 'POST', 'HEAD', 'GET'),
      path: fc.oneof(fc.constant(''), fc.constant('/'), id.map((i) => `/${i}/${i}`), id.map((i) => `//${i}`), id.map((i) => `/validate/${i}`),
        integrationType.map((type) => `/${type}/activate/x`), fc.constantFrom('/entra_id', '/entra_id/azure_app_registrations/x', 's')),
      body: 'patch',
      success: 'any', // refusals are checked; what succeeds here is another route's business
    },
    // Last: it removes configs.
    { name: 'DELETE', method: fc.constant('DELETE'), path: id.map((i) => `/${i}`), body: 'none', success: both(null) },
  ];

  for (const route of routes) {
    const request = revisionHeader.chain((revisionValue) => {
      const revision = revisionOf(revisionValue) ?? '2026-08';
      const valid = route.body === 'none' ? undefined : VALID_BODIES[revision][route.body] ?? VALID_BODIES['2026-08'][route.body];
      return fc.record({
        revisionValue: fc.constant(revisionValue),
        method: route.method,
        path: route.path,
        query,
        keys: keyHeaders,
        extra: hostileExtraHeaders,
        contentType: hostileContentType,
        // Bodiless operations mostly get none, sometimes an empty one (clients send Content-Type anyway) or any JSON.
        body: valid === undefined
          ? fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant('') }, { weight: 1, arbitrary: hostileJsonBody({}) })
          : hostileJsonBody(valid),
      });
    });
    await assertProperty(t, route.name, fc.asyncProperty(request, async (r) => {
      const headers: Record<string, string> = { ...r.extra, ...r.keys };
      if (r.revisionValue !== undefined) headers[REVISION_HEADER] = r.revisionValue;
      if (r.body !== undefined) headers['content-type'] = r.contentType;
      await harness.check({ method: r.method, url: `${PREFIX}${r.path}${r.query}`, headers, payload: r.body },
        expectations(revisionOf(r.revisionValue), route.success));
    }), RUNS, harness);
  }

  t.comment(`${harness.requests} requests in all`);
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was not polluted');
  t.equal((await http(`${server.url}/__admin/health`)).status, 200, 'healthy afterwards');
  for (const revision of ['2026-06', '2026-08'] as const) {
    const after = await dd.call('POST', '', VALID_BODIES[revision].create, { [REVISION_HEADER]: revision });
    t.equal(after.status, 200, `${revision}: still serving writes`);
    t.equal((await dd.call('GET', `/${after.json.data.id}`, undefined, { [REVISION_HEADER]: revision })).status, 200, `${revision}: and reads`);
  }
  t.notMatch(server.logs(), /"level":50/, 'no error was logged');
});
