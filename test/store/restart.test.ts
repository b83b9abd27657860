// The SQLite file keeps every config across a restart; the schema version is recorded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import Database from 'better-sqlite3';
import { startServer } from '../helpers';
import { datadog, seedCreateBody } from '../datadog/dd';
import { MIGRATIONS } from '../../src/store/migrations';

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
  t.equal(raw.pragma('user_version', { simple: true }), MIGRATIONS.length, 'user_version records the schema');
  t.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
  t.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
  raw.close();
});

t.test('a database from a newer syncmock is refused with a clear error', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-newer-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'x.db');
  const raw = new Database(file);
  raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  raw.close();
  await t.rejects(startServer(t, { db: file }), /newer than this syncmock/);
});
