import t from 'tap';
import { VENDORS } from '../../src/vendors';
import { http, startServer } from '../helpers';

const CORS_EXPOSED_HEADERS = VENDORS.flatMap((v) => v.cors.exposedHeaders);

const DATADOG = '/api/v2/security_monitoring/configuration/integration_config';
const APP = 'http://localhost:5173';
const KEYS = { 'dd-api-key': 'syncmock-api-key', 'dd-application-key': 'syncmock-app-key' };
const list = (value: string | null) => (value ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);

function preflight(url: string, method: string, headers: string, origin = APP) {
  return http(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
}

t.test('a browser preflight for the Datadog create call is answered 204 without touching auth', async (t) => {
  const server = await startServer(t);
  const res = await preflight(`${server.url}${DATADOG}`, 'POST', 'dd-api-key,dd-application-key,content-type');
  t.equal(res.status, 204);
  t.equal(res.text, '');
  t.equal(res.headers.get('access-control-allow-origin'), '*');
  t.ok(list(res.headers.get('access-control-allow-methods')).includes('post'));
  const allowed = list(res.headers.get('access-control-allow-headers'));
  for (const h of ['dd-api-key', 'dd-application-key', 'content-type']) t.ok(allowed.includes(h), `allows ${h}`);
  t.equal(res.headers.get('access-control-allow-credentials'), null, 'credentials stay off');
  t.equal(res.headers.get('x-ratelimit-name'), null, 'the Datadog auth and rate-limit hook did not run');
});

t.test('preflights for PATCH and DELETE on a configuration, and for the SailPoint headers', async (t) => {
  const server = await startServer(t);
  for (const method of ['PATCH', 'DELETE']) {
    const res = await preflight(`${server.url}${DATADOG}/11111111-2222-3333-4444-555555555555`, method, 'dd-api-key,dd-application-key,content-type');
    t.equal(res.status, 204, method);
    t.ok(list(res.headers.get('access-control-allow-methods')).includes(method.toLowerCase()), `allows ${method}`);
  }
  const sp = await preflight(`${server.url}/v2024/sources/2c9180835d191a86015d28455b4b232a/attribute-sync-config`, 'PUT',
    'authorization,x-sailpoint-experimental,x-sailpoint-sdk,content-type');
  t.equal(sp.status, 204);
  const allowed = list(sp.headers.get('access-control-allow-headers'));
  for (const h of ['authorization', 'x-sailpoint-experimental', 'x-sailpoint-sdk']) t.ok(allowed.includes(h), `allows ${h}`);
  const token = await preflight(`${server.url}/oauth/token`, 'POST', 'content-type');
  t.equal(token.status, 204, 'the token endpoint too');
});

t.test('the actual cross-origin call can read the body and the rate-limit headers', async (t) => {
  const server = await startServer(t);
  const res = await http(`${server.url}${DATADOG}`, { headers: { origin: APP, ...KEYS } });
  t.equal(res.status, 200);
  t.equal(res.headers.get('access-control-allow-origin'), '*');
  t.same(list(res.headers.get('access-control-expose-headers')), CORS_EXPOSED_HEADERS.map((h) => h.toLowerCase()));
  t.same(CORS_EXPOSED_HEADERS, [
    'X-RateLimit-Limit', 'X-RateLimit-Period', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-RateLimit-Name', 'Retry-After', 'SLPT-Request-ID',
  ]);
  for (const h of CORS_EXPOSED_HEADERS.filter((name) => name.startsWith('X-RateLimit'))) t.ok(res.headers.get(h), `${h} is sent to be read`);

  const denied = await http(`${server.url}${DATADOG}`, { headers: { origin: APP } });
  t.equal(denied.status, 403, 'no keys');
  t.equal(denied.headers.get('access-control-allow-origin'), '*', 'errors are readable cross-origin too');
});

t.test('the control API is not CORS-enabled by default', async (t) => {
  const server = await startServer(t);
  const res = await http(`${server.url}/__admin/health`, { headers: { origin: APP } });
  t.equal(res.status, 200);
  t.equal(res.headers.get('access-control-allow-origin'), null);
  const pre = await preflight(`${server.url}/__admin/health`, 'GET', 'content-type');
  t.equal(pre.status, 403, 'no preflight answer: a page on another site is refused');
  t.equal(pre.headers.get('access-control-allow-origin'), null);
  const doubled = await http(`${server.url}//__admin/health`, { headers: { origin: APP } });
  t.equal(doubled.status, 200, 'a doubled slash still reaches the control API…');
  t.equal(doubled.headers.get('access-control-allow-origin'), null, '…and still without CORS');
});

t.test('--admin-cors opens the control API to the same origins', async (t) => {
  const server = await startServer(t, { cors: { admin: true } });
  const pre = await preflight(`${server.url}/__admin/health`, 'GET', 'content-type');
  t.equal(pre.status, 204);
  t.equal(pre.headers.get('access-control-allow-origin'), '*');
  const res = await http(`${server.url}/__admin/health`, { headers: { origin: APP } });
  t.equal(res.headers.get('access-control-allow-origin'), '*');
});

t.test('--cors-origin narrows the allowed origins', async (t) => {
  const server = await startServer(t, { cors: { origins: [APP, 'https://app.example.com'] } });
  const ok = await http(`${server.url}${DATADOG}`, { headers: { origin: 'https://app.example.com', ...KEYS } });
  t.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example.com', 'a listed origin is echoed');
  t.match(ok.headers.get('vary') ?? '', /origin/i, 'and caches are told the answer depends on it');
  const other = await http(`${server.url}${DATADOG}`, { headers: { origin: 'https://evil.example', ...KEYS } });
  t.equal(other.status, 200, 'the server still answers (CORS is enforced by the browser)');
  t.equal(other.headers.get('access-control-allow-origin'), null, 'but grants nothing to another origin');
  const pre = await preflight(`${server.url}${DATADOG}`, 'POST', 'dd-api-key', 'https://evil.example');
  t.equal(pre.headers.get('access-control-allow-origin'), null);
});

t.test('the OpenAPI documents can be fetched cross-origin', async (t) => {
  const server = await startServer(t);
  const res = await http(`${server.url}/openapi/datadog.json`, { headers: { origin: 'https://editor.swagger.io' } });
  t.equal(res.headers.get('access-control-allow-origin'), '*');
});
