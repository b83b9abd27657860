// The dashboard in Debian's Chromium against a listening syncmock: what it shows, how fast it follows
// what clients do, what it changes, the admin token, and that no secret reaches its DOM or its network.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import t, { type Test } from 'tap';
import { datadogClient } from '../sdk/datadog-client';
import { datadog, PREFIX } from '../datadog/dd';
import type { StartOptions } from '../../src/index';
import { http, startServer, type TestServer } from '../helpers';
import { admin } from '../control/admin';
import { CLIENTS, SOURCE_ID, TENANT_1 } from '../sailpoint/sp';
import { launchChromium } from './chromium';
import { openDashboard, type RecordedPage } from './dashboard-page';

const SEEDED_CONFIG = '11111111-2222-3333-4444-555555555555';
/** How long the page may take to show a change made elsewhere (the bound). */
const LIVE_MS = 2000;

let browserPromise: ReturnType<typeof launchChromium> | undefined;
const browser = () => (browserPromise ??= launchChromium(t));

/** Asserts that none of the values appears in the page's DOM or in any answer it received. */
async function noSecrets(t: Test, recorded: RecordedPage, secrets: string[]): Promise<void> {
  const dom = await recorded.domText();
  const network = recorded.networkText();
  t.match(network, '"dd-api-key":"[redacted]"', 'the recording holds the journal stream (so the search below can fail)');
  for (const secret of secrets) {
    t.notOk(dom.includes(secret), `${secret} is not in the DOM`);
    t.notOk(network.includes(secret), `${secret} is not in any answer the page received`);
  }
}

/**
 * The rules the control API sets for browsers: every write carries a JSON body (a content type a cross-site
 * page cannot send without a preflight), and the page talks to its own origin only.
 */
function writesFollowTheRules(t: Test, recorded: RecordedPage, origin: string): void {
  const writes = recorded.requests.filter((r) => r.method !== 'GET');
  t.ok(writes.length > 0, `the page made ${writes.length} writes`);
  for (const r of writes) t.match(r.headers['content-type'], /^application\/json/, `${r.method} ${new URL(r.url).pathname} sends JSON`);
  t.same(recorded.requests.filter((r) => !r.url.startsWith(`${origin}/`) && !r.url.startsWith('blob:')), [], 'every request goes to its own origin');
}

async function live(recorded: RecordedPage): Promise<void> {
  await recorded.page.locator('#live', { hasText: /^live$/ }).waitFor();
}

/** A server and a recorded tab on its dashboard; `live`: once the journal stream is connected. */
async function setUp(t: Test, opts: { server?: StartOptions; viewport?: { width: number; height: number }; live?: boolean } = {}) {
  const server = await startServer(t, opts.server);
  const recorded = await openDashboard(t, await browser(), server.url, opts.viewport);
  if (opts.live) await live(recorded);
  return { server, recorded, page: recorded.page };
}

/** A Datadog API client with its own org (open mode), and a create through it. */
async function createConfig(server: TestServer, apiKey: string, appKey: string, name: string, secret: string) {
  const { api } = datadogClient(server.url, { apiKeyAuth: apiKey, appKeyAuth: appKey });
  return api.createSecurityMonitoringIntegrationConfig({
    body: { data: { type: 'integration_config', attributes: { integrationType: 'OKTA', domain: 'browser.example.com', name, secrets: { apiToken: secret } } } },
  });
}

