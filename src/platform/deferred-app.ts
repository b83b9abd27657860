// A Fastify instance built on the first request that needs it, for plugins only some servers ever use (Swagger
// UI, @fastify/static for the dashboard, @fastify/multipart for the token endpoint): loading and registering
// them was a measurable part of every start (`npm run bench`, cold start). A route cannot be added once the
// server listens, so the owner registers its own routes (or parser) at start, and they hand the request to
// the deferred instance (light-my-request, Fastify's inject). The owner's router decided who owns the
// request and its scope's hooks (Host check, CORS, the admin token) ran before; the answer goes out through
// the owner's reply, so its onSend hooks, logging and error handling are the owner's too.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type InjectOptions, type LightMyRequestResponse } from 'fastify';

/** Headers about the connection or the message framing: the owner's reply has its own. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date', 'content-length']);

export class DeferredApp {
  private built?: Promise<FastifyInstance>;
  /** Requests the instance had no route for, and those it answered with an error: the owner's to answer. */
  private readonly unserved = new WeakSet<object>();
  private readonly failed = new WeakMap<object, Error>();

  /** `build` registers the instance's plugins and routes, at the same full paths as the owner's requests. */
  constructor(private readonly build: (app: FastifyInstance) => Promise<void>) {}

  /** The instance, built and ready (once; concurrent first requests share the build). */
  instance(): Promise<FastifyInstance> {
    this.built ??= (async () => {
      // The owner's router reads paths the same way (app.ts).
      const app = Fastify({ routerOptions: { ignoreDuplicateSlashes: true } });
      app.setNotFoundHandler((request, reply) => {
        this.unserved.add(request.raw);
        reply.code(404).send();
      });
      app.setErrorHandler((err, request, reply) => {
        this.failed.set(request.raw, err as Error);
        reply.send();
      });
      await this.build(app);
      await app.ready();
      return app;
    })();
    return this.built;
  }

  /**
   * The instance's handling of one request: its answer, the error it raised (for the owner's error handler
   * to answer) and whether it had no route for it (for the owner's not-found handler).
   */
  async handle(options: InjectOptions): Promise<{ response: LightMyRequestResponse; error?: Error; unserved: boolean }> {
    const response = await (await this.instance()).inject(options);
    return { response, error: this.failed.get(response.raw.req), unserved: this.unserved.has(response.raw.req) };
  }

  /**
   * A handler for the owner's GET routes (and their HEAD twins): the instance's status, headers and body for
   * the same URL and headers (a HEAD is answered from the GET's answer, as Fastify answers HEAD). What the
   * instance has no route for is the owner's `notFound` (its scope's not-found handler unless told
   * otherwise), and an error it raised goes to the owner's error handler, so both get the owner's shape.
   */
  answer(notFound: (request: FastifyRequest, reply: FastifyReply) => unknown = (_request, reply) => reply.callNotFound()) {
    // The handler answers through `reply` and returns it, never what notFound returns: a value returned from
    // an async handler after the reply went out is sent again (FST_ERR_REP_ALREADY_SENT).
    const unserved = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      await notFound(request, reply);
      return reply;
    };
    return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      // light-my-request reads the URL as a WHATWG URL (dot segments resolved, `\` as `/`, some characters
      // escaped): one that does not come through unchanged, which no browser sends, would reach another path
      // than the owner's router matched, and is not passed on.
      const parsed = new URL(request.url, 'http://localhost');
      if (parsed.pathname + parsed.search !== request.url) return unserved(request, reply);
      const headers = { ...request.headers };
      delete headers['content-length'];
      delete headers['transfer-encoding'];
      const { response: res, error, unserved: missing } = await this.handle({ method: 'GET', url: request.url, headers });
      if (error) throw error;
      if (missing) return unserved(request, reply);
      reply.code(res.statusCode);
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined && !CONNECTION_HEADERS.has(name)) reply.header(name, value);
      }
      // Nothing (a redirect, a 304) is sent as nothing: a Buffer, even empty, would get a content type.
      if (res.rawPayload.length > 0) reply.send(res.rawPayload);
      else reply.send();
      return reply;
    };
  }
}
