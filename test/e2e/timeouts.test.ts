// Requests that stop arriving: a body shorter than its Content-Length, a chunk announcing more than is sent,
// headers trickled in (slowloris), a connection that sends nothing. Each is answered 408 where a request had
// begun (in the shape of the vendor whose URL it was, when the request line had been read) and closed once
// the headers or request timeout passes, and none of them holds up anyone else. The timeouts are short here
// so the test is fast; the defaults are checked separately.
import t from 'tap';
import { ConfigError, configFromCommandLine } from '../../src/config';
import { matchesSchema, startServer } from '../helpers';
import { PREFIX, datadog, seedCreateBody } from '../datadog/dd';
import { attrSyncPath, sailpointToken } from './surfaces';
import { exchange, type Answer } from './sockets';

const TIMEOUTS = { headersSeconds: 0.3, requestSeconds: 0.8 };
const KEYS = 'DD-API-KEY: timeout-api-key\r\nDD-APPLICATION-KEY: timeout-app-key\r\n';
const halfBody = (path: string, headers = '') =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"da`;
const shortChunk = `POST ${PREFIX} HTTP/1.1\r\nHost: 127.0.0.1\r\n${KEYS}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n{"da`;
/** A request line and then one header line every gap, never the blank line that ends them. */
const slowloris = (lines = 60) => [`GET ${PREFIX} HTTP/1.1\r\nHost: 127.0.0.1\r\n`, ...Array.from({ length: lines }, (_, i) => `X-Slow-${i}: a\r\n`)];

const body = (answer: Answer) => JSON.parse(answer.body);

t.test('each kind of stalled request: 408 and closed when its timeout passes', async (t) => {
  const server = await startServer(t, { timeouts: TIMEOUTS, logLevel: 'warn' });
  const token = await sailpointToken(server.url);
  const cases: Array<[string, Promise<Answer>, number, string]> = [
    ['a Datadog body that stops (Content-Length 100, 5 bytes sent)', exchange(server.port, [halfBody(PREFIX, KEYS)]), TIMEOUTS.requestSeconds, 'datadog/error-response.json'],
    ['a chunk announcing 100 bytes, 4 sent', exchange(server.port, [shortChunk]), TIMEOUTS.requestSeconds, 'datadog/error-response.json'],
    ['a SailPoint body that stops', exchange(server.port, [halfBody(attrSyncPath(), `Authorization: Bearer ${token}\r\n`).replace('POST', 'PUT')]), TIMEOUTS.requestSeconds,
      'sailpoint/error-response-dto.json'],
    ['a control API body that stops', exchange(server.port, [halfBody('/__admin/state')]), TIMEOUTS.requestSeconds, ''],
    ['headers trickled in (slowloris)', exchange(server.port, slowloris(), { gapMs: 50 }), TIMEOUTS.headersSeconds, ''],
    ['a connection that sends nothing', exchange(server.port, []), TIMEOUTS.headersSeconds, ''],
  ];
  for (const [name, pending, seconds, shape] of cases) {
    const answer = await pending;
    t.same(answer.statuses, [408], `${name}: 408`, { text: answer.text.slice(0, 300) });
    t.match(answer.text, /\r\nconnection: close\r\n/i, `${name}: Connection: close`);
    if (shape) matchesSchema(t, shape, body(answer), `${name}: ${shape}`);
    else t.match(body(answer), { statusCode: 408, error: 'Request Timeout', message: /^Request timeout: the request (body )?did not arrive within/ }, `${name}: Fastify's shape`);
    t.ok(answer.closedAfterMs >= seconds * 1000 - 50, `${name}: not before its timeout (${answer.closedAfterMs} ms)`);
    t.comment(`${name}: closed after ${answer.closedAfterMs} ms (timeout ${seconds * 1000} ms)`);
  }
  const refused = await exchange(server.port, [halfBody(PREFIX)]);
  t.same(refused.statuses, [403], 'a body that stops after its request was refused (no keys): that refusal, then closed, no 408');
  t.ok(refused.closedAfterMs >= TIMEOUTS.requestSeconds * 1000 - 50, `closed when the request timeout passed (${refused.closedAfterMs} ms)`);
  const dd = await exchange(server.port, [halfBody(PREFIX, KEYS)]);
  t.same(body(dd), { errors: ['Request timeout: the request body did not arrive within 0.8 s'] }, 'the Datadog body says which timeout');
  t.equal((await datadog(server.url, 'timeout-api-key', 'timeout-app-key').call('GET')).json.data.length, 0, 'nothing half-sent was stored');
});

