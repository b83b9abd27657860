// The official @datadog/datadog-api-client against a listening syncmock: the whole flow, errors as
// ApiException, and enableRetry recovering from a 429 by honouring X-RateLimit-Reset; then the same client
// authenticated with an access token (`authMethods: { AuthZ: { accessToken } }`, which 1.64 sends as
// `Authorization: Bearer <token>` and nothing else): the whole flow with a seeded personal access token, a
// read-only service access token's 403, an open-mode token's org of its own, and the bearer token deciding
// when DD_API_KEY/DD_APP_KEY from the environment come along. (One file: importing the client is slow.)
import t from 'tap';
import { client, v2 } from '@datadog/datadog-api-client';
import { matchesSchema, startServer } from '../helpers';
import { admin } from '../control/admin';
import { datadogClient } from './datadog-client';

const OPERATIONS = [
  'createSecurityMonitoringIntegrationConfig', 'getSecurityMonitoringIntegrationConfig', 'listSecurityMonitoringIntegrationConfigs',
  'updateSecurityMonitoringIntegrationConfig', 'deleteSecurityMonitoringIntegrationConfig',
  'validateSecurityMonitoringIntegrationConfig', 'validateSecurityMonitoringIntegrationCredentials',
];

function api(url: string, extra: Parameters<typeof client.createConfiguration>[0] = {}) {
  const configuration = client.createConfiguration({
    baseServer: new client.BaseServerConfiguration(url, {}),
    authMethods: { apiKeyAuth: 'sdk-api-key', appKeyAuth: 'sdk-app-key' },
    ...extra,
  });
  for (const op of OPERATIONS) configuration.unstableOperations[`v2.${op}`] = true;
  return new v2.SecurityMonitoringApi(configuration);
}

// The newest client is written against the per-type schema: typed secrets (serviceAccountJson) it will
// serialise; syncmock's default revision takes them as the free-form object of the seed contract.
const gwsSecrets = {
  adminEmail: 'admin@example.com',
  serviceAccountJson: { clientEmail: 'svc@my-project.iam.gserviceaccount.com', privateKey: 'key', projectId: 'my-project', type: 'service_account' },
};

// The whole flow, once with the key pair and once with an access token (an open-mode one: an empty org
// too), with the credential headers the client is expected to send.
const CREDENTIALS: Array<[string, Parameters<typeof datadogClient>[1], Record<string, string>]> = [
  ['the key pair', { apiKeyAuth: 'sdk-api-key', appKeyAuth: 'sdk-app-key' }, { 'DD-API-KEY': 'sdk-api-key', 'DD-APPLICATION-KEY': 'sdk-app-key' }],
  ['an AuthZ access token', { AuthZ: { accessToken: 'ddpat_sdk_flow_token' } }, { Authorization: 'Bearer ddpat_sdk_flow_token' }],
];
for (const [credential, authMethods, sent] of CREDENTIALS) {
  t.test(`${credential}: create → get → list → update → validate → validate-by-id → delete → get (404)`, async (t) => {
    const server = await startServer(t);
    const recorded = datadogClient(server.url, authMethods);
    const dd = recorded.api;
    const created = await dd.createSecurityMonitoringIntegrationConfig({
      body: {
        data: {
          type: 'integration_config',
          attributes: { domain: 'siem-test.com', integrationType: 'GOOGLE_WORKSPACE', name: 'My GWS Integration', secrets: gwsSecrets, settings: { setting1: 'value1' } },
        },
      },
    });
    const id = created.data!.id!;
    t.equal(created.data!.type, 'integration_config');
    t.equal(created.data!.attributes!.enabled, true);
    t.equal(created.data!.attributes!.state, 'valid');
    t.ok(created.data!.attributes!.createdAt instanceof Date, 'timestamps parse as dates');

    const got = await dd.getSecurityMonitoringIntegrationConfig({ integrationConfigId: id });
    t.equal(got.data!.attributes!.name, 'My GWS Integration');
    t.same(got.data!.attributes!.settings, { setting1: 'value1' });

    const listed = await dd.listSecurityMonitoringIntegrationConfigs({ filterIntegrationType: 'GOOGLE_WORKSPACE' });
    t.same(listed.data!.map((d) => d.id), [id]);
    t.same((await dd.listSecurityMonitoringIntegrationConfigs({ filterIntegrationType: 'OKTA' })).data, []);

    const updated = await dd.updateSecurityMonitoringIntegrationConfig({
      integrationConfigId: id,
      body: { data: { type: 'integration_config', attributes: { integrationType: 'GOOGLE_WORKSPACE', name: 'Renamed', enabled: false } } },
    });
    t.equal(updated.data!.attributes!.name, 'Renamed');
    t.equal(updated.data!.attributes!.enabled, false);
    t.equal(updated.data!.attributes!.domain, 'siem-test.com', 'absent attributes unchanged');

    await dd.validateSecurityMonitoringIntegrationCredentials({
      body: { data: { type: 'integration_config', attributes: { domain: 'siem-test.com', integrationType: 'GOOGLE_WORKSPACE', secrets: gwsSecrets } } },
    });
    await dd.validateSecurityMonitoringIntegrationConfig({ integrationConfigId: id });
    await dd.deleteSecurityMonitoringIntegrationConfig({ integrationConfigId: id });

    const err = await dd.getSecurityMonitoringIntegrationConfig({ integrationConfigId: id }).then(() => null, (e: unknown) => e);
    t.ok(err instanceof client.ApiException, 'a 404 is an ApiException');
    const apiErr = err as client.ApiException<{ errors: string[] }>;
    t.equal(apiErr.code, 404);
    t.match(apiErr.body.errors[0], /not_found/);

    // What went over the wire: the configured credentials, and no others.
    t.equal(recorded.responses.length, 9);
    for (const r of recorded.responses) {
      const credentials = Object.entries(r.requestHeaders).filter(([h]) => /^(authorization|dd-api-key|dd-application-key)$/i.test(h));
      t.same(Object.fromEntries(credentials), sent, `${r.method}: the ${credential} alone`);
    }
  });
}

