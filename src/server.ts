// Starting a server: configuration, context, Fastify instance, listening socket. index.ts offers it to
// users with a small public surface; the tests use this, which also hands out the context and the app.
import type { FastifyInstance } from 'fastify';
import type pino from 'pino';
import { buildApp, createContext } from './app';
import { resolveConfig, type SyncmockConfig, type SyncmockOptions } from './config';
import type { SyncmockContext } from './control/context';
import { createLogger } from './platform/logger';
import { logWritten } from './platform/standard-output';
import type { VendorContract } from './platform/vendor';

export interface StartOptions extends SyncmockOptions {
  /** Where log lines go (default: stdout). */
  logStream?: pino.DestinationStream;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  port: number;
  config: SyncmockConfig;
  context: SyncmockContext;
  app: FastifyInstance;
  /** How each vendor's clients connect, by vendor name. */
  connections: Record<string, Record<string, string | undefined>>;
}

/**
 * Starts a server emulating the given vendors (the registry's, src/vendors.ts, for the CLI and
 * startSyncmock()). In-process defaults: a free port, an in-memory database, warnings only.
 */
export async function startServer(options: StartOptions, vendors: readonly VendorContract[]): Promise<RunningServer> {
  const { logStream, ...rest } = options;
  const config = resolveConfig({ port: 0, db: ':memory:', logLevel: 'warn', ...rest });
  const context = createContext(config, vendors);
  let app: FastifyInstance;
  try {
    const logger = createLogger(config.logLevel, context.redaction, logStream, config.logFormat);
    app = await buildApp(context, logger);
    // Log lines go out asynchronously: a close is done once they are out (platform/standard-output.ts says why).
    app.addHook('onClose', async () => {
      await logWritten(logger);
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    if (context.db.open) context.db.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  // A wildcard bind is reached through loopback.
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${port}`;
  const connections = Object.fromEntries(context.vendors.map(({ contract }) => [contract.name, contract.connection(context.seed[contract.name], url)]));
  return { url, port, config, context, app, connections };
}
