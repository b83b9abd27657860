// --admin-token: every /__admin call but health needs the bearer token; without one, a warning when
// listening beyond loopback.
import t from 'tap';
import { matchesSchema, startServer } from '../helpers';
import { datadog } from '../datadog/dd';
import { admin } from './admin';

const TOKEN = 'admin-token-marker-3c7e';

t.test('with an admin token, control calls need it; health and the emulated APIs do not', async (t) => {
  const server = await startServer(t, { adminToken: TOKEN });
  for (const [label, call] of [['no token', admin(server.url)], ['a wrong token', admin(server.url, `${TOKEN}x`)], ['a short token', admin(server.url, 'a')]] as const) {
    for (const [method, path] of [['POST', '/reset'], ['GET', '/requests'], ['GET', '/state'], ['DELETE', '/faults'], ['GET', '/nowhere']]) {
      const res = await call(method, path);
      t.equal(res.status, 401, `${label}: ${method} ${path}`);
      matchesSchema(t, 'control/error.json', res.json);
      t.equal(res.headers.get('www-authenticate'), 'Bearer realm="syncmock admin"');
    }
  }
  const basic = await admin(server.url)('GET', '/requests', undefined, { authorization: `Basic ${TOKEN}` });
  t.equal(basic.status, 401, 'only a bearer token');
  const health = await admin(server.url)('GET', '/health');
  t.equal(health.status, 200, 'health stays open for healthchecks');
  matchesSchema(t, 'control/health.json', health.json);
  t.equal((await datadog(server.url).call('GET')).status, 200, 'the emulated APIs do not need it');

  const authorized = admin(server.url, TOKEN);
  t.equal((await authorized('POST', '/reset')).status, 200);
  t.equal((await authorized('GET', '/requests')).status, 200);
  t.equal((await authorized('GET', '/nowhere')).status, 404, 'with the token, an unknown route is a 404');
  t.notOk(server.logs().includes(TOKEN), 'the token is never logged');
});

t.test('without a token: a warning when listening beyond loopback, none on loopback', async (t) => {
  const open = await startServer(t, { host: '0.0.0.0' });
  const warning = open.logs().split('\n').find((line) => line.includes('is open to anyone'));
  t.match(warning, /"level":40/, 'a warning');
  t.match(warning, /control API \(\/__admin\) is open to anyone who can reach this address \(0\.0\.0\.0, beyond loopback\)/, 'where');
  t.match(warning, /they can read the state \(GET \/__admin\/state\), wipe or replace it \(POST \/__admin\/reset, POST \/__admin\/state\), inject faults and move the clock/, 'the risk');
  t.match(warning, /The one-line fix: start with SYNCMOCK_ADMIN_TOKEN=\$\(openssl rand -hex 32\) \(or --admin-token\)/, 'the fix');
  const reset = await admin(open.url)('POST', '/reset');
  t.equal(reset.status, 200, 'and the control API keeps working without a token');
  const loopback = await startServer(t, { host: '127.0.0.1' });
  t.notMatch(loopback.logs(), /is open to anyone/);
  const guarded = await startServer(t, { host: '0.0.0.0', adminToken: TOKEN });
  t.notMatch(guarded.logs(), /is open to anyone/);
});