t.test('invalid credentials and a read-only key reach the client as ApiException 400 and 403', async (t) => {
  const server = await startServer(t);
  const dd = api(server.url);
  const bad = await dd.validateSecurityMonitoringIntegrationCredentials({
    body: { data: { type: 'integration_config', attributes: { domain: 'x', integrationType: 'OKTA', secrets: { apiToken: 'invalid-token' } } } },
  }).then(() => null, (e: client.ApiException<{ errors: string[] }>) => e);
  t.equal(bad?.code, 400);
  const readOnly = api(server.url, { authMethods: { apiKeyAuth: 'syncmock-api-key', appKeyAuth: 'syncmock-read-only-app-key' } });
  const denied = await readOnly.createSecurityMonitoringIntegrationConfig({
    body: { data: { type: 'integration_config', attributes: { domain: 'x', integrationType: 'OKTA', name: 'n', secrets: { apiToken: 't' } } } },
  }).then(() => null, (e: client.ApiException<{ errors: string[] }>) => e);
  t.equal(denied?.code, 403);
  t.match(denied?.body.errors[0], /manage_integrations/);
});

t.test('enableRetry waits X-RateLimit-Reset seconds after a 429 and succeeds', async (t) => {
  const server = await startServer(t, { datadog: { rateLimits: { integration_config_read: { limit: 1, periodSeconds: 1 } } } });
  const control = admin(server.url);
  // A frozen clock keeps the window shut until the client's wait moves it.
  t.equal((await control('POST', '/clock', { freeze_at: '2026-05-01T12:00:00Z' })).status, 200);
  const plain = api(server.url);
  await plain.listSecurityMonitoringIntegrationConfigs();
  const limited = await plain.listSecurityMonitoringIntegrationConfigs().then(() => null, (e: client.ApiException<unknown>) => e);
  t.equal(limited?.code, 429, 'without retry the client surfaces the 429');

  // The client's wait between attempts moves the server clock by the time it would sleep, instead of
  // sleeping: the retry sees exactly the server time the client waited for, with no race against a timer.
  const waits: number[] = [];
  const httpApi = new client.IsomorphicFetchHttpLibrary();
  (httpApi as unknown as { sleep(ms: number): Promise<void> }).sleep = async (ms) => {
    waits.push(ms);
    t.equal((await control('POST', '/clock', { advance_seconds: ms / 1000 })).status, 200, `the server clock moves ${ms} ms`);
  };
  const retrying = api(server.url, { enableRetry: true, maxRetries: 2, httpApi });
  const result = await retrying.listSecurityMonitoringIntegrationConfigs();
  t.same(result.data, [], 'the retried call got its answer');
  t.same(waits, [1000], 'one wait, of the 1 s X-RateLimit-Reset said');
  t.equal((server.logs().match(/"statusCode":429/g) ?? []).length, 2, 'one 429 each: the plain call and the retried one');
});

const PAT = 'ddpat_syncmock_personal_access_token';
const READ_ONLY_SAT = 'ddsat_syncmock_read_only_service_token';
const SEEDED_CONFIG = '11111111-2222-3333-4444-555555555555';

