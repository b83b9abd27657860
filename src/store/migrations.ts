// A database file's schema: each vendor's tables come from its own migrations (its store/migrations.ts),
// run once each, in order, one transaction each. Which of them a file has run is kept per vendor in the one
// table the platform owns, syncmock_schema_versions; the platform creates no other and names none.
//
// Files written before that (syncmock up to eb8a1fb) kept one list of migrations for every vendor, keyed by
// PRAGMA user_version (1 to LEGACY_USER_VERSIONS). Such a file is adopted in place: its user_version becomes
// PER_VENDOR_VERSIONS + the old value, which older syncmocks refuse as newer than themselves, and each vendor
// has run the migrations it marks with a legacyUserVersion at most that old value.
import type { Db } from './db';
import { transactionRunner } from './transaction';

/** One step of a vendor's schema history. Append only: a released step is never edited, a change is a new step. */
export interface Migration {
  /** Statements run once, in one transaction with the vendor's new version. */
  sql: string;
  /** Its place in the one list files were keyed by before versions were kept per vendor (PRAGMA user_version). */
  legacyUserVersion?: number;
}

/** A vendor as migrate() sees it: its name (the key of its version) and its tables' history; every contract is one. */
export interface MigratedVendor {
  name: string;
  migrations: readonly Migration[];
}

/** The longest the one list ever was (eb8a1fb): a file at a higher user_version, and below PER_VENDOR_VERSIONS, is not one of ours. */
export const LEGACY_USER_VERSIONS = 3;
/** user_version of a file whose versions are kept per vendor, plus the legacy user_version it was adopted at (0 for a new file). */
export const PER_VENDOR_VERSIONS = 1000;
export const SCHEMA_VERSIONS_TABLE = 'syncmock_schema_versions';

/** Brings each vendor's tables up to date; throws, naming the vendor, for a file newer than this syncmock. */
export function migrate(db: Db, vendors: readonly MigratedVendor[]): void {
  const transaction = transactionRunner(db);
  const adoptedAt = transaction(() => adopt(db));
  const stored = db.prepare(`SELECT version FROM ${SCHEMA_VERSIONS_TABLE} WHERE vendor = ?`).pluck();
  const record = db.prepare(`INSERT INTO ${SCHEMA_VERSIONS_TABLE} (vendor, version) VALUES (?, ?)
    ON CONFLICT (vendor) DO UPDATE SET version = excluded.version`);
  for (const { name, migrations } of vendors) {
    const known = stored.get(name) as number | undefined;
    const current = known ?? legacyVersion(migrations, adoptedAt);
    if (current > migrations.length) {
      throw new Error(`its ${name} tables are at schema version ${current}, newer than this syncmock (${migrations.length})`);
    }
    if (known === undefined) transaction(() => record.run(name, current));
    for (let version = current + 1; version <= migrations.length; version++) {
      transaction(() => {
        db.exec(migrations[version - 1].sql);
        record.run(name, version);
      });
    }
  }
}

/** The legacy user_version the file was adopted at, after adopting it (or making a new file) if it is not yet. */
function adopt(db: Db): number {
  const userVersion = db.pragma('user_version', { simple: true }) as number;
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(SCHEMA_VERSIONS_TABLE) !== undefined;
  const adoptedAt = userVersion - PER_VENDOR_VERSIONS;
  if (hasTable && adoptedAt >= 0 && adoptedAt <= LEGACY_USER_VERSIONS) return adoptedAt;
  if (hasTable || userVersion > LEGACY_USER_VERSIONS) {
    throw new Error(`it is at schema version ${userVersion}, newer than this syncmock (${PER_VENDOR_VERSIONS + LEGACY_USER_VERSIONS}), or not syncmock's`);
  }
  db.exec(`CREATE TABLE ${SCHEMA_VERSIONS_TABLE} (vendor TEXT PRIMARY KEY, version INTEGER NOT NULL)`);
  db.pragma(`user_version = ${PER_VENDOR_VERSIONS + userVersion}`);
  return userVersion;
}

/** How many of a vendor's migrations a file at a legacy user_version has run: those it marks at or below it. */
const legacyVersion = (migrations: readonly Migration[], userVersion: number): number =>
  migrations.filter((m) => m.legacyUserVersion !== undefined && m.legacyUserVersion <= userVersion).length;
