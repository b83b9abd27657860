// Requests Node's HTTP parser refuses before any route sees them, answered in the shape of the vendor whose
// URL it is, with the status that names the problem: 431 for a header block over 16 KiB, 414 for a request
// line over it, 400 for bytes after a body longer than its Content-Length (after the request itself has
// been answered). Each closes the connection.
import t, { type Test } from 'tap';
import { matchesSchema, startServer } from '../../helpers';
import { PREFIX, datadog, seedCreateBody } from '../../datadog/dd';
import { attrSyncPath, sailpointHeaders, sailpointToken } from '../surfaces';
import { exchange } from '../sockets';

const KEYS = 'DD-API-KEY: routing-api-key\r\nDD-APPLICATION-KEY: routing-app-key\r\n';

/** Each surface, with the shape its errors take there. */
const DOORS: Array<{ name: string; method: string; path: string; shape: string }> = [
  { name: 'Datadog', method: 'GET', path: PREFIX, shape: 'datadog/error-response.json' },
  { name: 'SailPoint API', method: 'GET', path: attrSyncPath(), shape: 'sailpoint/error-response-dto.json' },
  { name: 'SailPoint token endpoint', method: 'POST', path: '/oauth/token', shape: 'sailpoint/oauth-error.json' },
  { name: 'control API', method: 'GET', path: '/__admin/state', shape: '' },
  { name: 'no one\'s path', method: 'GET', path: '/nowhere', shape: '' },
];

function checkShape(t: Test, shape: string, body: string, status: number, label: string): void {
  const parsed = JSON.parse(body);
  if (shape) matchesSchema(t, shape, parsed, `${label}: ${shape}`);
  else t.match(parsed, { statusCode: status, error: String }, `${label}: Fastify's shape`);
}

t.test('a 100 KB header: 431; a 64 KB URL: 414; each in the shape of its URL\'s vendor', async (t) => {
  const server = await startServer(t, { logLevel: 'warn' });
  for (const door of DOORS) {
    const header = await exchange(server.port, [`${door.method} ${door.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`]);
    t.same(header.statuses, [431], `${door.name}, a 100 KB header: 431`);
    checkShape(t, door.shape, header.body, 431, `${door.name}, a 100 KB header`);
    const url = await exchange(server.port, [`${door.method} ${door.path}?q=${'a'.repeat(64 * 1024)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`]);
    t.same(url.statuses, [414], `${door.name}, a 64 KB URL: 414`);
    checkShape(t, door.shape, url.body, 414, `${door.name}, a 64 KB URL`);
    if (door.name.startsWith('SailPoint')) t.match(url.text, /\r\nslpt-request-id: [0-9a-f]{32}\r\n/, `${door.name}: SLPT-Request-ID`);
  }
  const under = await exchange(server.port, [`GET ${PREFIX}?q=${'a'.repeat(8000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n${KEYS}X-Big: ${'a'.repeat(7000)}\r\nConnection: close\r\n\r\n`]);
  t.same(under.statuses, [200], 'a head of 15 KB is served');
});

t.test('a body longer than its Content-Length: the request is answered, then the bytes after it get a 400', async (t) => {
  const server = await startServer(t, { logLevel: 'warn' });
  const dd = datadog(server.url, 'routing-api-key', 'routing-app-key');
  const body = JSON.stringify(seedCreateBody());
  const head = `POST ${PREFIX} HTTP/1.1\r\nHost: 127.0.0.1\r\n${KEYS}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  for (const [name, pieces] of [['in one packet', [`${head}${body}{"more":"bytes"}`]], ['in a later packet', [`${head}${body}`, '{"more":"bytes"}']]] as const) {
    const answer = await exchange(server.port, [...pieces], { gapMs: 100 });
    t.same(answer.statuses, [200, 400], `${name}: 200 for the request, 400 for what followed`);
    matchesSchema(t, 'datadog/error-response.json', JSON.parse(answer.body), `${name}: Datadog's shape`);
    t.match(JSON.parse(answer.body).errors[0], /bytes after the end of the request before \(a body longer than its Content-Length\?\)/);
  }
  t.equal((await dd.call('GET')).json.data.length, 2, 'each create was stored once, as its 200 said');

  const token = await sailpointToken(server.url);
  const config = (await fetch(`${server.url}${attrSyncPath()}`, { headers: sailpointHeaders(token) }).then((r) => r.text()));
  const put = `PUT ${attrSyncPath()} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(config)}\r\n\r\n`;
  const sailpoint = await exchange(server.port, [`${put}${config}trailing`]);
  t.same(sailpoint.statuses, [200, 400], 'SailPoint: 200, then 400');
  matchesSchema(t, 'sailpoint/error-response-dto.json', JSON.parse(sailpoint.body), 'in SailPoint\'s shape');
  const form = 'grant_type=client_credentials&client_id=syncmock-org-admin&client_secret=syncmock-org-admin-secret';
  const tokenRequest = await exchange(server.port, [
    `POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}&x=1`,
  ]);
  t.same(tokenRequest.statuses, [200, 400], 'the token endpoint: 200, then 400');
  matchesSchema(t, 'sailpoint/oauth-error.json', JSON.parse(tokenRequest.body), 'in OAuth\'s shape');
  const control = await exchange(server.port, [
    `POST /__admin/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"real":true}}`,
  ]);
  t.same(control.statuses, [200, 400], 'the control API: 200, then 400');
  t.match(JSON.parse(control.body), { statusCode: 400, error: 'Bad Request' });
});