const createBody = (name: string) => ({
  data: { type: 'integration_config' as const, attributes: { domain: 'siem-test.com', integrationType: 'GOOGLE_WORKSPACE' as const, name, secrets: gwsSecrets } },
});
const failure = (e: unknown) => e as client.ApiException<{ errors: string[] }>;

t.test('AuthZ with a seeded personal access token: the seeded org, shared with its key pair', async (t) => {
  const server = await startServer(t);
  const { api } = datadogClient(server.url, { AuthZ: { accessToken: PAT } });
  t.same((await api.listSecurityMonitoringIntegrationConfigs()).data!.map((c) => c.id), [SEEDED_CONFIG], 'the seeded org, with its example config');
  const created = await api.createSecurityMonitoringIntegrationConfig({ body: createBody('Via AuthZ') });
  const byKeys = await datadogClient(server.url).api.listSecurityMonitoringIntegrationConfigs();
  t.same(byKeys.data!.map((c) => c.id).sort(), [SEEDED_CONFIG, created.data!.id].sort(), 'the seeded key pair sees what the token wrote');
});

t.test('AuthZ with a read-only service access token: reads pass, writes are ApiException 403 naming the scope', async (t) => {
  const server = await startServer(t);
  const dd = datadogClient(server.url, { AuthZ: { accessToken: READ_ONLY_SAT } });
  t.equal((await dd.api.getSecurityMonitoringIntegrationConfig({ integrationConfigId: SEEDED_CONFIG })).data!.id, SEEDED_CONFIG);
  const denied = failure(await dd.api.createSecurityMonitoringIntegrationConfig({ body: createBody('denied') }).catch((e: unknown) => e));
  t.equal(denied.code, 403);
  t.same(denied.body, { errors: ['Forbidden: the access token lacks the \'manage_integrations\' scope'] });
  matchesSchema(t, 'datadog/error-response.json', dd.lastBody());
  const deleted = failure(await dd.api.deleteSecurityMonitoringIntegrationConfig({ integrationConfigId: SEEDED_CONFIG }).catch((e: unknown) => e));
  t.equal(deleted.code, 403);
  t.equal((await dd.api.listSecurityMonitoringIntegrationConfigs()).data!.length, 1, 'nothing was deleted');
});

t.test('open mode: an unknown access token is an org of its own; strict mode refuses it', async (t) => {
  const open = await startServer(t);
  const a = datadogClient(open.url, { AuthZ: { accessToken: 'oauth-access-token-suite-a' } }).api;
  const b = datadogClient(open.url, { AuthZ: { accessToken: 'oauth-access-token-suite-b' } }).api;
  t.same((await a.listSecurityMonitoringIntegrationConfigs()).data, [], 'a new org starts empty');
  const created = await a.createSecurityMonitoringIntegrationConfig({ body: createBody('suite a') });
  t.same((await b.listSecurityMonitoringIntegrationConfigs()).data, [], 'another token, another org');
  t.equal((await a.listSecurityMonitoringIntegrationConfigs()).data![0].id, created.data!.id, 'the same token, the same org');

  const strict = await startServer(t, { auth: 'strict' });
  const refused = failure(await datadogClient(strict.url, { AuthZ: { accessToken: 'oauth-access-token-suite-a' } }).api
    .listSecurityMonitoringIntegrationConfigs().catch((e: unknown) => e));
  t.equal(refused.code, 403);
  t.same(refused.body, { errors: ['Forbidden: unknown access token'] });
  t.equal((await datadogClient(strict.url, { AuthZ: { accessToken: PAT } }).api.listSecurityMonitoringIntegrationConfigs()).data!.length, 1,
    'a seeded token is accepted in strict mode');
});

t.test('with DD_API_KEY and DD_APP_KEY in the environment the client sends them too, and the bearer token decides', async (t) => {
  const server = await startServer(t);
  const saved = { DD_API_KEY: process.env.DD_API_KEY, DD_APP_KEY: process.env.DD_APP_KEY };
  t.teardown(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  Object.assign(process.env, { DD_API_KEY: 'syncmock-api-key', DD_APP_KEY: 'syncmock-app-key' });
  const dd = datadogClient(server.url, { AuthZ: { accessToken: 'an-open-mode-token' } });
  t.same((await dd.api.listSecurityMonitoringIntegrationConfigs()).data, [], 'the token\'s own (empty) org, not the seeded org of the keys');
  const sent = dd.responses[0].requestHeaders;
  t.same([sent['DD-API-KEY'], sent['DD-APPLICATION-KEY'], sent.Authorization], ['syncmock-api-key', 'syncmock-app-key', 'Bearer an-open-mode-token'],
    'all three headers were sent');
});
