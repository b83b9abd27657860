import type { RawErrorResponse } from '../platform/client-errors';
import { Forbidden, InvalidInput, InvalidRequestShape, NotFound, Problem, RateLimited } from '../platform/errors';

/**
 * Datadog's own kinds of error, each with its wire form, as moto's exceptions own their codes: a rule raises
 * the kind its problem is, with the text alone, and datadogErrorBody writes it. Most follow the service
 * family's `code(message)` style; a refused credential or permission reads `Forbidden: …`.
 */
type DatadogWire = 'input_validation_error' | 'invalid_argument' | 'not_found' | 'forbidden';

/** A kind: the platform's problem it is (its status), its wire form and its message; the detail is the rule's. */
function datadogKind(base: new (message: string, details: string[]) => Problem & { readonly status: number }, wire: DatadogWire, message: string) {
  return class extends base {
    readonly wire: DatadogWire = wire;
    constructor(detail: string) {
      super(message, [detail]);
    }
  };
}

/** A request Datadog refuses by its rules (a header, a value it cannot take), as a schema check would. */
export const InputValidationError = datadogKind(InvalidInput, 'input_validation_error', 'Invalid request');
/** A well-formed request whose content the operation cannot act on (credentials a source rejected…). */
export const InvalidArgument = datadogKind(InvalidInput, 'invalid_argument', 'Invalid argument');
/** No such config, type or route. */
export const ResourceNotFound = datadogKind(NotFound, 'not_found', 'Not found');
/** Credentials that identify no caller, or a caller without the right. */
export const PermissionDenied = datadogKind(Forbidden, 'forbidden', 'Forbidden');
export type PermissionDenied = InstanceType<typeof PermissionDenied>;
export type ResourceNotFound = InstanceType<typeof ResourceNotFound>;

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

/**
 * Every Datadog error answer. The client sleeps X-RateLimit-Reset seconds before a retry (429 and 5xx
 * alike), so an injected fault that names a wait says it there.
 */
export function datadogErrorResponse(problem: Problem): RawErrorResponse {
  const headers: Record<string, string> = {};
  if (problem.retryAfterSeconds !== undefined) headers['x-ratelimit-reset'] = String(problem.retryAfterSeconds);
  if (problem instanceof RateLimited) headers['x-ratelimit-remaining'] = '0';
  return { status: problem.status, headers, body: datadogErrorBody(problem) };
}
