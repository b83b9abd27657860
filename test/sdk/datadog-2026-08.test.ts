// The newest official Datadog client (1.64) against revision 2026-08: the full flow for all five
// integration types, and activate / deactivate / getEntraIdAzureAppRegistrations.
import { client, v2 } from '@datadog/datadog-api-client';
import t, { type Test } from 'tap';
import { matchesSchema, startServer } from '../helpers';
import { datadogClient, type DatadogClient } from './datadog-client';

const CONFIG = 'datadog/2026-08/integration-config-response.json';
const CONFIGS = 'datadog/2026-08/integration-configs-response.json';
const REGISTRATIONS = 'datadog/2026-08/entra-id-azure-app-registrations-response.json';
const ERROR = 'datadog/error-response.json';

type Type = 'GOOGLE_WORKSPACE' | 'OKTA' | 'ENTRA_ID' | 'CROWDSTRIKE' | 'SENTINELONE';

/**
 * Each type's secrets in the client's (camel-case) model; ENTRA_ID has none. The attribute objects below are
 * plain literals cast to the client's oneOf unions: the client picks the member by `integrationType`.
 */
const SECRETS: Record<Type, Record<string, unknown> | undefined> = {
  GOOGLE_WORKSPACE: {
    adminEmail: 'admin@example.com',
    serviceAccountJson: {
      clientEmail: 'svc@my-project.iam.gserviceaccount.com',
      privateKey: '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
      projectId: 'my-project',
      type: 'service_account',
    },
  },
  OKTA: { apiToken: 'okta-api-token' },
  ENTRA_ID: undefined,
  CROWDSTRIKE: { clientId: 'crowdstrike-client-id', clientSecret: 'crowdstrike-client-secret' },
  SENTINELONE: { apiToken: 'sentinelone-api-token' },
};

/** The ApiException a call raised, its raw body checked against the error schema. */
async function apiError(t: Test, dd: DatadogClient, call: Promise<unknown>, status: number): Promise<string[]> {
  const err = await call.then(() => undefined, (e: unknown) => e);
  t.type(err, client.ApiException, `an ApiException ${status}`);
  t.equal((err as client.ApiException<unknown>).code, status);
  matchesSchema(t, ERROR, dd.lastBody());
  return (dd.lastBody() as { errors: string[] }).errors;
}

t.test('the full flow for each of the five integration types', async (t) => {
  const server = await startServer(t, { datadog: { revision: '2026-08' } });
  const dd = datadogClient(server.url);
  for (const type of Object.keys(SECRETS) as Type[]) {
    t.test(type, async (t) => {
      const secrets = SECRETS[type];
      const domain = `${type.toLowerCase()}.example.com`;

      await dd.api.validateSecurityMonitoringIntegrationCredentials({
        body: { data: { type: 'integration_config', attributes: { domain, integrationType: type, ...(secrets && { secrets }) } as v2.SecurityMonitoringIntegrationCredentialsValidateAttributes } },
      });
      t.equal(dd.responses.at(-1)?.status, 200, 'credentials validated');

      const created = await dd.api.createSecurityMonitoringIntegrationConfig({
        body: { data: { type: 'integration_config', attributes: { domain, integrationType: type, name: `My ${type}`, ...(secrets && { secrets }), settings: { setting1: 'value1' } } as v2.SecurityMonitoringIntegrationConfigCreateAttributes } },
      });
      matchesSchema(t, CONFIG, dd.lastBody());
      const id = created.data.id;
      t.match(created.data.attributes, { domain, integrationType: type, name: `My ${type}`, enabled: true, state: 'valid', settings: { setting1: 'value1' } });
      t.type(created.data.attributes.createdAt, Date);
      t.notOk(JSON.stringify(dd.lastBody()).includes('secret'), 'no secret in the body');

      const got = await dd.api.getSecurityMonitoringIntegrationConfig({ integrationConfigId: id });
      matchesSchema(t, CONFIG, dd.lastBody());
      t.equal(got.data.attributes.integrationType, type);

      const listed = await dd.api.listSecurityMonitoringIntegrationConfigs({ filterIntegrationType: type });
      matchesSchema(t, CONFIGS, dd.lastBody());
      t.ok(listed.data.some((c) => c.id === id), 'listed under its type');
      t.ok(listed.data.every((c) => c.attributes.integrationType === type), 'only its type');

      const updated = await dd.api.updateSecurityMonitoringIntegrationConfig({
        integrationConfigId: id,
        body: { data: { type: 'integration_config', attributes: { integrationType: type, name: `Renamed ${type}`, enabled: false } as v2.SecurityMonitoringIntegrationConfigUpdateAttributes } },
      });
      matchesSchema(t, CONFIG, dd.lastBody());
      t.match(updated.data.attributes, { name: `Renamed ${type}`, enabled: false, domain });

      const otherType: Type = type === 'OKTA' ? 'SENTINELONE' : 'OKTA';
      const errors = await apiError(t, dd, dd.api.updateSecurityMonitoringIntegrationConfig({
        integrationConfigId: id,
        body: { data: { type: 'integration_config', attributes: { integrationType: otherType } as v2.SecurityMonitoringIntegrationConfigUpdateAttributes } },
      }), 400);
      t.match(errors[0], `cannot be changed (it is ${type})`);

      await dd.api.validateSecurityMonitoringIntegrationConfig({ integrationConfigId: id });
      t.equal(dd.responses.at(-1)?.status, 200, 'stored credentials still valid');

      await dd.api.deleteSecurityMonitoringIntegrationConfig({ integrationConfigId: id });
      t.equal(dd.responses.at(-1)?.status, 204);
      const gone = await apiError(t, dd, dd.api.getSecurityMonitoringIntegrationConfig({ integrationConfigId: id }), 404);
      t.match(gone[0], `not_found(Integration config with ID ${id} not found)`);
    });
  }
});

