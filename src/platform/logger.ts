import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { styleText } from 'node:util';
import pino from 'pino';
import type { Config } from '../generated/schema-types';
import { REDACTED, type Redaction } from './redaction';
import type {} from './vendor'; // request.vendorTag

export type Logger = pino.Logger;

/** Writes a request's "request completed" line, in the logger's format (createLogger). */
type RequestLine = (request: FastifyRequest, reply: FastifyReply) => void;
/** Where a logger made by createLogger keeps its RequestLine (see there). */
const REQUEST_LINES = Symbol('syncmock request lines');
type WithRequestLines = Logger & { [REQUEST_LINES]?: RequestLine };

/** A batch of log lines is written once it holds this much… */
const BATCH_BYTES = 8 * 1024;
/** …or this long after its first line: a person watching the terminal sees a line at most this late. */
const FLUSH_MS = 50;

/**
 * Standard output, written asynchronously (off the request path), counting what is handed over and what
 * is out. pino flushes its destination synchronously when the process exits, but skips a chunk whose write
 * is still waiting for room (a full pipe: a slow reader of our output): those lines were lost at shutdown.
 * So closing the server waits for every line to be out first (written()), and the exit flush has nothing
 * left to lose.
 */
class StandardOutput implements pino.DestinationStream {
  // Lines are gathered and written in batches (at BATCH_BYTES, or FLUSH_MS after the first of a batch): a
  // write system call per line was most of what a request line cost (`npm run bench`, PATCH: about 25 µs of
  // a request's 120 with `info` lines against `--log-level warn`).
  private readonly boom = pino.destination({ dest: 1, sync: false, minLength: BATCH_BYTES });
  private flushTimer?: NodeJS.Timeout;
  private handedOver = 0;
  private out = 0;
  private broken = false;
  private readonly waiting = new Set<() => void>();

  constructor() {
    this.boom.on('write', (bytes: number) => {
      this.out += bytes;
      if (this.out >= this.handedOver) this.settle();
    });
    this.boom.on('error', (err: NodeJS.ErrnoException) => {
      this.broken = true; // nothing more will get out
      this.settle();
      // pino ignores a reader that went away (EPIPE); any other failure stays as fatal as without this listener.
      if (err.code !== 'EPIPE') throw err;
    });
  }

  write(line: string): void {
    this.handedOver += Buffer.byteLength(line);
    this.boom.write(line);
    this.flushTimer ??= setTimeout(this.flushBatch, FLUSH_MS).unref();
  }

  private readonly flushBatch = (): void => {
    this.flushTimer = undefined;
    this.boom.flush();
  };

  /** Resolves once every line handed over so far is out, or after `timeoutMs` (a reader that stopped reading). */
  written(timeoutMs: number): Promise<void> {
    if (this.broken || this.out >= this.handedOver) return Promise.resolve();
    this.boom.flush();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiting.add(done);
    });
  }

  private settle(): void {
    for (const done of [...this.waiting]) done();
  }
}

const standardOutputs = new WeakMap<Logger, StandardOutput>();

/** Resolves once the logger's lines are all written out (immediately for a destination given to createLogger). */
export function logWritten(logger: Logger, timeoutMs = 5000): Promise<void> {
  return standardOutputs.get(logger)?.written(timeoutMs) ?? Promise.resolve();
}

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
        req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({
          method: req.method,
          url: redaction.redactUrl(req.url),
          host: req.hostname,
          remoteAddress: req.ip,
        }),
      },
    },
    pretty ? new PrettyLines(out) : out,
  );
  if (output) standardOutputs.set(logger, output);
  // Found by RequestLog through the prototype chain pino's and Fastify's child loggers share.
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

/** What a "request completed" line tells, in either format. */
export interface RequestLineFields {
  reqId: string;
  method: string;
  /** Credential query parameters redacted. */
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
    reqId: String(request.id), method: request.method, url: redaction.redactUrl(request.url), statusCode: reply.statusCode,
    responseTime: Math.round(reply.elapsedTime * 100) / 100, vendor: tag?.vendor, scopeName: tag?.scopeName, scope: tag?.scopeOf(request),
  };
}

