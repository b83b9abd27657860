// The Datadog part of the seed document (schemas/datadog/seed.json): orgs with their keys, and what each
// org starts with. The types are the schema's (src/generated/schema-types.ts), named here by their parts.
import type { AzureAppRegistration, DatadogSeed } from '../generated/schema-types';

export type { DatadogSeed };
export type SeedDatadogOrg = DatadogSeed['orgs'][number];
export type DatadogPermission = SeedDatadogOrg['application_keys'][number]['permissions'][number];
/** A config the org starts with: what a state document holds, with its secrets as an object. */
export type SeedIntegrationConfig = NonNullable<SeedDatadogOrg['integration_configs']>[number];
/** An Azure app registration Datadog has discovered for the org (the Entra ID prerequisite). */
export type SeedAzureAppRegistration = AzureAppRegistration;
