// Standard output as log lines' destination: written in batches, off the request path, and drained
// before a close (logger.ts makes the logger that writes here).
import type pino from 'pino';
import SonicBoom from 'sonic-boom';
import type { Logger } from './logger';

// pino's own exit hook (it holds each destination weakly, so a process with many loggers keeps none); the
// package ships no types.
const { register } = require('on-exit-leak-free') as { register<T extends object>(target: T, onExit: (target: T) => void): void };

/** A batch of log lines is written once it holds this much… */
const BATCH_BYTES = 8 * 1024;
/** …or this long after its first line: a person watching the terminal sees a line at most this late. */
const FLUSH_MS = 50;
/** At exit, a write that finds no room (EAGAIN) is tried this many times, 100 ms apart, then given up. */
const EXIT_WRITE_RETRIES = 20;

/**
 * Standard output, written asynchronously (off the request path), counting what is handed over and what
 * is out. pino flushes its destination synchronously when the process exits, but skips a chunk whose write
 * is still waiting for room (a full pipe: a slow reader of our output): those lines were lost at shutdown.
 * So closing the server waits for every line to be out first (written()), and the exit flush has nothing
 * left to lose.
 */
export class StandardOutput implements pino.DestinationStream {
  // Lines are gathered and written in batches (at BATCH_BYTES, or FLUSH_MS after the first of a batch): a
  // write system call per line was most of what a request line cost (`npm run bench`, PATCH: about 25 µs of
  // a request's 120 with `info` lines against `--log-level warn`).
  //
  // sonic-boom itself, not pino.destination(): pino's sonic-boom 4 retried a failed synchronous write every
  // 100 ms whatever the error, so the flush at exit never ended once standard output could take no more
  // writes (EIO from a terminal that was closed: the process hung in its exit, holding its port).
  // sonic-boom 5 gives up on an error it cannot retry, and after maxWriteRetries on one it can.
  private readonly boom = new SonicBoom({ fd: 1, sync: false, minLength: BATCH_BYTES });
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
      // A reader that went away (EPIPE: a closed pipe, EIO: a closed terminal) ends the log, not the server,
      // as pino treats EPIPE; any other failure stays as fatal as without this listener.
      if (err.code !== 'EPIPE' && err.code !== 'EIO') throw err;
    });
    // What is still buffered when the process exits (pino.destination() registered the same).
    register(this, flushAtExit);
  }

  /** At exit: the lines still buffered, written synchronously, unless the output is gone. */
  flushAtExit(): void {
    if (this.broken) return;
    // While running, a slow reader is waited for as long as it takes (sonic-boom's types omit the field).
    (this.boom as SonicBoom & { maxWriteRetries: number }).maxWriteRetries = EXIT_WRITE_RETRIES;
    try {
      this.boom.flushSync();
    } catch {
      // The output cannot take them: nothing is left to do at exit.
    }
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

const flushAtExit = (output: StandardOutput): void => output.flushAtExit();

const standardOutputs = new WeakMap<Logger, StandardOutput>();

/** Notes that a logger writes to `output` (createLogger), for logWritten(). */
export function writesTo(logger: Logger, output: StandardOutput): void {
  standardOutputs.set(logger, output);
}

/** Resolves once the logger's lines are all written out (immediately for a destination given to createLogger). */
export function logWritten(logger: Logger, timeoutMs = 5000): Promise<void> {
  return standardOutputs.get(logger)?.written(timeoutMs) ?? Promise.resolve();
}
