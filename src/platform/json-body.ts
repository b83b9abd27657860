// The one JSON body policy, registered once at the root for every route (the vendors' and the control API's):
// - at most BODY_LIMIT bytes (Fastify's bodyLimit, set from here; 413);
// - nested at most MAX_JSON_DEPTH levels: a deeper body is valid JSON well within the size limit, but the
//   recursive code that stores, checks and serialises it would overflow the stack (a 500);
// - no `__proto__` key, no `constructor` holding a `prototype` (prototype pollution), refused by name;
// - no number JSON cannot carry exactly (1e400 is Infinity, 2^53 + 1 is stored as 2^53), refused by field
//   instead of stored changed;
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

export function registerJsonBodyPolicy(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.bodyBytes = Buffer.byteLength(body as string);
    const text = (body as string).replace(/^\uFEFF/, '');
    if (text.trim() === '') {
      if (request.routeOptions.schema?.body === undefined || request.routeOptions.config.bodyOptional) return done(null, undefined);
      return done(new InvalidRequestShape('Request body is empty but Content-Type is application/json: this operation needs a JSON body'), undefined);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return done(new InvalidRequestShape(`Malformed JSON body: ${(err as Error).message}`), undefined);
    }
    const problem = problemIn(value);
    if (problem) return done(new InvalidRequestShape(problem, [problem]), undefined);
    done(null, value);
  });
}

/** Where a value sits, as a chain back to the body (built only when a problem is reported). */
interface At {
  key: string;
  parent: At | undefined;
  depth: number;
}

/** What the policy refuses in a parsed body, or undefined. Iterative, so a deep value cannot overflow the stack. */
export function problemIn(root: unknown): string | undefined {
  const pending: Array<[unknown, At | undefined]> = [[root, undefined]];
  while (pending.length > 0) {
    const [value, at] = pending.pop() as [unknown, At | undefined];
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
        return `${where(at)} holds a number JSON cannot carry exactly (beyond ±2^53 or out of range): send it as a string`;
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const depth = at === undefined ? 0 : at.depth;
    if (depth >= MAX_JSON_DEPTH) return `The request body is nested deeper than ${MAX_JSON_DEPTH} levels`;
    for (const [key, child] of Object.entries(value)) {
      const childAt: At = { key, parent: at, depth: depth + 1 };
      if (key === '__proto__' || (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype'))) {
        return `${where(childAt)} is not allowed: keys that could reach an object's prototype are refused`;
      }
      pending.push([child, childAt]);
    }
  }
  return undefined;
}

function where(at: At | undefined): string {
  const keys: string[] = [];
  for (let node = at; node; node = node.parent) keys.unshift(node.key);
  return keys.length === 0 ? 'The request body' : `Field '${keys.join('.')}'`;
}
