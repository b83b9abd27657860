// The contract every emulated vendor exports from its folder (src/<vendor>/index.ts) and the registry
// (src/vendors.ts) lists. The app, the platform and the control API know vendors only through it: a vendor's
// code is its folder and a line in the registry; its schemas, seed part, settings and dashboard panel live
// where every vendor's do (CONTRIBUTING, Adding a third vendor).
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Config, ConfigRateLimitRule } from '../generated/schema-types';
import type { Clock } from './clock';
import type { Problem } from './errors';
import type { ErrorFormatter } from './error-replies';
import type { RateLimits } from './rate-limiter';
import type { Db } from '../store/db';
import type { Migration } from '../store/migrations';

/** One org or tenant: the owner of a part of a vendor's state. */
export interface Scope {
  vendor: string;
  id: string;
}

export type ImportMode = 'replace' | 'merge';

/** A vendor's own section of the configuration (schemas/config.json, under its name); undefined when it has none. */
export type VendorSettings<Name extends string> = Name extends keyof Config ? Readonly<Config[Name]> : undefined;

/**
 * What the platform hands a vendor to build itself with: of the configuration, only what a vendor may read
 * (never the admin token, the listener's settings or another vendor's section).
 */
export interface PlatformServices<Settings = unknown> {
  /** open: any well-formed credentials act for a scope of their own; strict: only the seed's. */
  auth: Config['auth'];
  /** Its own section of the configuration, read-only. */
  settings: Settings;
  db: Db;
  clock: Clock;
  rateLimits: RateLimits;
  /** The vendor's part of the seed document, checked against its seed schema. */
  seed: unknown;
}

/**
 * A vendor's state as the control API moves it: reset, and its part of state documents (moto's backends own
 * reset() likewise). Not its rules, which its model holds.
 */
export interface VendorStateAdapter<ScopeState = unknown> {
  /** Back to the seed: everything, or one org/tenant; also forgets the vendor's own overrides. */
  reset(scopeId?: string): void;
  /**
   * Every org's/tenant's state, or one's, as it may leave the process: each secret replaced by "[redacted]"
   * (REDACTED) at the place the vendor keeps it, which only the vendor knows; everything else as its own
   * GETs show it. The platform then hides credential-shaped values anywhere (Redaction.redactValues), never
   * anything by its name, and puts them back on import; the vendor's import keeps the stored secrets where
   * it meets "[redacted]", so export then import is the identity.
   */
  export(scopeId?: string): Record<string, ScopeState>;
  /**
   * How many orgs/tenants it holds, and items in all under each top-level list of a scope's state (the names
   * the export uses): counted by the store, never by reading the state (GET /__admin/overview).
   */
  counts(): { scopes: number; items: Record<string, number> };
  /** Problems the schema cannot see, each naming its field under `at` (e.g. "<vendor>.orgs"); empty when importable. */
  check(states: Record<string, ScopeState>, at: string): string[];
  /** Writes checked states; runs inside the import's one transaction. */
  import(states: Record<string, ScopeState>, mode: ImportMode): void;
}

/** An OpenAPI document a vendor serves (Swagger UI offers the listed ones). */
export interface ApiDocument {
  /** e.g. /openapi/<vendor>.json */
  path: string;
  title: string;
  description: string;
  /** Whether a route (as @fastify/swagger's transform sees it) belongs in the document. */
  includes(route: { url: string; constraints?: Record<string, unknown> }): boolean;
  securitySchemes(origin: string): Record<string, unknown>;
  security: Array<Record<string, string[]>>;
  /** Paths whose operations need no credentials (the token endpoint). */
  public?: RegExp;
  /** false: served but not offered in Swagger UI (an alias of another document). */
  listed?: boolean;
}

