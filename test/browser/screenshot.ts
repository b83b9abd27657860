// `npm run screenshot`: docs/dashboard.png, the picture in README, taken from a server with a little traffic.
// A tap file so that it runs through the same TypeScript loader and Chromium set-up as the browser tests.
import path from 'node:path';
import t from 'tap';
import { datadogClient } from '../sdk/datadog-client';
import { datadog } from '../datadog/dd';
import { http, startServer } from '../helpers';
import { admin } from '../control/admin';
import { CLIENTS, SOURCE_ID } from '../sailpoint/sp';
import { repoRoot } from '../spawn';
import { launchChromium } from './chromium';
import { openDashboard } from './dashboard-page';

const OUT = path.join(repoRoot, 'docs', 'dashboard.png');

t.test('the dashboard with some traffic', async (t) => {
  const server = await startServer(t);
  const recorded = await openDashboard(t, await launchChromium(t), server.url, { width: 1440, height: 960 });
  const { page } = recorded;
  await page.locator('#live', { hasText: /^live$/ }).waitFor();

  const { api } = datadogClient(server.url);
  await api.createSecurityMonitoringIntegrationConfig({
    body: { data: { type: 'integration_config', attributes: { integrationType: 'OKTA', domain: 'example.okta.com', name: 'Okta production', secrets: { apiToken: 'x' } } } },
  });
  const token = (await http(`${server.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENTS.admin.id, client_secret: CLIENTS.admin.secret }) })).json.access_token;
  const sourceUrl = `${server.url}/beta/sources/${SOURCE_ID}/attribute-sync-config`;
  const config = (await http(sourceUrl, { headers: { authorization: `Bearer ${token}` } })).json;
  config.attributes[3].enabled = true;
  await http(sourceUrl, { method: 'PUT', json: config, headers: { authorization: `Bearer ${token}` } });
  await admin(server.url)('POST', '/faults', { vendor: 'datadog', method: 'GET', status: 503, times: 2 });
  await datadog(server.url, server.datadog.apiKey, server.datadog.appKey).call('GET');
  await datadog(server.url, 'someone-else').call('GET', '/not-a-config');

  await page.locator('#journal li').nth(5).waitFor();
  await page.locator('#journal li summary').nth(5).click(); // the Datadog create, opened
  await page.waitForTimeout(300); // let the last refresh paint
  await page.screenshot({ path: OUT });
  t.pass(`wrote ${path.relative(repoRoot, OUT)}`);
});
