// Fields the schemas do not list. By default syncmock reads bodies as the vendors' published models do
// (every model allows more properties): accepted, ignored, never stored or echoed. --reject-unknown-fields
// refuses them with a 400 naming the field, except inside credentials, whose key names are never repeated.
import type { v2 } from '@datadog/datadog-api-client';
import { Configuration, SourcesBetaApi } from 'sailpoint-api-client';
import t, { type Test } from 'tap';
import { configFromCommandLine, ConfigError, resolveConfig } from '../../src/config';
import { http, matchesSchema, startServer, type TestServer } from '../helpers';
import { datadogClient } from '../sdk/datadog-client';
import { startServerWithStore, type ServerWithStore } from '../store-reader';
import { type Revision, SEED_CREATE, SEED_VALIDATE, createAttributes, createBody, dd } from './revision-fixtures';

const ERROR = 'datadog/error-response.json';
const CONFIG = 'datadog/integration-config-response.json';
/** A key name that could be a credential pasted in the wrong place: it must never come back. */
const SECRET_KEY_NAME = 'sk_live_4f9a2b7c1d8e';
const V8 = '2026-08';

/** A server defaulting to 2026-08, with a read-only view of its SQLite file (secrets as stored). */
const start = (t: Test, rejectUnknownFields = false): Promise<ServerWithStore> =>
  startServerWithStore(t, { datadog: { revision: V8 }, rejectUnknownFields });

/** Every row of every org, as the control API exports it (secrets redacted). */
async function exported(server: TestServer): Promise<string> {
  return (await http(`${server.url}/__admin/state`)).text;
}

/** The requests each case sends; each has a field no schema of its revision lists (holding `marker`, where it is a string). */
const UNKNOWN: Array<{ what: string; revision: Revision; method: string; path?: string; body: unknown; field: string; marker?: string }> = [
  { what: 'an attribute create does not take (enabled)', revision: V8, method: 'POST',
    body: createBody(createAttributes('OKTA', { enabled: false })), field: 'data.attributes.enabled' },
  { what: 'an attribute no type has', revision: V8, method: 'POST',
    body: createBody(createAttributes('CROWDSTRIKE', { colour: 'red-marker' })), field: 'data.attributes.colour', marker: 'red-marker' },
  { what: 'secrets on an ENTRA_ID create', revision: V8, method: 'POST',
    body: createBody(createAttributes('ENTRA_ID', { secrets: { client_secret: 'invalid-entra-secret' } })), field: 'data.attributes.secrets', marker: 'invalid-entra-secret' },
  { what: 'a field beside data', revision: V8, method: 'POST',
    body: { ...createBody(createAttributes('SENTINELONE')), meta: { trace: 'meta-marker' } }, field: 'meta', marker: 'meta-marker' },
  { what: 'a field beside attributes', revision: V8, method: 'POST',
    body: { data: { ...createBody(createAttributes('OKTA')).data, id: 'id-marker' } }, field: 'data.id', marker: 'id-marker' },
  { what: 'secrets on an ENTRA_ID credentials check', revision: V8, method: 'POST', path: '/validate',
    body: createBody({ integration_type: 'ENTRA_ID', domain: 'contoso.com', secrets: { token: 'invalid-token' } }), field: 'data.attributes.secrets' },
  { what: 'a name on a credentials check', revision: V8, method: 'POST', path: '/validate',
    body: createBody({ integration_type: 'OKTA', domain: 'okta.example.com', name: 'x', secrets: { api_token: 't' } }), field: 'data.attributes.name' },
  { what: 'an unknown activate override', revision: V8, method: 'POST', path: '/entra_id/activate',
    body: { data: { type: 'activate_entra_id_request', attributes: { integration_type: 'ENTRA_ID' } } }, field: 'data.attributes.integration_type' },
  { what: 'an attribute create does not take, under 2026-06', revision: '2026-06', method: 'POST',
    body: { data: { ...SEED_CREATE.data, attributes: { ...SEED_CREATE.data.attributes, enabled: false } } }, field: 'data.attributes.enabled' },
  { what: 'a field a 2026-06 credentials check does not take', revision: '2026-06', method: 'POST', path: '/validate',
    body: { data: { ...SEED_VALIDATE.data, attributes: { ...SEED_VALIDATE.data.attributes, settings: {} } } }, field: 'data.attributes.settings' },
];

