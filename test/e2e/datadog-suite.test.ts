// A test suite written the way a user writes one against syncmock: reset its org before each test, drive
// the official Datadog client, inject an outage, and read the journal to check what was sent.
import t from 'tap';
import { client, v2 } from '@datadog/datadog-api-client';
import { startServer, type TestServer } from '../helpers';

const API_KEY = 'e2e-suite-api-key';
const APP_KEY = 'e2e-suite-app-key';
const MARKER = 'okta-token-marker-e2e-4a91';
const PREFIX = '/api/v2/security_monitoring/configuration/integration_config';
const OPERATIONS = [
  'createSecurityMonitoringIntegrationConfig', 'getSecurityMonitoringIntegrationConfig', 'listSecurityMonitoringIntegrationConfigs',
  'deleteSecurityMonitoringIntegrationConfig',
];

let server: TestServer;

const control = async (method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: any }> => {
  const res = await fetch(`${server.url}/__admin${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.clone().text(), json: await res.json() };
};

function securityMonitoring(): v2.SecurityMonitoringApi {
  const configuration = client.createConfiguration({
    baseServer: new client.BaseServerConfiguration(server.url, {}),
    authMethods: { apiKeyAuth: API_KEY, appKeyAuth: APP_KEY },
    // One retry; how long it waits is what the answer's X-RateLimit-Reset says (the fault below says 1 s).
    enableRetry: true,
    maxRetries: 1,
  });
  for (const op of OPERATIONS) configuration.unstableOperations[`v2.${op}`] = true;
  return new v2.SecurityMonitoringApi(configuration);
}

const oktaConfig = (name: string): v2.SecurityMonitoringApiCreateSecurityMonitoringIntegrationConfigRequest => ({
  body: {
    data: {
      type: 'integration_config',
      attributes: { integrationType: 'OKTA', name, domain: 'example.okta.com', secrets: { apiToken: MARKER } },
    },
  },
});

t.before(async () => {
  server = await startServer(t);
});

t.beforeEach(async () => {
  const reset = await control('POST', `/reset?api_key=${API_KEY}`);
  if (reset.status !== 200) throw new Error(`reset failed: ${reset.text}`);
});

t.test('a create that meets a 503 succeeds on the client\'s retry, and the journal shows both attempts', async (t) => {
  const dd = securityMonitoring();
  const fault = await control('POST', '/faults', {
    api_key: API_KEY, method: 'POST', path: PREFIX, status: 503, times: 1, retry_after_seconds: 1,
  });
  t.equal(fault.status, 201);

  const created = await dd.createSecurityMonitoringIntegrationConfig(oktaConfig('Okta via retry'));
  t.equal(created.data?.attributes?.name, 'Okta via retry');
  t.equal(created.data?.attributes?.state, 'valid');
  const fetched = await dd.getSecurityMonitoringIntegrationConfig({ integrationConfigId: created.data!.id! });
  t.equal(fetched.data?.id, created.data?.id, 'stored once');

  t.match((await control('GET', '/faults')).json.faults, [{ id: fault.json.id, hits: 1, remaining: 0 }]);

  const journal = await control('GET', `/requests?api_key=${API_KEY}`);
  const [get, retry, first] = journal.json.requests;
  t.equal(journal.json.requests.length, 3, 'the failed create, its retry, the get: nothing else');
  t.match(first, { method: 'POST', path: PREFIX, status: 503, fault: { id: fault.json.id, status: 503 } });
  t.match(retry, { method: 'POST', path: PREFIX, status: 200 });
  t.notOk('fault' in retry);
  t.match(get, { method: 'GET', path: `${PREFIX}/${created.data!.id}`, status: 200 });
  for (const attempt of [first, retry]) {
    t.same(attempt.request.body.data.attributes, {
      integration_type: 'OKTA', name: 'Okta via retry', domain: 'example.okta.com', secrets: '[redacted]',
    }, 'what the client sent, secrets redacted');
    t.equal(attempt.request.headers['dd-api-key'], '[redacted]');
    t.equal(attempt.request.headers['dd-application-key'], '[redacted]');
    t.match(attempt.request.headers['user-agent'], /datadog-api-client-typescript/);
  }
  t.same(first.response.body, { errors: ['Service Unavailable'] });
  t.equal(first.response.headers['x-ratelimit-reset'], '1', 'the wait the client honoured');
  for (const secret of [MARKER, API_KEY, APP_KEY]) t.notOk(journal.text.includes(secret), `${secret} appears nowhere in the journal`);
});

t.test('each test starts from the seed: the previous test\'s config is gone', async (t) => {
  const dd = securityMonitoring();
  const listed = await dd.listSecurityMonitoringIntegrationConfigs();
  t.same(listed.data, []);
  t.same((await control('GET', `/requests?api_key=${API_KEY}`)).json.requests.length, 1, 'and the journal holds only this test\'s call');
});

t.test('an outage longer than the client\'s retries reaches the caller as ApiException 503', async (t) => {
  const dd = securityMonitoring();
  await control('POST', '/faults', { api_key: API_KEY, status: 503, times: 2, retry_after_seconds: 0 });
  const err = await dd.listSecurityMonitoringIntegrationConfigs().then(() => null, (e: unknown) => e);
  t.ok(err instanceof client.ApiException);
  t.equal((err as client.ApiException<string>).code, 503);
  // 503 is not in the operation's spec, so the client hands the body over as text, as it would from Datadog.
  t.match((err as client.ApiException<string>).body, /Unknown API Status Code![\s\S]*\{"errors":\["Service Unavailable"\]\}/);
  t.same((await dd.listSecurityMonitoringIntegrationConfigs()).data, [], 'then the service is back');
});
