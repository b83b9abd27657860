// The official @datadog/datadog-api-client authenticated with an access token (`authMethods: { AuthZ:
// { accessToken } }`, which 1.64 sends as `Authorization: Bearer <token>` and nothing else): the whole flow
// with a seeded personal access token, a read-only service access token's 403, an open-mode token's org of
// its own, and the bearer token deciding when DD_API_KEY/DD_APP_KEY from the environment come along.
import t from 'tap';
import { client } from '@datadog/datadog-api-client';
import { matchesSchema, startServer } from '../helpers';
import { datadogClient } from './datadog-client';

const PAT = 'ddpat_syncmock_personal_access_token';
const READ_ONLY_SAT = 'ddsat_syncmock_read_only_service_token';
const SEEDED_CONFIG = '11111111-2222-3333-4444-555555555555';

const gwsSecrets = {
  adminEmail: 'admin@example.com',
  serviceAccountJson: { clientEmail: 'svc@my-project.iam.gserviceaccount.com', privateKey: 'key', projectId: 'my-project', type: 'service_account' },
};
const createBody = (name: string) => ({
  data: { type: 'integration_config' as const, attributes: { domain: 'siem-test.com', integrationType: 'GOOGLE_WORKSPACE' as const, name, secrets: gwsSecrets } },
});
const failure = (e: unknown) => e as client.ApiException<{ errors: string[] }>;

t.test('AuthZ with a seeded personal access token: create → get → list → update → validate → delete → 404', async (t) => {
  const server = await startServer(t);
  const dd = datadogClient(server.url, { AuthZ: { accessToken: PAT } });
  const { api } = dd;

  const listed = await api.listSecurityMonitoringIntegrationConfigs();
  t.same(listed.data!.map((c) => c.id), [SEEDED_CONFIG], 'the token\'s org is the seeded org, with its example config');
  const created = await api.createSecurityMonitoringIntegrationConfig({ body: createBody('Via AuthZ') });
  const id = created.data!.id!;
  t.equal(created.data!.attributes!.state, 'valid');
  t.equal((await api.getSecurityMonitoringIntegrationConfig({ integrationConfigId: id })).data!.attributes!.name, 'Via AuthZ');
  t.same((await api.listSecurityMonitoringIntegrationConfigs({ filterIntegrationType: 'GOOGLE_WORKSPACE' })).data!.map((c) => c.id).sort(), [SEEDED_CONFIG, id].sort());
  const updated = await api.updateSecurityMonitoringIntegrationConfig({
    integrationConfigId: id,
    body: { data: { type: 'integration_config', attributes: { integrationType: 'GOOGLE_WORKSPACE', name: 'Renamed', enabled: false } } },
  });
  t.equal(updated.data!.attributes!.name, 'Renamed');
  t.equal(updated.data!.attributes!.enabled, false);
  await api.validateSecurityMonitoringIntegrationCredentials({
    body: { data: { type: 'integration_config', attributes: { domain: 'siem-test.com', integrationType: 'GOOGLE_WORKSPACE', secrets: gwsSecrets } } },
  });
  await api.validateSecurityMonitoringIntegrationConfig({ integrationConfigId: id });
  await api.deleteSecurityMonitoringIntegrationConfig({ integrationConfigId: id });
  const gone = failure(await api.getSecurityMonitoringIntegrationConfig({ integrationConfigId: id }).catch((e: unknown) => e));
  t.ok(gone instanceof client.ApiException);
  t.equal(gone.code, 404);

  // What went over the wire: the bearer token alone, and the key pair's org sees the same configs.
  t.equal(dd.responses.length, 9, 'nine calls');
  for (const r of dd.responses) {
    const names = Object.keys(r.requestHeaders).map((h) => h.toLowerCase());
    t.equal(r.requestHeaders.Authorization, `Bearer ${PAT}`, `${r.method} ${r.url}: Authorization: Bearer`);
    t.notOk(names.includes('dd-api-key') || names.includes('dd-application-key'), 'and no key headers');
  }
  const byKeys = await datadogClient(server.url).api.listSecurityMonitoringIntegrationConfigs();
  t.same(byKeys.data!.map((c) => c.id), [SEEDED_CONFIG], 'the seeded key pair shares the org');
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
