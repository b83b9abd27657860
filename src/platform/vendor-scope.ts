// What makes a vendor's scope one of the emulated APIs. The router decides a request's owner: each vendor's
// routes, and the catch-alls under its prefixes, live in a scope the platform makes for it (registerVendor),
// so these hooks run for exactly the requests routed to it, however their path was spelt. Request properties are declared once (declareRequestState), so every request has the same shape.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from './clock';
import { allowCors, type CorsPolicy } from './cors';
import type { AppliedFault, FaultEngine } from './faults';
import type { JournalRecorder } from './journal-recording';
import { OvertakenByReset, type ResetBarrier } from './reset-barrier';
import { callbackHook } from './callback-hooks';
import { errorHandlerOf } from './error-replies';
import type { VendorContract, VendorRuntime } from './vendor';

/** What the journal and the fault engine know of a request once its vendor has seen it. */
export interface VendorTag {
  vendor: string;
  scopeName: string;
  /** The caller's org or tenant once the vendor's auth has run; undefined before or when it failed. */
  scopeOf(request: FastifyRequest): string | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the owning vendor's scope; null elsewhere. */
    vendorTag: VendorTag | null;
    /** The reset barrier's tick when the request arrived (reset-barrier.ts). */
    admittedAt: number;
    /** undefined: not journaled; null: journaled, no answer yet; else the answer's payload. */
    journalPayload: unknown;
    /** The fault applied to the request, for its journal entry. */
    fault: AppliedFault | null;
  }
}

/** Declares the request properties the platform's hooks set, at the root, once per server. */
export function declareRequestState(app: FastifyInstance): void {
  app.decorateRequest('vendorTag', null);
  app.decorateRequest('admittedAt', 0);
  app.decorateRequest('journalPayload', undefined);
  app.decorateRequest('journalTimeMs', 0);
  app.decorateRequest('fault', null);
  app.decorateRequest('bodyBytes', undefined); // json-body.ts sets it
}

/** The platform's services a vendor scope is instrumented with. */
export interface InstrumentServices {
  clock: Clock;
  faults: FaultEngine;
  barrier: ResetBarrier;
  recorder: JournalRecorder;
  cors: CorsPolicy;
}

/**
 * Registers a vendor at the root in a scope of its own, which the platform sets up from the contract before
 * the vendor adds anything: its requests are noted by the reset barrier and journaled under its name, get
 * CORS headers (preflights answered here), can be reached by injected faults (preValidation: after the
 * vendor's auth in onRequest, so a rule can match the caller's org or tenant, and with the body parsed, so
 * the journal shows it), and are refused once a reset overtook them (the last preHandler step: nothing
 * asynchronous runs between it and the handler). Its errors are answered by its one error handler (the contract's formatter's, given), its bodies
 * are JSON only (Fastify's built-in text/plain parser would let a text body reach the schema check, a 400,
 * where a 415 is the honest answer), and after its routes, every other path under each of its prefixes (the
 * prefix itself for the methods no route of it takes, and `prefix/*` for all) is its `noRoute` problem,
 * before the body is read: so the router and ownerOf() agree on every path's owner.
 */
export async function registerVendor(
  app: FastifyInstance, contract: VendorContract, runtime: Pick<VendorRuntime, 'routes' | 'scopeOf' | 'noRoute'>,
  answerError: ReturnType<typeof errorHandlerOf>, services: InstrumentServices,
): Promise<void> {
  await app.register(async (scope) => {
    instrumentVendor(scope, contract, services, runtime.scopeOf);
    scope.setErrorHandler(answerError);
    scope.removeContentTypeParser('text/plain');
    await runtime.routes(scope);
    // Routes of plugins the vendor registered without awaiting them.
    await scope.after();
    const handler = (request: FastifyRequest): never => {
      throw runtime.noRoute(request);
    };
    const noRoute = callbackHook(handler);
    for (const prefix of contract.prefixes) {
      const free = scope.supportedMethods.filter((method) => !scope.hasRoute({ method, url: prefix }));
      if (free.length > 0) scope.route({ method: free, url: prefix, schema: { hide: true }, onRequest: noRoute, handler });
      scope.all(`${prefix}/*`, { schema: { hide: true }, onRequest: noRoute }, handler);
    }
  });
}

/** The hooks that make a scope a vendor's (registerVendor's first step). */
export function instrumentVendor(
  app: FastifyInstance, contract: Pick<VendorContract, 'name' | 'scope'>, services: InstrumentServices, scopeOf: VendorTag['scopeOf'],
): void {
  const { barrier, recorder, faults } = services;
  const tag: VendorTag = { vendor: contract.name, scopeName: contract.scope.name, scopeOf };
  allowCors(app, services.cors);
  app.addHook('onRequest', (request, reply, done) => {
    request.vendorTag = tag;
    request.admittedAt = barrier.now();
    recorder.track(request, reply);
    done();
  });
  app.addHook('preValidation', faults.hook);
  app.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, done: (err?: FastifyError) => void) => {
    if (barrier.overtook(request.admittedAt, tag.vendor, scopeOf(request))) return done(new OvertakenByReset() as unknown as FastifyError);
    done();
  });
}

const under = (prefix: string, path: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

/** Whether a path is under one of a vendor's prefixes. */
export const ownsPath = (contract: Pick<VendorContract, 'prefixes'>, path: string): boolean =>
  contract.prefixes.some((p) => under(p, path));

/**
 * The vendor whose URL a path is, as the router decides it: one vendor's prefix may sit under another's
 * (two vendor APIs, each at its own host, may share a first path segment here), and the longest prefix
 * that holds the path wins, as the more specific route does in the router.
 */
export function ownerOf<C extends Pick<VendorContract, 'prefixes'>>(contracts: readonly C[], path: string): C | undefined {
  let owner: C | undefined;
  let longest = -1;
  for (const contract of contracts) {
    for (const prefix of contract.prefixes) {
      if (prefix.length > longest && under(prefix, path)) {
        owner = contract;
        longest = prefix.length;
      }
    }
  }
  return owner;
}
