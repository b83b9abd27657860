// The one place JumpCloud's error bodies are formatted (schemas/jumpcloud/error.json): the HTTP reason as
// an upper-case code, the problem's message, and its details when it has any.
import { STATUS_CODES } from 'node:http';
import type { JumpcloudError } from '../../../src/generated/schema-types';
import type { RawErrorResponse } from '../../../src/platform/client-errors';
import { RateLimited, type Problem } from '../../../src/platform/errors';

export function jumpcloudErrorBody(problem: Problem): JumpcloudError {
  const code = (STATUS_CODES[problem.status] ?? 'Error').toUpperCase().replace(/[^A-Z]+/g, '_');
  return { code, message: problem.message, ...(problem.details.length > 0 && { details: problem.details }) };
}

/** Every JumpCloud error answer, Retry-After on a 429. */
export function jumpcloudErrorResponse(problem: Problem): RawErrorResponse {
  const headers: Record<string, string> = problem instanceof RateLimited ? { 'retry-after': String(problem.retryAfterSeconds) } : {};
  return { status: problem.status, headers, body: jumpcloudErrorBody(problem) };
}
