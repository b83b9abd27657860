// The SailPoint part of the seed document (schemas/sailpoint/seed.json): tenants, API clients, and the
// sources every tenant starts with.
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

export interface SailpointSeed {
  tenants: SeedSailpointTenant[];
  clients: SeedSailpointClient[];
  sources: SeedSailpointSource[];
}
