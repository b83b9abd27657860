// The one "request completed" line per request: what it tells (requestLineFields, in either log format),
// where a logger keeps the function that writes it (REQUEST_LINES, set by createLogger), and Fastify's log
// controller that calls it (RequestLineController).
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from './logger';
import type { Redaction } from './redaction';
import type {} from './vendor-scope'; // request.vendorTag

/** Writes a request's "request completed" line, in the logger's format (createLogger). */
export type RequestLine = (request: FastifyRequest, reply: FastifyReply) => void;
/** Where a logger made by createLogger keeps its RequestLine (see there). */
export const REQUEST_LINES = Symbol('syncmock request lines');
export type WithRequestLines = Logger & { [REQUEST_LINES]?: RequestLine };

/** What a "request completed" line tells, in either format. */
export interface RequestLineFields {
  reqId: string;
  method: string;
  /** Credential query parameters, the server's credentials and the request's own redacted. */
  url: string;
  statusCode: number;
  /** Milliseconds. */
  responseTime: number;
  /** The vendor that served it, its scope's name (`org`, `tenant`) and the caller's one, once known. */
  vendor?: string;
  scopeName?: string;
  scope?: string;
}

export function requestLineFields(request: FastifyRequest, reply: FastifyReply, redaction: Redaction): RequestLineFields {
  const tag = request.vendorTag;
  return {
    reqId: String(request.id), method: request.method,
    url: redaction.requestUrl(request.url, request.headers, request.query), statusCode: reply.statusCode,
    responseTime: Math.round(reply.elapsedTime * 100) / 100, vendor: tag?.vendor, scopeName: tag?.scopeName, scope: tag?.scopeOf(request),
  };
}

/**
 * One line per request at info, "request completed" with the method, URL, status and time, where Fastify
 * writes two; "incoming request" only at debug. Logging was the largest per-request cost in the benchmark
 * (`npm run bench`), and the second line told little the first does not.
 */
export class RequestLineController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (!this.isLogDisabled(request)) request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) return reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    const log = reply.log as WithRequestLines;
    const line = log[REQUEST_LINES];
    // The request's own logger decides the level.
    if (line === undefined) log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    else if (log.isLevelEnabled('info')) line(request, reply);
  }
}
