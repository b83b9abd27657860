import fs from 'node:fs';
import { validator } from './schemas';

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

export interface SeedSailpointTenant {
  tenant_id: string;
  org: string;
  pod: string;
}

export interface SeedSailpointClient {
  client_id: string;
  client_secret: string;
  tenant_id: string;
  authorities: string[];
  scope: string[];
}

export interface SeedAttrSyncAttribute {
  name: string;
  displayName: string;
  enabled: boolean;
  target: string;
}

export interface SeedSailpointSource {
  id: string;
  name: string;
  attributes: SeedAttrSyncAttribute[];
}

export interface SeedData {
  datadog: { orgs: SeedDatadogOrg[] };
  sailpoint: { tenants: SeedSailpointTenant[]; clients: SeedSailpointClient[]; sources: SeedSailpointSource[] };
}

export class SeedDataError extends Error {}

/** Reads and checks the seed document against schemas/seed-data.json. */
export function loadSeedData(file: string): SeedData {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SeedDataError(`cannot read the seed data ${file}: ${(err as Error).message}`);
  }
  const validate = validator('seed-data.json');
  if (!validate(doc)) {
    const e = validate.errors?.[0];
    throw new SeedDataError(`invalid seed data ${file}: ${e?.instancePath || '/'} ${e?.message ?? ''}`.trim());
  }
  return doc as SeedData;
}
