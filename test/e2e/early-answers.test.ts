// An answer sent before the request's body was read (a body over 1 MiB, credentials refused before the body,
// a request line or headers too large for the parser) reaches every client: fetch (undici), node:http and a
// raw socket, bodies with a Content-Length or chunked, on every surface that takes a body. The server reads
// and discards what is still coming (src/platform/drain.ts) before it answers and closes, so no client is
// reset mid-write: fetch used to report EPIPE for a 2 MiB create, and a 1 MB client_secret in the token
// endpoint's query string sometimes got no answer at all. Generated (fast-check, the hostile tests' seed).
// Against the built CLI, in a process of its own: a client in the server's process takes turns with it
// on one event loop, and never meets the reset. Bodies up to the drain's bound, which reads them whole.
import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import t from 'tap';
import { DRAIN_MAX_BYTES, drain } from '../../src/platform/drain';
import { rawRequest, schemaValidator } from '../helpers';
import { builtCli, startProcess } from '../spawn';
import { PREFIX, seedCreateBody } from '../datadog/dd';
import { FUZZ_SEED } from './hostile';
import { parseResponses, exchange } from './sockets';
import { attrSyncPath, sailpointHeaders, sailpointToken } from './surfaces';

/** Per surface and client. */
const RUNS = Number(process.env.SYNCMOCK_FUZZ_RUNS ?? 3);
const MiB = 1024 * 1024;
const DD_KEYS = { 'dd-api-key': 'early-api-key', 'dd-application-key': 'early-app-key' };
const FORM = 'application/x-www-form-urlencoded';

type Client = 'fetch' | 'node:http' | 'raw socket';
interface Answer {
  status: number;
  text: string;
}

interface Door {
  name: string;
  method: string;
  path: string;
  /** Headers that get past auth, and (for a vendor that checks them before the body) ones that do not, with that answer's status and shape. */
  headers: Record<string, string>;
  refused?: { headers: Record<string, string>; status: number; shape: string };
  contentType: string;
  /** The body, `size` bytes long. */
  body(size: number): Buffer;
  shape: string;
  /** What a chunked body over the limit gets, where no Content-Length says it is too large before it is read. */
  chunkedStatuses?: number[];
}

/** The built CLI on a free port, in-memory, open auth. */
async function startCli(t: Parameters<typeof startProcess>[0]): Promise<{ url: string; port: number }> {
  const started = await startProcess(t, process.execPath, [builtCli, '--port', '0', '--db', ':memory:', '--log-level', 'warn'], /^syncmock listening on /);
  const url = /^syncmock listening on (http:\/\/127\.0\.0\.1:(\d+)) /.exec(started.line) as RegExpExecArray;
  return { url: url[1], port: Number(url[2]) };
}

const filler = (size: number, head: string, tail: string): Buffer =>
  Buffer.concat([Buffer.from(head), Buffer.alloc(Math.max(0, size - head.length - tail.length), 'x'), Buffer.from(tail)]);

