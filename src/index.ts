// Programmatic API: start syncmock inside a test process.
import type { FastifyInstance } from 'fastify';
import type pino from 'pino';
import { buildApp, createContext, type SyncmockContext } from './app';
import { resolveConfig, type SyncmockConfig, type SyncmockOptions } from './config';
import { ALL_PERMISSIONS } from './datadog/auth';
import { createLogger } from './platform/logger';
import type { SeedData } from './platform/seed-data';

export type { SyncmockConfig, SyncmockOptions } from './config';

export interface StartOptions extends SyncmockOptions {
  /** Where JSON log lines go (default: stdout). */
  logStream?: pino.DestinationStream;
}

/** Where and how a Datadog client connects (`new client.BaseServerConfiguration(baseUrl, {})`). */
export interface DatadogConnection {
  baseUrl: string;
  /** The first API key in the seed data, with an application key that has every permission. */
  apiKey: string;
  appKey: string;
}

/** Where and how a SailPoint client connects (`new Configuration({ baseurl, clientId, clientSecret, tokenUrl })`). */
export interface SailpointConnection {
  baseUrl: string;
  /** The first ORG_ADMIN client in the seed data. */
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
}

export interface Syncmock {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  port: number;
  datadog: DatadogConnection;
  sailpoint: SailpointConnection;
  /** Swagger UI. */
  docsUrl: string;
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
  // A wildcard bind is reached through loopback.
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${port}`;
  const credentials = seedCredentials(context.seed);
  return {
    url,
    port,
    datadog: { baseUrl: url, apiKey: credentials.apiKey, appKey: credentials.appKey },
    sailpoint: { baseUrl: url, clientId: credentials.clientId, clientSecret: credentials.clientSecret, tokenUrl: `${url}/oauth/token` },
    docsUrl: `${url}/docs`,
    config,
    context,
    app,
    reset: () => context.reset(),
    close: () => app.close(),
  };
}

// Used when a custom seed has no such entry: open auth mode (the default) accepts any non-empty credentials.
const OPEN_MODE_CREDENTIALS = {
  apiKey: 'syncmock-api-key', appKey: 'syncmock-app-key', clientId: 'syncmock-client', clientSecret: 'syncmock-client-secret',
};

/** The credentials a test most likely wants: full Datadog permissions, a SailPoint ORG_ADMIN client. */
export function seedCredentials(seed: SeedData): typeof OPEN_MODE_CREDENTIALS {
  const credentials = { ...OPEN_MODE_CREDENTIALS };
  for (const org of seed.datadog.orgs) {
    const appKey = org.application_keys.find((k) => ALL_PERMISSIONS.every((p) => k.permissions.includes(p)));
    if (org.api_keys.length > 0 && appKey) {
      Object.assign(credentials, { apiKey: org.api_keys[0], appKey: appKey.key });
      break;
    }
  }
  const admin = seed.sailpoint.clients.find((c) => c.authorities.includes('ORG_ADMIN'));
  if (admin) Object.assign(credentials, { clientId: admin.client_id, clientSecret: admin.client_secret });
  return credentials;
}
