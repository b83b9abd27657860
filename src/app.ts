// Builds one Fastify instance: the shared pieces (store, clock, rate limiter, seed data), then the
// control API and each vendor's plugin under its own prefix.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type {} from '@fastify/swagger';
import type { SyncmockConfig } from './config';
import { controlRoutes } from './control/routes';
import { DatadogAuth } from './datadog/auth';
import { CredentialCheck } from './datadog/credentials';
import { IntegrationConfigModel } from './datadog/model';
import { DATADOG_PREFIX, datadogRoutes } from './datadog/routes';
import { Clock } from './platform/clock';
import type { Logger } from './platform/logger';
import { RateLimiter } from './platform/rate-limiter';
import { loadSeedData, type SeedData } from './platform/seed-data';
import { AttrSyncConfigModel } from './sailpoint/model';
import { SailpointClients, TokenService } from './sailpoint/oauth';
import { sailpointRoutes } from './sailpoint/routes';
import { AzureAppRegistrationStore } from './store/azure-app-registrations';
import { openDatabase, type Db } from './store/db';
import { IntegrationConfigStore } from './store/integration-configs';
import { SailpointSourceStore } from './store/sailpoint-sources';

/** Everything a request handler or the control API may need, built once per server. */
export interface SyncmockContext {
  config: SyncmockConfig;
  db: Db;
  clock: Clock;
  rateLimiter: RateLimiter;
  seed: SeedData;
  datadog: {
    model: IntegrationConfigModel;
    credentials: CredentialCheck;
    auth: DatadogAuth;
  };
  sailpoint: {
    model: AttrSyncConfigModel;
    clients: SailpointClients;
    tokens: TokenService;
  };
  /** Back to the seed state, everything in memory included. */
  reset(): void;
}

export const BODY_LIMIT = 1024 * 1024;

export function createContext(config: SyncmockConfig): SyncmockContext {
  const seed = loadSeedData(config.seedData);
  const db = openDatabase(config.db);
  const clock = new Clock();
  const rateLimiter = new RateLimiter(clock);
  const credentials = new CredentialCheck();
  const model = new IntegrationConfigModel(new IntegrationConfigStore(db), new AzureAppRegistrationStore(db), clock, seed.datadog.orgs, credentials, {
    stateDelaySeconds: config.datadog.stateDelaySeconds,
  });
  const sailpointModel = new AttrSyncConfigModel(new SailpointSourceStore(db), clock, seed.sailpoint.sources);
  const context: SyncmockContext = {
    config,
    db,
    clock,
    rateLimiter,
    seed,
    datadog: { model, credentials, auth: new DatadogAuth(seed.datadog.orgs, config.auth) },
    sailpoint: {
      model: sailpointModel,
      clients: new SailpointClients(seed.sailpoint, config.auth),
      tokens: new TokenService(clock, { secret: config.sailpoint.jwtSecret, ttlSeconds: config.sailpoint.tokenTtlSeconds }),
    },
    reset() {
      model.reset();
      sailpointModel.reset();
      credentials.clear();
      rateLimiter.clear();
    },
  };
  return context;
}

export async function buildApp(context: SyncmockContext, logger: Logger): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    routerOptions: { ignoreDuplicateSlashes: true },
    // Bodies are checked as sent: no coercion ("yes" is not a boolean, "1" is not a number), nothing dropped.
    // `discriminator`: revision 2026-08 picks the attributes schema by `integration_type`, as the spec does.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true, discriminator: true } },
  });
  app.addHook('onClose', async () => {
    context.db.close();
  });
  await app.register(controlRoutes, { prefix: '/__admin', context });
  await app.register(datadogRoutes, {
    prefix: DATADOG_PREFIX,
    model: context.datadog.model,
    auth: context.datadog.auth,
    rateLimiter: context.rateLimiter,
    rateLimits: context.config.datadog.rateLimits,
    defaultRevision: context.config.datadog.revision,
  });
  // At the root: the SailPoint SDK appends /beta, /v2024 and /oauth/token to its base URL.
  await app.register(sailpointRoutes, {
    model: context.sailpoint.model,
    clients: context.sailpoint.clients,
    tokens: context.sailpoint.tokens,
    rateLimiter: context.rateLimiter,
    rateLimit: context.config.sailpoint.rateLimit,
  });
  return app;
}