/** What a vendor is once built over the platform's services. */
export interface VendorRuntime<ScopeState = unknown> {
  /**
   * Adds the vendor's hooks and routes to the scope the platform made for it (platform/vendor-scope.ts),
   * which already journals, answers CORS, injects faults, formats errors with the contract's formatter and
   * answers every path under its prefixes that no route of the vendor's takes.
   */
  routes(app: FastifyInstance): Promise<void>;
  /** The caller's org or tenant once the vendor's auth has run; undefined before, or when it failed. */
  scopeOf(request: FastifyRequest): string | undefined;
  /**
   * The problem a path under its prefixes that no route takes is (a 404 in its words), raised before the
   * body is read; it may throw another one instead (a header it refuses first).
   */
  noRoute(request: FastifyRequest): Problem;
  state: VendorStateAdapter<ScopeState>;
  /** The limits a fresh server (or a full reset) starts with, for each of the contract's rate-limit groups. */
  rateLimits: Record<string, ConfigRateLimitRule>;
  /** A scope alias's value (e.g. an API key) as a scope id; throws InvalidInput when it has none. */
  resolveAlias?(alias: string, value: string): string;
  /** Vendor-specific control routes, registered under /__admin/<vendor name>. */
  controlRoutes?: FastifyPluginAsync;
  /**
   * The credential values it holds for the server's life (seeded keys, tokens and client secrets, a signing
   * key): the platform hides each as text wherever it occurs (Redaction), whatever name or shape it has.
   */
  heldCredentials?(): readonly string[];
  /** What GET /__admin/health says about the vendor. */
  health?(): Record<string, unknown>;
  documents: ApiDocument[];
  /**
   * How many entries each of its in-memory per-key structures holds now, by name (caches, forced outcomes…):
   * every one is bounded (README, Limits), and the bounded-state tests read them here. Not served.
   */
  sizes(): Record<string, number>;
}

/**
 * One of a vendor's own control calls (its runtime's controlRoutes) as an MCP tool: the MCP server lists it
 * beside the control API's own, from the contract alone.
 */
export interface ControlToolSpec {
  name: string;
  description: string;
  /** Its input and output schemas (schemas/<path>). */
  inputSchema: string;
  outputSchema?: string;
  /** The call, under /__admin/<vendor name>: `path` is relative to it ("/credential-outcome"). */
  call(input: Record<string, unknown>): ControlCall;
}

/** A call of the control API an MCP tool makes: a query string or a JSON body. */
export interface ControlCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
}

export interface VendorContract<ScopeState = unknown, Name extends string = string> {
  /** Lower case, the key of its section in state documents, seed data, rate limits, journal entries. */
  name: Name;
  /** What the vendor calls the owner of its state, and where those sit in a state document. */
  scope: {
    /** "org": the field of journal entries and fault rules, the control API's query parameter. */
    name: string;
    /** "orgs": `{"<vendor>": {"orgs": {"<id>": …}}}`. */
    collection: string;
    /** Other control API parameters that stand for a scope (never echoed or kept), with what they are. */
    aliases?: Record<string, string>;
  };
  /** What its requests are counted by, each with a limit of its own (its runtime's `rateLimits` gives the rules). */
  rateLimitGroups: readonly string[];
  /** Path prefixes the vendor owns: its routes, and its error shape for any other path under them. */
  prefixes: readonly string[];
  /**
   * Where credentials travel: redacted from logs and the journal wherever they appear, by name or value;
   * state exports hide `values` only (their names are stored data), the vendor having replaced its secrets.
   */
  credentials: {
    /** Request header names, lower case. */
    headers: readonly string[];
    /** Body fields and query parameters, at any depth. */
    fields: readonly string[];
    /** Values that are credentials in any header or query parameter, whatever their name (token prefixes). */
    values?: readonly RegExp[];
  };
  /** Request headers a browser client sends, and response headers it may read. */
  cors: { allowedHeaders: readonly string[]; exposedHeaders: readonly string[] };
  /** Its part of the seed document (schemas/<path>). */
  seedSchema: string;
  /** What its seed schema cannot check (a value given twice), each naming its field; empty when usable. */
  seedProblems(seed: unknown): string[];
  /** Its part of state documents: one org's or tenant's state (schemas/<path>). */
  stateSchema: string;
  /**
   * Its tables' history, append only (its store/migrations.ts): the platform runs each step once, in order,
   * and keeps the vendor's version in the database (src/store/migrations.ts). Only its store modules use
   * those tables.
   */
  migrations: readonly Migration[];
  /**
   * The one place its error answers are formatted: any error raised for one of its paths, and a problem
   * met before Fastify had a request (platform/client-errors.ts, then `site` has the path alone).
   */
  errorResponse: ErrorFormatter;
  create(services: PlatformServices<VendorSettings<Name>>): VendorRuntime<ScopeState>;
  /** Its control routes' calls as MCP tools (src/mcp/tools.ts). */
  controlTools?: readonly ControlToolSpec[];
  /** How a client connects with the seed's credentials (startSyncmock's result, the start line, parity). */
  connection(seed: unknown, baseUrl: string): Record<string, string | undefined>;
}
