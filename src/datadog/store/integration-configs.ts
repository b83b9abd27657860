import type { Db } from '../../store/db';
import { transactionRunner } from '../../store/transaction';

/** One Datadog entity context sync configuration as stored, secrets included. */
export interface IntegrationConfigRow extends IntegrationConfigRowWithoutSecrets {
  secrets: Record<string, unknown> | null;
}

/** What reads that never show the secrets get: the `secrets` column is neither read nor parsed. */
export interface IntegrationConfigRowWithoutSecrets {
  id: string;
  orgId: string;
  integrationType: string;
  name: string | null;
  domain: string;
  enabled: boolean;
  settings: Record<string, unknown> | null;
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

// Reads fetch each row as an array (better-sqlite3's raw mode), in this order, secrets last when read at all:
// a list of 100 configs took a third less time than with an object per row (`npm run bench`).
const READ_COLUMNS = 'id, org_id, integration_type, name, domain, enabled, settings, state, ready_at, created_at, modified_at';
type ReadValues = [
  id: string, orgId: string, integrationType: string, name: string | null, domain: string, enabled: number, settings: string | null,
  state: 'valid' | 'invalid', readyAt: string | null, createdAt: string, modifiedAt: string, secrets?: string | null,
];

const withoutSecretsFromSql = (v: ReadValues): IntegrationConfigRowWithoutSecrets => ({
  id: v[0],
  orgId: v[1],
  integrationType: v[2],
  name: v[3],
  domain: v[4],
  enabled: v[5] === 1,
  settings: v[6] === null ? null : (JSON.parse(v[6]) as Record<string, unknown>),
  state: v[7],
  readyAt: v[8],
  createdAt: v[9],
  modifiedAt: v[10],
});

const fromSql = (v: ReadValues): IntegrationConfigRow => ({
  ...withoutSecretsFromSql(v),
  secrets: v[11] === null || v[11] === undefined ? null : (JSON.parse(v[11]) as Record<string, unknown>),
});

/** What an org holds, as the model's bounds (model.ts, ORG_BOUNDS) measure it. */
export interface OrgUsage {
  configs: number;
  /** Bytes of the stored JSON of every config's settings and secrets (UTF-8). */
  storedBytes: number;
}

/** The dd_orgs and dd_integration_configs tables. Each method is one statement, hence one transaction. */
export class IntegrationConfigStore {
  private readonly stmts;
  /** Runs fn in one transaction (better-sqlite3 commits before returning). */
  readonly transaction: <T>(fn: () => T) => T;

  constructor(db: Db) {
    this.transaction = transactionRunner(db);
    const read = (columns: string, where: string) => db.prepare(`SELECT ${columns} FROM dd_integration_configs WHERE ${where}`).raw(true);
    this.stmts = {
      insertOrg: db.prepare('INSERT OR IGNORE INTO dd_orgs (org_id, created_at) VALUES (?, ?)'),
      orgCreatedAt: db.prepare('SELECT created_at FROM dd_orgs WHERE org_id = ?').pluck(),
      listOrgs: db.prepare('SELECT org_id FROM dd_orgs ORDER BY org_id'),
      deleteOrg: db.prepare('DELETE FROM dd_orgs WHERE org_id = ?'),
      deleteAllOrgs: db.prepare('DELETE FROM dd_orgs'),
      insert: db.prepare(`INSERT INTO dd_integration_configs (${COLUMNS}) VALUES
        (@id, @org_id, @integration_type, @name, @domain, @enabled, @settings, @secrets, @state, @ready_at, @created_at, @modified_at)`),
      get: read(`${READ_COLUMNS}, secrets`, 'org_id = ? AND id = ?'),
      list: read(`${READ_COLUMNS}, secrets`, 'org_id = ? ORDER BY rowid'),
      listByType: read(`${READ_COLUMNS}, secrets`, 'org_id = ? AND integration_type = ? ORDER BY rowid'),
      getWithoutSecrets: read(READ_COLUMNS, 'org_id = ? AND id = ?'),
      listWithoutSecrets: read(READ_COLUMNS, 'org_id = ? ORDER BY rowid'),
      listByTypeWithoutSecrets: read(READ_COLUMNS, 'org_id = ? AND integration_type = ? ORDER BY rowid'),
      update: db.prepare(`UPDATE dd_integration_configs SET integration_type = @integration_type, name = @name, domain = @domain,
        enabled = @enabled, settings = @settings, secrets = @secrets, state = @state, ready_at = @ready_at,
        modified_at = @modified_at WHERE org_id = @org_id AND id = @id`),
      delete: db.prepare('DELETE FROM dd_integration_configs WHERE org_id = ? AND id = ?'),
      // octet_length reads a text's size from its record header: the values themselves are not loaded.
      usage: db.prepare(`SELECT COUNT(*) AS configs, COALESCE(SUM(octet_length(settings)), 0) + COALESCE(SUM(octet_length(secrets)), 0) AS storedBytes
        FROM dd_integration_configs WHERE org_id = ?`),
      countOrgs: db.prepare('SELECT COUNT(*) FROM dd_orgs').pluck(),
      countConfigs: db.prepare('SELECT COUNT(*) FROM dd_integration_configs').pluck(),
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
    const values = this.stmts.get.get(orgId, id) as ReadValues | undefined;
    return values && fromSql(values);
  }

  list(orgId: string, integrationType?: string): IntegrationConfigRow[] {
    const rows = integrationType === undefined ? this.stmts.list.all(orgId) : this.stmts.listByType.all(orgId, integrationType);
    return (rows as ReadValues[]).map(fromSql);
  }

  getWithoutSecrets(orgId: string, id: string): IntegrationConfigRowWithoutSecrets | undefined {
    const values = this.stmts.getWithoutSecrets.get(orgId, id) as ReadValues | undefined;
    return values && withoutSecretsFromSql(values);
  }

  listWithoutSecrets(orgId: string, integrationType?: string): IntegrationConfigRowWithoutSecrets[] {
    const rows = integrationType === undefined
      ? this.stmts.listWithoutSecrets.all(orgId)
      : this.stmts.listByTypeWithoutSecrets.all(orgId, integrationType);
    return (rows as ReadValues[]).map(withoutSecretsFromSql);
  }

  update(row: IntegrationConfigRow): void {
    this.stmts.update.run(toSql(row));
  }

  usage(orgId: string): OrgUsage {
    return this.stmts.usage.get(orgId) as OrgUsage;
  }

  /** How many orgs the store holds, and configs in all. */
  counts(): { orgs: number; configs: number } {
    return { orgs: this.stmts.countOrgs.get() as number, configs: this.stmts.countConfigs.get() as number };
  }

  remove(orgId: string, id: string): boolean {
    return this.stmts.delete.run(orgId, id).changes === 1;
  }
}
