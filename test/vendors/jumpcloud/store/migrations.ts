// The JumpCloud tables' history (src/store/migrations.ts runs it, keyed "jumpcloud" in
// syncmock_schema_versions). Append only: a released step is never edited, a change is a new one.
import type { Migration } from '../../../../src/store/migrations';

export const JUMPCLOUD_MIGRATIONS: readonly Migration[] = [
  {
    // 1: organizations and their user groups, in the order they were created (rowid).
    sql: `
  CREATE TABLE jc_organizations (
    id TEXT PRIMARY KEY
  );
  CREATE TABLE jc_user_groups (
    organization_id TEXT NOT NULL REFERENCES jc_organizations(id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    PRIMARY KEY (organization_id, id)
  );
  `,
  },
];
