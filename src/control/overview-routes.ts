// GET /__admin/overview: what the server emulates and how much it holds, in one call (the dashboard's first
// view, and the MCP server's). Counts come from the state export, so a vendor's items are counted by the
// same code that exports them.
import type { FastifyInstance } from 'fastify';
import type { SyncmockContext } from '../app';
import { DATADOG_PREFIX } from '../datadog/routes';
import { schema } from '../platform/schemas';
import { SCOPE_COLLECTIONS, VENDORS, type Vendor } from '../platform/vendors';
import { SAILPOINT_PREFIXES } from '../sailpoint/routes';
import { CONTROL_TAGS, controlErrorResponses } from './errors';

const PREFIXES: Record<Vendor, readonly string[]> = { datadog: [DATADOG_PREFIX], sailpoint: SAILPOINT_PREFIXES };

export function overviewRoutes(app: FastifyInstance, context: SyncmockContext): void {
  app.get('/overview', {
    schema: {
      summary: 'Vendors with their URL prefixes and counts, the journal, the fault rules', tags: CONTROL_TAGS,
      response: { 200: schema('control/overview.json'), ...controlErrorResponses() },
    },
  }, async () => {
    const state = context.state.export();
    const rules = context.faults.list();
    return {
      vendors: Object.fromEntries(VENDORS.map((vendor) => [vendor, {
        prefixes: PREFIXES[vendor],
        counts: countsOf(vendor, state[vendor]?.[SCOPE_COLLECTIONS[vendor]] ?? {}),
      }])),
      journal: { entries: context.journal.size, capacity: context.journal.capacity, evicted: context.journal.evicted },
      faults: { rules: rules.length, armed: rules.filter((r) => r.times === undefined || r.hits < r.times).length },
    };
  });
}

/** {"orgs": 2, "integration_configs": 5}: the orgs or tenants, then every list they hold, summed. */
function countsOf(vendor: Vendor, scopes: Record<string, unknown>): Record<string, number> {
  const counts: Record<string, number> = { [SCOPE_COLLECTIONS[vendor]]: Object.keys(scopes).length };
  for (const scopeState of Object.values(scopes) as Array<Record<string, unknown>>) {
    for (const [key, value] of Object.entries(scopeState)) {
      if (Array.isArray(value)) counts[key] = (counts[key] ?? 0) + value.length;
    }
  }
  return counts;
}
