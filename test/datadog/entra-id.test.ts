// Revision 2026-08's Entra ID endpoints by raw HTTP: activate, deactivate and the Azure app registrations.
import t, { type Test } from 'tap';
import { http, matchesSchema, startServer, type TestServer, forceCredentialOutcome } from '../helpers';
import { NO_PERMISSION_KEYS, PREFIX, READ_ONLY_KEYS, createAttributes, createBody, dd } from './revision-fixtures';

const ERROR = 'datadog/error-response.json';
const CONFIG = 'datadog/2026-08/integration-config-response.json';
const REGISTRATIONS = 'datadog/2026-08/entra-id-azure-app-registrations-response.json';
const OPEN_KEYS = { 'dd-api-key': 'an-open-mode-key', 'dd-application-key': 'any' };

function isError(t: Test, res: { status: number; json: any }, status: number, expected: string): void {
  t.equal(res.status, status, `${status} for ${expected}`);
  matchesSchema(t, ERROR, res.json);
  t.ok((res.json?.errors ?? []).some((m: string) => m.includes(expected)), `an error names ${expected}`, { errors: res.json?.errors });
}

const start = (t: Test): Promise<TestServer> => startServer(t, { datadog: { revision: '2026-08' } });
const activateBody = (attributes: Record<string, unknown>) => ({ data: { type: 'activate_entra_id_request', attributes } });

t.test('activate creates the Entra ID config once, then returns it', async (t) => {
  const server = await start(t);
  server.context.clock.freeze(new Date('2026-08-01T10:00:00Z'));
  const first = await dd(server.url, 'POST', '/entra_id/activate');
  t.equal(first.status, 200, 'no body at all');
  matchesSchema(t, CONFIG, first.json);
  t.match(first.json.data.attributes, {
    integration_type: 'ENTRA_ID', domain: 'default', name: 'Entra ID', enabled: true, state: 'valid',
    created_at: '2026-08-01T10:00:00Z', modified_at: '2026-08-01T10:00:00Z',
  });
  t.equal(first.headers.get('x-ratelimit-name'), 'security_monitoring_integration_config_write');

  server.context.clock.advance(60);
  const again = await http(`${server.url}${PREFIX}/entra_id/activate`, {
    method: 'POST',
    headers: { 'dd-api-key': 'syncmock-api-key', 'dd-application-key': 'syncmock-app-key', 'content-type': 'application/json' },
  });
  t.equal(again.status, 200, 'an empty body with Content-Type: application/json, as the official client sends it');
  t.same(again.json, first.json, 'the same config, unchanged');

  const disabled = await dd(server.url, 'POST', '/entra_id/deactivate');
  t.equal(disabled.json.data.attributes.enabled, false);
  server.context.clock.advance(60);
  const reenabled = await dd(server.url, 'POST', '/entra_id/activate', { json: activateBody({ name: 'ignored for an existing config' }) });
  t.equal(reenabled.status, 200);
  matchesSchema(t, CONFIG, reenabled.json);
  t.equal(reenabled.json.data.id, first.json.data.id, 'no duplicate');
  t.match(reenabled.json.data.attributes, { enabled: true, name: 'Entra ID', modified_at: '2026-08-01T10:02:00Z', created_at: '2026-08-01T10:00:00Z' });

  const listed = await dd(server.url, 'GET', '?filter[integration_type]=ENTRA_ID');
  t.equal(listed.json.data.length, 1);
});

t.test('activate takes overrides for the config it creates', async (t) => {
  const server = await start(t);
  const res = await dd(server.url, 'POST', '/entra_id/activate', {
    json: activateBody({ domain: 'contoso.onmicrosoft.com', name: 'My Entra ID Integration', settings: { setting1: 'value1' } }),
  });
  t.equal(res.status, 200);
  matchesSchema(t, CONFIG, res.json);
  t.match(res.json.data.attributes, { domain: 'contoso.onmicrosoft.com', name: 'My Entra ID Integration', settings: { setting1: 'value1' } });
  const bare = await start(t);
  const empty = await dd(bare.url, 'POST', '/entra_id/activate', { json: {} });
  t.equal(empty.status, 200, 'an empty JSON object is fine too');
  t.notOk('settings' in empty.json.data.attributes);
});

