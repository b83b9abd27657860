// The SailPoint tenants' state as the control API moves it: reset a tenant (or all of them), and its sources'
// attribute sync configs in and out of state documents (VendorStateAdapter, src/platform/vendor.ts).
import type { SailpointState } from '../generated/schema-types';
import { shown } from '../platform/errors';
import type { VendorStateAdapter } from '../platform/vendor';
import type { AttrSyncConfigModel } from './model';

/** One tenant in a state document (schemas/sailpoint/state.json): its sources, each with its attribute sync config. */
export type SailpointTenantState = SailpointState;

export function sailpointState(model: AttrSyncConfigModel): VendorStateAdapter<SailpointTenantState> {
  return {
    reset: (tenantId) => model.reset(tenantId),
    export: (tenantId) => Object.fromEntries(model.snapshot(tenantId).map((t) => [t.tenantId, {
      ...(t.createdAt !== undefined && { created_at: t.createdAt }),
      sources: t.sources.map(({ modifiedAt, ...s }) => ({ ...s, ...(modifiedAt !== undefined && { modified_at: modifiedAt }) })),
    }])),
    counts() {
      const { tenants, sources } = model.counts();
      return { scopes: tenants, items: { sources } };
    },
    check: (tenants, at) => Object.entries(tenants).flatMap(([tenantId, t]) => sourceProblems(t, `${at}.${shown(tenantId)}.sources`)),
    import(tenants, mode) {
      model.importTenants(Object.entries(tenants).map(([tenantId, t]) => ({
        tenantId,
        createdAt: t.created_at,
        sources: t.sources.map(({ modified_at: modifiedAt, ...s }) => ({ ...s, modifiedAt })),
      })), mode);
    },
  };
}

/** What the schema cannot check: source ids repeated within a tenant, attribute names repeated within a source. */
function sourceProblems(tenant: SailpointTenantState, at: string): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  tenant.sources.forEach((s, i) => {
    if (ids.has(s.id)) problems.push(`Field '${at}.${i}.id' repeats the source id ${shown(s.id)}: ids are unique within a tenant`);
    ids.add(s.id);
    const names = new Set<string>();
    s.attributes.forEach((a, j) => {
      if (names.has(a.name)) problems.push(`Field '${at}.${i}.attributes.${j}.name' repeats the attribute '${shown(a.name)}' within source ${shown(s.id)}`);
      names.add(a.name);
    });
  });
  return problems;
}
