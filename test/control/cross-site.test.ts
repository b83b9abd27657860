// Cross-site requests against the control API, under the fetch-metadata rule (src/control/guard.ts): what a
// hostile web page can send without the server's permission (a "simple" request: text/plain, a form, or no
// body; with Sec-Fetch-Site: cross-site or same-site, or from an older browser with its own Origin and no
// Sec-Fetch-Site, or Origin: null) changes nothing and gets a 403 in the control API's shape. Pages served by
// syncmock itself (same origin, as the dashboard and Swagger UI are) and scripts (neither header: curl with no
// body at all) keep working, and --admin-cors opens the control API to the CORS origins on purpose.
import fc from 'fast-check';
import t, { type Test } from 'tap';
import { http, matchesSchema, rawRequest, startServer, type TestServer } from '../helpers';
import { PREFIX, datadog, seedCreateBody } from '../datadog/dd';
import { attrSyncPath } from '../e2e/surfaces';
import { FUZZ_SEED } from '../e2e/random';

const EVIL = 'http://evil.example';
const TEXT = { 'content-type': 'text/plain;charset=UTF-8' };
const JSON_TYPE = { 'content-type': 'application/json' };

/** Everything the control API can change, read back. */
async function controlState(server: TestServer): Promise<string> {
  const views = await Promise.all(['/state', '/faults', '/rate-limits', '/clock', '/datadog/credential-outcome', '/requests?limit=1000']
    .map(async (path) => (await http(`${server.url}/__admin${path}`)).text));
  return views.join('\n');
}

/** Something in every part of the state, and a frozen clock so reading it twice gives the same text. */
async function populate(t: Test, server: TestServer): Promise<{ faultId: string }> {
  const write = (method: string, path: string, json: unknown) => http(`${server.url}/__admin${path}`, { method, json });
  t.equal((await write('POST', '/clock', { freeze_at: '2026-05-01T12:00:00Z' })).status, 200, 'clock frozen');
  const fault = await write('POST', '/faults', { path: '/nowhere', status: 503 });
  t.equal(fault.status, 201, 'a fault rule');
  t.equal((await datadog(server.url, 'cross-site-key').call('POST', '', seedCreateBody())).status, 200, 'a config');
  t.equal((await write('POST', '/datadog/credential-outcome', { outcome: 'invalid', times: 2 })).status, 200, 'a forced outcome');
  t.equal((await write('PUT', '/rate-limits', { datadog: { integration_config_write: { limit: 9 } } })).status, 200, 'a rate limit');
  return { faultId: fault.json.id };
}

/** Every control operation that changes state, from the control API's own OpenAPI document. */
async function writeOperations(server: TestServer, faultId: string): Promise<Array<{ method: string; path: string; body?: unknown }>> {
  const doc = (await http(`${server.url}/openapi/control.json`)).json;
  const bodies: Record<string, unknown> = {
    '/__admin/faults': { status: 500 },
    '/__admin/clock': { real: true },
    '/__admin/state': { datadog: { orgs: {} } },
    '/__admin/rate-limits': { datadog: { integration_config_write: { limit: 1 } } },
    '/__admin/datadog/credential-outcome': { outcome: 'valid' },
  };
  const operations = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(item).filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))) {
      operations.push({ method: method.toUpperCase(), path: path.replace('{id}', faultId), body: method === 'delete' ? undefined : bodies[path] });
    }
  }
  return operations;
}

