// Hooks that run on every request and do nothing asynchronous are written as callback hooks: an async hook
// costs a promise and a turn of the microtask queue per request, which the benchmark (`npm run bench`) shows.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions, onRequestHookHandler } from 'fastify';

/** An onRequest hook from a synchronous check; what the check throws goes to the error handler. */
export function callbackHook(check: (request: FastifyRequest, reply: FastifyReply) => void): onRequestHookHandler {
  return (request, reply, done) => {
    try {
      check(request, reply);
    } catch (err) {
      return done(err as FastifyError);
    }
    done();
  };
}

/**
 * Gives every route `select` picks something for (from its config, say) an onRequest hook of its own that
 * runs `check` with it: the route's options are read once, when it is added, where `request.routeOptions` is
 * built afresh on every read. Route hooks run after the plugin's own.
 */
export function onRequestPerRoute<T>(
  app: FastifyInstance, select: (route: RouteOptions) => T | undefined, check: (request: FastifyRequest, reply: FastifyReply, selected: T) => void,
): void {
  app.addHook('onRoute', (route) => {
    const selected = select(route);
    if (selected !== undefined) route.onRequest = [...[route.onRequest ?? []].flat(), callbackHook((request, reply) => check(request, reply, selected))];
  });
}
