// The emulated vendors, and what the control API needs from each: which vendor a request belongs to, whose
// state (Datadog org, SailPoint tenant) it touches, and how to reset, export and import that state.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FaultEngine } from './faults';

export const VENDORS = ['datadog', 'sailpoint'] as const;
export type Vendor = (typeof VENDORS)[number];

/** What each vendor calls the owner of its state; also the field name in journal entries and fault rules. */
export const SCOPE_NAMES = { datadog: 'org', sailpoint: 'tenant' } as const satisfies Record<Vendor, string>;
export type ScopeName = (typeof SCOPE_NAMES)[Vendor];

/** Where a vendor's orgs or tenants sit in a state document: `{"datadog": {"orgs": {"<org id>": …}}}`. */
export const SCOPE_COLLECTIONS = { datadog: 'orgs', sailpoint: 'tenants' } as const satisfies Record<Vendor, string>;

/** One Datadog org or one SailPoint tenant. */
export interface Scope {
  vendor: Vendor;
  id: string;
}

export interface VendorTag {
  vendor: Vendor;
  /** The caller's org or tenant once the vendor's auth has run; undefined before or when it failed. */
  scopeOf(request: FastifyRequest): string | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    vendorTag?: VendorTag;
  }
}

/**
 * The one line a vendor plugin adds, before its own hooks, so its traffic is journaled under its name and
 * injected faults can reach it. Faults apply in preValidation: after the vendor's auth (onRequest), so a
 * rule can match the caller's org or tenant, and with the body parsed, so the journal shows it.
 */
export function instrumentVendor(app: FastifyInstance, vendor: Vendor, faults: FaultEngine, scopeOf: VendorTag['scopeOf']): void {
  const tag: VendorTag = { vendor, scopeOf };
  app.addHook('onRequest', async (request) => {
    request.vendorTag = tag;
  });
  app.addHook('preValidation', faults.hook);
}

export type ImportMode = 'replace' | 'merge';

/** What the control API can do to one vendor's state. */
export interface VendorControl<ScopeState = unknown> {
  /** Back to the seed: everything, or one org/tenant. Also forgets the vendor's own overrides and counters. */
  reset(scopeId?: string): void;
  /** The vendor's part of state documents; a vendor without one is left out of exports and imports. */
  state?: VendorState<ScopeState>;
}

/** `ScopeState` is one org's or tenant's part of a state document; a vendor's part maps ids to them. */
export interface VendorState<ScopeState> {
  /** Every org's/tenant's state, or one's, secrets included (the caller redacts). */
  export(scopeId?: string): Record<string, ScopeState>;
  /** Problems the schema cannot see, each naming its field under `at` (e.g. "datadog.orgs"); empty when importable. */
  check(states: Record<string, ScopeState>, at: string): string[];
  /** Writes checked states; runs inside the import's one transaction. */
  import(states: Record<string, ScopeState>, mode: ImportMode): void;
}
