import type { Db } from './db';

/** One Datadog entity context sync configuration as stored, secrets included. */
export interface IntegrationConfigRow {
  id: string;
  orgId: string;
  integrationType: string;
  name: string | null;
  domain: string;
  enabled: boolean;
  settings: Record<string, unknown> | null;
  secrets: Record<string, unknown> | null;
  /** `valid` or `invalid`; reads as `initializing` until readyAt. */
  state: 'valid' | 'invalid';
  readyAt: string | null;
  createdAt: string;
  modifiedAt: string;
}

interface SqlRow {
  id: string;
  org_id: string;
  integration_type: string;
  name: string | null;
  domain: string;
  enabled: number;
  settings: string | null;
  secrets: string | null;
  state: 'valid' | 'invalid';
  ready_at: string | null;
  created_at: string;
  modified_at: string;
}

const fromSql = (r: SqlRow): IntegrationConfigRow => ({
  id: r.id,
  orgId: r.org_id,
  integrationType: r.integration_type,
  name: r.name,
  domain: r.domain,
  enabled: r.enabled === 1,
  settings: r.settings === null ? null : (JSON.parse(r.settings) as Record<string, unknown>),
  secrets: r.secrets === null ? null : (JSON.parse(r.secrets) as Record<string, unknown>),
  state: r.state,
  readyAt: r.ready_at,
  createdAt: r.created_at,
  modifiedAt: r.modified_at,
});

const toSql = (r: IntegrationConfigRow): SqlRow => ({
  id: r.id,
  org_id: r.orgId,
  integration_type: r.integrationType,
  name: r.name,
  domain: r.domain,
  enabled: r.enabled ? 1 : 0,
  settings: r.settings === null ? null : JSON.stringify(r.settings),
  secrets: r.secrets === null ? null : JSON.stringify(r.secrets),
  state: r.state,
  ready_at: r.readyAt,
  created_at: r.createdAt,
  modified_at: r.modifiedAt,
});

const COLUMNS = 'id, org_id, integration_type, name, domain, enabled, settings, secrets, state, ready_at, created_at, modified_at';

/** The dd_orgs and dd_integration_configs tables. Each method is one statement, hence one transaction. */
export class IntegrationConfigStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      insertOrg: db.prepare('INSERT OR IGNORE INTO dd_orgs (org_id, created_at) VALUES (?, ?)'),
      orgCreatedAt: db.prepare('SELECT created_at FROM dd_orgs WHERE org_id = ?').pluck(),
      listOrgs: db.prepare('SELECT org_id FROM dd_orgs ORDER BY org_id'),
      deleteOrg: db.prepare('DELETE FROM dd_orgs WHERE org_id = ?'),
      deleteAllOrgs: db.prepare('DELETE FROM dd_orgs'),
      insert: db.prepare(`INSERT INTO dd_integration_configs (${COLUMNS}) VALUES
        (@id, @org_id, @integration_type, @name, @domain, @enabled, @settings, @secrets, @state, @ready_at, @created_at, @modified_at)`),
      get: db.prepare(`SELECT ${COLUMNS} FROM dd_integration_configs WHERE org_id = ? AND id = ?`),
      list: db.prepare(`SELECT ${COLUMNS} FROM dd_integration_configs WHERE org_id = ? ORDER BY rowid`),
      listByType: db.prepare(`SELECT ${COLUMNS} FROM dd_integration_configs WHERE org_id = ? AND integration_type = ? ORDER BY rowid`),
      update: db.prepare(`UPDATE dd_integration_configs SET integration_type = @integration_type, name = @name, domain = @domain,
        enabled = @enabled, settings = @settings, secrets = @secrets, state = @state, ready_at = @ready_at,
        modified_at = @modified_at WHERE org_id = @org_id AND id = @id`),
      delete: db.prepare('DELETE FROM dd_integration_configs WHERE org_id = ? AND id = ?'),
    };
  }

  /** Registers the org; true when it was not there before. */
  addOrg(orgId: string, createdAt: string): boolean {
    return this.stmts.insertOrg.run(orgId, createdAt).changes === 1;
  }

  /** When the org was registered; undefined when the store does not hold it. */
  orgCreatedAt(orgId: string): string | undefined {
    return this.stmts.orgCreatedAt.get(orgId) as string | undefined;
  }

  orgIds(): string[] {
    return (this.stmts.listOrgs.all() as Array<{ org_id: string }>).map((r) => r.org_id);
  }

  /** Removes the org and (by cascade) its configs. */
  removeOrg(orgId: string): void {
    this.stmts.deleteOrg.run(orgId);
  }

  removeAllOrgs(): void {
    this.stmts.deleteAllOrgs.run();
  }

  insert(row: IntegrationConfigRow): void {
    this.stmts.insert.run(toSql(row));
  }

  get(orgId: string, id: string): IntegrationConfigRow | undefined {
    const r = this.stmts.get.get(orgId, id) as SqlRow | undefined;
    return r && fromSql(r);
  }

  list(orgId: string, integrationType?: string): IntegrationConfigRow[] {
    const rows = (integrationType === undefined ? this.stmts.list.all(orgId) : this.stmts.listByType.all(orgId, integrationType)) as SqlRow[];
    return rows.map(fromSql);
  }

  update(row: IntegrationConfigRow): void {
    this.stmts.update.run(toSql(row));
  }

  remove(orgId: string, id: string): boolean {
    return this.stmts.delete.run(orgId, id).changes === 1;
  }

  /** Runs fn in one transaction (better-sqlite3 commits before returning). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
