// The official @datadog/datadog-api-client against a listening syncmock: the whole flow, errors as
// ApiException, and enableRetry recovering from a 429 by honouring X-RateLimit-Reset.
import t from 'tap';
import { client, v2 } from '@datadog/datadog-api-client';
import { startServer } from '../helpers';
import { admin } from '../control/admin';

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

t.test('create → get → list → update → validate → validate-by-id → delete → get (404)', async (t) => {
  const server = await startServer(t);
  const dd = api(server.url);
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
});

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