t.test('by default an unknown field is accepted and ignored, as the published models allow', async (t) => {
  const { server, store } = await start(t);
  for (const c of UNKNOWN) {
    const res = await dd(server.url, c.method, c.path ?? '', { revision: c.revision, json: c.body });
    t.equal(res.status, 200, `${c.what}: 200`, { body: res.json });
    if (res.json !== undefined) matchesSchema(t, CONFIG, res.json, `${c.what}: the answer is the config, nothing more`);
    if (c.marker !== undefined) t.notOk(res.text.includes(c.marker), `${c.what}: not echoed`);
  }
  const configs = (await dd(server.url, 'GET', '')).json.data as Array<{ attributes: { name?: string; enabled: boolean; integration_type: string } }>;
  t.ok(configs.filter((c) => c.attributes.integration_type === 'OKTA').every((c) => c.attributes.enabled), 'enabled: false on create changed nothing');
  const stored = store.snapshot();
  t.notOk(UNKNOWN.some((c) => c.marker !== undefined && stored.includes(c.marker)), 'nothing unknown was stored (secrets included)');
  const entra = JSON.parse(await exported(server)).datadog.orgs['syncmock-org-1'].integration_configs
    .filter((c: { integration_type: string }) => c.integration_type === 'ENTRA_ID');
  t.match(entra, [{ state: 'valid' }], 'one ENTRA_ID config (activate returned it), valid: its secrets read "invalid…" but were not checked');
  t.notOk('secrets' in entra[0], 'nor stored');
});

t.test('an unknown key in secrets is accepted and kept with them, never answered, logged, journaled or exported', async (t) => {
  const { server, store } = await start(t);
  const res = await dd(server.url, 'POST', '', { json: createBody(createAttributes('OKTA', { secrets: { api_token: 'okta-token', [SECRET_KEY_NAME]: 'hunter2-value' } })) });
  t.equal(res.status, 200);
  const journal = (await http(`${server.url}/__admin/requests`)).text;
  for (const where of [res.text, journal, await exported(server), server.logs()]) {
    t.notOk(where.includes(SECRET_KEY_NAME) || where.includes('hunter2-value'), 'neither the key nor its value shows');
  }
  const id = res.json.data.id;
  const [stored] = store.query('SELECT secrets FROM dd_integration_configs WHERE id = ?', id) as Array<{ secrets: string }>;
  t.same(JSON.parse(stored.secrets), { api_token: 'okta-token', [SECRET_KEY_NAME]: 'hunter2-value' }, 'stored as sent (write-only), so a re-check reads them');
  const patched = await dd(server.url, 'PATCH', `/${id}`, { json: createBody({ integration_type: 'OKTA', secrets: { api_token: 'ok', extra: 'invalid-value' } }) });
  t.equal(patched.json.data.attributes.state, 'invalid', 'the credential check reads every value, known key or not');
});

t.test('an ENTRA_ID update with secrets ignores them', async (t) => {
  const { server } = await start(t);
  const entra = (await dd(server.url, 'POST', '', { json: createBody(createAttributes('ENTRA_ID')) })).json.data;
  const res = await dd(server.url, 'PATCH', `/${entra.id}`, { json: createBody({ integration_type: 'ENTRA_ID', name: 'renamed', secrets: { api_token: 'invalid-x' } }) });
  t.equal(res.status, 200);
  t.match(res.json.data.attributes, { name: 'renamed', state: 'valid' }, 'not re-checked');
  t.equal((await dd(server.url, 'POST', `/${entra.id}/validate`)).status, 200, 'nothing stored to fail a later check');
});

t.test('the official client\'s additionalProperties reach syncmock and are ignored', async (t) => {
  const { server } = await start(t);
  const client = datadogClient(server.url);
  const created = await client.api.createSecurityMonitoringIntegrationConfig({
    body: { data: { type: 'integration_config', attributes: {
      domain: 'okta.example.com', integrationType: 'OKTA', name: 'Okta', secrets: { apiToken: 'okta-token' }, additionalProperties: { enabled: false },
    } as v2.SecurityMonitoringIntegrationConfigCreateAttributes } },
  });
  t.equal(client.responses.at(-1)?.status, 200);
  t.equal(created.data.attributes.enabled, true, 'created enabled, as every new config is');
  const sent = (await http(`${server.url}/__admin/requests?method=POST&limit=1`)).json.requests[0].request.body;
  t.equal(sent.data.attributes.enabled, false, 'the client did send enabled: false');
});

