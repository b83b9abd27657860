// Every error answer of a surface (a vendor, the control API) from its one formatter: the problem an error
// is (platform/errors.ts), logged when it was no problem of ours to raise, then the formatter's status,
// headers and body. The same formatter answers requests Fastify never had (platform/client-errors.ts).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { RawErrorResponse } from './client-errors';
import { Problem, ServerFault, problemFromError } from './errors';
import { routedPath } from './routed-path';

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
    const response = format(problem, { path: routedPath(request.url), request, reply });
    if (response.headers !== undefined) reply.headers(response.headers);
    reply.code(response.status).type('application/json').send(response.body);
  };
}
