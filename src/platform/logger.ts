import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import pino from 'pino';
import type { LogLevel } from '../config';
import type { Redaction } from './redaction';

export type Logger = pino.Logger;

/** Where a logger made by createLogger keeps its logger for "request completed" lines (see there). */
const REQUEST_LINES = Symbol('syncmock request lines');
type WithRequestLines = Logger & { [REQUEST_LINES]?: Logger };

/**
 * JSON logs. Requests are logged by method, URL (credential query parameters redacted) and address, never
 * with headers or bodies; the redact paths are a second line for anything that adds them. The destination
 * is asynchronous (lines are written off the request path); pino flushes it synchronously when the process
 * exits, which close-with-grace makes it do after a signal and after a fatal error alike.
 */
export function createLogger(level: LogLevel, redaction: Redaction, destination?: pino.DestinationStream): Logger {
  const logger: WithRequestLines = pino(
    {
      level,
      redact: { paths: redaction.logPaths, censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({
          method: req.method,
          url: redaction.redactUrl(req.url),
          host: req.hostname,
          remoteAddress: req.ip,
        }),
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
  // "request completed" lines hold only the serialised request above, the status and the time: nothing
  // a redact path could match. pino's redaction walks every path for every key of every line whatever it
  // holds, which cost more than the rest of logging a GET (`npm run bench`), so these lines skip it.
  // Found by RequestLog through the prototype chain pino's and Fastify's child loggers share.
  logger[REQUEST_LINES] = logger.child({}, { redact: [], serializers: { res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }) } });
  return logger;
}

/**
 * One line per request at info, "request completed" with the method, URL, status and time, where Fastify
 * writes two; "incoming request" only at debug. Logging was the largest per-request cost in the benchmark
 * (`npm run bench`), and the second line told little the first does not.
 */
export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (!this.isLogDisabled(request)) request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) return reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    const log = reply.log as WithRequestLines;
    const lines = log[REQUEST_LINES];
    // The request's own logger decides the level; its one binding (Fastify's `reqId`) comes first, as a
    // child logger would write it.
    if (lines === undefined) log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    else if (log.isLevelEnabled('info')) lines.info({ reqId: request.id, req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
