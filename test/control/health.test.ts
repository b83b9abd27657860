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
