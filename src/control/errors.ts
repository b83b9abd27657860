// The control API's one error shape, formatted here and nowhere else (schemas/control/error.json):
//   {"statusCode": 400, "error": "Bad Request", "message": "Field 'probability' must be <= 1", "details": [...]}
// Fastify's own error shape plus every problem found, so a client that knows Fastify's reads it as is.
import { STATUS_CODES } from 'node:http';
import { errorHandlerOf } from '../platform/error-replies';
import type { Problem } from '../platform/errors';
import { ref } from '../platform/schemas';

export function controlErrorBody(problem: Problem): { statusCode: number; error: string; message: string; details: string[] } {
  const details = problem.details.length > 0 ? problem.details : [problem.message];
  return { statusCode: problem.status, error: STATUS_CODES[problem.status] ?? 'Error', message: details[0], details };
}

export const controlErrorHandler = errorHandlerOf((problem) => ({ status: problem.status, body: controlErrorBody(problem) }));

/** The OpenAPI tag of every control route. */
export const CONTROL_TAGS = ['Control'];

/**
 * Response schemas for the error statuses a control route documents: 400 (bad input), 401 (admin token) and
 * 403 (the Host, or a page on another site: guard.ts) always.
 */
export const controlErrorResponses = (...more: number[]): Record<number, Record<string, unknown>> =>
  Object.fromEntries([400, 401, 403, ...more].map((status) => [status, ref('control/error.json')]));

