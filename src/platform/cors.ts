// CORS for browser use: on for the emulated APIs and the docs, off for the control API unless asked for
// (--admin-cors). Each surface's plugin calls allowCors() inside its own scope, so the router's match decides
// which requests get CORS headers, never the text of the URL.
// Not @fastify/cors: turning it off for one surface took its per-request delegator, which rebuilds and
// normalises every option on each request (6–7% of a GET's time in `npm run bench`), and even its static mode
// copies its options and builds Fastify's route options twice per request. What syncmock needs is headers
// computed once, as below (the same headers @fastify/cors sent).
import type { FastifyInstance } from 'fastify';
import type { Config } from '../generated/schema-types';
import type { VendorContract } from './vendor';

const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';

/** The CORS headers of one server, computed once from its configuration and vendors. */
export class CorsPolicy {
  readonly anyOrigin: boolean;
  private readonly origins: ReadonlySet<string>;
  readonly exposed: string;
  readonly allowedHeaders: string;

  constructor(readonly config: Config['cors'], vendors: readonly Pick<VendorContract, 'cors'>[]) {
    this.anyOrigin = config.origins.includes('*');
    this.origins = new Set(config.origins);
    this.exposed = [...new Set(vendors.flatMap((v) => v.cors.exposedHeaders))].join(', ');
    this.allowedHeaders = [...new Set(['Content-Type', ...vendors.flatMap((v) => v.cors.allowedHeaders)])].join(', ');
  }

  /** Whether a page at `origin` is granted (the --cors-origin list, or any with `*`). */
  grants(origin: string): boolean {
    return this.anyOrigin || this.origins.has(origin);
  }
}

/**
 * CORS for every route of the calling plugin's scope and its not-found handler (a preflight to a path under the
 * plugin's prefix reaches one of the two), answering preflights in an onRequest hook ahead of the plugin's
 * other hooks: browsers never send credentials on one. Any OPTIONS request gets the preflight's 204, also one
 * that is not a browser preflight (no Origin or Access-Control-Request-Method): a 400 of our own would match
 * neither vendor's error shape. Call it before the plugin adds hooks that must not run for preflights.
 */
export function allowCors(app: FastifyInstance, policy: CorsPolicy): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (policy.anyOrigin) {
      reply.header('access-control-allow-origin', '*');
    } else {
      // The answer depends on the Origin, whether it is granted or not: caches must know.
      reply.header('vary', 'Origin');
      const origin = request.headers.origin;
      if (origin !== undefined && policy.grants(origin)) reply.header('access-control-allow-origin', origin);
    }
    reply.header('access-control-expose-headers', policy.exposed);
    if (request.method !== 'OPTIONS') return done();
    // Safari waits for a body on a 204 without Content-Length: 0.
    reply.header('access-control-allow-methods', METHODS).header('access-control-allow-headers', policy.allowedHeaders)
      .header('content-length', '0').code(204).send();
  });
}
