// Builds one Fastify instance: the shared pieces (store, clock, rate limits, journal, faults, redaction),
// CORS and the OpenAPI docs, then the control API and each vendor of the registry (src/vendors.ts).
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteOptions } from 'fastify';
import type {} from '@fastify/swagger';
import type { SyncmockConfig } from './config';
import { controlErrorHandler } from './control/errors';
import { CONTROL_PREFIX, controlDocument, controlRoutes, controlNotFound } from './control/routes';
import { ControlSchemas } from './control/schemas';
import { StateDocuments, type ImportSummary } from './control/state';
import { registerDocs } from './docs/openapi';
import { Clock } from './platform/clock';
import { clientErrorHandler } from './platform/client-errors';
import { Connections, timeoutOptions } from './platform/connections';
import { CorsPolicy } from './platform/cors';
import { drainBeforeEarlyAnswers } from './platform/drain';
import { FaultEngine } from './platform/faults';
import { AllowedHosts, HOST_CHECK_OFF_WARNING } from './platform/host-check';
import { Journal } from './platform/journal';
import { JournalRecorder } from './platform/journal-recording';
import { BODY_LIMIT, registerJsonBodyPolicy } from './platform/json-body';
import { RequestLog, requestLoggerFactory, type Logger } from './platform/logger';
import { RateLimits } from './platform/rate-limiter';
import { Redaction } from './platform/redaction';
import { ResetBarrier } from './platform/reset-barrier';
import { routedPath } from './platform/routed-path';
import { AJV_OPTIONS, lazyValidators, registerSharedSchemas, serializers } from './platform/schemas';
import { loadSeedData, type SeedData } from './platform/seed-data';
import type { ImportMode, Scope, VendorContract, VendorRuntime } from './platform/vendor';
import { declareRequestState, instrumentVendor, ownsPath } from './platform/vendor-scope';
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
  /** Turns the requests their owners track into journal entries. */
  recorder: JournalRecorder;
  faults: FaultEngine;
  redaction: Redaction;
  /** Requests a reset overtook are refused (platform/reset-barrier.ts). */
  barrier: ResetBarrier;
  /** Host names the control API and the docs answer (DNS rebinding). */
  allowedHosts: AllowedHosts;
  cors: CorsPolicy;
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
  /** POST /__admin/state: imports a state document (control/state.ts); a barrier for the orgs and tenants it writes. */
  importState(doc: unknown, mode: ImportMode): ImportSummary;
}

export function createContext(config: Readonly<SyncmockConfig>, vendors: readonly VendorContract[] = VENDORS): SyncmockContext {
  const seed = loadSeedData(config.seedData, vendors);
  const db = openDatabase(config.db);
  const clock = new Clock();
  const rateLimits = new RateLimits(clock);
  const redaction = new Redaction(vendors.map((v) => v.credentials));
  const journal = new Journal(config.journalSize, redaction);
  const faults = new FaultEngine(clock);
  const barrier = new ResetBarrier();
  const recorder = new JournalRecorder(journal, clock, barrier);
  const cors = new CorsPolicy(config.cors, vendors);
  const built = vendors.map((contract): Vendor => {
    const scopeServices = { clock, faults, barrier, recorder, cors };
    const runtime = contract.create({
      config, db, clock, rateLimits, seed: seed[contract.name],
      instrument: (app, scopeOf) => instrumentVendor(app, contract, scopeServices, scopeOf),
    });
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
    recorder,
    faults,
    redaction,
    barrier,
    allowedHosts: new AllowedHosts(config.allowedHosts, config.host),
    cors,
    vendors: built,
    state,
    controlSchemas,
    reset(scope) {
      if (scope === undefined) barrier.resetAll();
      else barrier.resetScope(scope);
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
    importState(doc, mode) {
      const summary = state.import(doc, mode);
      for (const [vendor, collections] of Object.entries(summary.imported)) {
        for (const ids of Object.values(collections)) for (const id of ids) barrier.resetScope({ vendor, id });
      }
      return summary;
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
  const shared = context.controlSchemas.shared();
  // The vendor whose URL a request was, for the two callers that run before the router matched it.
  const vendorOf = (url: string): VendorContract | undefined => {
    const path = routedPath(url);
    return contracts.find((v) => ownsPath(v, path));
  };
  const app = Fastify({
    ...timeoutOptions(context.config.timeouts),
    loggerInstance: logger as FastifyBaseLogger,
    logController: new RequestLog(),
    childLoggerFactory: requestLoggerFactory,
    bodyLimit: BODY_LIMIT,
    routerOptions: { ignoreDuplicateSlashes: true },
    ajv: { customOptions: AJV_OPTIONS },
    schemaController: { compilersFactory: { buildValidator: lazyValidators(), buildSerializer: serializers() } },
    // Errors Fastify raises before routing (malformed percent-encoding, a path parameter over the router's
    // length limit) reach no plugin's error handler: answer them in the shape of the vendor whose URL it is.
    frameworkErrors: (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const vendor = vendorOf(request.url);
      if (vendor !== undefined) return vendor.errorHandler(err, request, reply);
      controlErrorHandler(err, request, reply);
    },
    // Requests the HTTP parser refuses (a 1 MB token…) or that stop arriving, in the shape of the vendor
    // whose URL it is.
    clientErrorHandler: clientErrorHandler((problem, path) => vendorOf(path)?.rawError(problem, path), connections, context.config.timeouts),
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
  declareRequestState(app);
  // Any path no surface's plugin owns, and any error outside their scopes: the control API's shape, which is
  // Fastify's own plus details, without echoing the query string; journaled, as WireMock journals unmatched
  // requests.
  app.setNotFoundHandler((request, reply) => {
    request.admittedAt = context.barrier.now();
    context.recorder.track(request, reply);
    controlNotFound(request, reply);
  });
  app.setErrorHandler(controlErrorHandler);
  if (context.allowedHosts.any) app.log.warn(HOST_CHECK_OFF_WARNING);
  // The OpenAPI collectors before any route: they must see each route as it is added.
  await registerDocs(app, [...context.vendors.flatMap((v) => v.runtime.documents), controlDocument], {
    allowedHosts: context.allowedHosts, cors: context.cors, notFound: controlNotFound,
  });
  context.recorder.keepPayloads(app);
  registerJsonBodyPolicy(app, (key) => context.redaction.isSecretKey(key));
  await app.register(controlRoutes, { prefix: CONTROL_PREFIX, context });
  for (const vendor of context.vendors) await app.register(vendor.runtime.plugin);
  return app;
}
