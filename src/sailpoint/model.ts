// The rules of SailPoint's source attribute sync config, over the store. No HTTP here: routes.ts calls
// these methods and turns what they return or raise into replies.
import { toRfc3339, type Clock } from '../platform/clock';
import { InvalidInput, MAX_PROBLEMS, NotFound, shown } from '../platform/errors';
import { ScopeRegistry } from '../platform/scope-registry';
import type { AttrSyncSourceAttributeConfig, SailpointAttrSyncSourceConfig, SailpointAttrSyncSourceConfigResponse } from '../generated/schema-types';
import type { SailpointSourceRow, SailpointSourceStore } from './store/sources';
import type { SeedSailpointSource } from './seed';

/** What GET and PUT answer (schemas/sailpoint/attr-sync-source-config-response.json). */
export type AttrSyncSourceConfig = SailpointAttrSyncSourceConfigResponse;

/** A PUT body once it matches schemas/sailpoint/attr-sync-source-config.json. */
export type AttrSyncSourceConfigInput = SailpointAttrSyncSourceConfig;

/** One tenant's sources as stored, with the times a state document carries. */
export interface TenantSnapshot {
  tenantId: string;
  /** When the store registered it; undefined for a tenant it does not hold yet. */
  createdAt?: string;
  sources: Array<SeedSailpointSource & { modifiedAt?: string }>;
}

/** SailPoint's generic 400 text; the causes say what exactly is wrong. */
const SEMANTICALLY_INVALID = 'The request was syntactically correct but its content is semantically invalid.';
const IMMUTABLE_FIELDS = ['displayName', 'target'] as const;

/**
 * Every tenant starts with the seed's sources. The seed data's tenants are in the store from the start (and
 * again after a reset); any other tenant (open mode) reads the seed's sources until its first write
 * registers it with a copy of them. Reads never write.
 */
export class AttrSyncConfigModel {
  /** The seed's answers by source id, for tenants that never wrote (made on first use). */
  private seedViews?: Map<string, AttrSyncSourceConfig>;
  private readonly tenants = new ScopeRegistry((tenantId) => this.seedTenant(tenantId, this.clock.isoNow()), (fn) => this.store.transaction(fn),
    (tenantId) => this.store.tenantCreatedAt(tenantId) !== undefined);

  constructor(
    private readonly store: SailpointSourceStore,
    private readonly clock: Clock,
    private readonly seedSources: SeedSailpointSource[],
    /** The seed's tenants, which an export lists even before their first request. */
    private readonly seedTenantIds: string[] = [],
  ) {
    this.seedAll();
  }

  /** How many tenants the cache of registered ones holds (the bounded-state tests read it). */
  get knownTenants(): number {
    return this.tenants.size;
  }

  get(tenantId: string, sourceId: string): AttrSyncSourceConfig {
    if (this.tenants.has(tenantId)) return view(this.find(tenantId, sourceId));
    const seeded = this.seedView(sourceId);
    if (!seeded) throw notFound(sourceId);
    return seeded;
  }

  /**
   * Replaces the config, where only `enabled` of existing attributes may change: the body must list
   * every stored attribute exactly once (in any order), with `name`, `displayName` and `target` as
   * stored, and a `source.id` (when given) equal to the path's. Every violation is reported; on any,
   * nothing changes. `source.name` and properties beyond the schema's are ignored.
   */
  put(tenantId: string, sourceId: string, input: AttrSyncSourceConfigInput): AttrSyncSourceConfig {
    const current = this.find(tenantId, sourceId);
    const causes = violations(current, input);
    if (causes.length > 0) throw new InvalidInput(SEMANTICALLY_INVALID, causes);
    const enabled = new Map(input.attributes.map((a) => [a.name, a.enabled]));
    const next: SailpointSourceRow = {
      ...current,
      attributes: current.attributes.map((a) => ({ ...a, enabled: enabled.get(a.name) as boolean })),
      modifiedAt: this.clock.isoNow(),
    };
    this.store.transaction(() => {
      this.tenants.ensure(tenantId);
      this.store.updateAttributes(next);
    });
    return view(next);
  }

