import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export class StoreError extends Error {}

/**
 * Opens (creating if needed) the database and brings its schema up to date. WAL with synchronous=NORMAL:
 * a committed transaction is in the WAL before the reply is sent, so it survives a killed process; only
 * a power cut can lose the newest commits.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') {
    const dir = path.dirname(path.resolve(file));
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new StoreError(`cannot create the directory for the database ${file}: ${(err as Error).message}`);
    }
  }
  let db: Db;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (err) {
    throw new StoreError(`cannot open the database ${file}: ${(err as Error).message}`);
  }
  return db;
}

/** Migrations are keyed by `PRAGMA user_version`: each runs once, in order, in its own transaction. */
function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new StoreError(`the database is at schema version ${current}, newer than this syncmock (${MIGRATIONS.length})`);
  }
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version - 1]);
      db.pragma(`user_version = ${version}`);
    })();
  }
}

/** A read that proves the database answers (health check). */
export function ping(db: Db): void {
  db.prepare('SELECT 1').get();
}

/**
 * Runs functions in a transaction each (inside another one, a savepoint). One wrapper for the store's life:
 * better-sqlite3 builds four wrapper functions every time db.transaction() is called, a measurable share
 * of a write's cost.
 */
export function transactionRunner(db: Db): <T>(fn: () => T) => T {
  const run = db.transaction((fn: () => unknown) => fn());
  return <T>(fn: () => T): T => run(fn) as T;
}
