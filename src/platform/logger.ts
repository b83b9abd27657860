import pino from 'pino';
import type { LogLevel } from '../config';
import { LOG_REDACT_PATHS, redactUrl } from './redaction';

export type Logger = pino.Logger;

/**
 * JSON logs. Requests are logged by method, URL (credential query parameters redacted) and address, never
 * with headers or bodies; the redact paths are a second line for anything that adds them.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({
          method: req.method,
          url: redactUrl(req.url),
          host: req.hostname,
          remoteAddress: req.ip,
        }),
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
