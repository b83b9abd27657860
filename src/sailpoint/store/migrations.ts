// The SailPoint tables' history (src/store/migrations.ts runs it). Append only: a released migration is
// never edited, a change is a new entry.
import type { Migration } from '../../store/migrations';

export const SAILPOINT_MIGRATIONS: readonly Migration[] = [
  {
    // 1: tenants and their sources' attribute sync configs. `attributes` is the JSON array of
    // {name, displayName, enabled, target} in the order GET returns it; a PUT replaces it whole.
    legacyUserVersion: 2,
    sql: `
  CREATE TABLE sp_tenants (
    tenant_id  TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
  );
  CREATE TABLE sp_sources (
    tenant_id   TEXT NOT NULL REFERENCES sp_tenants(tenant_id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    attributes  TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
  );
  `,
  },
];
