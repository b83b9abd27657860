// The jc_organizations and jc_user_groups tables: the only module that writes them.
import type { Db } from '../../../../src/store/db';
import { transactionRunner, type TransactionRunner } from '../../../../src/store/transaction';

export interface UserGroupRow {
  organizationId: string;
  id: string;
  name: string;
  description: string;
}

const COLUMNS = 'organization_id AS organizationId, id, name, description';

export class UserGroupStore {
  /** The database's one transaction runner (src/store/transaction.ts). */
  readonly transaction: TransactionRunner;
  private readonly stmts;

  constructor(db: Db) {
    this.transaction = transactionRunner(db);
    this.stmts = {
      addOrganization: db.prepare('INSERT OR IGNORE INTO jc_organizations (id) VALUES (?)'),
      organizations: db.prepare('SELECT id FROM jc_organizations ORDER BY id').pluck(),
      hasOrganization: db.prepare('SELECT 1 FROM jc_organizations WHERE id = ?').pluck(),
      deleteOrganization: db.prepare('DELETE FROM jc_organizations WHERE id = ?'),
      deleteAll: db.prepare('DELETE FROM jc_organizations'),
      list: db.prepare(`SELECT ${COLUMNS} FROM jc_user_groups WHERE organization_id = ? ORDER BY rowid`),
      get: db.prepare(`SELECT ${COLUMNS} FROM jc_user_groups WHERE organization_id = ? AND id = ?`),
      byName: db.prepare('SELECT id FROM jc_user_groups WHERE organization_id = ? AND name = ?').pluck(),
      upsert: db.prepare(`INSERT INTO jc_user_groups (organization_id, id, name, description)
        VALUES (@organizationId, @id, @name, @description)
        ON CONFLICT (organization_id, id) DO UPDATE SET name = excluded.name, description = excluded.description`),
      delete: db.prepare('DELETE FROM jc_user_groups WHERE organization_id = ? AND id = ?'),
      deleteGroups: db.prepare('DELETE FROM jc_user_groups WHERE organization_id = ?'),
      countOrganizations: db.prepare('SELECT COUNT(*) FROM jc_organizations').pluck(),
      countGroups: db.prepare('SELECT COUNT(*) FROM jc_user_groups').pluck(),
    };
  }

  addOrganization(id: string): void {
    this.stmts.addOrganization.run(id);
  }

  organizations(): string[] {
    return this.stmts.organizations.all() as string[];
  }

  hasOrganization(id: string): boolean {
    return this.stmts.hasOrganization.get(id) !== undefined;
  }

  /** Removes the organization and (by cascade) its groups; every organization without an id. */
  deleteOrganization(id?: string): void {
    if (id === undefined) this.stmts.deleteAll.run();
    else this.stmts.deleteOrganization.run(id);
  }

  /** How many organizations the store holds, and user groups in all. */
  counts(): { organizations: number; groups: number } {
    return { organizations: this.stmts.countOrganizations.get() as number, groups: this.stmts.countGroups.get() as number };
  }

  list(organizationId: string): UserGroupRow[] {
    return this.stmts.list.all(organizationId) as UserGroupRow[];
  }

  get(organizationId: string, id: string): UserGroupRow | undefined {
    return this.stmts.get.get(organizationId, id) as UserGroupRow | undefined;
  }

  /** The id of the organization's group with this name, if any. */
  idByName(organizationId: string, name: string): string | undefined {
    return this.stmts.byName.get(organizationId, name) as string | undefined;
  }

  put(row: UserGroupRow): void {
    this.stmts.upsert.run(row);
  }

  /** True when there was such a group. */
  delete(organizationId: string, id: string): boolean {
    return this.stmts.delete.run(organizationId, id).changes === 1;
  }

  deleteGroups(organizationId: string): void {
    this.stmts.deleteGroups.run(organizationId);
  }
}