t.test('200 slow sockets open, and a normal client is served throughout', async (t) => {
  const server = await startServer(t, { timeouts: TIMEOUTS, logLevel: 'warn' });
  const started = Date.now();
  const slow = Array.from({ length: 200 }, (_, i) => (i % 3 === 0
    ? exchange(server.port, [halfBody(PREFIX, KEYS)])
    : i % 3 === 1 ? exchange(server.port, slowloris(), { gapMs: 100 }) : exchange(server.port, [shortChunk])));
  const dd = datadog(server.url, 'normal-client-key');
  const latencies: number[] = [];
  let served = 0;
  for (let i = 0; i < 30; i++) {
    const begin = Date.now();
    const res = await (i % 2 === 0 ? dd.call('GET') : dd.call('POST', '', seedCreateBody()));
    latencies.push(Date.now() - begin);
    if (res.status === 200) served++;
  }
  t.equal(served, 30, 'every request of the normal client answered 200 while the slow sockets were open');
  const answers = await Promise.all(slow);
  t.equal(answers.filter((a) => a.statuses.length === 1 && a.statuses[0] === 408).length, 200, 'all 200 slow sockets answered 408 and closed');
  const closing = answers.map((a) => a.closedAfterMs);
  t.ok(Math.max(...closing) < 5000, 'none stays open');
  t.comment(`normal client: 30 requests, slowest ${Math.max(...latencies)} ms; slow sockets closed after ${Math.min(...closing)}–${Math.max(...closing)} ms (${Date.now() - started} ms in all)`);
  t.equal((await dd.call('GET')).json.data.length, 15, 'the normal client\'s 15 creates, nothing else');
});

t.test('the defaults, and the keep-alive hint', async (t) => {
  const server = await startServer(t);
  t.same(server.config.timeouts, { headersSeconds: 10, requestSeconds: 30, keepAliveSeconds: 5 });
  t.equal(server.app.server.headersTimeout, 10_000);
  t.equal(server.app.server.requestTimeout, 30_000);
  t.equal(server.app.server.keepAliveTimeout, 5_000);
  const res = await fetch(`${server.url}/__admin/health`);
  t.equal(res.headers.get('keep-alive'), 'timeout=5', 'clients are told how long an idle connection stays');
  const longer = await startServer(t, { timeouts: { keepAliveSeconds: 65 } });
  t.equal((await fetch(`${longer.url}/__admin/health`)).headers.get('keep-alive'), 'timeout=65');
});

t.test('the timeout flags and variables', async (t) => {
  const { config } = configFromCommandLine(['--headers-timeout', '2.5', '--request-timeout', '20'], { SYNCMOCK_KEEP_ALIVE_TIMEOUT: '65' });
  t.same(config.timeouts, { headersSeconds: 2.5, requestSeconds: 20, keepAliveSeconds: 65 });
  t.throws(() => configFromCommandLine(['--request-timeout', 'soon'], {}), new ConfigError('--request-timeout must be a number, got "soon"'));
  t.throws(() => configFromCommandLine(['--headers-timeout', '0'], {}), new ConfigError('--headers-timeout must be between 0.01 and 3600, got 0'));
  t.throws(() => configFromCommandLine([], { SYNCMOCK_KEEP_ALIVE_TIMEOUT: '0.5' }), new ConfigError('SYNCMOCK_KEEP_ALIVE_TIMEOUT must be between 1 and 3600, got 0.5'));
});
