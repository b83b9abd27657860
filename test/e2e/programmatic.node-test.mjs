// syncmock used the way a project's own test suite would: plain node:test, `import ... from 'syncmock'`
// (the package resolves to its built dist), and the official Datadog client pointed at it.
// Run by test/e2e/programmatic.test.ts; on its own: npm run build && node --test test/e2e/programmatic.node-test.mjs
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client, v2 } from '@datadog/datadog-api-client';
import { startSyncmock } from 'syncmock';

let syncmock;
before(async () => {
  syncmock = await startSyncmock();
});
after(() => syncmock.close());

function datadogApi() {
  const configuration = client.createConfiguration({
    baseServer: new client.BaseServerConfiguration(syncmock.datadog.baseUrl, {}),
    authMethods: { apiKeyAuth: syncmock.datadog.apiKey, appKeyAuth: syncmock.datadog.appKey },
  });
  for (const op of ['create', 'get', 'list']) {
    const name = op === 'list' ? 'listSecurityMonitoringIntegrationConfigs' : `${op}SecurityMonitoringIntegrationConfig`;
    configuration.unstableOperations[`v2.${name}`] = true;
  }
  return new v2.SecurityMonitoringApi(configuration);
}

test('startSyncmock picks a free port, an in-memory store and the seed credentials', () => {
  assert.match(syncmock.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(syncmock.port, 8080);
  assert.equal(syncmock.config.db, ':memory:');
  assert.equal(syncmock.datadog.baseUrl, syncmock.url);
  assert.deepEqual([syncmock.datadog.apiKey, syncmock.datadog.appKey], ['syncmock-api-key', 'syncmock-app-key']);
  assert.deepEqual(
    [syncmock.sailpoint.clientId, syncmock.sailpoint.clientSecret],
    ['syncmock-org-admin', 'syncmock-org-admin-secret'],
  );
  assert.equal(syncmock.sailpoint.tokenUrl, `${syncmock.sailpoint.baseUrl}/oauth/token`);
});

test('the official Datadog client creates and reads back a configuration', async () => {
  const api = datadogApi();
  const created = await api.createSecurityMonitoringIntegrationConfig({
    body: {
      data: {
        type: 'integration_config',
        attributes: { integrationType: 'OKTA', name: 'programmatic', domain: 'example.okta.com', secrets: { apiToken: 'okta-token' } },
      },
    },
  });
  const got = await api.getSecurityMonitoringIntegrationConfig({ integrationConfigId: created.data.id });
  assert.equal(got.data.attributes.name, 'programmatic');
});

test('reset() goes back to the seed', async () => {
  const api = datadogApi();
  const before = (await api.listSecurityMonitoringIntegrationConfigs()).data.length;
  await api.createSecurityMonitoringIntegrationConfig({
    body: { data: { type: 'integration_config', attributes: { integrationType: 'OKTA', name: 'gone', domain: 'x.okta.com', secrets: { apiToken: 'okta-token' } } } },
  });
  assert.equal((await api.listSecurityMonitoringIntegrationConfigs()).data.length, before + 1);
  syncmock.reset();
  const names = (await api.listSecurityMonitoringIntegrationConfigs()).data.map((c) => c.attributes.name);
  assert.deepEqual(names, ['My GWS Integration']);
});
