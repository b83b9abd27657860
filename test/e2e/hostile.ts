// Generators of hostile requests (fast-check) and the checks every answer to one must pass: never a 5xx,
// every error in the vendor's documented shape, no stack trace, the store untouched by a refusal.
import fc from 'fast-check';
import type { Test } from 'tap';
import type { ValidateFunction } from 'ajv';
import http from 'node:http';
import { rawRequest } from '../helpers';
import { STATE_TABLES, type StoreReader } from '../store-reader';
import { FUZZ_SEED, anyCodePoint } from './random';

export { FUZZ_SEED };

const SPECIAL_STRINGS = [
  "' OR '1'='1", "1; DROP TABLE dd_integration_configs; --", '" OR ""="', "') UNION SELECT secrets FROM dd_integration_configs --",
  '../../../../etc/passwd', '..\\..\\windows\\win.ini', '%2e%2e%2f', '\u0000', '\uD800', '\u202Eevil', '🦄'.repeat(50),
  '__proto__', 'constructor', 'prototype', '${7*7}', '{{7*7}}', '<script>alert(1)</script>', '\r\nX-Injected: 1',
  'null', 'true', '0', 'NaN', '-1', '', ' ', 'invalid', 'OKTA', 'integration_config',
];

/** Strings that break things: random code points, graphemes, SQL and template fragments, traversal, long runs. */
const hostileStringUpTo = (longest: number): fc.Arbitrary<string> => fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: anyCodePoint(), maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(...SPECIAL_STRINGS),
  fc.integer({ min: 100, max: longest }).map((n) => 'x'.repeat(n)),
);
export const hostileString = hostileStringUpTo(20_000);
/**
 * For URLs: shorter long runs, since Node's HTTP server refuses a request head over 16 KiB before any
 * route sees it (a 431 in Fastify's shape, whatever the path); the harness discards the rare request whose
 * head is still too large.
 */
const hostileUrlString = hostileStringUpTo(3_000);
const MAX_HEAD_BYTES = 15_000;

/** Object keys, prototype-pollution keys among them. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '$where', 'data', 'attributes', 'secrets', 'type', 'id'),
);

const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  hostileString, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -0, 1e308, 5e-324),
);

/** Any JSON value, with hostile keys and strings. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Sets (with defineProperty, so `__proto__` becomes a real key) or deletes the value at path in a copy of doc. */
function mutate(doc: unknown, path: string[], value: unknown, remove: boolean): unknown {
  const copy = JSON.parse(JSON.stringify(doc));
  let node = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') Object.defineProperty(node, key, { value: {}, enumerable: true, writable: true, configurable: true });
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (path.length === 0) return value;
  if (remove) delete node[last];
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Every path into doc (objects only), plus a new key under each object. */
function pathsOf(doc: unknown, prefix: string[] = []): string[][] {
  const out: string[][] = [prefix];
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    out.push([...prefix, '__extra__']);
    for (const [k, v] of Object.entries(doc)) out.push(...pathsOf(v, [...prefix, k]));
  }
  return out;
}

const DEEP = '@@deeply-nested@@';

/** {"a":{"a":…}} `levels` deep: valid JSON that recursive code chokes on. */
export const deeplyNested = (levels: number, open = '{"a":', close = '}'): string => open.repeat(levels) + '1' + close.repeat(levels);

/**
 * JSON texts derived from a valid body: one part replaced by a hostile value or removed (these are often still
 * valid), any JSON value, or text that is not quite JSON (truncated, duplicate keys, poisoned, deeply nested).
 */
export function hostileJsonBody(valid: unknown): fc.Arbitrary<string> {
  const text = JSON.stringify(valid);
  const paths = pathsOf(valid);
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...paths), hostileValue, fc.boolean()).map(([p, v, remove]) => JSON.stringify(mutate(valid, p, v, remove && p.length > 0))) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...paths), fc.constantFrom('__proto__', 'constructor'), hostileValue).map(([p, key, v]) =>
      JSON.stringify(mutate(valid, [...p, key], key === 'constructor' ? { prototype: { polluted: v } } : { polluted: v }, false))) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...paths), fc.integer({ min: 50, max: 50_000 }), fc.boolean()).map(([p, levels, arrays]) =>
      JSON.stringify(mutate(valid, p, DEEP, false)).replace(`"${DEEP}"`, arrays ? deeplyNested(levels, '[', ']') : deeplyNested(levels))) },
    { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.nat(text.length - 1).map((n) => text.slice(0, n)),
      fc.constantFrom(
        `${text.slice(0, -1)},"data":null}`, `{"data":null,${text.slice(1)}`, `\uFEFF${text}`, `${text}${text}`, `${text}garbage`,
        '[]', 'null', '0', '""', '1e999', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}',
      ),
      fc.integer({ min: 50, max: 200_000 }).map((n) => deeplyNested(n)),
      fc.integer({ min: 50, max: 200_000 }).map((n) => deeplyNested(n, '[', ']')),
    ) },
  );
}

