// Shared test helpers: a listening server on a random port with its log lines captured, and response
// checks against the JSON Schemas in schemas/.
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
