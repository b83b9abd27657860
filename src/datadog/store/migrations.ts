// The Datadog tables' history (src/store/migrations.ts runs it). Append only: a released migration is
// never edited, a change is a new entry.
import type { Migration } from '../../store/migrations';

export const DATADOG_MIGRATIONS: readonly Migration[] = [
  {
    // 1: orgs and their entity context sync configurations.
    legacyUserVersion: 1,
    sql: `
  CREATE TABLE dd_orgs (
    org_id     TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
  );
  CREATE TABLE dd_integration_configs (
    id               TEXT NOT NULL,
    org_id           TEXT NOT NULL REFERENCES dd_orgs(org_id) ON DELETE CASCADE,
    integration_type TEXT NOT NULL,
    name             TEXT,
    domain           TEXT NOT NULL,
    enabled          INTEGER NOT NULL,
    settings         TEXT,
    secrets          TEXT,
    state            TEXT NOT NULL,
    ready_at         TEXT,
    created_at       TEXT NOT NULL,
    modified_at      TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
  );
  CREATE INDEX dd_integration_configs_org ON dd_integration_configs(org_id);
  `,
  },
  {
    // 2: Azure app registrations per org (what GET …/entra_id/azure_app_registrations lists).
    legacyUserVersion: 3,
    sql: `
  CREATE TABLE dd_azure_app_registrations (
    org_id                      TEXT NOT NULL REFERENCES dd_orgs(org_id) ON DELETE CASCADE,
    position                    INTEGER NOT NULL,
    client_id                   TEXT NOT NULL,
    tenant_id                   TEXT NOT NULL,
    error_count                 INTEGER NOT NULL,
    resource_collection_enabled INTEGER NOT NULL,
    subscription_count          INTEGER NOT NULL,
    PRIMARY KEY (org_id, position)
  );
  `,
  },
];