t.test('every client reads the answer to a request refused before its body was read', async (t) => {
  const server = await startCli(t);
  const token = await sailpointToken(server.url);
  const json = JSON.stringify(seedCreateBody());
  const doors: Door[] = [
    { name: 'Datadog create', method: 'POST', path: PREFIX, headers: DD_KEYS, refused: { headers: {}, status: 403, shape: 'datadog/error-response.json' }, contentType: 'application/json',
      body: (size) => filler(size, `${json.slice(0, -3)},"settings":{"s":"`, '"}}}}'), shape: 'datadog/error-response.json' },
    { name: 'SailPoint PUT', method: 'PUT', path: attrSyncPath(), headers: sailpointHeaders(token), refused: { headers: {}, status: 401, shape: 'sailpoint/gateway-error.json' },
      contentType: 'application/json', body: (size) => filler(size, '{"source":{"name":"', '"},"attributes":[]}'), shape: 'sailpoint/error-response-dto.json' },
    { name: 'token endpoint, a form', method: 'POST', path: '/oauth/token', headers: {}, contentType: FORM,
      body: (size) => filler(size, 'grant_type=client_credentials&client_id=early&client_secret=', ''), shape: 'sailpoint/oauth-error.json' },
    { name: 'token endpoint, multipart', method: 'POST', path: '/oauth/token', headers: {}, contentType: 'multipart/form-data; boundary=early',
      body: (size) => filler(size, '--early\r\nContent-Disposition: form-data; name="client_secret"\r\n\r\n', '\r\n--early--\r\n'),
      // Without a Content-Length it is read as it comes, each field cut at 64 KiB: refused for the truncated secret, or granted in open mode.
      shape: 'sailpoint/oauth-error.json', chunkedStatuses: [200, 400, 401] },
    { name: 'POST /__admin/state', method: 'POST', path: '/__admin/state', headers: {}, contentType: 'application/json',
      body: (size) => filler(size, '{"datadog":{"orgs":{"o":{"integration_configs":[],"x":"', '"}}}}'), shape: 'control/error.json' },
  ];

  const pieces = (body: Buffer): Buffer[] => Array.from({ length: Math.ceil(body.length / MiB) }, (_, i) => body.subarray(i * MiB, (i + 1) * MiB));
  const send = async (client: Client, door: Door, headers: Record<string, string>, body: Buffer, chunked: boolean): Promise<Answer> => {
    const all = { ...headers, 'content-type': door.contentType };
    if (client === 'fetch') {
      const init: RequestInit & { duplex?: 'half' } = chunked
        ? { method: door.method, headers: all, body: Readable.toWeb(Readable.from(pieces(body))) as ReadableStream, duplex: 'half' }
        : { method: door.method, headers: all, body };
      const res = await fetch(`${server.url}${door.path}`, init);
      return { status: res.status, text: await res.text() };
    }
    if (client === 'node:http') {
      const res = await rawRequest(server.url, { method: door.method, path: door.path, headers: all, body, chunkSize: chunked ? 64 * 1024 : undefined });
      return { status: res.status, text: res.text };
    }
    // Connection: close, so the answer ends with the close the socket waits for (a body read to its end
    // otherwise keeps the connection for the keep-alive timeout), and the server must read what is still
    // coming before it closes: the case that reset clients.
    const head = `${door.method} ${door.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('')}`;
    const sent = chunked
      ? [`${head}Transfer-Encoding: chunked\r\n\r\n`, ...pieces(body).flatMap((c) => [`${c.length.toString(16)}\r\n`, c, '\r\n']), '0\r\n\r\n']
      : [`${head}Content-Length: ${body.length}\r\n\r\n`, body];
    const answer = await exchange(server.port, sent);
    if (answer.error) throw new Error(`the raw socket saw ${answer.error}: the server closed on bytes it had not read`);
    if (answer.statuses.length !== 1) throw new Error(`the raw socket got ${answer.statuses.length} answers: ${answer.text.slice(0, 300)}`);
    return { status: answer.statuses[0], text: parseResponses(answer.text)[0].body };
  };

  for (const door of doors) {
    for (const client of ['fetch', 'node:http', 'raw socket'] as const) {
      await fc.assert(fc.asyncProperty(fc.integer({ min: MiB + 1, max: DRAIN_MAX_BYTES }), fc.boolean(), fc.boolean(), async (size, chunked, refused) => {
        const credentials = refused && door.refused ? door.refused : { headers: door.headers, status: 413, shape: door.shape };
        const expected = chunked && door.chunkedStatuses && !(refused && door.refused) ? door.chunkedStatuses : [credentials.status];
        const what = `${door.name}, ${client}, ${size} bytes${chunked ? ' chunked' : ''}${refused && door.refused ? ', refused credentials' : ''}`;
        const answer = await send(client, door, credentials.headers, door.body(size), chunked);
        if (!expected.includes(answer.status)) throw new Error(`${what}: ${answer.status}, not ${expected.join(' or ')}: ${answer.text.slice(0, 300)}`);
        if (answer.status >= 400 && !schemaValidator(credentials.shape)(JSON.parse(answer.text))) throw new Error(`${what}: not in ${credentials.shape}: ${answer.text.slice(0, 300)}`);
      }), { seed: FUZZ_SEED, numRuns: RUNS });
      t.pass(`${door.name}, ${client}: ${RUNS} requests over 1 MiB answered and read (seed ${FUZZ_SEED})`);
    }
  }
});

t.test('a request line or headers too large for the parser are answered, and every client reads the answer', async (t) => {
  const server = await startCli(t);
  const secret = 's'.repeat(1_000_000);
  const cases = [
    { name: 'a 1 MB client_secret in the token endpoint\'s query string', method: 'POST', path: `/oauth/token?grant_type=client_credentials&client_id=c&client_secret=${secret}`,
      headers: {}, status: 414, shape: 'sailpoint/oauth-error.json' },
    { name: 'a 1 MB header to Datadog', method: 'GET', path: PREFIX, headers: { ...DD_KEYS, 'x-big': 'a'.repeat(1_000_000) }, status: 431, shape: 'datadog/error-response.json' },
  ];
  for (const c of cases) {
    for (let i = 0; i < 3; i++) {
      const viaFetch = await fetch(`${server.url}${c.path}`, { method: c.method, headers: c.headers });
      t.equal(viaFetch.status, c.status, `${c.name}, fetch, try ${i + 1}`);
      t.ok(schemaValidator(c.shape)(await viaFetch.json()), `in ${c.shape}`);
      const viaHttp = await rawRequest(server.url, { method: c.method, path: c.path, headers: c.headers });
      t.equal(viaHttp.status, c.status, `${c.name}, node:http, try ${i + 1}`);
      const head = `${c.method} ${c.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(c.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
      const viaSocket = await exchange(server.port, [head]);
      t.same(viaSocket.statuses, [c.status], `${c.name}, a raw socket, try ${i + 1}`);
      t.equal(viaSocket.error, undefined, 'closed without a reset');
    }
  }
});

t.test('drain() reads at most its bound of a body that does not end, then lets go', async (t) => {
  const body = new PassThrough();
  let written = 0;
  const chunk = Buffer.alloc(64 * 1024);
  const feeding = setInterval(() => {
    for (let i = 0; i < 16; i++) {
      written += chunk.length;
      body.write(chunk);
    }
  }, 1);
  const ended = await drain(body);
  clearInterval(feeding);
  t.equal(ended, false, 'it did not end');
  t.ok(written > DRAIN_MAX_BYTES, `it was fed past the bound (${written} bytes)`);
  t.equal(body.listenerCount('data'), 0, 'and drain() no longer reads it');
  const short = Readable.from([Buffer.alloc(10)]);
  t.equal(await drain(short), true, 'a body that ends: drained to its end');
});
