import type { Db } from '../../store/db';
import { transactionRunner } from '../../store/transaction';

export interface AttrSyncAttributeRow {
  name: string;
  displayName: string;
  enabled: boolean;
  target: string;
}

/** One SailPoint source of a tenant with its attribute sync config. */
export interface SailpointSourceRow {
  tenantId: string;
  id: string;
  name: string;
  attributes: AttrSyncAttributeRow[];
  modifiedAt: string;
}

interface SqlRow {
  tenant_id: string;
  id: string;
  name: string;
  attributes: string;
  modified_at: string;
}

const fromSql = (r: SqlRow): SailpointSourceRow => ({
  tenantId: r.tenant_id,
  id: r.id,
  name: r.name,
  attributes: JSON.parse(r.attributes) as AttrSyncAttributeRow[],
  modifiedAt: r.modified_at,
});

const toSql = (r: SailpointSourceRow): SqlRow => ({
  tenant_id: r.tenantId,
  id: r.id,
  name: r.name,
  attributes: JSON.stringify(r.attributes),
  modified_at: r.modifiedAt,
});

/** The sp_tenants and sp_sources tables. Each method is one statement, hence one transaction. */
export class SailpointSourceStore {
  private readonly stmts;
  /** Runs fn in one transaction (better-sqlite3 commits before returning). */
  readonly transaction: <T>(fn: () => T) => T;

  constructor(db: Db) {
    this.transaction = transactionRunner(db);
    this.stmts = {
      insertTenant: db.prepare('INSERT OR IGNORE INTO sp_tenants (tenant_id, created_at) VALUES (?, ?)'),
      tenantCreatedAt: db.prepare('SELECT created_at FROM sp_tenants WHERE tenant_id = ?').pluck(),
      deleteTenant: db.prepare('DELETE FROM sp_tenants WHERE tenant_id = ?'),
      deleteAllTenants: db.prepare('DELETE FROM sp_tenants'),
      insert: db.prepare(`INSERT INTO sp_sources (tenant_id, id, name, attributes, modified_at)
        VALUES (@tenant_id, @id, @name, @attributes, @modified_at)`),
      get: db.prepare('SELECT tenant_id, id, name, attributes, modified_at FROM sp_sources WHERE tenant_id = ? AND id = ?'),
      list: db.prepare('SELECT tenant_id, id, name, attributes, modified_at FROM sp_sources WHERE tenant_id = ? ORDER BY rowid'),
      listTenants: db.prepare('SELECT tenant_id FROM sp_tenants ORDER BY tenant_id'),
      countTenants: db.prepare('SELECT COUNT(*) FROM sp_tenants').pluck(),
      countSources: db.prepare('SELECT COUNT(*) FROM sp_sources').pluck(),
      upsert: db.prepare(`INSERT INTO sp_sources (tenant_id, id, name, attributes, modified_at)
        VALUES (@tenant_id, @id, @name, @attributes, @modified_at)
        ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, attributes = excluded.attributes, modified_at = excluded.modified_at`),
      updateAttributes: db.prepare(`UPDATE sp_sources SET attributes = @attributes, modified_at = @modified_at
        WHERE tenant_id = @tenant_id AND id = @id`),
    };
  }

  /** Registers the tenant; true when it was not there before. */
  addTenant(tenantId: string, createdAt: string): boolean {
    return this.stmts.insertTenant.run(tenantId, createdAt).changes === 1;
  }

  /** When the tenant was registered; undefined when the store does not hold it. */
  tenantCreatedAt(tenantId: string): string | undefined {
    return this.stmts.tenantCreatedAt.get(tenantId) as string | undefined;
  }

  /** Removes the tenant and (by cascade) its sources. */
  removeTenant(tenantId: string): void {
    this.stmts.deleteTenant.run(tenantId);
  }

  removeAllTenants(): void {
    this.stmts.deleteAllTenants.run();
  }

  insert(row: SailpointSourceRow): void {
    this.stmts.insert.run(toSql(row));
  }

  get(tenantId: string, id: string): SailpointSourceRow | undefined {
    const r = this.stmts.get.get(tenantId, id) as SqlRow | undefined;
    return r && fromSql(r);
  }

  list(tenantId: string): SailpointSourceRow[] {
    return (this.stmts.list.all(tenantId) as SqlRow[]).map(fromSql);
  }

  tenantIds(): string[] {
    return (this.stmts.listTenants.all() as Array<{ tenant_id: string }>).map((r) => r.tenant_id);
  }

  /** How many tenants the store holds, and sources in all. */
  counts(): { tenants: number; sources: number } {
    return { tenants: this.stmts.countTenants.get() as number, sources: this.stmts.countSources.get() as number };
  }

  /** Adds the source, or replaces the one with its id. */
  upsert(row: SailpointSourceRow): void {
    this.stmts.upsert.run(toSql(row));
  }

  updateAttributes(row: SailpointSourceRow): void {
    this.stmts.updateAttributes.run(toSql(row));
  }
}
