// JSON request bodies: Fastify's own parser (which refuses `__proto__` and `constructor.prototype` keys)
// plus a nesting limit. A deeply nested body is valid JSON well within 1 MiB, but the recursive code that
// stores, checks and serialises it (JSON.stringify, the credential check) overflows the stack: without the
// limit a client's mistake would be a 500.
import type { FastifyInstance } from 'fastify';
import { InvalidRequestShape } from './errors';

/** Objects and arrays nested inside one another, the body itself being level 1. */
export const MAX_JSON_DEPTH = 100;

export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parse(request, body as string, (err, value) => {
      if (err) return done(err, undefined);
      if (deeperThan(value, MAX_JSON_DEPTH)) {
        return done(new InvalidRequestShape(`The request body is nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      }
      done(null, value);
    });
  });
}

/** Iterative, so that measuring a deep value cannot overflow the stack either. */
function deeperThan(root: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[root, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop() as [unknown, number];
    if (value === null || typeof value !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(value)) if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return false;
}
