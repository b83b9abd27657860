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
  t.match(open.logs(), /"level":40[^\n]*control API \(\/__admin\) is open to anyone who can reach this address/);
  const loopback = await startServer(t, { host: '127.0.0.1' });
  t.notMatch(loopback.logs(), /is open to anyone/);
  const guarded = await startServer(t, { host: '0.0.0.0', adminToken: TOKEN });
  t.notMatch(guarded.logs(), /is open to anyone/);
});