const headerChar = fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c));
/** Header values a real HTTP parser lets through (no CR, LF or NUL): latin-1, long, empty. */
export const hostileHeaderValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: headerChar, maxLength: 40 }),
  fc.constantFrom('', ' ', "' OR '1'='1", '__proto__', 'Bearer', 'Bearer ', 'Bearer a.b.c', 'Basic Zm9vOmJhcg==', 'null'),
  fc.integer({ min: 100, max: 3_000 }).map((n) => 'k'.repeat(n)),
);

/** Mostly JSON (so bodies reach the checks behind the parser), sometimes anything else. */
export const hostileContentType = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=latin1') },
  { weight: 1, arbitrary: fc.constantFrom('application/vnd.api+json', 'text/plain', 'text/html', 'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x', 'multipart/form-data', 'application/octet-stream', '', 'json', 'application/json, text/plain',
    '*/*', 'application/xml') },
);

/** Extra headers a client might send: framework-sensitive names with hostile values. */
export const hostileExtraHeaders: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom('accept', 'accept-encoding', 'accept-version', 'host', 'x-forwarded-for', 'x-forwarded-proto', 'origin', 'cookie',
    'content-encoding', 'x-http-method-override', 'if-none-match', 'range', 'x-request-id', '__proto__', 'constructor'),
  hostileHeaderValue,
  { maxKeys: 3 },
);

// Lone surrogates cannot be percent-encoded; a real client would have replaced them too.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const encode = (s: string): string => encodeURIComponent(s.replace(LONE_SURROGATE, '\uFFFD'));

/**
 * A path segment: a real id, a hostile string (encoded), or traversal with its slashes encoded. Never empty
 * nor a dot segment ("." or "..", encoded or not): clients resolve those before sending (WHATWG URL), and
 * so does app.inject, which would test another route; test/e2e/connections.test.ts sends them raw.
 */
export function hostileId(realIds: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...realIds) },
    { weight: 3, arbitrary: hostileUrlString.map(encode).filter((s) => s !== '' && !/^(\.|%2e){1,2}$/i.test(s)) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.constantFrom('..%2F..%2F__admin%2Freset', '...', '%2e%2e%2e', '%00', '%25', '%E0%A4%A', '%', 'a%2Fb', '%C0%AE%C0%AE') },
  );
}

/**
 * What a name cannot hold unencoded: `#` and `&` (they would end it) and anything outside printable ASCII,
 * which Node's HTTP parser refuses before any route sees the request.
 */
const NOT_RAW_IN_QUERY = /[^\x21-\x7e]|[#&]/g;

/** A query string (with its "?", or empty) from given parameter names and hostile ones; some names sent unencoded. */
export function hostileQuery(names: string[], values: string[]): fc.Arbitrary<string> {
  const name = fc.oneof(fc.constantFrom(...names, '__proto__[polluted]', 'constructor[prototype][polluted]', 'api_key', 'a[b][c]', '&', '='), hostileUrlString);
  const value = fc.oneof(fc.constantFrom(...values), hostileUrlString);
  const pair = fc.tuple(name, value, fc.boolean()).map(([k, v, raw]) => (raw ? `${k.replace(NOT_RAW_IN_QUERY, '')}=${encode(v)}` : `${encode(k)}=${encode(v)}`));
  return fc.array(pair, { maxLength: 5 }).map((pairs) => (pairs.length === 0 ? '' : `?${pairs.join('&')}`));
}

/** How a refusal must look, and what success must look like, per route. */
export interface Expectations {
  /** Checks an error body; returns what is wrong, or undefined. */
  errorBody(body: unknown, status: number): string | undefined;
  /** Checks a 2xx body; returns what is wrong, or undefined. */
  successBody(body: unknown, status: number): string | undefined;
}

/** A ValidateFunction as an Expectations check. */
export const conforms = (validate: ValidateFunction, name: string) => (body: unknown): string | undefined =>
  validate(body) ? undefined : `does not match ${name}: ${JSON.stringify(validate.errors)}`;

export interface HostileRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers?: Record<string, string>;
  payload?: string;
}

export interface HarnessOptions {
  /**
   * State outside the database a refusal must not change either (the control API's faults, rate limits,
   * clock, journal), as one string; read before and after each refused request that is not a GET or HEAD.
   */
  memoryState?: () => Promise<string>;
}

/**
 * Sends requests over real HTTP (node:http, so hostile methods, headers and bodies go out as given) and
 * checks each answer. The store is read through a read-only connection to the server's SQLite file: every
 * table, compared whole after a refusal whenever SQLite says another connection committed (so the common
 * case costs one PRAGMA). Successes move the baseline.
 */
export class HostileHarness {
  private snapshot: string;
  private version: number;
  private memory: string | undefined;
  private memoryStale = true;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  requests = 0;
  /** How many answers had each status, since the last call of statuses(). */
  private counts = new Map<number, number>();

