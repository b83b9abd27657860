// Standard output as log lines' destination: written in batches, off the request path, and drained
// before a close (logger.ts makes the logger that writes here).
import pino from 'pino';
import type { Logger } from './logger';

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
export class StandardOutput implements pino.DestinationStream {
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

/** Notes that a logger writes to `output` (createLogger), for logWritten(). */
export function writesTo(logger: Logger, output: StandardOutput): void {
  standardOutputs.set(logger, output);
}

/** Resolves once the logger's lines are all written out (immediately for a destination given to createLogger). */
export function logWritten(logger: Logger, timeoutMs = 5000): Promise<void> {
  return standardOutputs.get(logger)?.written(timeoutMs) ?? Promise.resolve();
}
