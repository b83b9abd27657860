// Builds one Fastify instance: the shared pieces (store, clock, rate limits, journal, faults, redaction),
// CORS and the OpenAPI docs, then the control API and each vendor of the registry (src/vendors.ts).
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteOptions } from 'fastify';
import type {} from '@fastify/swagger';
import type { SyncmockConfig } from './config';
import { controlErrorHandler } from './control/errors';
import { controlDocument, controlRoutes, controlNotFound } from './control/routes';
import { ControlSchemas } from './control/schemas';
import { StateDocuments } from './control/state';
import { registerDocs } from './docs/openapi';
import { Clock } from './platform/clock';
import { clientErrorHandler } from './platform/client-errors';
import { Connections, timeoutOptions } from './platform/connections';
import { drainBeforeEarlyAnswers } from './platform/drain';
import { FaultEngine } from './platform/faults';
import { AllowedHosts, registerHostCheck } from './platform/host-check';
import { Journal, journalRequests } from './platform/journal';
import { registerCors } from './platform/cors';
import { BODY_LIMIT, registerJsonBodyPolicy } from './platform/json-body';
import { RequestLog, requestLoggerFactory, type Logger } from './platform/logger';
import { RateLimits } from './platform/rate-limiter';
import { Redaction } from './platform/redaction';
import { AJV_OPTIONS, lazySerializers, lazyValidators, registerSharedSchemas } from './platform/schemas';
import { loadSeedData, type SeedData } from './platform/seed-data';
import { surfaceOf } from './platform/surfaces';
import type { Scope, VendorContract, VendorRuntime } from './platform/vendor';
import { openDatabase, type Db } from './store/db';
import { VENDORS } from './vendors';

/** A vendor of the registry, built over this server's services. */
export interface Vendor {
  contract: VendorContract;
  runtime: VendorRuntime;
}

/** Everything a request handler or the control API may need, built once per server. */
export interface SyncmockContext {
  config: Readonly<SyncmockConfig>;
  /** The seed document, each vendor's part under its name. */
  seed: SeedData;
  db: Db;
  clock: Clock;
  rateLimits: RateLimits;
  journal: Journal;
  faults: FaultEngine;
  redaction: Redaction;
  vendors: readonly Vendor[];
  state: StateDocuments;
  /** The control API's schemas with these vendors filled in: one set per server, expanded once. */
  controlSchemas: ControlSchemas;
  /**
   * Back to the seed state (the seed data, then the --seed document): every vendor's state, the journal,
   * faults, rate-limit settings and counters, the clock. With a scope, only that org's or tenant's state,
   * journal entries, faults and counters (and the vendor's own overrides for it); server-wide settings stay.
   */
  reset(scope?: Scope): void;
}

export function createContext(config: Readonly<SyncmockConfig>, vendors: readonly VendorContract[] = VENDORS): SyncmockContext {
  const seed = loadSeedData(config.seedData, vendors);
  const db = openDatabase(config.db);
  const clock = new Clock();
  const rateLimits = new RateLimits(clock);
  const redaction = new Redaction(vendors.map((v) => v.credentials));
  const journal = new Journal(config.journalSize, redaction);
  const faults = new FaultEngine(clock);
  const built = vendors.map((contract): Vendor => {
    const runtime = contract.create({ config, db, clock, rateLimits, faults, seed: seed[contract.name] });
    rateLimits.define(contract.name, runtime.rateLimits);
    return { contract, runtime };
  });
  const controlSchemas = new ControlSchemas(built);
  const state = new StateDocuments(db, built, redaction, controlSchemas);
  try {
    if (config.seedState !== undefined) state.loadSeed(config.seedState);
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    config,
    seed,
    db,
    clock,
    rateLimits,
    journal,
    faults,
    redaction,
    vendors: built,
    state,
    controlSchemas,
    reset(scope) {
      if (scope === undefined) {
        for (const vendor of built) vendor.runtime.model.reset();
        journal.clear();
        faults.clear();
        rateLimits.restore();
        clock.real();
      } else {
        built.find((v) => v.contract.name === scope.vendor)?.runtime.model.reset(scope.id);
        journal.clear({ scope });
        faults.clear(scope);
        rateLimits.clear(scope);
      }
      state.applySeed(scope);
    },
  };
}

/**
 * `onRoute`: told of every route as it is added, by any plugin (the test that every served route is
 * documented lists them so, without knowing who adds which).
 */
export async function buildApp(context: SyncmockContext, logger: Logger, onRoute?: (route: RouteOptions) => void): Promise<FastifyInstance> {
  const contracts = context.vendors.map((v) => v.contract);
  const connections = new Connections();
  const allowedHosts = new AllowedHosts(context.config.allowedHosts, context.config.host);
  const shared = context.controlSchemas.shared();
  const app = Fastify({
    ...timeoutOptions(context.config.timeouts),
    loggerInstance: logger as FastifyBaseLogger,
    logController: new RequestLog(),
    childLoggerFactory: requestLoggerFactory,
    bodyLimit: BODY_LIMIT,
    routerOptions: { ignoreDuplicateSlashes: true },
    ajv: { customOptions: AJV_OPTIONS },
    schemaController: { compilersFactory: { buildValidator: lazyValidators(), buildSerializer: lazySerializers(shared) } },
    // Errors Fastify raises before routing (malformed percent-encoding, a path parameter over the router's
    // length limit) reach no plugin's error handler: answer them in the shape of the vendor whose URL it is.
    frameworkErrors: (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const surface = surfaceOf(request.url, contracts);
      if (surface.kind === 'vendor') return surface.vendor.errorHandler(err, request, reply);
      controlErrorHandler(err, request, reply);
    },
    // Requests the HTTP parser refuses (a 1 MB token…) or that stop arriving, in the shape of the vendor
    // whose URL it is.
    clientErrorHandler: clientErrorHandler((problem, path) => {
      const surface = surfaceOf(path, contracts);
      return surface.kind === 'vendor' ? surface.vendor.rawError(problem, path) : undefined;
    }, connections, context.config.timeouts),
  });
  if (onRoute) app.addHook('onRoute', onRoute);
  connections.attach(app);
  drainBeforeEarlyAnswers(app);
  // At the root, before any route: the routes and the OpenAPI documents refer to them by `$id`.
  registerSharedSchemas(app, shared, context.config.rejectUnknownFields);
  app.addHook('preClose', async () => {
    context.faults.cancelDelays();
  });
  app.addHook('onClose', async () => {
    context.db.close();
  });
  // Any path no vendor claims, and any error outside the vendors' plugins: the control API's shape, which
  // is Fastify's own plus details, without echoing the query string.
  app.setNotFoundHandler(controlNotFound);
  app.setErrorHandler(controlErrorHandler);
  // The Host check, CORS and the OpenAPI collectors before any route: the Host check refuses rebound
  // requests to the control API and docs, preflights included; CORS answers preflights ahead of every
  // plugin's hooks; the collectors must see each route as it is added.
  registerHostCheck(app, allowedHosts, contracts);
  registerCors(app, context.config.cors, contracts);
  await registerDocs(app, [...context.vendors.flatMap((v) => v.runtime.documents), controlDocument], { hostChecked: !allowedHosts.any });
  journalRequests(app, context.journal, context.clock, contracts);
  registerJsonBodyPolicy(app, (key) => context.redaction.isSecretKey(key));
  await app.register(controlRoutes, { prefix: '/__admin', context });
  for (const vendor of context.vendors) await app.register(vendor.runtime.plugin);
  return app;
}
