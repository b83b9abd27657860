// Bad Authorization headers at every door that reads one: Datadog's API, SailPoint's API and SailPoint's
// token endpoint. An unknown scheme, an empty bearer, Basic that is not base64 or has no colon, a 1 MB token:
// each gets that vendor's status and error shape, never a 5xx, and nothing of the header reaches the log
// (logging at trace), the journal or the answer.
import t from 'tap';
import { http, matchesSchema, startServer } from '../../helpers';
import { PREFIX } from '../../datadog/dd';
import { attrSyncPath } from '../surfaces';

const MARK = 'MARKERtoken7c1e';
const b64 = (text: string) => Buffer.from(text).toString('base64');

const CASES: Array<[string, string]> = [
  ['an unknown scheme', `Digest ${MARK}`],
  ['an empty bearer', 'Bearer'],
  ['Basic that is not base64', `Basic ${MARK}!*`],
  ['Basic without a colon', `Basic ${b64(MARK)}`],
  ['a 1 MB token', `Bearer ${MARK}${'a'.repeat(1024 * 1024)}`],
];

interface Door {
  name: string;
  method: string;
  path: string;
  body?: URLSearchParams;
  /** The status and schema of the answer to a bad credential, and to a header block over Node's limit. */
  refused: [number, string];
  oversized: [number, string];
}

const DOORS: Door[] = [
  { name: 'Datadog', method: 'GET', path: PREFIX, refused: [403, 'datadog/error-response.json'], oversized: [431, 'datadog/error-response.json'] },
  { name: 'SailPoint API', method: 'GET', path: attrSyncPath(), refused: [401, 'sailpoint/gateway-error.json'], oversized: [431, 'sailpoint/error-response-dto.json'] },
  {
    name: 'SailPoint token endpoint', method: 'POST', path: '/oauth/token', body: new URLSearchParams({ grant_type: 'client_credentials' }),
    refused: [401, 'sailpoint/oauth-error.json'], oversized: [431, 'sailpoint/oauth-error.json'],
  },
];

t.test('each bad Authorization header gets the vendor\'s answer, and nothing of it is kept', async (t) => {
  const server = await startServer(t, { logLevel: 'trace' });
  for (const door of DOORS) {
    for (const [name, authorization] of CASES) {
      const oversized = authorization.length > 16 * 1024;
      const res = await http(`${server.url}${door.path}`, { method: door.method, headers: { authorization }, body: door.body });
      const [status, shape] = oversized ? door.oversized : door.refused;
      t.equal(res.status, status, `${door.name}, ${name}: ${status}`);
      matchesSchema(t, shape, res.json, `${door.name}, ${name}: ${shape}`);
      t.notOk(res.text.includes(MARK), `${door.name}, ${name}: the header is not echoed`);
      if (door.name.startsWith('SailPoint')) t.match(res.headers.get('slpt-request-id'), /^[0-9a-f]{32}$/, `${door.name}, ${name}: SLPT-Request-ID`);
      if (door.name === 'SailPoint token endpoint' && !oversized) {
        t.equal(res.json.error, 'invalid_client');
        t.equal(res.headers.get('www-authenticate'), 'Basic realm="SailPoint"', `${name}: the scheme to use (RFC 6749 §5.2)`);
      }
    }
  }
  const journal = await http(`${server.url}/__admin/requests?limit=1000`);
  t.equal(journal.status, 200);
  t.notOk(journal.text.includes(MARK), 'nothing of the headers in the journal');
  const logs = server.logs();
  t.match(logs, /"code":"HPE_HEADER_OVERFLOW","msg":"client error"/, 'an oversized header block is logged by its error code');
  t.notOk(logs.includes(MARK), 'nothing of the headers in the log');
  t.notOk(logs.includes('rawPacket'), 'not even as the raw bytes the parser refused');
  t.notOk(/"statusCode":5\d\d/.test(logs), 'no 5xx');
});

t.test('other requests the HTTP parser refuses answer in the vendor\'s shape too', async (t) => {
  const server = await startServer(t);
  // fetch() will not send a header the parser refuses; a raw socket will, as a broken client might.
  const { connect } = await import('node:net');
  const raw = (path: string) => new Promise<string>((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let out = '';
    socket.on('data', (d) => (out += d)).on('close', () => resolve(out)).on('error', reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Broken: a\u0001b\r\n\r\n`);
  });
  const body = (response: string) => JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
  const datadog = await raw(PREFIX);
  t.match(datadog, /^HTTP\/1\.1 400 Bad Request\r\n/);
  matchesSchema(t, 'datadog/error-response.json', body(datadog));
  const sailpoint = await raw(attrSyncPath());
  t.match(sailpoint, /^HTTP\/1\.1 400 Bad Request\r\n/);
  t.match(sailpoint, /\r\nslpt-request-id: [0-9a-f]{32}\r\n/);
  matchesSchema(t, 'sailpoint/error-response-dto.json', body(sailpoint));
  const control = await raw('/__admin/health');
  t.match(control, /^HTTP\/1\.1 400 Bad Request\r\n/);
  t.same(body(control), { statusCode: 400, error: 'Bad Request', message: 'Malformed HTTP request', details: ['Malformed HTTP request'] },
    'elsewhere the control API\'s shape, as its not-found answers');
  t.equal((await http(`${server.url}/__admin/health`)).status, 200, 'the server carries on');
});
