// Programmatic API: start syncmock inside a test process.
import type { FastifyInstance } from 'fastify';
import type pino from 'pino';
import { buildApp, createContext, type SyncmockContext } from './app';
import { resolveConfig, type SyncmockConfig, type SyncmockOptions } from './config';
import { createLogger } from './platform/logger';

export type { SyncmockConfig, SyncmockOptions } from './config';

export interface StartOptions extends SyncmockOptions {
  /** Where JSON log lines go (default: stdout). */
  logStream?: pino.DestinationStream;
}

export interface Syncmock {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  port: number;
  config: SyncmockConfig;
  context: SyncmockContext;
  app: FastifyInstance;
  /** Back to the seed state. */
  reset(): void;
  /** Stops accepting, finishes in-flight requests, closes the database. */
  close(): Promise<void>;
}

/** Starts a server. In-process defaults: a free port and an in-memory database. */
export async function startSyncmock(options: StartOptions = {}): Promise<Syncmock> {
  const { logStream, ...rest } = options;
  const config = resolveConfig({ port: 0, db: ':memory:', logLevel: 'warn', ...rest });
  const context = createContext(config);
  let app: FastifyInstance;
  try {
    app = await buildApp(context, createLogger(config.logLevel, logStream));
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    if (context.db.open) context.db.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    config,
    context,
    app,
    reset: () => context.reset(),
    close: () => app.close(),
  };
}
