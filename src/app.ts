// Builds one Fastify instance: the shared pieces (store, clock, rate limits, journal, faults, redaction),
// CORS and the OpenAPI docs, then the control API and each vendor it is given (the registry, src/vendors.ts,
// for the CLI and startSyncmock()).
import { METHODS } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteOptions } from 'fastify';
import type {} from '@fastify/swagger';
import type { SyncmockConfig } from './config';
import { controlErrorBody, controlErrorHandler } from './control/errors';
import { CONTROL_PREFIX, controlDocument, controlRoutes, controlNotFound } from './control/routes';
import { ControlSchemas, reservedNames } from './control/schemas';
import type { BuiltVendor, SyncmockContext } from './control/context';
import { StateDocuments } from './control/state';
import { OPENAPI_PREFIX, UI_PREFIX, registerDocs } from './docs/openapi';
import { Clock } from './platform/clock';
import { clientErrorHandler } from './platform/client-errors';
import type { Problem } from './platform/errors';
import { Connections, timeoutOptions } from './platform/connections';
import { CorsPolicy } from './platform/cors';
import { drainBeforeEarlyAnswers } from './platform/drain';
import { errorHandlerOf, redactedAnswer } from './platform/error-replies';
import { FaultEngine } from './platform/faults';
import { AllowedHosts, HOST_CHECK_OFF_WARNING } from './platform/host-check';
import { Journal } from './platform/journal';
import { JournalRecorder } from './platform/journal-recording';
import { BODY_LIMIT, registerJsonBodyPolicy } from './platform/json-body';
import type { Logger } from './platform/logger';
import { RequestLineController } from './platform/request-line';
import { requestLoggerFactory } from './platform/request-logger';
import { RateLimits } from './platform/rate-limiter';
import { Redaction } from './platform/redaction';
import { ResetBarrier } from './platform/reset-barrier';
import { routedPath } from './platform/routed-path';
import { lazyValidators, registerSharedSchemas, serializers } from './platform/fastify-compilers';
import { loadSeedData } from './platform/seed-data';
import { AJV_OPTIONS } from './platform/validators';
import type { VendorContract } from './platform/vendor';
import { declareRequestState, ownerOf, registerVendor } from './platform/vendor-scope';
import { openDatabase } from './store/db';