t.test('the seeded config and the seeded SailPoint source are shown', async (t) => {
  const { server, page } = await setUp(t);
  const seeded = page.locator('#datadog tr', { hasText: SEEDED_CONFIG });
  await seeded.waitFor();
  t.same(await seeded.locator('td').allInnerTexts(),
    [SEEDED_CONFIG, 'GOOGLE_WORKSPACE', 'My GWS Integration', 'siem-test.com', 'yes', 'valid', 'set', '2026-05-01T12:00:00Z\n2026-05-01T12:00:00Z']);
  t.match(await page.locator('#datadog').innerText(), /Org syncmock-org-1/);
  const tenant = page.locator('#sailpoint article', { hasText: `Tenant ${TENANT_1}` });
  const source = tenant.locator('.source', { hasText: SOURCE_ID });
  t.match(await source.locator('h4').innerText(), /HR Active Directory/);
  t.same(await source.locator('tbody tr').first().locator('td').allInnerTexts(), ['email', 'Email', 'mail', 'yes']);
  t.same(await source.locator('tbody tr').nth(1).locator('td').allInnerTexts(), ['firstname', 'First Name', 'givenName', 'no']);
  const overview = await page.locator('#overview').innerText();
  t.match(overview, /Auth mode\s+open/);
  t.match(overview, /Datadog revision\s+2026-06 \(also served: 2026-08\)/);
  t.match(overview, /2 orgs, 1 integration configs/);
  t.match(overview, /2 tenants, 4 sources/);
  t.match(overview, /datadog\s+\/api\s/, 'each vendor\'s prefixes');
  t.match(overview, /sailpoint\s+\/beta\s+\/v3\s+\/v2024/);
  t.match(overview, /Clock\s+real/);
  t.equal(await page.locator('#version').innerText(), (await admin(server.url)('GET', '/health')).json.version);
});