t.test('--reject-unknown-fields refuses each, naming the field, and stores nothing', async (t) => {
  const { server, store } = await start(t, true);
  const before = store.snapshot();
  for (const c of UNKNOWN) {
    const res = await dd(server.url, c.method, c.path ?? '', { revision: c.revision, json: c.body });
    t.equal(res.status, 400, `${c.what}: 400`);
    matchesSchema(t, ERROR, res.json);
    t.same(res.json.errors, [`input_validation_error(Field '${c.field}' is not allowed)`], c.what);
  }
  t.equal(store.snapshot(), before, 'no table changed');
});

t.test('--reject-unknown-fields never repeats the name of an unknown key inside secrets', async (t) => {
  const { server } = await start(t, true);
  for (const secrets of [{ api_token: 'okta-token', [SECRET_KEY_NAME]: 'x' }, { api_token: 'okta-token', nested: { [SECRET_KEY_NAME]: 'x' } }]) {
    const res = await dd(server.url, 'POST', '', { json: createBody(createAttributes('OKTA', { secrets })) });
    t.equal(res.status, 400);
    matchesSchema(t, ERROR, res.json);
    t.same(res.json.errors, ["input_validation_error(Field 'data.attributes.secrets' has a field that is not allowed (not named here: it is inside credentials))"]);
    t.notOk(res.text.includes(SECRET_KEY_NAME) || res.text.includes('nested'), 'the key name is not in the answer');
  }
  const gws = createAttributes('GOOGLE_WORKSPACE') as { secrets: { service_account_json: Record<string, unknown> } };
  const extraInServiceAccount = await dd(server.url, 'POST', '', { json: createBody({ ...gws, secrets: { service_account_json: { ...gws.secrets.service_account_json, [SECRET_KEY_NAME]: 'x' } } }) });
  t.equal(extraInServiceAccount.status, 200, 'the service account JSON keeps allowing more keys, as the spec says');
  t.notOk(server.logs().includes(SECRET_KEY_NAME), 'nor in the logs');
});

