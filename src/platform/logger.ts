import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import pino from 'pino';
import type { Config } from '../generated/schema-types';
import { REDACTED, type Redaction } from './redaction';

export type Logger = pino.Logger;

/** Where a logger made by createLogger keeps its logger for "request completed" lines (see there). */
const REQUEST_LINES = Symbol('syncmock request lines');
type WithRequestLines = Logger & { [REQUEST_LINES]?: Logger };

/**
 * Standard output, written asynchronously (off the request path), counting what is handed over and what
 * is out. pino flushes its destination synchronously when the process exits, but skips a chunk whose write
 * is still waiting for room (a full pipe: a slow reader of our output): those lines were lost at shutdown.
 * So closing the server waits for every line to be out first (written()), and the exit flush has nothing
 * left to lose.
 */
class StandardOutput implements pino.DestinationStream {
  private readonly boom = pino.destination({ dest: 1, sync: false });
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
  }

  /** Resolves once every line handed over so far is out, or after `timeoutMs` (a reader that stopped reading). */
  written(timeoutMs: number): Promise<void> {
    if (this.broken || this.out >= this.handedOver) return Promise.resolve();
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
 * JSON logs, to standard output unless a destination is given. Requests are logged by method, URL
 * (credential query parameters redacted) and address, never with headers or bodies; the redact paths are a
 * second line for anything that adds them.
 */
export function createLogger(level: Config['logLevel'], redaction: Redaction, destination?: pino.DestinationStream): Logger {
  const output = destination === undefined ? new StandardOutput() : undefined;
  const logger: WithRequestLines = pino(
    {
      level,
      redact: { paths: redaction.logPaths, censor: REDACTED },
      serializers: {
        req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({
          method: req.method,
          url: redaction.redactUrl(req.url),
          host: req.hostname,
          remoteAddress: req.ip,
        }),
      },
    },
    destination ?? output,
  );
  if (output) standardOutputs.set(logger, output);
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

  get [REQUEST_LINES](): Logger | undefined {
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
