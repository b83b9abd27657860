// The one JSON body policy, registered once at the root for every route (the vendors' and the control API's):
// - at most BODY_LIMIT bytes (Fastify's bodyLimit, set from here; 413);
// - UTF-8, or a 400 naming the byte where it stops being UTF-8 (not decoded with replacement characters);
// - a syntax error is named by its rule and byte position (json-scan.ts), never by the text around it;
// - nested at most MAX_JSON_DEPTH levels: a deeper body is valid JSON well within the size limit, but the
//   recursive code that stores, checks and serialises it would overflow the stack (a 500), and JSON.parse
//   alone spends a fifth of a second on 1 MiB of `[`: refused by the scan, before it is parsed;
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
    const scan = scanJson(bytes, MAX_JSON_DEPTH);
    switch (scan.kind) {
      case 'empty':
        if (request.routeOptions.schema?.body === undefined || request.routeOptions.config.bodyOptional) return done(null, undefined);
        return refuse('Request body is empty but Content-Type is application/json: this operation needs a JSON body');
      case 'syntax':
        return refuse(`Malformed JSON body: ${scan.rule} at byte ${scan.at}`);
      case 'too deep':
        return refuse(`The request body is nested deeper than ${MAX_JSON_DEPTH} levels (at byte ${scan.at})`);
    }
    const value: unknown = JSON.parse(bytes.toString('utf8', textStart(bytes)));
    const problem = acceptable(value, scan.unsafeIntegers) ? undefined : problemIn(value, scan.unsafeIntegers, isCredential);
    if (problem) return refuse(problem);
    done(null, value);
  });
}

/** A key that could reach an object's prototype: `__proto__`, or `constructor` holding a `prototype`. */
const reachesPrototype = (key: string, child: unknown): boolean =>
  key === '__proto__' || (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype'));

/**
 * Whether problemIn() would find nothing: the same rules, walked without noting where each value sits (what
 * every well-formed body costs); problemIn() runs only to say where the problem is.
 */
function acceptable(root: unknown, unsafe: ReadonlySet<number>): boolean {
  if (root === null || typeof root !== 'object') return typeof root !== 'number' || (Number.isFinite(root) && !unsafe.has(root));
  const objects: object[] = [root];
  while (objects.length > 0) {
    const value = objects.pop() as Record<string, unknown>;
    const array = Array.isArray(value);
    for (const key in value) {
      const child = value[key];
      if (!array && reachesPrototype(key, child)) return false;
      if (typeof child === 'number') {
        if (!Number.isFinite(child) || unsafe.has(child)) return false;
      } else if (child !== null && typeof child === 'object') {
        objects.push(child);
      }
    }
  }
  return true;
}

/** Where a value sits, as a chain back to the body (built only when a problem is reported). */
interface At {
  key: string;
  parent: At | undefined;
}

/** What the policy refuses in a parsed body (nested within the limit), or undefined. */
function problemIn(root: unknown, unsafe: ReadonlySet<number>, isCredential: (key: string) => boolean): string | undefined {
  const where = (at: At | undefined): string => whereIn(at, isCredential);
  const pending: Array<[unknown, At | undefined]> = [[root, undefined]];
  while (pending.length > 0) {
    const [value, at] = pending.pop() as [unknown, At | undefined];
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || unsafe.has(value)) {
        return `${where(at)} holds a number JSON cannot carry exactly (beyond ±2^53 or out of range): send it as a string`;
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value)) {
      const childAt: At = { key, parent: at };
      if (reachesPrototype(key, child)) {
        return `${where(childAt)} is not allowed: keys that could reach an object's prototype are refused`;
      }
      pending.push([child, childAt]);
    }
  }
  return undefined;
}

/** Where a value sits; inside a credential (secrets), only as far as the credential's key: the keys below may be secret. */
function whereIn(at: At | undefined, isCredential: (key: string) => boolean): string {
  let keys: string[] = [];
  for (let node = at; node; node = node.parent) keys.unshift(node.key);
  const credential = keys.findIndex(isCredential);
  if (credential >= 0) keys = keys.slice(0, credential + 1);
  return keys.length === 0 ? 'The request body' : `Field '${shown(keys.join('.'))}'`;
}