t.test('--reject-unknown-fields covers SailPoint bodies but not the token endpoint\'s form fields', async (t) => {
  const server = await startServer(t, { rejectUnknownFields: true });
  const token = await http(`${server.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'syncmock-org-admin', client_secret: 'syncmock-org-admin-secret', audience: 'x' }).toString(),
  });
  t.equal(token.status, 200, 'RFC 6749 §3.2: a token endpoint ignores parameters it does not know');
  const url = `${server.url}/beta/sources/2c9180835d191a86015d28455b4a2329/attribute-sync-config`;
  const headers = { authorization: `Bearer ${token.json.access_token}`, 'x-sailpoint-experimental': 'true' };
  const current = (await http(url, { headers })).json;
  const extra = await http(url, { method: 'PUT', headers, json: { ...current, attributes: current.attributes.map((a: object) => ({ ...a, colour: 'red' })) } });
  t.equal(extra.status, 400);
  matchesSchema(t, 'sailpoint/error-response-dto.json', extra.json);
  t.same(extra.json.causes.map((c: { text: string }) => c.text), ["Field 'attributes.0.colour' is not allowed", "Field 'attributes.1.colour' is not allowed"]);
  const lenient = await startServer(t);
  const lenientToken = (await http(`${lenient.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=syncmock-org-admin&client_secret=syncmock-org-admin-secret' })).json.access_token;
  const accepted = await http(url.replace(server.url, lenient.url), { method: 'PUT', headers: { ...headers, authorization: `Bearer ${lenientToken}` },
    json: { ...current, attributes: current.attributes.map((a: object) => ({ ...a, colour: 'red' })), extra: true } });
  t.equal(accepted.status, 200, 'by default SailPoint bodies may carry more, as its spec allows');
  t.notOk(accepted.text.includes('colour'), 'and it is not kept');
});

t.test('--reject-unknown-fields takes everything the official clients send on their own', async (t) => {
  const { server } = await start(t, true);
  const dd = datadogClient(server.url);
  const attributes = { domain: 'okta.example.com', integrationType: 'OKTA', secrets: { apiToken: 'okta-token' } } as const;
  await dd.api.validateSecurityMonitoringIntegrationCredentials({
    body: { data: { type: 'integration_config', attributes: attributes as v2.SecurityMonitoringIntegrationCredentialsValidateAttributes } },
  });
  const created = await dd.api.createSecurityMonitoringIntegrationConfig({
    body: { data: { type: 'integration_config', attributes: { ...attributes, name: 'Okta', settings: { a: 1 } } as v2.SecurityMonitoringIntegrationConfigCreateAttributes } },
  });
  await dd.api.updateSecurityMonitoringIntegrationConfig({
    integrationConfigId: created.data.id,
    body: { data: { type: 'integration_config', attributes: { integrationType: 'OKTA', name: 'Renamed', enabled: false } as v2.SecurityMonitoringIntegrationConfigUpdateAttributes } },
  });
  await dd.api.activateIntegration({ integrationType: 'entra_id' });
  t.same(dd.responses.map((r) => r.status), [200, 200, 200, 200], 'validate, create, update, activate');

  const { sailpoint } = server;
  const sources = new SourcesBetaApi(new Configuration({ baseurl: sailpoint.baseUrl, clientId: sailpoint.clientId, clientSecret: sailpoint.clientSecret, tokenUrl: sailpoint.tokenUrl }));
  const { data } = await sources.getSourceAttrSyncConfig({ id: '2c9180835d191a86015d28455b4b232a' });
  data.attributes[0].enabled = !data.attributes[0].enabled;
  const put = await sources.putSourceAttrSyncConfig({ id: '2c9180835d191a86015d28455b4b232a', attrSyncSourceConfigBeta: data });
  t.equal(put.status, 200, 'the SailPoint client\'s token request and PUT');
});

t.test('the OpenAPI documents describe the bodies as they are read', async (t) => {
  const strictDoc = (await http(`${(await startServer(t, { rejectUnknownFields: true })).url}/openapi/datadog-2026-08.json`)).json;
  const lenientDoc = (await http(`${(await startServer(t)).url}/openapi/datadog-2026-08.json`)).json;
  const branches = (doc: any) => doc.paths['/api/v2/security_monitoring/configuration/integration_config'].post.requestBody.content['application/json'].schema.properties.data.properties.attributes.oneOf;
  t.ok(branches(strictDoc).every((b: any) => b.additionalProperties === false), 'strict: each create branch is closed');
  t.same(strictDoc.components.schemas['datadog-OktaSecrets'].propertyNames, { enum: ['api_token'] },
    'strict: the shared secrets take only their own names (checked without repeating another)');
  t.ok(branches(lenientDoc).every((b: any) => b.additionalProperties === undefined), 'default: open, as published');
  t.equal(lenientDoc.components.schemas['datadog-OktaSecrets'].propertyNames, undefined);
});

t.test('the option: flag, environment variable, programmatic', async (t) => {
  t.equal(configFromCommandLine([], {}).config.rejectUnknownFields, false, 'off by default');
  t.equal(configFromCommandLine(['--reject-unknown-fields'], {}).config.rejectUnknownFields, true);
  t.equal(configFromCommandLine([], { SYNCMOCK_REJECT_UNKNOWN_FIELDS: 'true' }).config.rejectUnknownFields, true);
  t.equal(configFromCommandLine([], { SYNCMOCK_REJECT_UNKNOWN_FIELDS: '0' }).config.rejectUnknownFields, false);
  t.throws(() => configFromCommandLine([], { SYNCMOCK_REJECT_UNKNOWN_FIELDS: 'maybe' }), new ConfigError('SYNCMOCK_REJECT_UNKNOWN_FIELDS must be true or false, got "maybe"'));
  t.equal(resolveConfig({ rejectUnknownFields: true }).rejectUnknownFields, true);
  t.throws(() => resolveConfig({ rejectUnknownFields: 'yes' as never }), new ConfigError('rejectUnknownFields must be boolean, got "yes"'));
});
