// The SailPoint part of the seed document (schemas/sailpoint/seed.json): tenants, API clients, and the
// sources every tenant starts with. The types are the schema's (src/generated/schema-types.ts), named here
// by their parts.
import type { SailpointSeed, Source } from '../generated/schema-types';
import { Repeats } from '../platform/repeats';

export type { SailpointSeed };
export type SeedSailpointTenant = SailpointSeed['tenants'][number];
export type SeedSailpointClient = SailpointSeed['clients'][number];
/** A source with its attribute sync config (also what a state document lists). */
export type SeedSailpointSource = Source;

/** What the seed schema cannot check: a tenant, client or source given twice, an attribute twice in a source. */
export function sailpointSeedProblems(seed: SailpointSeed): string[] {
  const problems: string[] = [];
  const once = new Repeats(problems);
  seed.tenants.forEach((tenant, i) => once.check('a tenant', tenant.tenant_id, `sailpoint.tenants.${i}.tenant_id`));
  seed.clients.forEach((client, i) => once.check('a client', client.client_id, `sailpoint.clients.${i}.client_id`));
  seed.sources.forEach((source, i) => {
    once.check('a source', source.id, `sailpoint.sources.${i}.id`);
    const names = new Repeats(problems);
    source.attributes.forEach((a, j) => names.check('an attribute', a.name, `sailpoint.sources.${i}.attributes.${j}.name`));
  });
  return problems;
}
