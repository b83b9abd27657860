// Shared test helpers: a listening server on a random port with its log lines captured, and response
// checks against the JSON Schemas in schemas/, read closed: a response with a field its schema does not
// list fails the check, even where the schema (shared with requests) lets a request carry more.
import httpClient from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { RouteOptions } from 'fastify';
import { buildApp, createContext } from '../src/app';
import { resolveConfig, type SyncmockOptions } from '../src/config';
import type { SyncmockContext } from '../src/control/context';
import { ControlSchemas } from '../src/control/schemas';
import type { DatadogConnection, SailpointConnection } from '../src/index';
import { closed } from '../src/platform/closed-schema';
import { createLogger } from '../src/platform/logger';
import { schema } from '../src/platform/schemas';
import { AJV_OPTIONS } from '../src/platform/validators';
import type { VendorContract } from '../src/platform/vendor';
import { startServer as start, type RunningServer, type StartOptions } from '../src/server';
import { VENDORS } from '../src/vendors';

interface TapLike {
  teardown(fn: () => unknown): void;
  ok(value: unknown, message?: string, extra?: object): void;
}

/** A running server with its internals (context, app) at hand, as startSyncmock's result shows it too. */
export interface TestServer extends RunningServer {
  datadog: DatadogConnection;
  sailpoint: SailpointConnection;
  docsUrl: string;
  reset(): void;
  close(): Promise<void>;
  /** Every log line written so far, as one string. */
  logs(): string;
}

/**
 * Starts syncmock (in-memory store, debug logging captured) and closes it when the test ends: the registry's
 * vendors, or those given.
 */
export async function startServer(t: TapLike, options: StartOptions = {}, vendors: readonly VendorContract[] = VENDORS): Promise<TestServer> {
  const chunks: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const server = await start({ logLevel: 'debug', logStream, ...options }, vendors);
  t.teardown(() => server.app.close());
  return {
    ...server,
    ...(server.connections as unknown as { datadog: DatadogConnection; sailpoint: SailpointConnection }),
    docsUrl: `${server.url}/docs`,
    reset: () => server.context.reset(),
    close: () => server.app.close(),
    logs: () => chunks.join(''),
  };
}

/**
 * Starts syncmock (in-memory store) with an onRoute hook that records every route as it is added, by any
 * plugin, so a test can go over every route syncmock serves without listing them.
 */
export async function startRecordingRoutes(t: TapLike, options: SyncmockOptions = {}, vendors: readonly VendorContract[] = VENDORS): Promise<{
  url: string; port: number; routes: RouteOptions[]; context: SyncmockContext;
}> {
  const routes: RouteOptions[] = [];
  const context = createContext(resolveConfig({ db: ':memory:', logLevel: 'warn', ...options }), vendors);
  const app = await buildApp(context, createLogger(context.config.logLevel, context.redaction), (route) => routes.push(route));
  t.teardown(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, routes, context };
}

const compiled = new Map<string, ValidateFunction>();
let checks: { ajv: Ajv; controlSchemas: ControlSchemas } | undefined;

/** An ajv with every shared schema registered closed, the control API's with the registry's vendors filled in. */
function responseChecks(): { ajv: Ajv; controlSchemas: ControlSchemas } {
  if (!checks) {
    const controlSchemas = new ControlSchemas(VENDORS);
    const ajv = new Ajv({ ...AJV_OPTIONS, strict: false });
    addFormats(ajv);
    ajv.addSchema([...controlSchemas.shared().closed().list]);
    checks = { ajv, controlSchemas };
  }
  return checks;
}

/** A schema file as the server serves it: the control API's with the registry's vendors filled in. */
function schemaFile(schemaPath: string): Record<string, unknown> {
  return schemaPath.startsWith('control/') ? responseChecks().controlSchemas.get(schemaPath.slice('control/'.length)) : schema(schemaPath);
}

/** The compiled validator for schemas/<path>, read closed (compiled once), for checks that run thousands of times. */
export function schemaValidator(schemaPath: string): ValidateFunction {
  let validate = compiled.get(schemaPath);
  if (!validate) {
    const { ajv } = responseChecks();
    const target = schemaFile(schemaPath);
    validate = target.$id === undefined ? ajv.compile(closed(target)) : (ajv.getSchema(target.$id as string) as ValidateFunction);
    compiled.set(schemaPath, validate);
  }
  return validate;
}

/** Forces the outcome of the next Datadog credential check(s) through the control API. */
export async function forceCredentialOutcome(server: { url: string }, outcome: 'valid' | 'invalid', times = 1): Promise<void> {
  const res = await http(`${server.url}/__admin/datadog/credential-outcome`, { method: 'POST', json: { outcome, times } });
  if (res.status !== 200) throw new Error(`forcing a credential outcome answered ${res.status}: ${res.text}`);
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
