// The one place JumpCloud's error bodies are formatted (schemas/jumpcloud/error.json): the HTTP reason as
// an upper-case code, the problem's message, and its details when it has any.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { JumpcloudError } from '../../../src/generated/schema-types';
import type { RawErrorResponse } from '../../../src/platform/client-errors';
import { Problem, RateLimited, ServerFault, problemFromError } from '../../../src/platform/errors';

export function jumpcloudErrorBody(problem: Problem): JumpcloudError {
  const code = (STATUS_CODES[problem.status] ?? 'Error').toUpperCase().replace(/[^A-Z]+/g, '_');
  return { code, message: problem.message, ...(problem.details.length > 0 && { details: problem.details }) };
}

export function jumpcloudErrorHandler(err: FastifyError | Problem, request: FastifyRequest, reply: FastifyReply): void {
  const problem = problemFromError(err);
  if (problem instanceof ServerFault && !(err instanceof Problem)) request.log.error({ err }, 'unexpected error');
  if (problem instanceof RateLimited) reply.header('retry-after', String(problem.retryAfterSeconds));
  reply.code(problem.status).type('application/json').send(jumpcloudErrorBody(problem));
}

/** A problem met before Fastify had a request (src/platform/client-errors.ts). */
export function jumpcloudRawError(problem: Problem): RawErrorResponse {
  return { status: problem.status, headers: {}, body: jumpcloudErrorBody(problem) };
}
