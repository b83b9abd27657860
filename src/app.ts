// Builds one Fastify instance: the shared pieces (store, clock, rate limiter, seed data, journal, faults),
// CORS and the OpenAPI docs, then the control API and each vendor's plugin under its own prefix.
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type {} from '@fastify/swagger';
import fastJsonStringify from 'fast-json-stringify';
import type { SyncmockConfig } from './config';
import { controlRoutes } from './control/routes';
import { StateDocuments, type VendorControls } from './control/state';
import { registerDocs } from './docs/openapi';
import { DatadogAuth } from './datadog/auth';
import { datadogControl } from './datadog/control';
import { CredentialCheck } from './datadog/credentials';
import { IntegrationConfigModel } from './datadog/model';
import { datadogErrorHandler, datadogRawError } from './datadog/errors';
import { DATADOG_PREFIX, datadogRoutes } from './datadog/routes';
import { Clock } from './platform/clock';
import { clientErrorHandler } from './platform/client-errors';
import { FaultEngine } from './platform/faults';
import { Journal, journalRequests } from './platform/journal';
import { registerCors } from './platform/cors';
import { registerJsonBodyParser } from './platform/json-body';
import { pathOf } from './platform/path-pattern';
import { RequestLog, type Logger } from './platform/logger';
import { RateLimiter, RateLimitSettings } from './platform/rate-limiter';
import { loadSeedData, type SeedData } from './platform/seed-data';
import type { Scope } from './platform/vendors';
import { AttrSyncConfigModel } from './sailpoint/model';
import { SailpointClients, TokenService } from './sailpoint/oauth';
import { sailpointControl } from './sailpoint/control';
import { sailpointErrorHandler, sailpointRawError } from './sailpoint/errors';
import { isSailpointPath, sailpointRoutes } from './sailpoint/routes';
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
  /** The limits in force (the config's rules, which the control API changes at runtime). */
  rateLimits: RateLimitSettings;
  seed: SeedData;
  journal: Journal;
  faults: FaultEngine;
  /** Each vendor's reset, export and import, for the control API. */
  vendors: VendorControls;
  state: StateDocuments;
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
  /**
   * Back to the seed state (data/seed.json, then the --seed document): every vendor's state, the journal,
   * faults, forced outcomes, rate-limit settings and counters, the clock. With a scope, only that org's or
   * tenant's state, journal entries, faults, forced outcomes and counters; server-wide settings stay.
   */
  reset(scope?: Scope): void;
}

export const BODY_LIMIT = 1024 * 1024;

export function createContext(config: SyncmockConfig): SyncmockContext {
  const seed = loadSeedData(config.seedData);
  const db = openDatabase(config.db);
  const clock = new Clock();
  const rateLimiter = new RateLimiter(clock);
  const rateLimits = new RateLimitSettings({ datadog: config.datadog.rateLimits, sailpoint: { api: config.sailpoint.rateLimit } });
  const journal = new Journal(config.journalSize);
  const faults = new FaultEngine(clock);
  const credentials = new CredentialCheck();
  const model = new IntegrationConfigModel(new IntegrationConfigStore(db), new AzureAppRegistrationStore(db), clock, seed.datadog.orgs, credentials, {
    stateDelaySeconds: config.datadog.stateDelaySeconds,
  });
  const sailpointModel = new AttrSyncConfigModel(
    new SailpointSourceStore(db), clock, seed.sailpoint.sources, seed.sailpoint.tenants.map((t) => t.tenant_id),
  );
  const vendors: VendorControls = {
    datadog: datadogControl(model, credentials, rateLimiter),
    sailpoint: sailpointControl(sailpointModel, rateLimiter),
  };
  const state = new StateDocuments(db, vendors);
  try {
    if (config.seedState !== undefined) state.loadSeed(config.seedState);
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    config,
    db,
    clock,
    rateLimiter,
    rateLimits,
    seed,
    journal,
    faults,
    vendors,
    state,
    datadog: { model, credentials, auth: new DatadogAuth(seed.datadog.orgs, config.auth) },
    sailpoint: {
      model: sailpointModel,
      clients: new SailpointClients(seed.sailpoint, config.auth),
      tokens: new TokenService(clock, { secret: config.sailpoint.jwtSecret, ttlSeconds: config.sailpoint.tokenTtlSeconds }),
    },
    reset(scope) {
      if (scope === undefined) {
        for (const vendor of Object.values(vendors)) vendor.reset();
        journal.clear();
        faults.clear();
        rateLimits.restore();
        rateLimiter.clear();
        clock.real();
      } else {
        vendors[scope.vendor]?.reset(scope.id);
        journal.clear({ scope });
        faults.clear(scope);
      }
      state.applySeed(scope);
    },
  };
}

