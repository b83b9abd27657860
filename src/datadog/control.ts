// What the control API can do to the Datadog surface: reset an org (or all of them) and move its entity
// context sync configurations in and out of state documents.
import { REDACTED } from '../platform/redaction';
import type { RateLimiter } from '../platform/rate-limiter';
import type { SeedIntegrationConfig } from '../platform/seed-data';
import type { VendorControl } from '../platform/vendors';
import type { CredentialCheck } from './credentials';
import type { IntegrationConfigModel, StoredIntegrationConfig } from './model';
import { rateLimitPrefix, resource } from './routes';

/** One org in a state document. Configs have the fields of the seed data's; `secrets` may be "[redacted]". */
export interface DatadogOrgState {
  integration_configs: Array<Omit<SeedIntegrationConfig, 'secrets'> & { secrets?: unknown }>;
}

export function datadogControl(model: IntegrationConfigModel, credentials: CredentialCheck, rateLimiter: RateLimiter): VendorControl<DatadogOrgState> {
  return {
    reset(orgId) {
      model.reset(orgId);
      credentials.clear(orgId);
      rateLimiter.clear(rateLimitPrefix(orgId));
    },
    state: {
      export: (orgId) =>
        Object.fromEntries(model.snapshot(orgId).map((org) => [org.orgId, { integration_configs: org.configs.map(stateConfig) }])),
      check: (orgs, at) => Object.entries(orgs).flatMap(([orgId, org]) => configProblems(org, `${at}.${orgId}.integration_configs`)),
      import(orgs, mode) {
        model.importOrgs(Object.entries(orgs).map(([orgId, org]) => ({
          orgId,
          configs: org.integration_configs.map((c) => ({ ...c, secrets: c.secrets === REDACTED ? undefined : (c.secrets as Record<string, unknown> | undefined) })),
        })), mode);
      },
    },
  };
}

/** What the schema cannot check: ids repeated within an org, secrets that are neither an object nor "[redacted]". */
function configProblems(org: DatadogOrgState, at: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  org.integration_configs.forEach((c, i) => {
    if (seen.has(c.id)) problems.push(`Field '${at}.${i}.id' repeats the id ${c.id}: ids are unique within an org`);
    seen.add(c.id);
    const secretsObject = typeof c.secrets === 'object' && c.secrets !== null && !Array.isArray(c.secrets);
    if (c.secrets !== undefined && c.secrets !== REDACTED && !secretsObject) {
      problems.push(`Field '${at}.${i}.secrets' must be an object, or "${REDACTED}" to keep the secrets stored under this id`);
    }
  });
  return problems;
}

/** A config in a state document: its attributes as the API shows them, with its id and secrets. */
function stateConfig(c: StoredIntegrationConfig): DatadogOrgState['integration_configs'][number] {
  return { id: c.id, ...resource(c).attributes, ...(c.secrets !== null && { secrets: c.secrets }) };
}