t.test('a config created with the Datadog client appears within 2 s, and its request in the live journal', async (t) => {
  const { server, recorded, page } = await setUp(t, { live: true });
  const apiKey = 'browser-api-key-6d0c';
  const appKey = 'browser-app-key-1f9a';
  const secret = 'browser-secret-value-77e2';
  const created = await createConfig(server, apiKey, appKey, 'Created in the browser test', secret);
  const started = Date.now();
  await page.locator('#datadog tr', { hasText: created.data!.id }).waitFor({ timeout: LIVE_MS });
  const entry = page.locator('#journal li', { hasText: `POST ${PREFIX}` });
  await entry.waitFor({ timeout: Math.max(1, LIVE_MS - (Date.now() - started)) });
  t.pass(`shown ${Date.now() - started} ms after the create answered, without reload`);
  t.match(await entry.locator('summary').innerText(), /^200 POST \/api\/v2\/security_monitoring\/configuration\/integration_config datadog · org org-/);

  await entry.locator('summary').click();
  const exchange = await entry.locator('.exchange').innerText();
  t.match(exchange, /dd-api-key: \[redacted\]/);
  t.match(exchange, /"secrets": "\[redacted\]"/);
  t.match(exchange, /"name": "Created in the browser test"/);

  await entry.getByRole('button', { name: 'Copy as curl' }).click();
  const curl = await entry.locator('pre.curl').innerText();
  t.match(curl, /^# set first: DD_API_KEY, DD_APPLICATION_KEY, SECRETS \(in the body: JSON values\)\ncurl -X POST "http:\/\/127\.0\.0\.1:\d+\/api\/v2\//);
  // The command as a user would run it (the server is in this process: not execFileSync): it creates a
  // config in the same org.
  const { stdout: out } = await promisify(execFile)('bash', ['-c', `${curl} --silent --write-out '\\n%{http_code}'`], {
    env: { PATH: process.env.PATH, DD_API_KEY: apiKey, DD_APPLICATION_KEY: appKey, SECRETS: JSON.stringify({ api_token: 'from-curl' }) },
    encoding: 'utf8',
  });
  t.equal(out.split('\n').at(-1), '200', 'the copied curl command works once its variables are set');
  const [org] = Object.values((await admin(server.url)('GET', `/state?api_key=${apiKey}`)).json.datadog.orgs) as any[];
  t.equal(org.integration_configs.length, 2, 'in the same org');

  await noSecrets(t, recorded, [apiKey, appKey, secret]);
});

t.test('a fault added in the page makes the next API call answer that status; delete removes it', async (t) => {
  const { server, recorded, page } = await setUp(t, { live: true });
  const form = page.locator('#faults form');
  await form.getByLabel('Vendor').selectOption('datadog');
  await form.getByLabel('Method').selectOption('GET');
  await form.getByLabel('Status').fill('503');
  await form.getByLabel('Times').fill('1');
  await form.getByRole('button', { name: 'Add fault' }).click();
  await page.locator('#notice', { hasText: /^Fault .+ added$/ }).waitFor();
  const [rule] = (await admin(server.url)('GET', '/faults')).json.faults;
  t.match(rule, { vendor: 'datadog', method: 'GET', status: 503, times: 1, hits: 0 });
  const row = page.locator('#faults tr', { hasText: rule.id });
  t.match(await row.innerText(), /datadog · GET\s+status 503\s+0\s+1/);

  const dd = datadog(server.url);
  t.equal((await dd.call('GET')).status, 503, 'the next call answers the fault\'s status');
  t.equal((await dd.call('GET')).status, 200, 'once');
  await row.locator('td').nth(3).filter({ hasText: /^1$/ }).waitFor({ timeout: LIVE_MS });
  t.equal(await row.locator('td').nth(4).innerText(), '0');
  t.pass('its hits and remaining uses follow');

  await row.getByRole('button', { name: `Delete fault ${rule.id}` }).click();
  await page.locator('#faults', { hasText: 'No fault rules.' }).waitFor();
  t.same((await admin(server.url)('GET', '/faults')).json.faults, []);

  // A rule the browser's own checks let through and the control API refuses.
  await form.getByLabel('Status').fill('500');
  await form.getByLabel('Drop connection').check();
  await form.getByRole('button', { name: 'Add fault' }).click();
  await page.locator('#notice.error', { hasText: "Refused (400): Fields 'status' and 'drop' exclude each other: a dropped connection has no status" }).waitFor();
  t.pass('a refused rule shows the control API\'s message');
  writesFollowTheRules(t, recorded, server.url);
});

t.test('a reset from the page, after a confirmation, brings the seed back', async (t) => {
  const { server, recorded, page } = await setUp(t);
  const dd = datadog(server.url, 'syncmock-api-key', 'syncmock-app-key');
  t.equal((await dd.call('DELETE', `/${SEEDED_CONFIG}`)).status, 204);
  await page.locator('#datadog', { hasText: 'Org syncmock-org-1' }).filter({ hasNotText: SEEDED_CONFIG }).waitFor({ timeout: LIVE_MS });

  page.once('dialog', (d) => void d.dismiss());
  await page.getByRole('button', { name: 'Reset all' }).click();
  t.equal((await admin(server.url)('GET', '/overview')).json.vendors.datadog.counts.integration_configs, 0, 'dismissed: nothing reset');

  let question = '';
  page.once('dialog', (d) => { question = d.message(); void d.accept(); });
  await page.getByRole('button', { name: 'Reset all' }).click();
  await page.locator('#datadog tr', { hasText: SEEDED_CONFIG }).waitFor();
  t.match(question, /^Reset everything to the seed/);
  t.match(await page.locator('#notice').innerText(), 'Reset done');

  // One tenant: a changed attribute comes back.
  const token = (await http(`${server.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENTS.admin.id, client_secret: CLIENTS.admin.secret }) })).json.access_token;
  const config = (await http(`${server.url}/beta/sources/${SOURCE_ID}/attribute-sync-config`, { headers: { authorization: `Bearer ${token}` } })).json;
  config.attributes[1].enabled = true;
  t.equal((await http(`${server.url}/beta/sources/${SOURCE_ID}/attribute-sync-config`, { method: 'PUT', json: config, headers: { authorization: `Bearer ${token}` } })).status, 200);
  const firstname = page.locator(`#sailpoint article:has-text("${TENANT_1}") .source:has-text("${SOURCE_ID}") tr`, { hasText: 'givenName' });
  await firstname.filter({ hasText: 'yes' }).waitFor({ timeout: LIVE_MS });
  const state = page.locator('#state');
  await state.getByLabel('Reset one').selectOption('tenant');
  await state.getByLabel('id', { exact: true }).fill(TENANT_1);
  page.once('dialog', (d) => void d.accept());
  await state.getByRole('button', { name: 'Reset', exact: true }).click();
  await firstname.filter({ hasText: 'no' }).waitFor();
  t.pass('the tenant is back to its seed');
  writesFollowTheRules(t, recorded, server.url);
});

t.test('with an admin token the page asks for it once, keeps it for the tab, and works after', async (t) => {
  const token = 'browser-admin-token-4b8e';
  const { server, recorded, page } = await setUp(t, { server: { adminToken: token } });
  const dialog = page.locator('#token-dialog');
  await dialog.waitFor();
  await dialog.getByLabel('Token').fill('a-wrong-token');
  await dialog.getByRole('button', { name: 'Use token' }).click();
  await dialog.getByText('The server refused that token.').waitFor();
  t.pass('a wrong token is refused and asked for again');
  await dialog.getByLabel('Token').fill(token);
  await dialog.getByRole('button', { name: 'Use token' }).click();
  await page.locator('#datadog tr', { hasText: SEEDED_CONFIG }).waitFor();
  await live(recorded);
  t.notOk(await dialog.isVisible(), 'asked once');

  // Writes work with it (JSON content type, bearer token), and the live journal follows.
  await datadog(server.url).call('GET');
  await page.locator('#journal li', { hasText: `GET ${PREFIX}` }).waitFor({ timeout: LIVE_MS });
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Reset all' }).click();
  await page.locator('#notice', { hasText: 'Reset done' }).waitFor();

  await page.reload();
  await page.locator('#datadog tr', { hasText: SEEDED_CONFIG }).waitFor();
  t.notOk(await dialog.isVisible(), 'kept for the tab across a reload');
  t.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage');
  const other = await openDashboard(t, await browser(), server.url);
  await other.page.locator('#token-dialog').waitFor();
  t.pass('another tab asks again');
  await noSecrets(t, recorded, [token]);
  writesFollowTheRules(t, recorded, server.url);
  const reset = recorded.requests.find((r) => r.method === 'POST' && new URL(r.url).pathname === '/__admin/reset');
  t.equal(reset?.headers.authorization, `Bearer ${token}`, 'writes carry the token as a bearer token');
});

t.test('secrets typed or sent anywhere never reach the page; export and import', async (t) => {
  const { server, recorded, page } = await setUp(t, { live: true });
  const apiKey = 'browser-find-key-30f1';
  const appKey = 'browser-find-app-key-c2d5';
  const secret = 'browser-find-secret-9a0b';
  const clientSecret = 'browser-client-secret-e6f3';
  const created = await createConfig(server, apiKey, appKey, 'Find me', secret);
  const tokenAnswer = await http(`${server.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'browser-client', client_secret: clientSecret }) });
  const accessToken = tokenAnswer.json.access_token as string;
  await http(`${server.url}/beta/sources/${SOURCE_ID}/attribute-sync-config`, { headers: { authorization: `Bearer ${accessToken}` } });

  // Find the org by typing its API key: resolved by the control API, then forgotten.
  const datadogSection = page.locator('#datadog');
  await datadogSection.getByLabel('or API key').fill(apiKey);
  await datadogSection.getByRole('button', { name: 'Find org' }).click();
  await datadogSection.locator('p.hint', { hasText: /^Showing org org-/ }).waitFor();
  t.equal(await datadogSection.locator('h3').count(), 1, 'only that org');
  t.match(await datadogSection.locator('tr', { hasText: created.data!.id }).innerText(), /Find me/);
  t.equal(await datadogSection.getByLabel('or API key').inputValue(), '', 'the key is cleared');
  t.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0, 'and not stored');

  // Every journal entry opened, with its curl command.
  for (const summary of await page.locator('#journal li summary').all()) await summary.click();
  for (const button of await page.getByRole('button', { name: 'Copy as curl' }).all()) await button.click();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export state' }).click()]);
  const exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  t.same(exported, (await admin(server.url)('GET', '/state')).json, 'the export is GET /__admin/state');
  t.equal(download.suggestedFilename(), 'syncmock-state.json');

  await noSecrets(t, recorded, [apiKey, appKey, secret, clientSecret, accessToken]);

  // Import a scenario file through the page.
  const scenario = { datadog: { orgs: { 'imported-org': { integration_configs: [{ id: '0c5f3b8e-2a51-4c84-9a55-6d6f0c1c7e21', integration_type: 'OKTA', name: 'Imported in the browser', domain: 'imported.example.com', secrets: { api_token: 'x' } }] } } } };
  await page.locator('#state').getByLabel('State file').setInputFiles({ name: 'scenario.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
  await page.locator('#state').getByRole('button', { name: 'Import' }).click();
  await page.locator('#notice', { hasText: /^Imported \(replace\)/ }).waitFor();
  await datadogSection.getByRole('button', { name: 'Show all' }).click();
  await datadogSection.locator('tr', { hasText: 'Imported in the browser' }).waitFor();
  t.pass('an imported state file shows');
});

t.test('clock, rate limits and forced credential outcomes: shown and changed', async (t) => {
  const { server, recorded, page } = await setUp(t);
  const settings = page.locator('#settings');
  await settings.getByLabel('Freeze at (RFC 3339)').fill('2026-05-01T12:00:00Z');
  await settings.getByRole('button', { name: 'Freeze' }).click();
  await page.locator('#overview', { hasText: 'frozen at 2026-05-01T12:00:00.000Z' }).waitFor();
  await settings.getByLabel('Advance (seconds)').fill('90');
  await settings.getByRole('button', { name: 'Advance' }).click();
  await settings.getByText('Frozen at 2026-05-01T12:01:30.000Z').waitFor();
  t.match((await admin(server.url)('GET', '/clock')).json, { frozen: true, now: '2026-05-01T12:01:30.000Z' });

  await settings.getByLabel('integration_config_write limit').fill('2');
  await settings.getByRole('button', { name: 'Save rate limits' }).click();
  await page.locator('#notice', { hasText: 'Rate limits saved' }).waitFor();
  t.same((await admin(server.url)('GET', '/rate-limits')).json.datadog.integration_config_write, { limit: 2, period_seconds: 60 });

  await settings.getByLabel('Times').fill('2');
  await settings.getByRole('button', { name: 'Force' }).click();
  await settings.getByText('Next checks of any org: invalid, invalid').waitFor();
  t.same((await admin(server.url)('GET', '/datadog/credential-outcome')).json.pending, ['invalid', 'invalid']);
  await settings.getByRole('button', { name: 'Stop forcing' }).click();
  await settings.getByText('No outcome forced for any org').waitFor();
  await settings.getByRole('button', { name: 'Back to real time' }).click();
  await settings.getByText(/^Real time, now/).waitFor();
  t.pass('back to real time');
  writesFollowTheRules(t, recorded, server.url);
});

t.test('journal filters go to the stream; a narrow window and the keyboard work', async (t) => {
  const { server, page } = await setUp(t, { viewport: { width: 380, height: 800 }, live: true });
  const dd = datadog(server.url);
  await dd.call('GET');
  await http(`${server.url}/beta/sources/${SOURCE_ID}/attribute-sync-config`); // 401, SailPoint
  const journal = page.locator('#journal');
  await journal.locator('li').nth(1).waitFor();
  await journal.getByLabel('Vendor').selectOption('sailpoint');
  await journal.locator('li').first().filter({ hasText: '/beta/sources/' }).waitFor();
  t.equal(await journal.locator('li').count(), 1, 'only the SailPoint entry');
  await journal.getByLabel('Vendor').selectOption('');
  await journal.getByLabel('Status').selectOption('2xx');
  await journal.locator('li').first().filter({ hasText: `GET ${PREFIX}` }).waitFor();
  t.equal(await journal.locator('li').count(), 1, 'only the 2xx entry');
  await journal.getByLabel('Path').fill('/nope/**');
  await page.locator('#journal li').first().waitFor({ state: 'detached' });
  await journal.getByLabel('Path').fill('[');
  await journal.getByText(/^Stream refused: /).waitFor();
  t.pass('a filter the server refuses says why');

  t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling at 380 px');
  // Keyboard only, from a fresh load: the skip link first, then an entry opens with Enter.
  await page.reload();
  await page.keyboard.press('Tab');
  t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
  const summary = journal.locator('li summary').first();
  await summary.waitFor();
  await summary.focus();
  await page.keyboard.press('Enter');
  t.ok(await journal.locator('li details').first().evaluate((d) => (d as HTMLDetailsElement).open), 'Enter opens an entry');
});
