import { randomFillSync } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { RawErrorResponse } from '../platform/client-errors';
import { errorHandlerOf, type ErrorSite } from '../platform/error-replies';
import { InvalidInput, Problem, RateLimited, TokenRequestRejected, Unauthenticated, UnsupportedMediaType } from '../platform/errors';

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

/**
 * Every SailPoint error answer: its body, the request id it carries (the one the plugin's onRequest hook set,
 * or a new one for an error raised before it or before Fastify had a request), and Retry-After on a 429.
 * The token endpoint's are the route's (its config), or for a request Fastify never had, its path's.
 */
export function sailpointErrorResponse(problem: Problem, site: ErrorSite): RawErrorResponse {
  const headers: Record<string, string> = {};
  if (problem instanceof RateLimited) headers['retry-after'] = String(problem.retryAfterSeconds);
  // Read, never set, on the reply (the formatter only returns headers): the errorHandlerOf sets them.
  const existing = site.reply?.getHeader(REQUEST_ID_HEADER);
  const trackingId = typeof existing === 'string' ? existing : newRequestId();
  headers[REQUEST_ID_HEADER] = trackingId;
  const tokenEndpoint = site.request !== undefined ? site.request.routeOptions.config.sailpoint?.token === true : site.path === TOKEN_PATH;
  return { status: problem.status, headers, body: sailpointErrorBody(problem, trackingId, tokenEndpoint) };
}

/** The platform's error handler over sailpointErrorResponse, for the token endpoint's own scope to call. */
export const sailpointErrorHandler = errorHandlerOf(sailpointErrorResponse);