t.test('activate, deactivate and the Entra ID Azure app registrations', async (t) => {
  const server = await startServer(t, { datadog: { revision: '2026-08' } });
  const dd = datadogClient(server.url);

  const before = await dd.api.getEntraIdAzureAppRegistrations();
  matchesSchema(t, REGISTRATIONS, dd.lastBody());
  t.equal(before.data.id, 'syncmock-org-1');
  t.equal(before.data.type, 'entra_id_azure_app_registrations');
  t.equal(before.data.attributes.hasValidPrerequisite, true);
  t.equal(before.data.attributes.isEnabled, false);
  t.equal(before.data.attributes.azureAppRegistrations.length, 2);
  t.match(before.data.attributes.azureAppRegistrations[0], { clientId: '66666666-7777-8888-9999-000000000000', resourceCollectionEnabled: true, subscriptionCount: 3, errorCount: 0 });

  const activated = await dd.api.activateIntegration({ integrationType: 'entra_id' });
  matchesSchema(t, CONFIG, dd.lastBody());
  t.match(activated.data.attributes, { integrationType: 'ENTRA_ID', domain: 'default', enabled: true, state: 'valid' });

  const again = await dd.api.activateIntegration({
    integrationType: 'entra_id',
    body: new v2.SecurityMonitoringIntegrationActivateRequest(),
  });
  matchesSchema(t, CONFIG, dd.lastBody());
  t.equal(again.data.id, activated.data.id, 'idempotent');

  const prerequisites = await dd.api.getEntraIdAzureAppRegistrations();
  matchesSchema(t, REGISTRATIONS, dd.lastBody());
  t.equal(prerequisites.data.attributes.integrationId, activated.data.id);
  t.equal(prerequisites.data.attributes.isEnabled, true);
  t.type(prerequisites.data.attributes.subscribedAt, Date);

  const deactivated = await dd.api.deactivateIntegration({ integrationType: 'entra_id' });
  matchesSchema(t, CONFIG, dd.lastBody());
  t.equal(deactivated.data.id, activated.data.id);
  t.equal(deactivated.data.attributes.enabled, false);
  t.match((await apiError(t, dd, dd.api.deactivateIntegration({ integrationType: 'entra_id' }), 404))[0], 'No active integration config of type ENTRA_ID');

  const reactivated = await dd.api.activateIntegration({
    integrationType: 'entra_id',
    body: { data: { type: 'activate_entra_id_request', attributes: { name: 'My Entra ID Integration' } } },
  });
  matchesSchema(t, CONFIG, dd.lastBody());
  t.match(reactivated.data, { id: activated.data.id, attributes: { enabled: true } });

  t.match((await apiError(t, dd, dd.api.activateIntegration({ integrationType: 'okta' }), 400))[0], "Integration type 'okta' cannot be activated");
  t.match((await apiError(t, dd, dd.api.activateIntegration({ integrationType: 'jumpcloud' }), 404))[0], "Unknown integration type 'jumpcloud'");

  const fresh = datadogClient(server.url, { apiKeyAuth: 'an-open-mode-key', appKeyAuth: 'any-app-key' });
  const open = await fresh.api.activateIntegration({
    integrationType: 'entra_id',
    body: { data: { type: 'activate_entra_id_request', attributes: { domain: 'contoso.onmicrosoft.com', name: 'My Entra ID Integration', settings: { setting1: 'value1' } } } },
  });
  matchesSchema(t, CONFIG, fresh.lastBody());
  t.match(open.data.attributes, { domain: 'contoso.onmicrosoft.com', name: 'My Entra ID Integration', settings: { setting1: 'value1' } });
});

t.test('on a 2026-06 server the client gets a 404 from the Entra ID endpoints', async (t) => {
  const server = await startServer(t);
  const dd = datadogClient(server.url);
  t.match((await apiError(t, dd, dd.api.activateIntegration({ integrationType: 'entra_id' }), 404))[0], 'not_found(No route for POST');
  await apiError(t, dd, dd.api.getEntraIdAzureAppRegistrations(), 404);
});