  constructor(private readonly baseUrl: string, private readonly store: StoreReader, private readonly options: HarnessOptions = {}) {
    const missing = STATE_TABLES.filter((table) => !store.tables().includes(table));
    if (missing.length > 0) throw new Error(`the store has no table ${missing.join(', ')}: update STATE_TABLES`);
    this.snapshot = store.snapshot();
    this.version = store.version();
  }

  /** Closes the harness's keep-alive connection. */
  close(): void {
    this.agent.destroy();
  }

  /** "200×12 400×310 …": what the requests since the last call got, to see that they reached every check. */
  statuses(): string {
    const text = [...this.counts].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ');
    this.counts = new Map();
    return text;
  }

  /** Throws (for fast-check) with what was wrong. */
  async check(request: HostileRequest, expect: Expectations): Promise<void> {
    fc.pre(headBytes(request) <= MAX_HEAD_BYTES);
    this.requests++;
    const watchMemory = this.options.memoryState !== undefined && request.method !== 'GET' && request.method !== 'HEAD';
    if (watchMemory && this.memoryStale) {
      this.memory = await this.options.memoryState?.();
      this.memoryStale = false;
    }
    const res = await rawRequest(this.baseUrl, {
      method: request.method, path: request.url, headers: request.headers, body: request.payload, agent: this.agent,
    });
    this.counts.set(res.status, (this.counts.get(res.status) ?? 0) + 1);
    const version = this.store.version();
    const changed = version !== this.version;
    let judged = false;
    try {
      this.judge(request, res.status, res.text, expect);
      if (res.status >= 400 && changed) {
        const tables = changedTables(this.snapshot, this.store.snapshot());
        if (tables.length > 0) throw new Error(`a refused request changed the store (${tables.join(', ')}): ${describe(request, res.status, res.text)}`);
      }
      if (res.status >= 400 && watchMemory) {
        const memory = await this.options.memoryState?.();
        if (memory !== this.memory) {
          this.memory = memory;
          throw new Error(`a refused request changed the control state: ${describe(request, res.status, res.text)}`);
        }
      }
      judged = true;
    } finally {
      // The baselines follow the server even past a failure, so that shrinking reports the real culprit.
      if (changed) {
        this.snapshot = this.store.snapshot();
        this.version = version;
      }
      if (watchMemory && (res.status < 400 || !judged)) this.memoryStale = true;
    }
  }

  private judge(request: HostileRequest, status: number, text: string, expect: Expectations): void {
    const where = describe(request, status, text);
    if (status >= 500) throw new Error(`a 5xx: ${where}`);
    if (/\bat .+\.(ts|js):\d+/.test(text)) throw new Error(`a stack trace in the body: ${where}`);
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new Error(`a body that is not JSON: ${where}`);
    }
    if (status < 400) {
      const wrong = expect.successBody(body, status);
      if (wrong) throw new Error(`success body ${wrong}: ${where}`);
      return;
    }
    const wrong = request.method === 'HEAD' ? undefined : expect.errorBody(body, status);
    if (wrong) throw new Error(`error body ${wrong}: ${where}`);
  }
}

/**
 * The tables a refusal changed, with their row counts before and after; empty when it changed none. Every
 * table counts, the registries of orgs and tenants included: a read never registers one, only a write does.
 */
function changedTables(before: string, after: string): string[] {
  const [a, b] = [JSON.parse(before), JSON.parse(after)] as Array<Record<string, unknown[]>>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((table) => JSON.stringify(a[table]) !== JSON.stringify(b[table]))
    .map((table) => `${table} ${a[table]?.length ?? 0} -> ${b[table]?.length ?? 0} rows`);
}

const headBytes = (request: HostileRequest): number =>
  Buffer.byteLength(`${request.method} ${request.url} HTTP/1.1\r\n`) +
  Object.entries(request.headers ?? {}).reduce((n, [k, v]) => n + Buffer.byteLength(`${k}: ${v}\r\n`, 'latin1'), 0);

const describe = (request: HostileRequest, status: number, text: string): string =>
  `${request.method} ${request.url.slice(0, 200)} -> ${status} ${text.slice(0, 300)}`;

/** Runs a property and reports its outcome as one assertion; a failure carries fast-check's seed and path. */
export async function assertProperty(
  t: Test,
  name: string,
  property: fc.IAsyncPropertyWithHooks<any>,
  numRuns: number,
  harness: HostileHarness,
): Promise<void> {
  try {
    await fc.assert(property, { seed: FUZZ_SEED, numRuns });
    t.ok(true, `${name}: ${numRuns} hostile requests answered correctly (seed ${FUZZ_SEED}): ${harness.statuses()}`);
  } catch (err) {
    // What went wrong first; then fast-check's report (seed, path, counterexample), which can be huge.
    const { message, cause } = err as Error & { cause?: unknown };
    harness.statuses(); // counted shrinking too: start the next property afresh
    t.ok(false, `${name} (seed ${FUZZ_SEED}; SYNCMOCK_FUZZ_SEED replays another)`, {
      diagnostic: true, failure: cause instanceof Error ? cause.message.slice(0, 1500) : undefined, report: message.slice(0, 3000),
    });
  }
}
