import type { Db } from '../../store/db';
import { transactionRunner } from '../../store/transaction';

/** One Azure app registration Datadog discovered for an org (the Entra ID prerequisite). */
export interface AzureAppRegistrationRow {
  clientId: string;
  tenantId: string;
  errorCount: number;
  resourceCollectionEnabled: boolean;
  subscriptionCount: number;
}

interface SqlRow {
  client_id: string;
  tenant_id: string;
  error_count: number;
  resource_collection_enabled: number;
  subscription_count: number;
}

/** The dd_azure_app_registrations table: an ordered list per org, replaced whole. */
export class AzureAppRegistrationStore {
  private readonly stmts;
  private readonly transaction: <T>(fn: () => T) => T;

  constructor(db: Db) {
    this.transaction = transactionRunner(db);
    this.stmts = {
      insert: db.prepare(`INSERT INTO dd_azure_app_registrations
        (org_id, position, client_id, tenant_id, error_count, resource_collection_enabled, subscription_count)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      list: db.prepare(`SELECT client_id, tenant_id, error_count, resource_collection_enabled, subscription_count
        FROM dd_azure_app_registrations WHERE org_id = ? ORDER BY position`),
      deleteOrg: db.prepare('DELETE FROM dd_azure_app_registrations WHERE org_id = ?'),
      count: db.prepare('SELECT COUNT(*) FROM dd_azure_app_registrations').pluck(),
    };
  }

  /** The org's registrations become exactly these, in this order (one transaction). */
  replace(orgId: string, rows: AzureAppRegistrationRow[]): void {
    this.transaction(() => {
      this.stmts.deleteOrg.run(orgId);
      rows.forEach((r, position) => {
        this.stmts.insert.run(orgId, position, r.clientId, r.tenantId, r.errorCount, r.resourceCollectionEnabled ? 1 : 0, r.subscriptionCount);
      });
    });
  }

  /** How many registrations every org holds together. */
  count(): number {
    return this.stmts.count.get() as number;
  }

  list(orgId: string): AzureAppRegistrationRow[] {
    return (this.stmts.list.all(orgId) as SqlRow[]).map((r) => ({
      clientId: r.client_id,
      tenantId: r.tenant_id,
      errorCount: r.error_count,
      resourceCollectionEnabled: r.resource_collection_enabled === 1,
      subscriptionCount: r.subscription_count,
    }));
  }
}
