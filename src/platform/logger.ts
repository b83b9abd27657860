// The process's logger (pino): JSON lines or the pretty format, credentials redacted; the request line's
// writer set on it for RequestLineController (request-line.ts).
import pino from 'pino';
import type { Config } from '../generated/schema-types';
import { PrettyLines, prettyRequestLine } from './pretty-lines';
import { REDACTED, type Redaction } from './redaction';
import { REQUEST_LINES, requestLineFields, type WithRequestLines } from './request-line';
import { StandardOutput, writesTo } from './standard-output';

export type Logger = pino.Logger;

/**
 * Logs, to standard output unless a destination is given: JSON lines, or with `pretty` (`auto` on a
 * terminal) one short line per request for a person and the other lines as time, level and message. Requests
 * are logged by method and URL (credential query parameters redacted), never with headers or
 * bodies; the redact paths are a second line for anything that adds them. Both formats show what pino has
 * serialised and redacted, or the same redacted URL (requestLineFields), so they hide the same things.
 */
export function createLogger(level: Config['logLevel'], redaction: Redaction, destination?: pino.DestinationStream, format: Config['logFormat'] = 'json'): Logger {
  const output = destination === undefined ? new StandardOutput() : undefined;
  const out = destination ?? (output as StandardOutput);
  // A terminal has a person in front of it; `docker logs`, CI logs and files are read by programs too.
  const pretty = format === 'pretty' || (format === 'auto' && output !== undefined && process.stdout.isTTY === true);
  const logger: WithRequestLines = pino(
    {
      level,
      redact: { paths: redaction.logPaths, censor: REDACTED },
      // Every line, whoever wrote it (Fastify's own warnings and errors quote a request's raw URL), with the
      // credentials in its text redacted: the one place that makes it a property of every line.
      hooks: { streamWrite: (line: string) => redaction.redactText(line) },
      serializers: {
        req: (req: { method: string; url: string; headers?: Record<string, unknown>; query?: unknown; hostname?: string; ip?: string }) => ({
          method: req.method,
          // The request's own credentials too (an API key pasted into the path as well as sent).
          url: redaction.requestUrl(req.url, req.headers, req.query),
          host: req.hostname,
          remoteAddress: req.ip,
        }),
      },
    },
    pretty ? new PrettyLines(out) : out,
  );
  if (output) writesTo(logger, output);
  // Found by RequestLineController through the prototype chain pino's and Fastify's child loggers share.
  if (pretty) {
    // Colours only on a terminal that has them (NO_COLOR and FORCE_COLOR apply), decided once.
    const colours = output !== undefined && process.stdout.hasColors?.() === true;
    logger[REQUEST_LINES] = (request, reply) => out.write(prettyRequestLine(requestLineFields(request, reply, redaction), Date.now(), colours));
    return logger;
  }
  // "request completed" lines are a few flat fields known once the answer is out (requestLineFields, the
  // pretty line's too): no serializer objects, no Host parsing, nothing a redact path could match. pino's
  // redaction walks every path for every key of every line whatever it holds, which cost more than the rest
  // of logging a GET (`npm run bench`), so these lines skip it.
  const lines = logger.child({}, { redact: [] });
  logger[REQUEST_LINES] = (request, reply) => {
    const f = requestLineFields(request, reply, redaction);
    // The request's own logger's one binding (Fastify's `reqId`) comes first, as a child logger would write it.
    lines.info(f.vendor === undefined
      ? { reqId: f.reqId, method: f.method, url: f.url, statusCode: f.statusCode, responseTime: f.responseTime }
      : { reqId: f.reqId, method: f.method, url: f.url, statusCode: f.statusCode, responseTime: f.responseTime, vendor: f.vendor, [f.scopeName as string]: f.scope ?? null },
    'request completed');
  };
  return logger;
}
