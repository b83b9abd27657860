// request.log: a child logger made only when a request logs something of its own.
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type pino from 'pino';
import type { Logger } from './logger';
import { REQUEST_LINES, type RequestLine, type WithRequestLines } from './request-line';

/**
 * What Fastify hands each request as `request.log`: pino's child logger with the request's id, made the first
 * time something logs through it. Fastify makes that child for every request, and pino runs the redact paths
 * over its binding each time (2% of a GET in `npm run bench`), while most requests log only their "request
 * completed" line, which RequestLineController writes without it.
 */
type LogArgs = [obj: unknown, msg?: string, ...args: unknown[]];

class LazyRequestLogger implements FastifyBaseLogger {
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

/** Fastify's childLoggerFactory: a LazyRequestLogger, or pino's child at once for a route with its own level or serializers. */
export const requestLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = (logger, bindings, options) =>
  options.level !== undefined || options.serializers !== undefined
    ? logger.child(bindings, options)
    : new LazyRequestLogger(logger as WithRequestLines, bindings);
