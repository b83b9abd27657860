import { randomFillSync } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { RawErrorResponse } from '../platform/client-errors';
import {
  InvalidInput,
  Problem,
  RateLimited,
  ServerFault,
  TokenRequestRejected,
  Unauthenticated,
  UnsupportedMediaType,
  problemFromError,
} from '../platform/errors';

export const REQUEST_ID_HEADER = 'slpt-request-id';
export const TOKEN_PATH = '/oauth/token';

/** The gateway's opt-in header for versioned APIs (`X-SailPoint-Experimental: true`) is missing or wrong. */
export class MissingOptInHeader extends InvalidInput {}

/** Random bytes drawn 4 KiB at a time: one call per request was a measurable share of a GET. */
const idBytes = Buffer.alloc(4096);
let idOffset = idBytes.length;

/** 32 lower-case hex characters, the form of SLPT-Request-ID and trackingId. */
export function newRequestId(): string {
  if (idOffset === idBytes.length) {
    randomFillSync(idBytes);
    idOffset = 0;
  }
  idOffset += 16;
  return idBytes.toString('hex', idOffset - 16, idOffset);
}

interface ErrorMessageDto {
  locale: 'en-US';
  localeOrigin: 'DEFAULT';
  text: string;
}

export interface ErrorResponseDto {
  detailCode: string;
  trackingId: string;
  messages: ErrorMessageDto[];
  causes: ErrorMessageDto[];
}

const message = (text: string): ErrorMessageDto => ({ locale: 'en-US', localeOrigin: 'DEFAULT', text });

/** detailCode and generic message per status, from SailPoint's spec examples; 400's message is the problem's. */
const DETAIL: Record<number, { detailCode: string; text?: string }> = {
  400: { detailCode: '400.1 Bad Request Content' },
  403: { detailCode: '403 Forbidden', text: 'The server understood the request but refuses to authorize it.' },
  404: { detailCode: '404 Not found', text: 'The server did not find a current representation for the target resource.' },
  500: { detailCode: '500.0 Internal Fault', text: 'An internal fault occurred.' },
};

/**
 * The body of every SailPoint error, the one place they are formatted:
 * - the token endpoint answers OAuth's `{error, error_description}` (RFC 6749 §5.2);
 * - the gateway answers 401 and the experimental-header 400 as `{error}`, 429 as `{message}`;
 * - everything else is an ErrorResponseDto whose trackingId is the response's SLPT-Request-ID.
 */
export function sailpointErrorBody(problem: Problem, trackingId: string, tokenEndpoint: boolean): object {
  if (tokenEndpoint) {
    if (problem instanceof TokenRequestRejected) return { error: problem.code, error_description: problem.message };
    if (problem instanceof UnsupportedMediaType) {
      return { error: 'invalid_request', error_description: 'Unsupported Media Type: send the parameters as multipart/form-data, application/x-www-form-urlencoded or in the query string' };
    }
    const description = problem.details.length > 0 ? problem.details.join('; ') : problem.message;
    return { error: problem.status >= 500 ? 'server_error' : 'invalid_request', error_description: description };
  }
  if (problem instanceof MissingOptInHeader) return { error: 'Experimental Header is missing or invalid.' };
  if (problem instanceof Unauthenticated) return { error: problem.message };
  if (problem instanceof RateLimited) return { message: ' Rate Limit Exceeded ' };
  // Statuses without a SailPoint example (413, 415, injected 502/503…) use the HTTP reason as detailCode.
  const detail = DETAIL[problem.status] ?? { detailCode: `${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}` };
  const text = detail.text ?? (problem.status >= 500 ? (DETAIL[500].text as string) : problem.message);
  const dto: ErrorResponseDto = { detailCode: detail.detailCode, trackingId, messages: [message(text)], causes: problem.details.map(message) };
  return dto;
}

/** The request's SLPT-Request-ID, set by the plugin's onRequest hook (or now, for errors raised before it). */
export function requestIdOf(reply: FastifyReply): string {
  const existing = reply.getHeader(REQUEST_ID_HEADER);
  if (typeof existing === 'string') return existing;
  const id = newRequestId();
  reply.header(REQUEST_ID_HEADER, id);
  return id;
}

export function sailpointErrorHandler(err: FastifyError | Problem, request: FastifyRequest, reply: FastifyReply): void {
  const problem = problemFromError(err);
  if (problem instanceof ServerFault && !(err instanceof Problem)) request.log.error({ err }, 'unexpected error');
  if (problem instanceof RateLimited) reply.header('retry-after', String(problem.retryAfterSeconds));
  const tokenEndpoint = request.routeOptions.config.sailpoint?.token === true;
  reply.code(problem.status).type('application/json').send(sailpointErrorBody(problem, requestIdOf(reply), tokenEndpoint));
}

/** A problem met before Fastify had a request to hand (platform/client-errors.ts), as SailPoint answers it. */
export function sailpointRawError(problem: Problem, path: string): RawErrorResponse {
  const trackingId = newRequestId();
  return { status: problem.status, headers: { [REQUEST_ID_HEADER]: trackingId }, body: sailpointErrorBody(problem, trackingId, path === TOKEN_PATH) };
}