t.test('activate answers 400, 403 and 404 as documented', async (t) => {
  const server = await start(t);
  isError(t, await dd(server.url, 'POST', '/okta/activate'), 400, "invalid_argument(Integration type 'okta' cannot be activated: it needs credentials");
  isError(t, await dd(server.url, 'POST', '/crowdstrike/activate'), 400, "Integration type 'crowdstrike' cannot be activated");
  isError(t, await dd(server.url, 'POST', '/jumpcloud/activate'), 404, "not_found(Unknown integration type 'jumpcloud'; the path takes one of: google_workspace, okta, entra_id, crowdstrike, sentinelone)");
  isError(t, await dd(server.url, 'POST', '/ENTRA_ID/activate'), 404, "Unknown integration type 'ENTRA_ID'");
  isError(t, await dd(server.url, 'POST', '/entra_id/activate', { json: { data: { type: 'integration_config' } } }), 400,
    "Field 'data.type' must be one of: activate_entra_id_request");
  isError(t, await dd(server.url, 'POST', '/entra_id/activate', { json: activateBody({ integration_type: 'ENTRA_ID' }) }), 400,
    "Field 'data.attributes.integration_type' is not allowed");
  isError(t, await dd(server.url, 'POST', '/entra_id/activate', { json: activateBody({ name: '' }) }), 400,
    "Field 'data.attributes.name' must NOT have fewer than 1 characters");
  const malformed = await http(`${server.url}${PREFIX}/entra_id/activate`, {
    method: 'POST', headers: { 'dd-api-key': 'syncmock-api-key', 'dd-application-key': 'syncmock-app-key', 'content-type': 'application/json' }, body: '{"data":',
  });
  isError(t, malformed, 400, 'Malformed JSON body');
  isError(t, await dd(server.url, 'POST', '/entra_id/activate', { keys: READ_ONLY_KEYS }), 403, "lacks the 'manage_integrations' permission");
  await forceCredentialOutcome(server, 'invalid');
  isError(t, await dd(server.url, 'POST', '/entra_id/activate'), 400, 'The ENTRA_ID source rejected the credentials');
  const listed = await dd(server.url, 'GET', '?filter[integration_type]=ENTRA_ID');
  t.same(listed.json.data, [], 'none of these created a config');
});

t.test('deactivate disables every enabled config of the type and returns the first', async (t) => {
  const server = await start(t);
  isError(t, await dd(server.url, 'POST', '/entra_id/deactivate'), 404, 'not_found(No active integration config of type ENTRA_ID)');
  const a = (await dd(server.url, 'POST', '', { json: createBody(createAttributes('ENTRA_ID', { name: 'a' })) })).json.data;
  const b = (await dd(server.url, 'POST', '', { json: createBody(createAttributes('ENTRA_ID', { name: 'b' })) })).json.data;
  const okta = (await dd(server.url, 'POST', '', { json: createBody(createAttributes('OKTA')) })).json.data;
  server.context.clock.advance(5);

  const res = await dd(server.url, 'POST', '/entra_id/deactivate');
  t.equal(res.status, 200);
  matchesSchema(t, CONFIG, res.json);
  t.equal(res.json.data.id, a.id);
  t.equal(res.json.data.attributes.enabled, false);
  t.not(res.json.data.attributes.modified_at, a.attributes.modified_at, 'modified_at moves');
  for (const id of [a.id, b.id]) t.equal((await dd(server.url, 'GET', `/${id}`)).json.data.attributes.enabled, false, `${id} disabled`);
  t.equal((await dd(server.url, 'GET', `/${okta.id}`)).json.data.attributes.enabled, true, 'other types untouched');
  isError(t, await dd(server.url, 'POST', '/entra_id/deactivate'), 404, 'No active integration config of type ENTRA_ID');

  const oktaOff = await dd(server.url, 'POST', '/okta/deactivate');
  t.equal(oktaOff.status, 200, 'any known type can be deactivated');
  t.equal(oktaOff.json.data.id, okta.id);
  isError(t, await dd(server.url, 'POST', '/jumpcloud/deactivate'), 404, "Unknown integration type 'jumpcloud'");
  isError(t, await dd(server.url, 'POST', '/okta/deactivate', { keys: READ_ONLY_KEYS }), 403, "lacks the 'manage_integrations' permission");

  const activated = await dd(server.url, 'POST', '/entra_id/activate');
  t.equal(activated.json.data.id, a.id, 'activate re-enables the first of several');
});

