// The Datadog part of the seed document (schemas/datadog/seed.json): orgs with their keys, and what each
// org starts with.
export type DatadogPermission = 'integrations_read' | 'manage_integrations';

export interface SeedIntegrationConfig {
  id: string;
  integration_type: string;
  name?: string;
  domain: string;
  enabled?: boolean;
  settings?: Record<string, unknown>;
  secrets?: Record<string, unknown>;
  state?: 'valid' | 'invalid' | 'initializing';
  created_at?: string;
  modified_at?: string;
}

/** An Azure app registration Datadog has discovered for the org (the Entra ID prerequisite). */
export interface SeedAzureAppRegistration {
  client_id: string;
  tenant_id: string;
  error_count: number;
  resource_collection_enabled: boolean;
  subscription_count: number;
}

/**
 * A Datadog access token sent as `Authorization: Bearer` (or, for `ddpat_…`/`ddsat_…`, as DD-APPLICATION-KEY):
 * an OAuth access token, a personal or a service access token, with its scopes.
 */
export interface SeedDatadogAccessToken {
  token: string;
  scopes: string[];
}

export interface SeedDatadogOrg {
  org_id: string;
  name?: string;
  api_keys: string[];
  application_keys: Array<{ key: string; permissions: DatadogPermission[] }>;
  access_tokens?: SeedDatadogAccessToken[];
  integration_configs?: SeedIntegrationConfig[];
  azure_app_registrations?: SeedAzureAppRegistration[];
}

export interface DatadogSeed {
  orgs: SeedDatadogOrg[];
}
