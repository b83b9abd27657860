// What the control API can do to the SailPoint surface: reset a tenant (or all of them) and move its
// sources' attribute sync configs in and out of state documents.
import type { VendorModel } from '../platform/vendor';
import type { AttrSyncConfigModel } from './model';
import type { SeedSailpointSource } from './seed';

/** One tenant in a state document (schemas/sailpoint/state.json): its sources, each with its attribute sync config. */
export interface SailpointTenantState {
  sources: SeedSailpointSource[];
}

export function sailpointModel(model: AttrSyncConfigModel): VendorModel<SailpointTenantState> {
  return {
    reset: (tenantId) => model.reset(tenantId),
    export: (tenantId) => Object.fromEntries(model.snapshot(tenantId).map((t) => [t.tenantId, { sources: t.sources }])),
    check: (tenants, at) => Object.entries(tenants).flatMap(([tenantId, t]) => sourceProblems(t, `${at}.${tenantId}.sources`)),
    import(tenants, mode) {
      model.importTenants(Object.entries(tenants).map(([tenantId, t]) => ({ tenantId, sources: t.sources })), mode);
    },
  };
}

/** What the schema cannot check: source ids repeated within a tenant, attribute names repeated within a source. */
function sourceProblems(tenant: SailpointTenantState, at: string): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  tenant.sources.forEach((s, i) => {
    if (ids.has(s.id)) problems.push(`Field '${at}.${i}.id' repeats the source id ${s.id}: ids are unique within a tenant`);
    ids.add(s.id);
    const names = new Set<string>();
    s.attributes.forEach((a, j) => {
      if (names.has(a.name)) problems.push(`Field '${at}.${i}.attributes.${j}.name' repeats the attribute '${a.name}' within source ${s.id}`);
      names.add(a.name);
    });
  });
  return problems;
}
