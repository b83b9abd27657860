// Every error answer of a surface (a vendor, the control API) from its one formatter: the problem an error
// is (platform/errors.ts), logged when it was no problem of ours to raise, then the formatter's status,
// headers and body. The same formatter answers requests Fastify never had (platform/client-errors.ts).
// Every answer is redacted here, the one place: the server's credentials and the request's own, wherever
// the text put them (a key pasted into the path is quoted by a 404).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { RawErrorResponse } from './client-errors';
import { Problem, ServerFault, problemFromError } from './errors';
import type { Redaction } from './redaction';
import { routedPath } from './routed-path';

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's Redaction (app.ts decorates the root with it), for the error answers. */
    redaction: Redaction;
  }
}

/** An error answer with the credentials in its text hidden: the server's, and when given, the request's own. */
export function redactedAnswer(response: RawErrorResponse, redaction: Redaction, request?: FastifyRequest): RawErrorResponse {
  const secrets = redaction.secretsOf(request === undefined ? [] : redaction.requestCredentials(request.headers, request.query, request.body));
  return secrets.empty ? response : secrets.redactDeep(response);
}

/** Where an error is answered: the routed path, and for a request Fastify has, the request and its reply. */
export interface ErrorSite {
  path: string;
  request?: FastifyRequest;
  /** Read only: the formatter may read headers set before the error (a request id), never send. */
  reply?: FastifyReply;
}

/** A surface's one error formatter. */
export type ErrorFormatter = (problem: Problem, site: ErrorSite) => RawErrorResponse;

/** Fastify's error handler answering every error through `format`. */
export function errorHandlerOf(format: ErrorFormatter) {
  return function answerError(err: FastifyError | Problem, request: FastifyRequest, reply: FastifyReply): void {
    const problem = problemFromError(err);
    if (problem instanceof ServerFault && !(err instanceof Problem)) request.log.error({ err }, 'unexpected error');
    const response = redactedAnswer(format(problem, { path: routedPath(request.url), request, reply }), request.server.redaction, request);
    if (response.headers !== undefined) reply.headers(response.headers);
    reply.code(response.status).type('application/json').send(response.body);
  };
}
