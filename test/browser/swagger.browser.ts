// Swagger UI at /docs in Debian's Chromium: its Authorize dialog for each vendor, then "Try it out" calls
// this server with what was entered; and its link to the dashboard.
import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import { PREFIX } from '../datadog/dd';
import { http, startServer } from '../helpers';
import { admin } from '../control/admin';
import { CLIENTS, SOURCE_ID } from '../sailpoint/sp';
import { launchChromium } from './chromium';

const SAILPOINT_DOC = 'SailPoint Identity Security Cloud source attribute sync config (syncmock)';

let browserPromise: ReturnType<typeof launchChromium> | undefined;
const browser = () => (browserPromise ??= launchChromium(t));

async function openDocs(t: Test, url: string, definition?: string): Promise<Page> {
  const context = await (await browser()).newContext({ viewport: { width: 1300, height: 900 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await page.goto(`${url}/docs`);
  await page.locator('.information-container .title').waitFor();
  if (definition !== undefined) {
    await page.locator('.topbar select').selectOption({ label: definition });
    await page.locator('.information-container .title', { hasText: definition }).waitFor();
  }
  return page;
}

/** Expands an operation, fills its path parameter if any, executes it and returns the status shown. */
async function tryItOut(page: Page, method: string, path: string, id?: string): Promise<string> {
  const op = page.locator(`.opblock-${method}`).filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) }).first();
  await op.locator('.opblock-summary').click();
  await op.getByRole('button', { name: 'Try it out' }).click();
  if (id !== undefined) await op.locator('input[placeholder="id"]').fill(id);
  await op.getByRole('button', { name: 'Execute' }).click();
  return op.locator('.live-responses-table tbody .response-col_status').first().innerText();
}

t.test('/docs links the dashboard', async (t) => {
  const server = await startServer(t);
  const page = await openDocs(t, server.url);
  const link = page.locator('.information-container a', { hasText: '/__admin/ui' });
  t.equal(await link.getAttribute('href'), '/__admin/ui');
  const [dashboard] = await Promise.all([page.context().waitForEvent('page'), link.click()]); // target=_blank: a new tab
  await dashboard.locator('#overview .facts').waitFor();
  t.pass('and the link opens it');
});

t.test('Datadog: Authorize with the API key and the application key, then try a call', async (t) => {
  const server = await startServer(t);
  const page = await openDocs(t, server.url);
  await page.locator('.auth-wrapper .authorize').click();
  const apiKey = page.locator('.auth-container', { hasText: 'DD-API-KEY' });
  await apiKey.locator('input').fill(server.datadog.apiKey);
  await apiKey.getByRole('button', { name: 'Apply credentials' }).click();
  const appKey = page.locator('.auth-container', { hasText: 'DD-APPLICATION-KEY' });
  await appKey.locator('input').fill(server.datadog.appKey);
  await appKey.getByRole('button', { name: 'Apply credentials' }).click();
  await page.locator('.modal-ux .btn-done').first().click();

  t.equal(await tryItOut(page, 'get', PREFIX), '200');
  const [entry] = (await admin(server.url)('GET', '/requests?vendor=datadog')).json.requests;
  t.match(entry, { org: 'syncmock-org-1', method: 'GET', path: PREFIX, status: 200 }, 'the call carried the seeded org\'s keys');
});

t.test('SailPoint: a token pasted as a bearer token', async (t) => {
  const server = await startServer(t);
  const page = await openDocs(t, server.url, SAILPOINT_DOC);
  const token = (await http(`${server.url}/oauth/token`, {
    method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENTS.admin.id, client_secret: CLIENTS.admin.secret }),
  })).json.access_token as string;
  await page.locator('.auth-wrapper .authorize').click();
  const bearer = page.locator('.auth-container', { hasText: 'bearerAuth' });
  await bearer.locator('input').fill(token);
  await bearer.getByRole('button', { name: 'Apply credentials' }).click();
  await page.locator('.modal-ux .btn-done').first().click();
  t.equal(await tryItOut(page, 'get', '/beta/sources/{id}/attribute-sync-config', SOURCE_ID), '200');
});

// Swagger UI's clientCredentials flow sends the client id and secret as HTTP Basic (RFC 6749 §2.3.1) and
// offers no other choice: this passes once /oauth/token accepts Basic client authentication (issue 11).
t.test('SailPoint: Authorize with OAuth2 client credentials, then try a call', async (t) => {
  const server = await startServer(t);
  const page = await openDocs(t, server.url, SAILPOINT_DOC);
  await page.locator('.auth-wrapper .authorize').click();
  const oauth = page.locator('.auth-container', { hasText: 'userAuth (OAuth2, clientCredentials)' });
  await oauth.getByLabel('client_id:').fill(CLIENTS.admin.id);
  await oauth.getByLabel('client_secret:').fill(CLIENTS.admin.secret);
  await oauth.getByText('sp:scopes:all', { exact: true }).click();
  await oauth.getByRole('button', { name: 'Apply given OAuth2 credentials' }).click();
  const outcome = oauth.getByRole('button', { name: 'Remove authorization' }).or(oauth.locator('.errors'));
  await outcome.first().waitFor();
  t.equal(await oauth.locator('.errors').count(), 0, 'no error from the token endpoint', { errors: await oauth.locator('.errors').allInnerTexts() });
  const [tokenCall] = (await admin(server.url)('GET', '/requests?path=/oauth/token')).json.requests;
  t.match(tokenCall, { method: 'POST', status: 200, request: { headers: { authorization: '[redacted]' } } }, 'Swagger UI got a token, with HTTP Basic', { tokenCall });
  await page.locator('.modal-ux .btn-done').first().click();
  t.equal(await tryItOut(page, 'get', '/beta/sources/{id}/attribute-sync-config', SOURCE_ID), '200');
});
