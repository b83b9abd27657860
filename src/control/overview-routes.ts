// GET /__admin/overview: what the server emulates and how much it holds, in one call (the dashboard's first
// view, which builds its vendor controls from it, and the MCP server's). Counts are each vendor's own
// (VendorStateAdapter.counts: its store counts rows), so an overview costs the same whatever the store holds.
import type { FastifyInstance } from 'fastify';
import type { SyncmockContext } from './context';
import { usedUp } from '../platform/faults';
import { CONTROL_TAGS, controlErrorResponses } from './errors';
import type { ControlSchemas } from './schemas';
import type { VendorStateAdapter } from '../platform/vendor';

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
        counts: countsOf(contract.scope.collection, runtime.state.counts()),
      }])),
      journal: { entries: context.journal.size, capacity: context.journal.capacity, evicted: context.journal.evicted },
      faults: { rules: rules.length, armed: rules.filter((r) => !usedUp(r)).length },
    };
  });
}

/** {"<collection>": 2, "<list>": 5}: the scopes, then every list their states hold, summed. */
function countsOf(collection: string, { scopes, items }: ReturnType<VendorStateAdapter['counts']>): Record<string, number> {
  return { [collection]: scopes, ...items };
}
