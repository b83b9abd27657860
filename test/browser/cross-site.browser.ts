// The cross-site and DNS-rebinding cases as a browser makes them (Debian's Chromium, driven by
// playwright-core): a page on another site sends what it may without asking (no-cors fetch, a text/plain form,
// each marked Sec-Fetch-Site: cross-site by the browser) and is refused; a preflighted call fails in the
// browser; a page at a name resolving to 127.0.0.1 (what a rebound page is) reaches neither the docs nor the
// control API; a page syncmock serves itself can change state. Self-contained: its own page server and browser.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { chromium, type Browser } from 'playwright-core';
import { startServer, http as fetchJson } from '../helpers';

const CHROMIUM = process.env.SYNCMOCK_CHROMIUM ?? '/usr/bin/chromium';

async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set SYNCMOCK_CHROMIUM)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // evil.example and rebind.example resolve to this machine, as an attacker's DNS makes them.
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--host-resolver-rules=MAP evil.example 127.0.0.1, MAP rebind.example 127.0.0.1'],
  });
  t.teardown(() => browser.close());
  return browser;
}

/** A site of its own (another port: another origin), serving one empty page. */
async function evilSite(): Promise<number> {
  const site = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>evil</title>'));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise((resolve) => site.close(resolve)));
  return (site.address() as AddressInfo).port;
}

t.test('in Chromium: another site cannot reset syncmock, a rebound page reaches nothing, syncmock\'s own pages can', async (t) => {
  const server = await startServer(t);
  const admin = (path: string) => fetchJson(`${server.url}/__admin${path}`);
  const fault = await fetchJson(`${server.url}/__admin/faults`, { method: 'POST', json: { path: '/nowhere', status: 503 } });
  t.equal(fault.status, 201, 'a fault rule that a reset would remove');
  const browser = await launch();
  const page = await (await browser.newContext()).newPage();

  await page.goto(`http://evil.example:${await evilSite()}/`);
  const target = `http://127.0.0.1:${server.port}/__admin/reset`;
  const outcome = await page.evaluate(async (url) => {
    const noCors = await Promise.all([
      fetch(url, { method: 'POST', mode: 'no-cors', body: 'x' }),
      fetch(url, { method: 'POST', mode: 'no-cors' }),
    ]).then((answers) => answers.map((a) => a.type));
    const preflighted = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' } })
      .then((a) => `answered ${a.status}`, (err: Error) => `refused by the browser: ${err.name}`);
    return { noCors, preflighted };
  }, target);
  t.same(outcome.noCors, ['opaque', 'opaque'], 'the no-cors posts were sent (their answers unreadable to the page)');
  t.equal(outcome.preflighted, 'refused by the browser: TypeError', 'a JSON post needs a preflight, which is not granted');
  await page.setContent(`<form method="post" enctype="text/plain" action="${target}"><input name="a" value="b"></form>`);
  const [formAnswer] = await Promise.all([page.waitForNavigation(), page.evaluate(() => document.forms[0].submit())]);
  t.equal(formAnswer?.status(), 403, 'a text/plain form post: 403');
  const refusals = server.logs().split('\n').filter((line) => line.includes('"method":"POST"') && line.includes('"url":"/__admin/reset"')
    && line.includes('"statusCode":403'));
  t.equal(refusals.length, 3, 'syncmock saw the two no-cors posts and the form, and refused each (the preflight too, not counted)');
  t.equal((await admin('/faults')).json.faults.length, 1, 'the fault rule is still there: nothing was reset');

  const rebound = await page.goto(`http://rebind.example:${server.port}/openapi/control.json`);
  t.equal(rebound?.status(), 403, 'a rebound page cannot read the docs');
  t.match(await page.textContent('body'), /--allowed-hosts rebind\.example/);
  const reboundReset = await page.evaluate(async () => (await fetch('/__admin/reset', { method: 'POST', headers: { 'content-type': 'application/json' } })).status);
  t.equal(reboundReset, 403, 'nor reset it, though to the browser the call is same-origin');
  t.equal((await admin('/faults')).json.faults.length, 1, 'still nothing reset');

  await page.goto(`${server.url}/docs`);
  const own = await page.evaluate(async () => (await fetch('/__admin/reset', { method: 'POST' })).status);
  t.equal(own, 200, 'syncmock\'s own page (Sec-Fetch-Site: same-origin): even a bare post resets');
  t.equal((await admin('/faults')).json.faults.length, 0, 'and the reset happened');
});