/** A server's shared pieces and its vendors (the registry's, src/vendors.ts, or a test's), each built over them. */
export function createContext(config: Readonly<SyncmockConfig>, vendors: readonly VendorContract[]): SyncmockContext {
  checkNames(vendors);
  const seed = loadSeedData(config.seedData, vendors);
  const db = openDatabase(config.db, vendors);
  const clock = new Clock();
  const rateLimits = new RateLimits(clock);
  const cors = new CorsPolicy(config.cors, vendors);
  const built = vendors.map((contract): BuiltVendor => {
    const settings = (config as Readonly<Record<string, unknown>>)[contract.name] as never;
    const runtime = contract.create({ auth: config.auth, settings, db, clock, rateLimits, seed: seed[contract.name] });
    const groups = Object.keys(runtime.rateLimits);
    if (groups.length !== contract.rateLimitGroups.length || !contract.rateLimitGroups.every((g) => groups.includes(g))) {
      throw new Error(`${contract.name} gives rate limits for ${groups.join(', ')}, but its contract counts by ${contract.rateLimitGroups.join(', ')}`);
    }
    rateLimits.define(contract.name, runtime.rateLimits);
    return { contract, runtime };
  });
  // Built once the vendors are, for the credentials they hold (a signing key made at start among them).
  const held = [config.adminToken, ...built.flatMap((v) => v.runtime.heldCredentials?.() ?? [])].filter((v): v is string => v !== undefined);
  const redaction = new Redaction(vendors.map((v) => v.credentials), held);
  const journal = new Journal(config.journalSize, redaction);
  const faults = new FaultEngine(clock);
  const barrier = new ResetBarrier();
  const recorder = new JournalRecorder(journal, clock, barrier);
  const controlSchemas = new ControlSchemas(vendors);
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
      if (scope === undefined) {
        barrier.resetAll();
        for (const vendor of built) vendor.runtime.state.reset();
        journal.clear();
        faults.clear();
        rateLimits.restore();
        clock.real();
      } else {
        barrier.resetScope(scope);
        built.find((v) => v.contract.name === scope.vendor)?.runtime.state.reset(scope.id);
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

/** The paths the platform serves itself: no vendor's prefix may hold one, or sit under one. */
const PLATFORM_SURFACES = [CONTROL_PREFIX, OPENAPI_PREFIX, UI_PREFIX];

/**
 * A server's vendors are told apart by name in state documents, seed data, rate limits and journal entries,
 * and by scope name and alias in the control API's parameters and the journal's fields: each once, and none
 * a name the control API's own schemas already use there (reservedNames). A prefix is a vendor's alone; one
 * may sit under another vendor's (two APIs, each at its own host, may share a first segment: the longer
 * prefix wins, ownerOf), but not at or around a path the platform serves itself.
 */
export function checkNames(vendors: readonly VendorContract[]): void {
  const seen = new Map<string, string>();
  const reserved = reservedNames();
  const once = (word: string, what: string, taken: Map<string, string>) => {
    const fixed = taken.get(word);
    if (fixed !== undefined) throw new Error(`"${word}" is ${what}, but schemas/${fixed} already has a field or parameter of that name`);
    const before = seen.get(word);
    if (before !== undefined) throw new Error(`"${word}" is ${before} and ${what}: each vendor name, scope name and scope alias names one thing`);
    seen.set(word, what);
  };
  for (const v of vendors) once(v.name, `a vendor's name`, reserved.vendor);
  for (const v of vendors) {
    once(v.scope.name, `${v.name}'s scope name`, reserved.scope);
    for (const alias of Object.keys(v.scope.aliases ?? {})) once(alias, `${v.name}'s scope alias`, reserved.scope);
  }
  const prefixes = new Map<string, string>();
  const around = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
  for (const v of vendors) {
    for (const prefix of v.prefixes) {
      if (!/^(\/[^/?#*:]+)+$/.test(prefix)) throw new Error(`${v.name}'s prefix "${prefix}" is not a path of one or more segments without a trailing slash`);
      const owner = prefixes.get(prefix);
      if (owner !== undefined) throw new Error(`the prefix ${prefix} is ${owner}'s and ${v.name}'s: a prefix has one owner`);
      prefixes.set(prefix, v.name);
      const surface = PLATFORM_SURFACES.find((s) => around(prefix, s));
      if (surface !== undefined) throw new Error(`${v.name}'s prefix ${prefix} meets ${surface}, which the platform serves`);
    }
  }
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
  const vendorOf = (url: string): VendorContract | undefined => ownerOf(contracts, routedPath(url));
  // Each vendor's one error handler, for its scope (registerVendor) and for those two callers.
  const answerError = new Map(contracts.map((contract) => [contract, errorHandlerOf(contract.errorResponse)]));
  const runtimes = new Map(context.vendors.map(({ contract, runtime }) => [contract, runtime]));
  const app = Fastify({
    ...timeoutOptions(context.config.timeouts),
    loggerInstance: logger as FastifyBaseLogger,
    logController: new RequestLineController(),
    childLoggerFactory: requestLoggerFactory,
    bodyLimit: BODY_LIMIT,
    routerOptions: { ignoreDuplicateSlashes: true },
    ajv: { customOptions: AJV_OPTIONS },
    schemaController: { compilersFactory: { buildValidator: lazyValidators(), buildSerializer: serializers() } },
    // Errors Fastify raises before routing (malformed percent-encoding, a path parameter over the router's
    // length limit) reach no plugin's error handler: answer them in the shape of the vendor whose URL it is.
    frameworkErrors: (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const vendor = vendorOf(request.url);
      if (vendor !== undefined) return answerError.get(vendor)?.(err, request, reply);
      controlErrorHandler(err, request, reply);
    },
    // Requests the HTTP parser refuses (a 1 MB token, a lower-case method…) or that stop arriving, in the
    // shape of the vendor whose URL it is, and otherwise the control API's, as the root's not-found answer.
    clientErrorHandler: clientErrorHandler((problem, path) => redactedAnswer((path === undefined ? undefined : vendorOf(path)?.errorResponse(problem, { path }))
      ?? { status: problem.status, body: controlErrorBody(problem) }, context.redaction), connections, context.config.timeouts),
  });
  // Every method Node's parser reads reaches the router (Fastify routes nine of them by default), so the
  // path's owner answers a PROPFIND or a PURGE from its own scope, with its hooks: CORS, the journal under its
  // name, faults. CONNECT never reaches a request handler in Node.
  for (const method of METHODS) if (method !== 'CONNECT' && !app.supportedMethods.includes(method)) app.addHttpMethod(method);
  app.decorate('redaction', context.redaction);
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
  // A path the router puts under no prefix but that reads as a vendor's once decoded (an encoded slash:
  // /api%2Fv2/…) gets that vendor's not-found, chosen as frameworkErrors chooses.
  app.setNotFoundHandler((request, reply) => {
    request.admittedAt = context.barrier.now();
    context.recorder.track(request, reply);
    const vendor = vendorOf(request.url);
    if (vendor !== undefined) return answerError.get(vendor)?.(runtimes.get(vendor)?.noRoute(request) as Problem, request, reply);
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
  const { clock, faults, barrier, recorder, cors } = context;
  for (const { contract, runtime } of context.vendors) {
    await registerVendor(app, contract, runtime, answerError.get(contract) as ReturnType<typeof errorHandlerOf>, { clock, faults, barrier, recorder, cors });
  }
  return app;
}
