import t from 'tap';
import { http, matchesSchema, rawRequest, startServer } from '../helpers';

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

t.test('a request line or headers too large for the parser, under /__admin or nowhere: the control API\'s shape, details and all', async (t) => {
  const server = await startServer(t);
  for (const [what, path, headers, status] of [
    ['a 20 KB URL under /__admin', `/__admin/state?x=${'y'.repeat(20_000)}`, {}, 414],
    ['a 32 KB header under /__admin', '/__admin/state', { 'x-pad': 'p'.repeat(32_000) }, 431],
    ['a 20 KB URL nobody owns', `/nowhere?x=${'y'.repeat(20_000)}`, {}, 414],
  ] as const) {
    const res = await rawRequest(server.url, { method: 'GET', path, headers });
    t.equal(res.status, status, what);
    matchesSchema(t, 'control/error.json', JSON.parse(res.text), `${what}: the control shape`);
  }
});
