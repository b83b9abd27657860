// GET /__admin/overview: what the server emulates and how much it holds, in one call (the dashboard's first
// view, and the MCP server's). Counts come from the state export, so a vendor's items are counted by the
// same code that exports them.
import type { FastifyInstance } from 'fastify';
import type { SyncmockContext } from './context';
import { usedUp } from '../platform/faults';
import { CONTROL_TAGS, controlErrorResponses } from './errors';
import type { ControlSchemas } from './schemas';

export function overviewRoutes(app: FastifyInstance, context: SyncmockContext, schemas: ControlSchemas): void {
  app.get('/overview', {
    schema: {
      summary: 'Vendors with their URL prefixes and counts, the journal, the fault rules', tags: CONTROL_TAGS,
      response: { 200: schemas.get('overview.json'), ...controlErrorResponses() },
    },
  }, async () => {
    const state = context.state.export();
    const rules = context.faults.list();
    return {
      vendors: Object.fromEntries(context.vendors.map(({ contract }) => [contract.name, {
        prefixes: contract.prefixes,
        counts: countsOf(contract.scope.collection, state[contract.name]?.[contract.scope.collection] ?? {}),
      }])),
      journal: { entries: context.journal.size, capacity: context.journal.capacity, evicted: context.journal.evicted },
      faults: { rules: rules.length, armed: rules.filter((r) => !usedUp(r)).length },
    };
  });
}

/** {"orgs": 2, "integration_configs": 5}: the orgs or tenants, then every list they hold, summed. */
function countsOf(collection: string, scopes: Record<string, unknown>): Record<string, number> {
  const counts: Record<string, number> = { [collection]: Object.keys(scopes).length };
  for (const scopeState of Object.values(scopes) as Array<Record<string, unknown>>) {
    for (const [key, value] of Object.entries(scopeState)) {
      if (Array.isArray(value)) counts[key] = (counts[key] ?? 0) + value.length;
    }
  }
  return counts;
}
