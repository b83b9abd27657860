// One access-log line per request at info, with what an operator needs; the "incoming request" line only at
// debug. Credentials in the URL stay redacted in both.
import t from 'tap';
import { startServer } from '../helpers';
import { PREFIX, datadog } from '../datadog/dd';

const lines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.reqId !== undefined);

t.test('info: one "request completed" line per request, with method, URL, status and time', async (t) => {
  const server = await startServer(t, { logLevel: 'info' });
  await datadog(server.url).call('GET', '?api_key=SECRET-IN-QUERY');
  await datadog(server.url).call('GET', '/no-such-id');
  const logged = lines(server.logs());
  t.equal(logged.length, 2, 'two requests, two lines');
  t.same(logged.map((l) => l.msg), ['request completed', 'request completed']);
  t.match(logged[0], { level: 30, method: 'GET', url: `${PREFIX}?api_key=%5Bredacted%5D`, statusCode: 200, responseTime: Number, vendor: 'datadog', org: String });
  t.match(logged[1], { method: 'GET', url: `${PREFIX}/no-such-id`, statusCode: 404 });
  t.same(Object.keys(logged[1]).sort(), ['hostname', 'level', 'method', 'msg', 'org', 'pid', 'reqId', 'responseTime', 'statusCode', 'time', 'url', 'vendor'],
    'a few flat fields: no serialised request or reply objects, no Host');
  t.notMatch(server.logs(), /SECRET-IN-QUERY/);
});

t.test('debug: "incoming request" first, then "request completed"', async (t) => {
  const server = await startServer(t, { logLevel: 'debug' });
  await datadog(server.url).call('GET');
  const logged = lines(server.logs());
  t.same(logged.map((l) => l.msg), ['incoming request', 'request completed']);
  t.equal(logged[0].reqId, logged[1].reqId, 'both carry the request id');
});

t.test('a line a handler logs through the request\'s logger carries the request id, as the request\'s own line does', async (t) => {
  const server = await startServer(t, { logLevel: 'info' });
  // A store that fails under the model: its table is gone, an unexpected error the error handler logs.
  server.context.db.exec('DROP TABLE dd_integration_configs');
  t.equal((await datadog(server.url).call('GET')).status, 500);
  const logged = lines(server.logs());
  t.same(logged.map((l) => [l.level, l.msg]), [[50, 'unexpected error'], [30, 'request completed']]);
  t.equal(logged[0].reqId, logged[1].reqId);
  t.match(logged[0].err, { message: /no such table/ });
});
