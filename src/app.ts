// Builds one Fastify instance: the shared pieces (store, clock, rate limiter, seed data), then the
// control API and each vendor's plugin under its own prefix.
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type {} from '@fastify/swagger';
import type { SyncmockConfig } from './config';
import { controlRoutes } from './control/routes';
import { DatadogAuth } from './datadog/auth';
import { CredentialCheck } from './datadog/credentials';
import { IntegrationConfigModel } from './datadog/model';
import { datadogErrorHandler } from './datadog/errors';
import { DATADOG_PREFIX, datadogRoutes } from './datadog/routes';
import { Clock } from './platform/clock';
import { registerJsonBodyParser } from './platform/json-body';
import { RequestLog, type Logger } from './platform/logger';
import { RateLimiter } from './platform/rate-limiter';
import { loadSeedData, type SeedData } from './platform/seed-data';
import { openDatabase, type Db } from './store/db';
import { IntegrationConfigStore } from './store/integration-configs';

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
  const model = new IntegrationConfigModel(new IntegrationConfigStore(db), clock, seed.datadog.orgs, credentials, {
    stateDelaySeconds: config.datadog.stateDelaySeconds,
  });
  const context: SyncmockContext = {
    config,
    db,
    clock,
    rateLimiter,
    seed,
    datadog: { model, credentials, auth: new DatadogAuth(seed.datadog.orgs, config.auth) },
    reset() {
      model.reset();
      credentials.clear();
      rateLimiter.clear();
    },
  };
  return context;
}

export async function buildApp(context: SyncmockContext, logger: Logger): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new RequestLog(),
    bodyLimit: BODY_LIMIT,
    routerOptions: { ignoreDuplicateSlashes: true },
    // Bodies are checked as sent: no coercion ("yes" is not a boolean, "1" is not a number), nothing dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
    // Errors Fastify raises before routing (malformed percent-encoding, a path parameter over the router's
    // length limit) reach no plugin's error handler: answer them in the shape of the vendor whose URL it is.
    frameworkErrors: (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.replace(/\/{2,}/g, '/');
      if (path.startsWith(DATADOG_PREFIX)) return datadogErrorHandler(err, request, reply);
      reply.send(err); // elsewhere Fastify's own error body, as for any unknown route
    },
  });
  app.addHook('onClose', async () => {
    context.db.close();
  });
  registerJsonBodyParser(app);
  await app.register(controlRoutes, { prefix: '/__admin', context });
  await app.register(datadogRoutes, {
    prefix: DATADOG_PREFIX,
    model: context.datadog.model,
    auth: context.datadog.auth,
    rateLimiter: context.rateLimiter,
    rateLimits: context.config.datadog.rateLimits,
  });
  return app;
}
