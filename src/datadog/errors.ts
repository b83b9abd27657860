import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { RawErrorResponse } from '../platform/client-errors';
import { Forbidden, InvalidInput, InvalidRequestShape, NotFound, Problem, RateLimited, ServerFault, problemFromError } from '../platform/errors';

/**
 * Datadog's own kinds of error, each with its wire form, as moto's exceptions own their codes: a rule raises
 * the kind its problem is, with the text alone, and datadogErrorBody writes it. Most follow the service
 * family's `code(message)` style; a refused credential or permission reads `Forbidden: …`.
 */
type DatadogWire = 'input_validation_error' | 'invalid_argument' | 'not_found' | 'forbidden';

/** A request Datadog refuses by its rules (a header, a value it cannot take), as a schema check would. */
export class InputValidationError extends InvalidInput {
  readonly wire: DatadogWire = 'input_validation_error';
  constructor(detail: string) {
    super('Invalid request', [detail]);
  }
}

/** A well-formed request whose content the operation cannot act on (credentials a source rejected…). */
export class InvalidArgument extends InvalidInput {
  readonly wire: DatadogWire = 'invalid_argument';
  constructor(detail: string) {
    super('Invalid argument', [detail]);
  }
}

/** No such config, type or route. */
export class ResourceNotFound extends NotFound {
  readonly wire: DatadogWire = 'not_found';
  constructor(detail: string) {
    super('Not found', [detail]);
  }
}

/** Credentials that identify no caller, or a caller without the right. */
export class PermissionDenied extends Forbidden {
  readonly wire: DatadogWire = 'forbidden';
  constructor(detail: string) {
    super('Forbidden', [detail]);
  }
}

const wireOf = (problem: Problem): DatadogWire | undefined =>
  (problem instanceof InvalidRequestShape ? 'input_validation_error' : (problem as { wire?: DatadogWire }).wire);

/**
 * Datadog's APIErrorResponse, `{"errors": ["…"]}`, for every problem: the one place it is formatted, each
 * detail in its kind's wire form.
 */
export function datadogErrorBody(problem: Problem): { errors: string[] } {
  if (problem instanceof RateLimited) return { errors: ['Too many requests'] };
  const details = problem.details.length > 0 ? problem.details : [problem.message];
  const wire = wireOf(problem);
  if (wire === undefined) return { errors: details };
  return { errors: details.map((d) => (wire === 'forbidden' ? `Forbidden: ${d}` : `${wire}(${d})`)) };
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