  /** Back to the seed: every tenant, or one (a seed tenant gets its seed again at once). */
  reset(tenantId?: string): void {
    this.store.transaction(() => {
      if (tenantId === undefined) this.store.removeAllTenants();
      else this.store.removeTenant(tenantId);
      this.tenants.forget(tenantId);
      this.seedAll(tenantId);
    });
  }

  /** Every tenant's sources (the seed's tenants included), or one tenant's (the seed's until its first write). */
  snapshot(tenantId?: string): TenantSnapshot[] {
    return (tenantId === undefined ? this.store.tenantIds() : [tenantId]).map((id) => ({
      tenantId: id,
      createdAt: this.store.tenantCreatedAt(id),
      sources: this.sources(id).map((row) => ({
        id: row.id, name: row.name, attributes: view(row).attributes, ...(row.modifiedAt !== '' && { modifiedAt: row.modifiedAt }),
      })),
    }));
  }

  /** How many tenants the store holds, and sources in all (counted, nothing read). */
  counts(): { tenants: number; sources: number } {
    return this.store.counts();
  }

  /**
   * Writes sources for the given tenants. `replace`: each tenant holds exactly these sources afterwards;
   * `merge`: sources are added to or replace (by id) what the tenant holds, its seed included. Other
   * tenants are not touched. The caller runs it inside one transaction.
   */
  importTenants(tenants: TenantSnapshot[], mode: 'replace' | 'merge'): void {
    const now = this.clock.isoNow();
    const at = (time: string | undefined) => (time === undefined ? now : toRfc3339(Date.parse(time)));
    try {
      for (const { tenantId, createdAt, sources } of tenants) {
        if (mode === 'replace') {
          this.store.removeTenant(tenantId);
          this.store.addTenant(tenantId, at(createdAt));
        } else {
          this.seedTenant(tenantId, at(createdAt));
        }
        for (const s of sources) {
          this.store.upsert({ tenantId, id: s.id, name: s.name, attributes: s.attributes.map(attribute), modifiedAt: at(s.modifiedAt) });
        }
      }
    } finally {
      // The cache must not claim a tenant the store may not hold (a failed import rolls back).
      for (const { tenantId } of tenants) this.tenants.forget(tenantId);
    }
  }

  /** The seed data's tenants (or one of them), registered with the seed's sources if the store does not hold them. */
  private seedAll(only?: string): void {
    this.tenants.ensureAll(this.seedTenantIds.filter((id) => only === undefined || id === only));
  }

  /** A tenant's sources as stored, or the seed's for a tenant the store does not hold yet. */
  private sources(tenantId: string): SailpointSourceRow[] {
    if (this.tenants.has(tenantId)) return this.store.list(tenantId);
    return this.seedSources.map((s) => seedRow(tenantId, s));
  }

  /** What GET answers for a source of a tenant that never wrote: the seed's, made once (nothing changes an answer). */
  private seedView(sourceId: string): AttrSyncSourceConfig | undefined {
    this.seedViews ??= new Map(this.seedSources.map((s) => [s.id, frozen(view(seedRow('', s)))]));
    return this.seedViews.get(sourceId);
  }

  /** Registers the tenant and copies the seed's sources, if it was not registered yet. */
  private seedTenant(tenantId: string, now: string): void {
    if (!this.store.addTenant(tenantId, now)) return;
    for (const s of this.seedSources) this.store.insert({ ...seedRow(tenantId, s), modifiedAt: now });
  }

  private find(tenantId: string, sourceId: string): SailpointSourceRow {
    let row: SailpointSourceRow | undefined;
    if (this.tenants.has(tenantId)) row = this.store.get(tenantId, sourceId);
    else {
      const seeded = this.seedSources.find((s) => s.id === sourceId);
      row = seeded && seedRow(tenantId, seeded);
    }
    if (!row) throw notFound(sourceId);
    return row;
  }
}

