import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { RawErrorResponse } from '../platform/client-errors';
import { InvalidRequestShape, Problem, RateLimited, ServerFault, problemFromError } from '../platform/errors';

/**
 * Datadog's APIErrorResponse, `{"errors": ["…"]}`, for every problem: the one place it is formatted. Messages
 * follow the service family's `code(message)` style: input_validation_error(…), not_found(…).
 */
export function datadogErrorBody(problem: Problem): { errors: string[] } {
  if (problem instanceof InvalidRequestShape) {
    const details = problem.details.length > 0 ? problem.details : [problem.message];
    return { errors: details.map((d) => `input_validation_error(${d})`) };
  }
  if (problem instanceof RateLimited) return { errors: ['Too many requests'] };
  return { errors: problem.details.length > 0 ? problem.details : [problem.message] };
}

export function datadogErrorHandler(err: FastifyError | Problem, request: FastifyRequest, reply: FastifyReply): void {
  const problem = problemFromError(err);
  if (problem instanceof ServerFault && !(err instanceof Problem)) request.log.error({ err }, 'unexpected error');
  // The client sleeps X-RateLimit-Reset seconds before a retry (429 and 5xx alike), so an injected fault
  // that names a wait says it there.
  if (problem.retryAfterSeconds !== undefined) reply.header('x-ratelimit-reset', String(problem.retryAfterSeconds));
  if (problem instanceof RateLimited) reply.header('x-ratelimit-remaining', '0');
  reply.code(problem.status).type('application/json').send(datadogErrorBody(problem));
}

/** A problem met before Fastify had a request to hand (platform/client-errors.ts), as Datadog answers it. */
export const datadogRawError = (problem: Problem): RawErrorResponse => ({ status: problem.status, body: datadogErrorBody(problem) });
