// DNS rebinding: a page at a host name that resolves to 127.0.0.1 once it has loaded sends that name as the
// Host. The control API and the docs answer only allowed Hosts (403 naming --allowed-hosts), never repeat
// another in the OpenAPI documents, and health and the emulated APIs answer any Host.
import t from 'tap';
import { configFromCommandLine, ConfigError } from '../../src/config';
import { AllowedHosts } from '../../src/platform/host-check';
import { matchesSchema, rawRequest, startServer, type TestServer } from '../helpers';
import { PREFIX, datadog, seedCreateBody } from '../datadog/dd';

const JSON_TYPE = { 'content-type': 'application/json' };

/** A request as the rebound page sends it: the page's own host name, and its own origin (same-origin to the browser). */
const asHost = (server: TestServer, host: string, method: string, path: string, extra: Record<string, string> = {}) =>
  rawRequest(server.url, { method, path, headers: { host, ...extra } });

t.test('a rebound page reaches neither the control API nor the docs', async (t) => {
  const server = await startServer(t, { cors: { admin: true } });
  const dd = datadog(server.url, 'rebinding-key');
  t.equal((await dd.call('POST', '', seedCreateBody())).status, 200);
  const before = (await rawRequest(server.url, { method: 'GET', path: '/__admin/state' })).text;
  const evil = `evil.example:${server.port}`;
  const page = { origin: `http://${evil}`, ...JSON_TYPE };
  for (const [method, path] of [
    ['GET', '/__admin/state'], ['POST', '/__admin/reset'], ['DELETE', '/__admin/requests'], ['GET', '/__admin/nowhere'],
    ['OPTIONS', '/__admin/reset'], ['GET', '/openapi/datadog.json'], ['GET', '/openapi/control.json'], ['GET', '/docs'],
    ['GET', '/docs/static/swagger-initializer.js'], ['GET', '/openapi/nope.json'],
  ]) {
    const res = await asHost(server, evil, method, path, method === 'OPTIONS' ? { origin: page.origin, 'access-control-request-method': 'POST' } : page);
    t.equal(res.status, 403, `${method} ${path} with Host ${evil}: 403`);
    const body = JSON.parse(res.text);
    matchesSchema(t, 'control/error.json', body, `${method} ${path}: the control API's error shape`);
    t.match(body.message, /Host 'evil\.example:\d+' is not allowed here \(DNS rebinding protection\): start syncmock with --allowed-hosts evil\.example \(SYNCMOCK_ALLOWED_HOSTS\)/);
    t.notOk(res.text.includes('"servers"'), 'no document, so no server entry naming it');
  }
  t.equal((await rawRequest(server.url, { method: 'GET', path: '/__admin/state' })).text, before, 'the state is unchanged');
  const health = await asHost(server, evil, 'GET', '/__admin/health');
  t.equal(health.status, 200, 'health answers any Host (container and orchestrator probes)');
  const api = await asHost(server, evil, 'GET', PREFIX, dd.headers);
  t.equal(api.status, 200, 'the emulated APIs answer any Host, as the vendors do');
  const http10 = await new Promise<string>((resolve, reject) => {
    import('node:net').then(({ connect }) => {
      const socket = connect(server.port, '127.0.0.1');
      let out = '';
      socket.on('data', (d) => (out += d)).on('close', () => resolve(out)).on('error', reject);
      socket.write('GET /__admin/state HTTP/1.0\r\n\r\n');
    }, reject);
  });
  t.match(http10, /^HTTP\/1\.1 403 /, 'no Host at all (HTTP/1.0): 403');
});

t.test('loopback names, IP addresses and listed names are allowed', async (t) => {
  const server = await startServer(t, { allowedHosts: ['syncmock', '.example.test'] });
  for (const host of [
    `127.0.0.1:${server.port}`, `localhost:${server.port}`, 'localhost', 'LOCALHOST.', `app.localhost:${server.port}`, `[::1]:${server.port}`,
    '10.1.2.3:8080', '[fd00::2]', `syncmock:${server.port}`, 'syncmock', 'example.test', 'api.example.test:443',
  ]) {
    t.equal((await asHost(server, host, 'GET', '/__admin/clock')).status, 200, `Host ${host}`);
  }
  for (const host of ['evil.example', 'syncmock.evil.example', 'notexample.test', 'localhost.evil.example', 'user@localhost', 'localhost/x']) {
    t.equal((await asHost(server, host, 'GET', '/__admin/clock')).status, 403, `Host ${host}`);
  }
  const doc = await asHost(server, `syncmock:${server.port}`, 'GET', '/openapi/sailpoint.json');
  t.same(JSON.parse(doc.text).servers, [{ url: `http://syncmock:${server.port}`, description: 'this syncmock server' }], 'an allowed Host is the server entry');
});

t.test('the bound host is allowed', async (t) => {
  const allowed = new AllowedHosts([], 'syncmock-host.internal');
  t.ok(allowed.allows('syncmock-host.internal:8080'));
  t.ok(allowed.allows('SYNCMOCK-HOST.INTERNAL'));
  t.notOk(allowed.allows('other.internal'));
  t.notOk(allowed.allows(undefined));
  t.ok(new AllowedHosts([], '::').allows('[::1]:8080'));
});

t.test('--allowed-hosts * turns the check off, with a warning, and the documents stop repeating the Host', async (t) => {
  const server = await startServer(t, { allowedHosts: ['*'] });
  t.match(server.logs(), /"level":40[^\n]*--allowed-hosts \* turns the Host check off: a web page can reach \/__admin and the docs through DNS rebinding/);
  const state = await asHost(server, 'evil.example', 'GET', '/__admin/state');
  t.equal(state.status, 200, 'any Host reaches the control API');
  const doc = await asHost(server, 'evil.example', 'GET', '/openapi/datadog.json');
  t.equal(doc.status, 200);
  t.same(JSON.parse(doc.text).servers, [{ url: server.url, description: 'this syncmock server' }], 'the address it listens on, not the Host sent');
  const checked = await startServer(t);
  t.notMatch(checked.logs(), /turns the Host check off/, 'no warning by default');
});

t.test('--allowed-hosts and SYNCMOCK_ALLOWED_HOSTS', async (t) => {
  t.same(configFromCommandLine(['--allowed-hosts', 'syncmock, .example.test'], {}).config.allowedHosts, ['syncmock', '.example.test']);
  t.same(configFromCommandLine([], { SYNCMOCK_ALLOWED_HOSTS: 'syncmock,proxy.internal' }).config.allowedHosts, ['syncmock', 'proxy.internal']);
  t.same(configFromCommandLine([], {}).config.allowedHosts, [], 'none beyond the defaults');
  t.throws(() => configFromCommandLine(['--allowed-hosts', 'syncmock:8080'], {}),
    new ConfigError('--allowed-hosts: "syncmock:8080" is not a host name (without port), .domain or *'));
  t.throws(() => configFromCommandLine([], { SYNCMOCK_ALLOWED_HOSTS: 'http://syncmock' }),
    new ConfigError('SYNCMOCK_ALLOWED_HOSTS: "http://syncmock" is not a host name (without port), .domain or *'));
});
