// The one JSON body policy, registered once at the root for every route (the vendors' and the control API's):
// - at most BODY_LIMIT bytes (Fastify's bodyLimit, set from here; 413);
// - nested at most MAX_JSON_DEPTH levels: a deeper body is valid JSON well within the size limit, but the
//   recursive code that stores, checks and serialises it would overflow the stack (a 500);
// - no `__proto__` key, no `constructor` holding a `prototype` (prototype pollution), refused by name;
// - no number JSON cannot carry exactly (1e400 is Infinity; an integer written with more digits than a
//   double holds, 2^53 + 1 say, is stored as another), refused by field instead of stored changed; 1e300
//   is the double it names, as any JSON reader takes it;
// - an empty body is no body where an operation takes none (no body schema, or `config.bodyOptional`), so
//   those accept `Content-Type: application/json` with nothing after it (an official client sends that);
//   where a body is required, an empty one is refused saying so.
// Fastify's own parser (secure-json-parse) refuses the same keys but names neither the key nor where it is,
// and knows nothing of depth or numbers: hence JSON.parse and one walk over the result here.
import type { FastifyInstance } from 'fastify';
import { InvalidRequestShape } from './errors';

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
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const received = body as string;
    request.bodyBytes = Buffer.byteLength(received);
    const text = received.charCodeAt(0) === 0xfeff ? received.slice(1) : received;
    if (!/\S/.test(text)) {
      if (request.routeOptions.schema?.body === undefined || request.routeOptions.config.bodyOptional) return done(null, undefined);
      return done(new InvalidRequestShape('Request body is empty but Content-Type is application/json: this operation needs a JSON body'), undefined);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return done(new InvalidRequestShape(`Malformed JSON body: ${(err as Error).message}`), undefined);
    }
    const unsafe = unsafeIntegers(text);
    const problem = acceptable(value, unsafe) ? undefined : problemIn(value, unsafe, isCredential);
    if (problem) return done(new InvalidRequestShape(problem, [problem]), undefined);
    done(null, value);
  });
}

const NO_NUMBERS: ReadonlySet<number> = new Set();

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
  const depths: number[] = [0];
  while (objects.length > 0) {
    const value = objects.pop() as Record<string, unknown>;
    const depth = (depths.pop() as number) + 1;
    if (depth > MAX_JSON_DEPTH) return false;
    const array = Array.isArray(value);
    for (const key in value) {
      const child = value[key];
      if (!array && reachesPrototype(key, child)) return false;
      if (typeof child === 'number') {
        if (!Number.isFinite(child) || unsafe.has(child)) return false;
      } else if (child !== null && typeof child === 'object') {
        objects.push(child);
        depths.push(depth);
      }
    }
  }
  return true;
}

/** Where a value sits, as a chain back to the body (built only when a problem is reported). */
interface At {
  key: string;
  parent: At | undefined;
  depth: number;
}

/**
 * The integers written in digits alone (no fraction, no exponent) that a double cannot hold exactly, as the
 * numbers JSON.parse made of them. Only the text tells `9007199254740993` (refused) from `1e300` (fine).
 */
function unsafeIntegers(text: string): ReadonlySet<number> {
  if (!/\d{16}/.test(text)) return NO_NUMBERS; // nothing of 16 digits: every integer written is safe
  const found = new Set<number>();
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '-' || (c >= '0' && c <= '9')) {
      const token = /^-?\d+([.eE][-+\d.eE]*)?/.exec(text.slice(i, i + 400))?.[0] ?? c;
      if (!/[.eE]/.test(token) && !Number.isSafeInteger(Number(token))) found.add(Number(token));
      i += token.length - 1;
    }
  }
  return found;
}

/** What the policy refuses in a parsed body, or undefined. Iterative, so a deep value cannot overflow the stack. */
export function problemIn(root: unknown, unsafe: ReadonlySet<number> = NO_NUMBERS, isCredential: (key: string) => boolean = () => false): string | undefined {
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
    const depth = at === undefined ? 0 : at.depth;
    if (depth >= MAX_JSON_DEPTH) return `The request body is nested deeper than ${MAX_JSON_DEPTH} levels`;
    for (const [key, child] of Object.entries(value)) {
      const childAt: At = { key, parent: at, depth: depth + 1 };
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
  return keys.length === 0 ? 'The request body' : `Field '${keys.join('.')}'`;
}