export async function buildApp(context: SyncmockContext, logger: Logger): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new RequestLog(),
    bodyLimit: BODY_LIMIT,
    routerOptions: { ignoreDuplicateSlashes: true },
    // Bodies are checked as sent: no coercion ("yes" is not a boolean, "1" is not a number), nothing dropped.
    // `discriminator`: revision 2026-08 picks the attributes schema by `integration_type`, as the spec does.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true, discriminator: true } },
    // Errors Fastify raises before routing (malformed percent-encoding, a path parameter over the router's
    // length limit) reach no plugin's error handler: answer them in the shape of the vendor whose URL it is.
    frameworkErrors: (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const path = pathOf(request.url);
      if (path.startsWith(DATADOG_PREFIX)) return datadogErrorHandler(err, request, reply);
      if (isSailpointPath(path)) return sailpointErrorHandler(err, request, reply);
      reply.send(err); // elsewhere Fastify's own error body, as for any unknown route
    },
    // Requests the HTTP parser refuses (a 1 MB token…), in the shape of the vendor whose URL it is.
    clientErrorHandler: clientErrorHandler((problem, path) =>
      (path.startsWith(DATADOG_PREFIX) ? datadogRawError(problem) : isSailpointPath(path) ? sailpointRawError(problem, path) : undefined)),
  });
  // Error bodies are small and built by the vendors' error handlers: plain JSON.stringify serves them, which
  // spares compiling a serializer for every documented error status of every route at start-up. Success
  // bodies keep their schema-compiled serializer (faster, and it drops any field the schema lacks).
  app.setSerializerCompiler(({ schema, httpStatus }) => (Number(httpStatus) >= 400 ? JSON.stringify : fastJsonStringify(schema)));
  app.addHook('preClose', async () => {
    context.faults.cancelDelays();
  });
  app.addHook('onClose', async () => {
    context.db.close();
  });
  // CORS and the OpenAPI collector before any route: CORS answers preflights ahead of every plugin's
  // hooks, and the collector must see each route as it is added.
  await registerCors(app, context.config.cors);
  await registerDocs(app, context.config.datadog.revision);
  journalRequests(app, context.journal, context.clock);
  registerJsonBodyParser(app);
  await app.register(controlRoutes, { prefix: '/__admin', context });
  await app.register(datadogRoutes, {
    prefix: DATADOG_PREFIX,
    model: context.datadog.model,
    auth: context.datadog.auth,
    rateLimiter: context.rateLimiter,
    rateLimits: context.config.datadog.rateLimits,
    defaultRevision: context.config.datadog.revision,
    faults: context.faults,
  });
  // At the root: the SailPoint SDK appends /beta, /v2024 and /oauth/token to its base URL.
  await app.register(sailpointRoutes, {
    model: context.sailpoint.model,
    clients: context.sailpoint.clients,
    tokens: context.sailpoint.tokens,
    rateLimiter: context.rateLimiter,
    rateLimit: context.config.sailpoint.rateLimit,
    faults: context.faults,
  });
  return app;
}
