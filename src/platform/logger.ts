import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import pino from 'pino';
import type { LogLevel } from '../config';
import type { Redaction } from './redaction';

export type Logger = pino.Logger;

/**
 * JSON logs. Requests are logged by method, URL (credential query parameters redacted) and address, never
 * with headers or bodies; the redact paths are a second line for anything that adds them.
 */
export function createLogger(level: LogLevel, redaction: Redaction, destination?: pino.DestinationStream): Logger {
  return pino(
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
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
