// Shared test helpers: a listening server on a random port with its log lines captured, and response
// checks against the JSON Schemas in schemas/.
import httpClient from 'node:http';
import { Writable } from 'node:stream';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { startSyncmock, type StartOptions, type Syncmock } from '../src/index';
import { schema } from '../src/platform/schemas';

interface TapLike {
  teardown(fn: () => unknown): void;
  ok(value: unknown, message?: string, extra?: object): void;
}

export interface TestServer extends Syncmock {
  /** Every log line written so far, as one string. */
  logs(): string;
}

/** Starts syncmock (in-memory store, debug logging captured) and closes it when the test ends. */
export async function startServer(t: TapLike, options: StartOptions = {}): Promise<TestServer> {
  const chunks: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const server = await startSyncmock({ logLevel: 'debug', logStream, ...options });
  t.teardown(() => server.close());
  return Object.assign(server, { logs: () => chunks.join('') });
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** The compiled validator for schemas/<path> (compiled once), for checks that run thousands of times. */
export function schemaValidator(schemaPath: string): ValidateFunction {
  let validate = compiled.get(schemaPath);
  if (!validate) {
    validate = ajv.compile(schema(schemaPath));
    compiled.set(schemaPath, validate);
  }
  return validate;
}

/** Asserts that body matches schemas/<path>. */
export function matchesSchema(t: TapLike, schemaPath: string, body: unknown, message = `body matches ${schemaPath}`): void {
  const validate = schemaValidator(schemaPath);
  t.ok(validate(body), message, { errors: validate.errors, body });
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: any;
}

/** fetch with the body read and parsed once. */
export async function http(url: string, init: RequestInit & { json?: unknown } = {}): Promise<HttpResult> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('content-type', 'application/json');
  const res = await fetch(url, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: parsed };
}

export interface RawRequest {
  method: string;
  /** Path and query, sent as given (no normalisation, no encoding). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sends the body with Transfer-Encoding: chunked (no Content-Length), in pieces of this many bytes. */
  chunkSize?: number;
  /** An answer must arrive within this time (default 10 s); otherwise the request fails as a hang. */
  timeoutMs?: number;
  agent?: httpClient.Agent;
}

export interface RawResponse {
  status: number;
  headers: httpClient.IncomingHttpHeaders;
  text: string;
}

/**
 * One request through node:http, which sends what it is given: any method, header names fetch forbids,
 * a body on GET, a chunked body. Rejects when no complete answer comes within the timeout.
 */
export async function rawRequest(baseUrl: string, r: RawRequest): Promise<RawResponse> {
  try {
    return await sendOnce(baseUrl, r);
  } catch (err) {
    // A kept-alive connection the server closed while idle fails the next request sent on it (Node's
    // documented race): that request never reached the server, so it is sent once more on a new one.
    if ((err as { reusedSocket?: boolean }).reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET') return sendOnce(baseUrl, r);
    throw err;
  }
}

function sendOnce(baseUrl: string, r: RawRequest): Promise<RawResponse> {
  const timeoutMs = r.timeoutMs ?? 10_000;
  const headers: Record<string, string | number> = { ...r.headers };
  if (r.body !== undefined && r.chunkSize === undefined) headers['content-length'] = Buffer.byteLength(r.body);
  if (r.chunkSize !== undefined) headers['transfer-encoding'] = 'chunked';
  return new Promise((resolve, reject) => {
    const url = new URL(baseUrl);
    const req = httpClient.request({ host: url.hostname, port: url.port, method: r.method, path: r.path, headers, agent: r.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms: ${r.method} ${r.path.slice(0, 200)}`)));
    req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
    if (r.body !== undefined && r.chunkSize !== undefined) {
      const body = Buffer.from(r.body);
      for (let i = 0; i < body.length; i += r.chunkSize) req.write(body.subarray(i, i + r.chunkSize));
      req.end();
    } else {
      req.end(r.body);
    }
  });
}
