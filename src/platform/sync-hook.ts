// Hooks that run on every request and do nothing asynchronous are written as callback hooks: an async hook
// costs a promise and a turn of the microtask queue per request, which the benchmark (`npm run bench`) shows.
import type { FastifyError, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';

/** An onRequest hook from a synchronous check; what the check throws goes to the error handler. */
export function syncHook(check: (request: FastifyRequest, reply: FastifyReply) => void): onRequestHookHandler {
  return (request, reply, done) => {
    try {
      check(request, reply);
    } catch (err) {
      return done(err as FastifyError);
    }
    done();
  };
}
