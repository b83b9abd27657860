// What a running syncmock's store holds, read through a second, read-only connection to its SQLite file:
// the tables as any other process sees them, with no handle into the server (startSyncmock's return value
// need not expose its database for tests to check that a refusal changed nothing).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startServer, type TestServer } from './helpers';
import type { StartOptions } from '../src/index';
import type { VendorContract } from '../src/platform/vendor';
import { VENDORS } from '../src/vendors';

/** The tables vendors keep their state in, as their migrations create them. */
export const vendorTables = (vendors: readonly VendorContract[]): string[] =>
  vendors.flatMap((v) => v.migrations.flatMap((m) => [...m.sql.matchAll(/CREATE TABLE (\w+)/g)].map((found) => found[1]))).sort();

/** The registry's vendors' tables; a snapshot covers these and every other table of the file. */
export const STATE_TABLES = vendorTables(VENDORS);

export class StoreReader {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
  }

  /** Every table but SQLite's own, by name. */
  tables(): string[] {
    return (this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>)
      .map((r) => r.name);
  }

  /** Each table's rows, sorted (a row deleted and written back the same is no change). */
  rows(): Record<string, unknown[]> {
    const out: Record<string, unknown[]> = {};
    for (const table of this.tables()) {
      out[table] = this.db.prepare(`SELECT * FROM "${table}"`).all().map((r) => JSON.stringify(r)).sort().map((r) => JSON.parse(r));
    }
    return out;
  }

  /** The rows a read-only query returns. */
  query(sql: string, ...params: unknown[]): unknown[] {
    return this.db.prepare(sql).all(...params);
  }

  /** rows() as one string, for cheap comparison. */
  snapshot(): string {
    return JSON.stringify(this.rows());
  }

  /** Changes whenever another connection (the server) commits: a cheap "did anything change?". */
  version(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export interface ServerWithStore {
  server: TestServer;
  store: StoreReader;
  dbFile: string;
}

/** A server on a SQLite file in a fresh temporary directory, and a read-only view of that file. */
export async function startServerWithStore(t: Parameters<typeof startServer>[0], options: StartOptions = {}): Promise<ServerWithStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-store-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const dbFile = path.join(dir, 'syncmock.db');
  const server = await startServer(t, { ...options, db: dbFile });
  const store = new StoreReader(dbFile);
  t.teardown(() => store.close());
  return { server, store, dbFile };
}
