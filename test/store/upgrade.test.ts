// Database files written before each vendor kept its own schema version upgrade in place. The fixture was
// written by main (eb8a1fb, PRAGMA user_version 3) through HTTP only, with what it answered then
// (fixtures/write-legacy-db.mjs): after the upgrade every row is still there and every GET answers the
// same, in-process and as the Docker image runs it (the built CLI on the volume's file, SYNCMOCK_DB).
// Files at every other user_version of the one list are built from the vendors' own migrations.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { openDatabase } from '../../src/store/db';
import { LEGACY_USER_VERSIONS, PER_VENDOR_VERSIONS, SCHEMA_VERSIONS_TABLE } from '../../src/store/migrations';
import { VENDORS } from '../../src/vendors';
import { builtCli, startProcess } from '../spawn';
import { StoreReader, vendorTables } from '../store-reader';
import { http, startServer } from '../helpers';

const FIXTURES = path.join(__dirname, 'fixtures');
const LEGACY = 'main-user-version-3';

interface Recorded {
  request: { path: string; headers?: Record<string, string>; client?: { client_id: string; client_secret: string } };
  body: unknown;
}
const { answers } = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${LEGACY}.answers.json`), 'utf8')) as { answers: Recorded[] };

/** A copy of the fixture in a directory of its own, as a volume would hold it. */
function copyOfFixture(t: Test): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-upgrade-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'syncmock.db');
  fs.copyFileSync(path.join(FIXTURES, `${LEGACY}.db`), file);
  return file;
}

/** The rows of the tables a file holds, by table (read-only, then closed). */
function rowsOf(file: string): Record<string, unknown[]> {
  const store = new StoreReader(file);
  try {
    return store.rows();
  } finally {
    store.close();
  }
}

/** The vendor tables among a file's tables. */
function vendorTablesIn(rows: Record<string, unknown[]>): string[] {
  return vendorTables(VENDORS).filter((table) => table in rows);
}

/** Every recorded GET, sent again: the answers as they are now, in the order recorded. */
async function answersNow(url: string): Promise<unknown[]> {
  const tokens = new Map<string, string>();
  const out: unknown[] = [];
  for (const { request } of answers) {
    const headers = { ...request.headers };
    if (request.client) {
      const { client_id: id, client_secret: secret } = request.client;
      if (!tokens.has(id)) {
        const token = await http(`${url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: id, client_secret: secret }) });
        tokens.set(id, token.json.access_token);
      }
      headers.authorization = `Bearer ${tokens.get(id)}`;
    }
    const res = await http(`${url}${request.path}`, { headers });
    out.push(res.status === 200 ? res.json : { status: res.status, body: res.text });
  }
  return out;
}

t.test('a file main wrote keeps every row and answers every GET the same, after the upgrade and after another start', async (t) => {
  const file = copyOfFixture(t);
  const before = rowsOf(file);
  t.ok(vendorTablesIn(before).every((table) => before[table].length > 0), 'the fixture holds rows in every vendor table', { tables: Object.keys(before) });
  const raw = new Database(file, { readonly: true });
  t.equal(raw.pragma('user_version', { simple: true }), LEGACY_USER_VERSIONS, 'the fixture is at the last user_version of the one list');
  raw.close();

  for (const start of ['the upgrade', 'the next start']) {
    const server = await startServer(t, { db: file });
    t.same(await answersNow(server.url), answers.map((a) => a.body), `after ${start}: every GET answers as main did`);
    await server.close();
    const after = rowsOf(file);
    for (const table of Object.keys(before)) t.same(after[table], before[table], `after ${start}: ${table} holds every row it held`);
    t.same(after[SCHEMA_VERSIONS_TABLE], VENDORS.map((v) => ({ vendor: v.name, version: v.migrations.length })).sort((a, b) => a.vendor.localeCompare(b.vendor)),
      `after ${start}: each vendor at its last migration`);
    const upgraded = new Database(file, { readonly: true });
    t.equal(upgraded.pragma('user_version', { simple: true }), PER_VENDOR_VERSIONS + LEGACY_USER_VERSIONS, 'user_version says where it was adopted (syncmocks of one list refuse it as newer)');
    t.equal(upgraded.pragma('integrity_check', { simple: true }), 'ok');
    upgraded.close();
  }
});

t.test('the Docker volume: the built CLI, given the file by SYNCMOCK_DB as the image gives it, upgrades it and answers the same', async (t) => {
  const file = copyOfFixture(t);
  const before = rowsOf(file);
  const started = await startProcess(t, process.execPath, [builtCli], /syncmock listening on/, {
    env: { ...process.env, NODE_OPTIONS: '', SYNCMOCK_DB: file, HOST: '127.0.0.1', PORT: '0', SYNCMOCK_LOG_LEVEL: 'warn' },
  });
  const url = /listening on (http:\/\/\S+)/.exec(started.line)?.[1] as string;
  t.same(await answersNow(url), answers.map((a) => a.body), 'every GET answers as main did');
  started.child.kill('SIGTERM');
  t.equal((await started.exited).code, 0, 'a clean stop');
  const after = rowsOf(file);
  for (const table of Object.keys(before)) t.same(after[table], before[table], `${table} holds every row it held`);
});

t.test('a file at any user_version of the one list runs exactly the migrations it had not, and keeps its rows', async (t) => {
  const marked = VENDORS.flatMap((v) => v.migrations.flatMap((m, i) => (m.legacyUserVersion === undefined ? [] : [{ vendor: v.name, i, ...m }])));
  t.same(marked.map((m) => m.legacyUserVersion).sort(), Array.from({ length: LEGACY_USER_VERSIONS }, (_, i) => i + 1),
    'each place of the one list is one vendor migration');
  for (const v of VENDORS) {
    const legacy = v.migrations.map((m) => m.legacyUserVersion !== undefined);
    t.notOk(legacy.some((isLegacy, i) => isLegacy && i > 0 && !legacy[i - 1]), `${v.name}: its legacy migrations come first`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-legacy-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (let userVersion = 0; userVersion <= LEGACY_USER_VERSIONS; userVersion++) {
    // What a syncmock of the one list wrote: its first `userVersion` migrations, then a row in every table.
    const file = path.join(dir, `legacy-${userVersion}.db`);
    const legacy = new Database(file);
    legacy.pragma('journal_mode = WAL');
    for (const m of marked.filter((m) => (m.legacyUserVersion as number) <= userVersion).sort((a, b) => (a.legacyUserVersion as number) - (b.legacyUserVersion as number))) {
      legacy.exec(m.sql);
    }
    legacy.pragma(`user_version = ${userVersion}`);
    const tables = (legacy.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid").all() as Array<{ name: string }>).map((r) => r.name);
    for (const table of tables) {
      // The same value in every column of a kind, so a row satisfies the foreign keys of the rows before it.
      const columns = legacy.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string; type: string }>;
      legacy.prepare(`INSERT INTO "${table}" (${columns.map((c) => c.name).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
        .run(...columns.map((c) => (c.type === 'INTEGER' ? 1 : 'kept')));
    }
    legacy.close();
    const before = rowsOf(file);

    const db = openDatabase(file, VENDORS);
    db.close();
    const after = rowsOf(file);
    for (const table of tables) t.same(after[table], before[table], `user_version ${userVersion}: ${table} keeps its row`);
    t.same(vendorTablesIn(after), vendorTables(VENDORS), `user_version ${userVersion}: every vendor table is there`);
  }
});
