// What the control API works with: one server's shared pieces and its vendors (built by app.ts's
// createContext). A type of the control API's own, so app.ts and control/ do not import each other.
import type { SyncmockConfig } from '../config';
import type { Clock } from '../platform/clock';
import type { CorsPolicy } from '../platform/cors';
import type { FaultEngine } from '../platform/faults';
import type { AllowedHosts } from '../platform/host-check';
import type { Journal } from '../platform/journal';
import type { JournalRecorder } from '../platform/journal-recording';
import type { RateLimits } from '../platform/rate-limiter';
import type { Redaction } from '../platform/redaction';
import type { ResetBarrier } from '../platform/reset-barrier';
import type { SeedData } from '../platform/seed-data';
import type { ImportMode, Scope, VendorContract, VendorRuntime } from '../platform/vendor';
import type { Db } from '../store/db';
import type { ControlSchemas } from './schemas';
import type { ImportSummary, StateDocuments } from './state';

/** A vendor of the server, built over its services. */
export interface BuiltVendor {
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
  vendors: readonly BuiltVendor[];
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

