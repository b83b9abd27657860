// The Datadog part of the seed document (schemas/datadog/seed.json): orgs with their keys, and what each
// org starts with. The types are the schema's (src/generated/schema-types.ts), named here by their parts.
import type { AzureAppRegistration, DatadogSeed } from '../generated/schema-types';
import { Repeats } from '../platform/repeats';

export type { DatadogSeed };
export type SeedDatadogOrg = DatadogSeed['orgs'][number];
export type DatadogPermission = SeedDatadogOrg['application_keys'][number]['permissions'][number];
/** A config the org starts with: what a state document holds, with its secrets as an object. */
export type SeedIntegrationConfig = NonNullable<SeedDatadogOrg['integration_configs']>[number];
/** An Azure app registration Datadog has discovered for the org (the Entra ID prerequisite). */
export type SeedAzureAppRegistration = AzureAppRegistration;

/** What the seed schema cannot check: an org, a config id within an org, a key or a token given twice. */
export function datadogSeedProblems(seed: DatadogSeed): string[] {
  const problems: string[] = [];
  const once = new Repeats(problems);
  seed.orgs.forEach((org, i) => {
    const at = `datadog.orgs.${i}`;
    once.check('an org', org.org_id, `${at}.org_id`);
    org.api_keys.forEach((key, j) => once.check('an API key', key, `${at}.api_keys.${j}`, false));
    org.application_keys.forEach((app, j) => once.check('an application key', app.key, `${at}.application_keys.${j}.key`, false));
    org.access_tokens?.forEach((token, j) => once.check('an access token', token.token, `${at}.access_tokens.${j}.token`, false));
    const ids = new Repeats(problems);
    org.integration_configs?.forEach((config, j) => ids.check('a config id', config.id, `${at}.integration_configs.${j}.id`));
  });
  return problems;
}
