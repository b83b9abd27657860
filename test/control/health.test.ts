import t from 'tap';
import { http, matchesSchema, startServer } from '../helpers';

t.test('GET /__admin/health answers 200 with the server status', async (t) => {
  const server = await startServer(t);
  const res = await http(`${server.url}/__admin/health`);
  t.equal(res.status, 200);
  matchesSchema(t, 'control/health.json', res.json);
  t.equal(res.json.status, 'ok');
  t.equal(res.json.db, 'memory');
});

t.test('a control path with a trailing slash is a 404 that says so, naming the path as sent', async (t) => {
  const server = await startServer(t);
  for (const [path, bare] of [['/__admin/health/', '/__admin/health'], ['/__admin/state/?api_key=x', '/__admin/state']]) {
    const res = await http(`${server.url}${path}`);
    t.equal(res.status, 404, path);
    matchesSchema(t, 'control/error.json', res.json);
    t.match(res.json.message, `paths take no trailing slash (GET ${bare} is the same path without one)`, `${path}: the message explains`);
    t.notMatch(res.json.message, /api_key/, 'the query string is not repeated');
  }
  const plain = await http(`${server.url}/__admin/nowhere`);
  t.equal(plain.json.message, 'No route GET /__admin/nowhere', 'without a trailing slash: the plain message');
});
