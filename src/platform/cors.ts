// CORS for browser use: on for the emulated APIs and the docs, off for the control API unless asked for.
// Not @fastify/cors: turning it off under one path prefix took its per-request delegator, which rebuilds and
// normalises every option on each request (6–7% of a GET's time in `npm run bench`), and even its static mode
// copies its options and builds Fastify's route options twice per request. What syncmock needs is one
// decision per request and headers computed once, as below (the same headers @fastify/cors sent).
import type { FastifyInstance } from 'fastify';
import type { SyncmockConfig } from '../config';
import { surfaceOf } from './surfaces';
import type { VendorContract } from './vendor';

const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';

/**
 * Registered on the root instance, before any route: preflights are answered in this onRequest hook, ahead
 * of every vendor plugin's auth hook (browsers never send credentials on one), and so are preflights to
 * paths no route has. Where CORS is off, no CORS header is sent and an OPTIONS request is no preflight: the
 * root route below answers it 404, as @fastify/cors's did, before the control API's own hooks could.
 */
export function registerCors(app: FastifyInstance, config: SyncmockConfig['cors'], vendors: readonly VendorContract[]): void {
  const anyOrigin = config.origins.includes('*');
  const origins = new Set(config.origins);
  const exposed = [...new Set(vendors.flatMap((v) => v.cors.exposedHeaders))].join(', ');
  const allowedHeaders = [...new Set(['Content-Type', ...vendors.flatMap((v) => v.cors.allowedHeaders)])].join(', ');
  app.addHook('onRequest', (request, reply, done) => {
    if (!config.admin && surfaceOf(request.url, vendors).kind === 'control') return done();
    if (anyOrigin) {
      reply.header('access-control-allow-origin', '*');
    } else {
      // The answer depends on the Origin, whether it is granted or not: caches must know.
      reply.header('vary', 'Origin');
      const origin = request.headers.origin;
      if (origin !== undefined && origins.has(origin)) reply.header('access-control-allow-origin', origin);
    }
    reply.header('access-control-expose-headers', exposed);
    if (request.method !== 'OPTIONS') return done();
    // Any OPTIONS request gets the preflight's 204, also one that is not a browser preflight (no Origin or
    // Access-Control-Request-Method): a 400 of our own would match neither vendor's error shape. Safari
    // waits for a body on a 204 without Content-Length: 0.
    reply.header('access-control-allow-methods', METHODS).header('access-control-allow-headers', allowedHeaders)
      .header('content-length', '0').code(204).send();
  });
  app.options('*', { schema: { hide: true } }, (_request, reply) => {
    reply.callNotFound();
  });
}
