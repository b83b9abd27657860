// The one JSON body policy, registered once at the root for every route (the vendors' and the control API's):
// - at most BODY_LIMIT bytes (Fastify's bodyLimit, set from here; 413);
// - UTF-8, or a 400 naming the byte where it stops being UTF-8 (not decoded with replacement characters);
// - a syntax error is named by its rule and byte position (json-scan.ts), never by the text around it;
// - nested at most MAX_JSON_DEPTH levels: a deeper body is valid JSON well within the size limit, but the
//   recursive code that stores, checks and serialises it would overflow the stack (a 500), and JSON.parse
//   alone spends a fifth of a second on 1 MiB of `[`: refused by the scan, before it is parsed;
// - at most MAX_JSON_VALUES values: parsing, checking, storing and answering cost time per value (about
//   1.5 µs each, on the benchmark's machine, for objects with keys of their own), and 1 MiB holds half a
//   million of them; 10,000 entries of four fields (the most a vendor's state document lists) are 50,000; and at most MAX_JSON_MEMBERS members in one object, which V8 makes several times dearer per
//   member once it is wide (a state document of 10,000 orgs has that many);
// - no `__proto__` key, no `constructor` holding a `prototype` (prototype pollution), refused by name;
// - no number JSON cannot carry exactly (1e400 is Infinity; an integer written with more digits than a
//   double holds, 2^53 + 1 say, is stored as another), refused by field instead of stored changed; 1e300
//   is the double it names, as any JSON reader takes it;
// - an empty body is no body where an operation takes none (no body schema, or `config.bodyOptional`), so
//   those accept `Content-Type: application/json` with nothing after it (an official client sends that);
//   where a body is required, an empty one is refused saying so.
// Fastify's own parser (secure-json-parse) refuses the same keys but names neither the key nor where it is,
// knows nothing of depth or numbers, and passes V8's messages on (they quote the body): hence the scan,
// JSON.parse, and one walk over the result here. Each step is linear in the body.
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { InvalidRequestShape, shown } from './errors';
import { firstInvalidUtf8, scanJson, textStart } from './json-scan';

export const BODY_LIMIT = 1024 * 1024;
export const BODY_LIMIT_TEXT = '1 MiB';

/** Objects and arrays nested inside one another, the body itself being level 1. */
export const MAX_JSON_DEPTH = 100;

/** Values in a body: each object, array, string, number, true, false and null counts once. */
export const MAX_JSON_VALUES = 60_000;

/** Members of one object in a body (an export's orgs or tenants are the members of one). */
export const MAX_JSON_MEMBERS = 10_000;

declare module 'fastify' {
  interface FastifyRequest {
    /** Bytes of the JSON body as received (chunked bodies have no Content-Length). */
    bodyBytes?: number;
  }
  interface FastifyContextConfig {
    /** The operation's request body may be left out although it has a schema. */
    bodyOptional?: true;
  }
}

/** `isCredential`: a key whose value is a credential; a problem inside one is named by that key alone. */
export function registerJsonBodyPolicy(app: FastifyInstance, isCredential: (key: string) => boolean = () => false): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.bodyBytes = bytes.length;
    const refuse = (problem: string) => done(new InvalidRequestShape(problem, [problem]), undefined);
    if (!isUtf8(bytes)) return refuse(`Malformed JSON body: invalid UTF-8 at byte ${firstInvalidUtf8(bytes)}`);
    const scan = scanJson(bytes, { depth: MAX_JSON_DEPTH, values: MAX_JSON_VALUES, members: MAX_JSON_MEMBERS });
    switch (scan.kind) {
      case 'empty':
        if (request.routeOptions.schema?.body === undefined || request.routeOptions.config.bodyOptional) return done(null, undefined);
        return refuse('Request body is empty but Content-Type is application/json: this operation needs a JSON body');
      case 'syntax':
        return refuse(`Malformed JSON body: ${scan.rule} at byte ${scan.at}`);
      case 'too deep':
        return refuse(`The request body is nested deeper than ${MAX_JSON_DEPTH} levels (at byte ${scan.at})`);
      case 'too many members':
        return refuse(`An object in the request body holds more than ${MAX_JSON_MEMBERS.toLocaleString('en-US')} members (the one past the limit starts at byte ${scan.at})`);
      case 'too many values':
        return refuse(`The request body holds more than ${MAX_JSON_VALUES.toLocaleString('en-US')} values (objects, arrays, strings, numbers, booleans and nulls; the one past the limit starts at byte ${scan.at})`);
    }
    const value: unknown = JSON.parse(bytes.toString('utf8', textStart(bytes)));
    const problem = problemIn(value, scan.unsafeIntegers, isCredential);
    if (problem) return refuse(problem);
    done(null, value);
  });
}

/** A key that could reach an object's prototype: `__proto__`, or `constructor` holding a `prototype`. */
const reachesPrototype = (key: string, child: unknown): boolean =>
  key === '__proto__' || (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype'));

/** An object or array being walked: its keys (none for an array, walked by index) and how far the walk is. */
interface Frame {
  value: Record<string, unknown>;
  keys: string[] | undefined;
  length: number;
  next: number;
}

const frame = (value: object): Frame => {
  const keys = Array.isArray(value) ? undefined : Object.keys(value);
  return { value: value as Record<string, unknown>, keys, length: keys?.length ?? (value as unknown[]).length, next: 0 };
};

const badNumber = (value: unknown, unsafe: ReadonlySet<number>): boolean =>
  typeof value === 'number' && (!Number.isFinite(value) || unsafe.has(value));

/**
 * What the policy refuses in a parsed body (nested within the limit, so the walk's stack is short), or
 * undefined. One walk, depth first, keeping one frame per open object or array and nothing per value: the
 * frames are where the problem is, when there is one.
 */
function problemIn(root: unknown, unsafe: ReadonlySet<number>, isCredential: (key: string) => boolean): string | undefined {
  const numberProblem = (where: string) => `${where} holds a number JSON cannot carry exactly (beyond ±2^53 or out of range): send it as a string`;
  if (badNumber(root, unsafe)) return numberProblem('The request body');
  if (root === null || typeof root !== 'object') return undefined;
  const stack: Frame[] = [frame(root)];
  const where = (last: string) => whereIn([...stack.map((f) => (f.keys ? f.keys[f.next - 1] : String(f.next - 1))).slice(0, -1), last], isCredential);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next === top.length) {
      stack.pop();
      continue;
    }
    const key = top.keys ? top.keys[top.next] : top.next;
    top.next++;
    const child = top.value[key];
    if (top.keys && reachesPrototype(key as string, child)) {
      return `${where(key as string)} is not allowed: keys that could reach an object's prototype are refused`;
    }
    if (badNumber(child, unsafe)) return numberProblem(where(String(key)));
    if (child !== null && typeof child === 'object') stack.push(frame(child));
  }
  return undefined;
}

/** Where a value sits; inside a credential (secrets), only as far as the credential's key: the keys below may be secret. */
function whereIn(path: string[], isCredential: (key: string) => boolean): string {
  const credential = path.findIndex(isCredential);
  const keys = credential >= 0 ? path.slice(0, credential + 1) : path;
  return keys.length === 0 ? 'The request body' : `Field '${shown(keys.join('.'))}'`;
}
