// Programmatic API: start syncmock inside a test process.
import type { SyncmockConfig } from './config';
import { unsupportedNode } from './node-support';
import { startServer, type StartOptions } from './server';
import { VENDORS } from './vendors';

export type { SyncmockConfig, SyncmockOptions } from './config';
export type { StartOptions } from './server';

/**
 * Where and how a Datadog client connects (`new client.BaseServerConfiguration(baseUrl, {})`): the first
 * seeded org's API key with an application key that has every permission. Undefined when the seed data has
 * none (in open auth mode any non-empty pair works).
 */
export interface DatadogConnection {
  baseUrl: string;
  apiKey?: string;
  appKey?: string;
}

/**
 * Where and how a SailPoint client connects (`new Configuration({ baseurl, clientId, clientSecret, tokenUrl })`):
 * the first seeded ORG_ADMIN client; undefined when the seed data has none.
 */
export interface SailpointConnection {
  baseUrl: string;
  clientId?: string;
  clientSecret?: string;
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
  /** Back to the seed state (POST /__admin/reset without a scope). */
  reset(): void;
  /** Stops accepting, finishes in-flight requests, closes the database. */
  close(): Promise<void>;
}

/** Starts a server. In-process defaults: a free port, an in-memory database, warnings only. */
export async function startSyncmock(options: StartOptions = {}): Promise<Syncmock> {
  const problem = unsupportedNode();
  if (problem !== undefined) throw new Error(problem);
  const server = await startServer(options, VENDORS);
  return {
    ...(server.connections as unknown as { datadog: DatadogConnection; sailpoint: SailpointConnection }),
    url: server.url,
    port: server.port,
    docsUrl: `${server.url}/docs`,
    config: server.config,
    reset: () => server.context.reset(),
    close: () => server.app.close(),
  };
}
