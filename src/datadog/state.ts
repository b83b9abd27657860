// The Datadog orgs' state as the control API moves it: reset an org (or all of them), and its part of state
// documents, out and in (VendorStateAdapter, src/platform/vendor.ts).
import type { DatadogState } from '../generated/schema-types';
import { REDACTED } from '../platform/redaction';
import type { VendorStateAdapter } from '../platform/vendor';
import type { CredentialCheck } from './credentials';
import { registrationRow, registrationWire, type ExportedIntegrationConfig, type IntegrationConfigModel } from './model';
import { resource } from './resource';

/**
 * One org in a state document (schemas/datadog/state.json). A config's `secrets` are exported as
 * "[redacted]" (the model hands the export no secrets to show), and "[redacted]" imports as the secrets
 * stored under that id, if any.
 */
export type DatadogOrgState = DatadogState;

export function datadogState(model: IntegrationConfigModel, credentials: CredentialCheck): VendorStateAdapter<DatadogOrgState> {
  return {
    reset(orgId) {
      model.reset(orgId);
      credentials.clear(orgId);
    },
    export: (orgId) => Object.fromEntries(model.snapshot(orgId).map((org) => [org.orgId, {
      ...(org.createdAt !== undefined && { created_at: org.createdAt }),
      integration_configs: org.configs.map(stateConfig),
      azure_app_registrations: org.azureAppRegistrations.map(registrationWire),
    }])),
    counts() {
      const { orgs, configs, azureAppRegistrations } = model.counts();
      return { scopes: orgs, items: { integration_configs: configs, azure_app_registrations: azureAppRegistrations } };
    },
    check: (orgs, at) => Object.entries(orgs).flatMap(([orgId, org]) => configProblems(org, `${at}.${orgId}.integration_configs`)),
    import(orgs, mode) {
      model.importOrgs(Object.entries(orgs).map(([orgId, org]) => ({
        orgId,
        createdAt: org.created_at,
        configs: org.integration_configs.map((c) => ({ ...c, secrets: c.secrets === REDACTED ? undefined : (c.secrets as Record<string, unknown> | undefined) })),
        azureAppRegistrations: org.azure_app_registrations?.map(registrationRow),
      })), mode);
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

/** A config in a state document: its attributes as the API shows them, with its id, and "[redacted]" where it has secrets. */
function stateConfig(c: ExportedIntegrationConfig): DatadogOrgState['integration_configs'][number] {
  return { id: c.id, ...resource(c).attributes, ...(c.readyAt !== undefined && { ready_at: c.readyAt }), ...(c.hasSecrets && { secrets: REDACTED }) };
}
