// The SQLite file keeps every config across a restart; each vendor's schema version is recorded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import Database from 'better-sqlite3';
import { startServer } from '../helpers';
import { datadog, seedCreateBody } from '../datadog/dd';
import { PER_VENDOR_VERSIONS, SCHEMA_VERSIONS_TABLE } from '../../src/store/migrations';
import { VENDORS } from '../../src/vendors';

t.test('restart with the same file: every config is still there, as it was', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-restart-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = path.join(dir, 'nested', 'syncmock.db');

  const first = await startServer(t, { db });
  const a = datadog(first.url, 'org-a-key');
  const b = datadog(first.url, 'org-b-key');
  const created = [];
  for (let i = 0; i < 5; i++) created.push((await a.call('POST', '', seedCreateBody())).json.data);
  const other = (await b.call('POST', '', seedCreateBody())).json.data;
  const renamed = (await a.call('PATCH', `/${created[0].id}`, { data: { type: 'integration_config', attributes: { name: 'kept', enabled: false } } })).json.data;
  await a.call('DELETE', `/${created[4].id}`);
  const before = (await a.call('GET')).json;
  await first.close();
  t.ok(fs.existsSync(db), 'the file (and its directory) was created');

  const second = await startServer(t, { db });
  const after = (await datadog(second.url, 'org-a-key').call('GET')).json;
  t.same(after, before, 'org A reads exactly what it read before');
  t.same(after.data[0], renamed);
  t.equal(after.data.length, 4);
  t.same((await datadog(second.url, 'org-b-key').call('GET')).json.data, [other]);
  await second.close();

  const raw = new Database(db, { readonly: true });
  t.equal(raw.pragma('user_version', { simple: true }), PER_VENDOR_VERSIONS, 'user_version says versions are kept per vendor');
  t.same(raw.prepare(`SELECT vendor, version FROM ${SCHEMA_VERSIONS_TABLE} ORDER BY vendor`).all(),
    VENDORS.map((v) => ({ vendor: v.name, version: v.migrations.length })).sort((a, b) => a.vendor.localeCompare(b.vendor)),
    'each vendor\'s version is that of its last migration');
  t.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
  t.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
  raw.close();
});

t.test('a database from a newer syncmock is refused with a clear error', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-newer-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, prepare: (db: Database.Database) => void): string => {
    const at = path.join(dir, name);
    const raw = new Database(at);
    prepare(raw);
    raw.close();
    return at;
  };
  const [vendor] = VENDORS;
  const newerVendor = file('vendor.db', (raw) => {
    raw.pragma(`user_version = ${PER_VENDOR_VERSIONS}`);
    raw.exec(`CREATE TABLE ${SCHEMA_VERSIONS_TABLE} (vendor TEXT PRIMARY KEY, version INTEGER NOT NULL)`);
    raw.prepare(`INSERT INTO ${SCHEMA_VERSIONS_TABLE} VALUES (?, ?)`).run(vendor.name, vendor.migrations.length + 1);
  });
  await t.rejects(startServer(t, { db: newerVendor }), new RegExp(`its ${vendor.name} tables are at schema version ${vendor.migrations.length + 1}, newer than this syncmock`));
  for (const userVersion of [4, PER_VENDOR_VERSIONS - 1, PER_VENDOR_VERSIONS + 4]) {
    const newer = file(`user-version-${userVersion}.db`, (raw) => {
      raw.pragma(`user_version = ${userVersion}`);
      if (userVersion > PER_VENDOR_VERSIONS) raw.exec(`CREATE TABLE ${SCHEMA_VERSIONS_TABLE} (vendor TEXT PRIMARY KEY, version INTEGER NOT NULL)`);
    });
    await t.rejects(startServer(t, { db: newer }), new RegExp(`schema version ${userVersion}, newer than this syncmock`), `user_version ${userVersion}`);
  }
});