t.test('the Azure app registrations come from the seed and reflect the org\'s Entra ID config', async (t) => {
  const server = await start(t);
  const get = (keys?: Record<string, string>) => dd(server.url, 'GET', '/entra_id/azure_app_registrations', { keys });

  const before = await get();
  t.equal(before.status, 200);
  matchesSchema(t, REGISTRATIONS, before.json);
  t.equal(before.headers.get('x-ratelimit-name'), 'security_monitoring_integration_config_read');
  t.same(before.json, {
    data: {
      id: 'syncmock-org-1',
      type: 'entra_id_azure_app_registrations',
      attributes: {
        azure_app_registrations: [
          { client_id: '66666666-7777-8888-9999-000000000000', error_count: 0, resource_collection_enabled: true, subscription_count: 3, tenant_id: '11111111-2222-3333-4444-555555555555' },
          { client_id: '77777777-8888-9999-0000-111111111111', error_count: 2, resource_collection_enabled: false, subscription_count: 1, tenant_id: '11111111-2222-3333-4444-555555555555' },
        ],
        has_valid_prerequisite: true,
        is_enabled: false,
      },
    },
  });

  const config = (await dd(server.url, 'POST', '/entra_id/activate')).json.data;
  const active = await get(READ_ONLY_KEYS);
  t.equal(active.status, 200, 'integrations_read is enough');
  matchesSchema(t, REGISTRATIONS, active.json);
  t.match(active.json.data.attributes, { integration_id: config.id, is_enabled: true, subscribed_at: config.attributes.created_at });
  await dd(server.url, 'POST', '/entra_id/deactivate');
  t.match((await get()).json.data.attributes, { integration_id: config.id, is_enabled: false });

  isError(t, await get(NO_PERMISSION_KEYS), 403, "lacks the 'integrations_read' permission");
  const second = await get({ 'dd-api-key': 'syncmock-api-key-2', 'dd-application-key': 'syncmock-app-key-2' });
  matchesSchema(t, REGISTRATIONS, second.json);
  t.match(second.json.data, { id: 'syncmock-org-2', attributes: { has_valid_prerequisite: false } });
  t.equal(second.json.data.attributes.azure_app_registrations.length, 1);
  const open = await get(OPEN_KEYS);
  matchesSchema(t, REGISTRATIONS, open.json);
  t.match(open.json.data.attributes, { azure_app_registrations: [], has_valid_prerequisite: false, is_enabled: false });

  server.reset();
  const afterReset = await get();
  t.same(afterReset.json, before.json, 'a reset copies the seed\'s registrations again');
});

t.test('under 2026-06 the Entra ID endpoints are not found', async (t) => {
  const server = await startServer(t);
  for (const [method, path] of [['POST', '/entra_id/activate'], ['POST', '/entra_id/deactivate'], ['GET', '/entra_id/azure_app_registrations']]) {
    isError(t, await dd(server.url, method, path), 404, `not_found(No route for ${method} ${PREFIX}${path})`);
  }
  const clientStyle = await http(`${server.url}${PREFIX}/entra_id/activate`, {
    method: 'POST', headers: { 'dd-api-key': 'k', 'dd-application-key': 'a', 'content-type': 'application/json' },
  });
  isError(t, clientStyle, 404, 'not_found(No route for POST');
  const picked = await dd(server.url, 'POST', '/entra_id/activate', { revision: '2026-08' });
  t.equal(picked.status, 200, 'the header reaches them on a 2026-06 server');
});
