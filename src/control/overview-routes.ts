// GET /__admin/overview: what the server emulates and how much it holds, in one call (the dashboard's first
// view, which builds its vendor controls from it, and the MCP server's). Counts come from each vendor's own
// state export (VendorStateAdapter.export), so a vendor's items are counted by the same code that exports
// them, with no contract method of their own: this assumes, as every vendor's state schema has it, that a
// scope's state lists its items as top-level arrays (any other field is not counted). The export reads every
// scope; the platform's redaction pass is skipped (counting reads no value). A vendor with a large store and a
// dashboard open would want a counts() of its own: none needs one yet.
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
    const rules = context.faults.list();
    return {
      vendors: Object.fromEntries(context.vendors.map(({ contract, runtime }) => [contract.name, {
        prefixes: contract.prefixes,
        scope: { name: contract.scope.name, collection: contract.scope.collection, aliases: Object.keys(contract.scope.aliases ?? {}) },
        counts: countsOf(contract.scope.collection, runtime.state.export()),
      }])),
      journal: { entries: context.journal.size, capacity: context.journal.capacity, evicted: context.journal.evicted },
      faults: { rules: rules.length, armed: rules.filter((r) => !usedUp(r)).length },
    };
  });
}

/** {"<collection>": 2, "<list>": 5}: the scopes, then every list their states hold, summed. */
function countsOf(collection: string, scopes: Record<string, unknown>): Record<string, number> {
  const counts: Record<string, number> = { [collection]: Object.keys(scopes).length };
  for (const scopeState of Object.values(scopes) as Array<Record<string, unknown>>) {
    for (const [key, value] of Object.entries(scopeState)) {
      if (Array.isArray(value)) counts[key] = (counts[key] ?? 0) + value.length;
    }
  }
  return counts;
}