/** `14:03:07.512 POST /path 201 3.1ms vendor org=org-1 req-7`: one line for a person (local time). */
export function prettyRequestLine(line: RequestLineFields, time: number, colours = false): string {
  const status = colours ? styleText(line.statusCode >= 500 ? 'red' : line.statusCode >= 400 ? 'yellow' : 'green', String(line.statusCode), { validateStream: false }) : line.statusCode;
  const scope = line.scope === undefined ? '' : ` ${line.scopeName}=${line.scope}`;
  const vendor = line.vendor === undefined ? '' : ` ${line.vendor}${scope}`;
  return `${clock(time)} ${line.method} ${line.url} ${status} ${line.responseTime.toFixed(1)}ms${vendor} ${line.reqId}\n`;
}

const clock = (time: number): string => {
  const at = new Date(time);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, '0')}`;
};

/**
 * pino's other lines in the pretty format: time, level and message, then what else the line holds as JSON,
 * and an error's stack below it. They are rare (start-up, warnings, errors, debug), so reading pino's JSON
 * back costs nothing that matters; the request lines, one per request, never pass through here.
 */
class PrettyLines implements pino.DestinationStream {
  constructor(private readonly out: pino.DestinationStream) {}

  write(json: string): void {
    const { time, level, msg, pid: _pid, hostname: _hostname, err, ...rest } = JSON.parse(json) as Record<string, unknown> & { time: number; level: number; msg?: string; err?: { stack?: string } };
    const more = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
    const error = err === undefined ? '' : err.stack ? `\n    ${err.stack.replace(/\n/g, '\n    ')}` : ` ${JSON.stringify({ err })}`;
    this.out.write(`${clock(time)} ${pino.levels.labels[level]?.toUpperCase() ?? level} ${msg ?? ''}${more}${error}\n`);
  }
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
    const line = log[REQUEST_LINES];
    // The request's own logger decides the level.
    if (line === undefined) log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    else if (log.isLevelEnabled('info')) line(request, reply);
  }
}

/**
 * What Fastify hands each request as `request.log`: pino's child logger with the request's id, made the first
 * time something logs through it. Fastify makes that child for every request, and pino runs the redact paths
 * over its binding each time (2% of a GET in `npm run bench`), while most requests log only their "request
 * completed" line, which RequestLog writes without it.
 */
type LogArgs = [obj: unknown, msg?: string, ...args: unknown[]];

class RequestLogger implements FastifyBaseLogger {
  private made?: Logger;

  constructor(private readonly parent: WithRequestLines, private readonly bindings: pino.Bindings) {}

  private get logger(): Logger {
    return (this.made ??= this.parent.child(this.bindings));
  }

  /** Makes the logger only for a line its level writes ("incoming request" at debug is asked for on every request). */
  private write(level: pino.Level, args: LogArgs): void {
    if (this.isLevelEnabled(level)) this.logger[level](...args);
  }

  get [REQUEST_LINES](): RequestLine | undefined {
    return this.parent[REQUEST_LINES];
  }

  get level(): string {
    return (this.made ?? this.parent).level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  isLevelEnabled(level: string): boolean {
    return (this.made ?? this.parent).isLevelEnabled(level);
  }

  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions): Logger {
    return this.logger.child(bindings, options);
  }

  fatal(...args: LogArgs): void { this.write('fatal', args); }
  error(...args: LogArgs): void { this.write('error', args); }
  warn(...args: LogArgs): void { this.write('warn', args); }
  info(...args: LogArgs): void { this.write('info', args); }
  debug(...args: LogArgs): void { this.write('debug', args); }
  trace(...args: LogArgs): void { this.write('trace', args); }
  silent(): void {}
}

/** Fastify's childLoggerFactory: a RequestLogger, or pino's child at once for a route with its own level or serializers. */
export const requestLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = (logger, bindings, options) =>
  options.level !== undefined || options.serializers !== undefined
    ? logger.child(bindings, options)
    : new RequestLogger(logger as WithRequestLines, bindings);
