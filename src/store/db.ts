import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate, type MigratedVendor } from './migrations';

export type Db = Database.Database;

export class StoreError extends Error {}

/**
 * Opens (creating if needed) the database and brings each vendor's tables up to date (migrations.ts). WAL
 * with synchronous=NORMAL: a committed transaction is in the WAL before the reply is sent, so it survives a
 * killed process; only a power cut can lose the newest commits.
 */
export function openDatabase(file: string, vendors: readonly MigratedVendor[]): Db {
  if (file !== ':memory:') {
    const dir = path.dirname(path.resolve(file));
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new StoreError(`cannot create the directory for the database ${file}: ${(err as Error).message}`);
    }
  }
  let db: Db | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, vendors);
  } catch (err) {
    if (db?.open) db.close();
    throw new StoreError(`cannot open the database ${file}: ${(err as Error).message}`);
  }
  return db;
}

/** A read that proves the database answers (health check). */
export function ping(db: Db): void {
  db.prepare('SELECT 1').get();
}