t.test('a page on another site cannot change anything through the control API', async (t) => {
  const server = await startServer(t);
  const { faultId } = await populate(t, server);
  const before = await controlState(server);
  const operations = await writeOperations(server, faultId);
  t.ok(operations.length >= 10, `${operations.length} state-changing operations`);
  for (const { method, path, body } of operations) {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    // fetch(url, {method, mode: 'no-cors', body}) from http://evil.example: text/plain, with the page's Origin.
    const page = await http(`${server.url}${path}`, { method, headers: { origin: EVIL, 'sec-fetch-site': 'cross-site', ...TEXT }, body: payload });
    t.equal(page.status, 403, `${method} ${path} from another site: 403`);
    matchesSchema(t, 'control/error.json', page.json, `${method} ${path}: the control API's error shape`);
    t.match(page.json.message, /A page on another site \(Sec-Fetch-Site: cross-site\) may not read or change the mock's state/);
    // The same with the Origin stripped (a privacy extension): the browser's fetch metadata gives it away.
    const stripped = await http(`${server.url}${path}`, { method, headers: { 'sec-fetch-site': 'cross-site', ...TEXT }, body: payload });
    t.equal(stripped.status, 403, `${method} ${path} with Sec-Fetch-Site: cross-site and no Origin: 403`);
    // Another port of the same host is the same site, not the same origin.
    const sameSite = await http(`${server.url}${path}`, { method, headers: { 'sec-fetch-site': 'same-site', ...JSON_TYPE }, body: payload });
    t.equal(sameSite.status, 403, `${method} ${path} with Sec-Fetch-Site: same-site: 403`);
    // An older browser sends no fetch metadata, but its Origin.
    const old = await http(`${server.url}${path}`, { method, headers: { origin: EVIL, ...JSON_TYPE }, body: payload });
    t.equal(old.status, 403, `${method} ${path} with a foreign Origin and no Sec-Fetch-Site: 403`);
    t.match(old.json.message, /Origin 'http:\/\/evil\.example' may not call the control API/);
  }
  // A form post, as <form method=post action=…/__admin/reset> sends it.
  const form = await http(`${server.url}/__admin/reset`, {
    method: 'POST', headers: { origin: EVIL, 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b',
  });
  t.equal(form.status, 403, 'a form post: 403');
  const opaque = await http(`${server.url}/__admin/reset`, { method: 'POST', headers: { origin: 'null', ...JSON_TYPE } });
  t.equal(opaque.status, 403, 'Origin: null (a sandboxed frame, a file) without Sec-Fetch-Site: 403');
  const unknownSite = await http(`${server.url}/__admin/reset`, { method: 'POST', headers: { 'sec-fetch-site': 'whatever' } });
  t.equal(unknownSite.status, 403, 'any Sec-Fetch-Site but same-origin and none: 403');
  t.equal(await controlState(server), before, 'nothing changed: state, faults, rate limits, clock, forced outcomes, journal');
});

// Generated: every guarded operation of the control API's document, reads included (the journal stream too:
// a page that filled its readers with <iframe>s locked tests out), against every way a browser marks a page
// on another site. Each is a 403 in the control API's shape and nothing changes; the same operation from the
// page's own origin or from a script is not a 403.
t.test('generated: no page on another site reads or changes anything, on any guarded route and method', async (t) => {
  const server = await startServer(t);
  const { faultId } = await populate(t, server);
  const before = await controlState(server);
  const doc = (await http(`${server.url}/openapi/control.json`)).json;
  const operations: Array<{ method: string; path: string }> = [{ method: 'GET', path: '/__admin/requests/stream' }];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    if (path === '/__admin/health') continue;
    for (const method of Object.keys(item)) operations.push({ method: method.toUpperCase(), path: path.replace('{id}', faultId) });
  }
  t.ok(operations.filter((o) => o.method === 'GET').length >= 6, 'reads are among them');
  const otherPort = `http://127.0.0.1:${server.port + 1}`;
  const site = fc.oneof(fc.constantFrom('cross-site', 'same-site', 'SAME-ORIGIN', '', 'same-origin, cross-site'),
    fc.string({ maxLength: 12 }).filter((s) => s !== 'same-origin' && s !== 'none' && /^[\x21-\x7e]*$/.test(s)));
  const origin = fc.constantFrom(EVIL, 'null', otherPort, 'file://', 'chrome-extension://abc');
  const page = fc.oneof(
    fc.record({ 'sec-fetch-site': site, origin: fc.option(origin, { nil: undefined }) }, { requiredKeys: ['sec-fetch-site'] }),
    fc.record({ origin }),
  );
  await fc.assert(fc.asyncProperty(fc.constantFrom(...operations), page, fc.constantFrom(TEXT, JSON_TYPE, {}), async (op, headers, type) => {
    const sent = Object.fromEntries(Object.entries({ ...headers, ...type }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const res = await http(`${server.url}${op.path}`, { method: op.method, headers: sent, body: op.method === 'GET' || op.method === 'HEAD' ? undefined : '{}' });
    if (res.status !== 403) throw new Error(`${op.method} ${op.path} with ${JSON.stringify(sent)}: ${res.status}`);
    if (op.method !== 'HEAD') matchesSchema(t, 'control/error.json', res.json, `${op.method} ${op.path}: the control shape`);
  }), { seed: FUZZ_SEED, numRuns: 80 });
  t.equal(await controlState(server), before, 'nothing changed');
  for (const op of operations.filter((o) => o.method === 'GET' && o.path !== '/__admin/requests/stream')) {
    for (const headers of [{}, { 'sec-fetch-site': 'same-origin', origin: new URL(server.url).origin }, { 'sec-fetch-site': 'none' }]) {
      t.not((await http(`${server.url}${op.path}`, { headers })).status, 403, `${op.path} with ${JSON.stringify(headers)}: not refused`);
    }
  }
});

t.test('scripts and the server\'s own pages keep working', async (t) => {
  const server = await startServer(t);
  const reset = (headers: Record<string, string>) => http(`${server.url}/__admin/reset`, { method: 'POST', headers });
  t.equal((await reset({})).status, 200, 'curl -X POST …/__admin/reset: no body, no header');
  t.equal((await reset(JSON_TYPE)).status, 200, 'Content-Type: application/json with no body');
  t.equal((await reset(TEXT)).status, 200, 'text/plain from a script: no browser sent it');
  t.equal((await http(`${server.url}/__admin/faults`, { method: 'DELETE' })).status, 204, 'a bare DELETE');
  // A page served by syncmock (the dashboard, Swagger UI): browsers send Origin on every POST, its own.
  const own = new URL(server.url).origin;
  t.equal((await reset({ origin: own, 'sec-fetch-site': 'same-origin', ...JSON_TYPE })).status, 200, 'same origin, as a browser marks it');
  t.equal((await reset({ origin: own, ...JSON_TYPE })).status, 200, 'same origin, from an older browser');
  t.equal((await reset({ 'sec-fetch-site': 'none' })).status, 200, 'Sec-Fetch-Site: none (the user typed or bookmarked it)');
  const viaLocalhost = await rawRequest(server.url, {
    method: 'POST', path: '/__admin/reset', headers: { host: `localhost:${server.port}`, origin: `http://localhost:${server.port}`, ...JSON_TYPE },
  });
  t.equal(viaLocalhost.status, 200, 'same origin through another allowed name');
  const otherPort = await rawRequest(server.url, {
    method: 'POST', path: '/__admin/reset', headers: { origin: `http://127.0.0.1:${server.port + 1}`, ...JSON_TYPE },
  });
  t.equal(otherPort.status, 403, 'another port is another origin');
  const read = await http(`${server.url}/__admin/state`, { headers: { origin: EVIL } });
  t.equal(read.status, 403, 'reads from another site are refused too');
  t.equal((await http(`${server.url}/__admin/state`, { headers: { 'sec-fetch-site': 'same-origin' } })).status, 200, 'a same-origin read');
  t.equal((await http(`${server.url}/__admin/state`, { headers: { 'sec-fetch-site': 'none' } })).status, 200, 'a read typed in the address bar');
  t.equal((await http(`${server.url}/__admin/ui/`, { headers: { 'sec-fetch-site': 'cross-site' } })).status, 200,
    'the dashboard\'s page opens from a link on another site (it holds no state and may not be framed)');
  const health = await http(`${server.url}/__admin/health`, { headers: { origin: EVIL } });
  t.equal(health.status, 200, 'health answers anyone');
  t.equal(health.headers.get('access-control-allow-origin'), null, '(without granting the page a read)');
});

t.test('with an admin token, a missing or wrong token is a 401 whatever the other headers', async (t) => {
  const server = await startServer(t, { adminToken: 'cross-site-admin-token' });
  const call = (headers: Record<string, string>) => http(`${server.url}/__admin/reset`, { method: 'POST', headers });
  t.equal((await call({ authorization: 'Bearer cross-site-admin-token' })).status, 200, 'the token alone');
  t.equal((await call({})).status, 401, 'nothing: 401');
  t.equal((await call({ origin: EVIL, 'sec-fetch-site': 'cross-site' })).status, 401, 'no token, from another site: 401');
  t.equal((await call({ authorization: 'Bearer wrong' })).status, 401, 'a wrong token: 401');
  t.equal((await call({ origin: EVIL, 'sec-fetch-site': 'cross-site', authorization: 'Bearer cross-site-admin-token' })).status, 403,
    'the token from another site: 403');
});

t.test('--admin-cors opens the control API to the CORS origins, and only to them', async (t) => {
  const app = 'http://localhost:5173';
  const listed = await startServer(t, { cors: { origins: [app], admin: true } });
  const call = (server: TestServer, origin: string) => http(`${server.url}/__admin/reset`, { method: 'POST', headers: { origin, ...JSON_TYPE } });
  const granted = await call(listed, app);
  t.equal(granted.status, 200, 'a listed origin');
  t.equal(granted.headers.get('access-control-allow-origin'), app);
  t.equal((await call(listed, EVIL)).status, 403, 'another origin');
  const notAdmin = await startServer(t, { cors: { origins: [app] } });
  t.equal((await call(notAdmin, app)).status, 403, 'a CORS origin without --admin-cors');
  const everyone = await startServer(t, { cors: { admin: true } });
  t.equal((await call(everyone, EVIL)).status, 200, '--admin-cors with --cors-origin *: any origin, on purpose');
  t.match(everyone.logs(), /--admin-cors with --cors-origin \* \(the default\): any web page/, 'and a warning at start says so');
  t.notMatch(listed.logs(), /--admin-cors with --cors-origin \*/, 'named origins: no warning');
});

t.test('the emulated APIs answer page-like writes as the vendors do, and frontends the CORS settings allow keep working', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url, 'frontend-key');
  const before = (await dd.call('GET')).json.data.length;
  const page = await http(`${server.url}${PREFIX}`, { method: 'POST', headers: { origin: EVIL, ...TEXT }, body: JSON.stringify(seedCreateBody()) });
  t.equal(page.status, 403, 'Datadog: a simple request carries no keys');
  matchesSchema(t, 'datadog/error-response.json', page.json);
  const sailpoint = await http(`${server.url}${attrSyncPath()}`, { method: 'PUT', headers: { origin: EVIL, ...TEXT }, body: '{}' });
  t.equal(sailpoint.status, 401, 'SailPoint: no token');
  const frontend = await http(`${server.url}${PREFIX}`, {
    method: 'POST', headers: { origin: 'http://localhost:5173', ...dd.headers }, json: seedCreateBody(),
  });
  t.equal(frontend.status, 200, 'a frontend with keys and JSON (preflighted, granted by --cors-origin *)');
  t.equal(frontend.headers.get('access-control-allow-origin'), '*');
  t.equal((await dd.call('GET')).json.data.length, before + 1, 'only the frontend\'s create was stored');
});

t.test('the control API\'s document says so: 403 on every guarded operation, no header to send', async (t) => {
  const server = await startServer(t);
  const doc = (await http(`${server.url}/openapi/control.json`)).json;
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(item)) {
      if (path === '/__admin/health') {
        t.notOk(op.responses[403], 'health is open to any caller');
        continue;
      }
      t.ok(op.responses[403], `${method} ${path} documents 403`);
      t.notOk((op.parameters ?? []).some((p: { in: string }) => p.in === 'header'), `${method} ${path}: no header parameter to send`);
    }
  }
});