/** A seed source as a tenant's row (the time is the seed's own: none, until written). */
/** An answer handed out many times, so nothing may change it. */
function frozen(config: AttrSyncSourceConfig): AttrSyncSourceConfig {
  Object.freeze(config.source);
  for (const a of config.attributes) Object.freeze(a);
  Object.freeze(config.attributes);
  return Object.freeze(config);
}

const notFound = (sourceId: string): NotFound => new NotFound('Not found', [`Source '${shown(sourceId)}' was not found`]);

const seedRow = (tenantId: string, s: SeedSailpointSource): SailpointSourceRow => ({
  tenantId, id: s.id, name: s.name, attributes: s.attributes.map(attribute), modifiedAt: '',
});

function view(row: SailpointSourceRow): AttrSyncSourceConfig {
  return {
    source: { type: 'SOURCE', id: row.id, name: row.name },
    attributes: row.attributes.map(attribute),
  };
}

/**
 * An attribute entry's four fields: the schema lets an entry (in the seed, as in a PUT) carry more, as
 * SailPoint's does, and what it does not list is not kept.
 */
function attribute(a: AttrSyncSourceAttributeConfig): AttrSyncSourceAttributeConfig {
  return { name: a.name, displayName: a.displayName, enabled: a.enabled, target: a.target };
}

/**
 * What in the body breaks the "only enabled is mutable" rule, one cause per problem, up to one more than
 * an answer lists (MAX_PROBLEMS: the answer then says there were more). Entries are matched to stored
 * attributes by `name`; an unknown name where the stored attribute at the same position was not sent
 * under its own name is reported as a changed `name`, otherwise as an added entry.
 */
function violations(current: SailpointSourceRow, input: AttrSyncSourceConfigInput): string[] {
  const causes: string[] = [];
  const enough = () => causes.length > MAX_PROBLEMS;
  if (input.source.id !== undefined && input.source.id !== current.id) {
    causes.push(`Field 'source.id' is '${shown(input.source.id)}' but the source in the path is '${current.id}'`);
  }
  const stored = new Map(current.attributes.map((a) => [a.name, a]));
  const sentNames = new Set(input.attributes.map((a) => a.name));
  const firstIndex = new Map<string, number>();
  const renamed = new Set<string>();
  // A plain loop, the messages built only for the entries that get one: a valid PUT of 10,000 attributes
  // walks here too.
  for (let i = 0; i < input.attributes.length && !enough(); i++) {
    const entry = input.attributes[i];
    const first = firstIndex.get(entry.name);
    if (first !== undefined) {
      causes.push(`Entry 'attributes.${i}' repeats attribute '${shown(entry.name)}' (already at 'attributes.${first}'): each attribute may appear once`);
      continue;
    }
    firstIndex.set(entry.name, i);
    const existing = stored.get(entry.name);
    if (existing) {
      for (const field of IMMUTABLE_FIELDS) {
        if (entry[field] !== existing[field]) {
          causes.push(`Field 'attributes.${i}.${field}' of attribute '${shown(entry.name)}' cannot be changed from '${shown(existing[field])}' to '${shown(entry[field])}': only 'enabled' is mutable`);
        }
      }
      continue;
    }
    const counterpart = current.attributes[i];
    if (counterpart && !sentNames.has(counterpart.name)) {
      renamed.add(counterpart.name);
      causes.push(`Field 'attributes.${i}.name' cannot be changed from '${shown(counterpart.name)}' to '${shown(entry.name)}': only 'enabled' is mutable`);
      continue;
    }
    causes.push(`Entry 'attributes.${i}' adds attribute '${shown(entry.name)}', which source '${current.id}' does not have: attributes cannot be added`);
  }
  if (enough()) return causes;
  for (const a of current.attributes) {
    if (enough()) break;
    if (!sentNames.has(a.name) && !renamed.has(a.name)) {
      causes.push(`Attribute '${shown(a.name)}' is missing: the body must list every attribute of the source, changing only 'enabled'`);
    }
  }
  return causes;
}
