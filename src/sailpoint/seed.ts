// The SailPoint part of the seed document (schemas/sailpoint/seed.json): tenants, API clients, and the
// sources every tenant starts with. The types are the schema's (src/generated/schema-types.ts), named here
// by their parts.
import type { SailpointSeed, Source } from '../generated/schema-types';

export type { SailpointSeed };
export type SeedSailpointTenant = SailpointSeed['tenants'][number];
export type SeedSailpointClient = SailpointSeed['clients'][number];
/** A source with its attribute sync config (also what a state document lists). */
export type SeedSailpointSource = Source;
