// Issue 15, defect 2: re-importing an export gives back exactly the state exported, in every table (the
// Azure app registrations included, which POST /__admin/state deleted for every org it imported), and
// every reset under --seed keeps the registrations of the orgs the seed state names. Tables are read from
// the server's SQLite file; the clock is frozen, so nothing differs merely because time passed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { http } from '../helpers';
import { STATE_TABLES, startServerWithStore, type ServerWithStore } from '../store-reader';
import { PREFIX, seedCreateBody } from '../datadog/dd';
import { CLIENTS, signIn, seedConfig } from '../sailpoint/sp';
import { admin } from './admin';

const V8 = { 'x-syncmock-datadog-revision': '2026-08' };
const ORGS = {
  'syncmock-org-1': { 'dd-api-key': 'syncmock-api-key', 'dd-application-key': 'syncmock-app-key' },
  'syncmock-org-2': { 'dd-api-key': 'syncmock-api-key-2', 'dd-application-key': 'syncmock-app-key-2' },
};
/** data/seed.json's registrations of syncmock-org-1, as the API lists them. */
const ORG_1_REGISTRATIONS = [
  { client_id: '66666666-7777-8888-9999-000000000000', error_count: 0, resource_collection_enabled: true, subscription_count: 3, tenant_id: '11111111-2222-3333-4444-555555555555' },
  { client_id: '77777777-8888-9999-0000-111111111111', error_count: 2, resource_collection_enabled: false, subscription_count: 1, tenant_id: '11111111-2222-3333-4444-555555555555' },
];

/** Each org's GET …/entra_id/azure_app_registrations. */
async function registrations(url: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [org, keys] of Object.entries(ORGS)) {
    const res = await http(`${url}${PREFIX}/entra_id/azure_app_registrations`, { headers: { ...keys, ...V8 } });
    out[org] = res.status === 200 ? res.json.data.attributes : `answered ${res.status}`;
  }
  return out;
}

/** A server on a file with traffic in every table: Datadog configs (2026-06 and Entra ID), a SailPoint change. */
async function busyServer(t: Test, options: Parameters<typeof startServerWithStore>[1] = {}): Promise<ServerWithStore> {
  const s = await startServerWithStore(t, { logLevel: 'warn', ...options });
  const call = admin(s.server.url);
  t.equal((await call('POST', '/clock', { freeze_at: '2026-05-01T12:00:00Z' })).status, 200, 'the clock frozen');
  const dd = (keys: Record<string, string>, method: string, p: string, json?: unknown) =>
    http(`${s.server.url}${PREFIX}${p}`, { method, headers: { ...keys, ...V8 }, json });
  const openKeys = { 'dd-api-key': 'round-trip-key', 'dd-application-key': 'round-trip-app' };
  t.equal((await dd(ORGS['syncmock-org-1'], 'POST', '/entra_id/activate')).status, 200, 'an Entra ID config in the seed org');
  t.equal((await dd(openKeys, 'POST', '/entra_id/activate')).status, 200, 'and in an open-mode org');
  const created = await http(`${s.server.url}${PREFIX}`, { method: 'POST', headers: ORGS['syncmock-org-2'], json: seedCreateBody() });
  t.equal(created.status, 200, 'a 2026-06 config in the second seed org');
  const sp = await signIn(s.server.url, CLIENTS.admin);
  const changed = seedConfig();
  changed.attributes[1].enabled = true;
  t.equal((await sp.put(changed)).status, 200, 'a SailPoint change');
  t.equal((await sp.get()).status, 200);
  return s;
}

t.test('export, import (replace or merge), export: every table and every answer as before', async (t) => {
  const s = await busyServer(t);
  const call = admin(s.server.url);
  const exported = await call('GET', '/state');
  t.equal(exported.status, 200);
  const rows = s.store.rows();
  const regs = await registrations(s.server.url);
  t.ok(STATE_TABLES.every((table) => table in rows), 'every state table is read');
  t.ok(rows.dd_azure_app_registrations.length >= 3, 'the seed orgs\' Azure app registrations are stored', { rows: rows.dd_azure_app_registrations });
  t.same((regs['syncmock-org-1'] as { azure_app_registrations: unknown }).azure_app_registrations, ORG_1_REGISTRATIONS);

  for (const mode of ['merge', 'replace']) {
    const imported = await call('POST', `/state?mode=${mode}`, exported.json);
    t.equal(imported.status, 200, `${mode}: the export imports`, { body: imported.text.slice(0, 500) });
    t.same(s.store.rows(), rows, `${mode}: every table holds exactly what it held`);
    t.same((await call('GET', '/state')).json, exported.json, `${mode}: the export is the same`);
    t.same(await registrations(s.server.url), regs, `${mode}: every org lists the same Azure app registrations`);
  }
});

t.test('every reset under --seed keeps the Azure app registrations of the orgs the seed state names', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-seed-state-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'state.json');
  fs.writeFileSync(file, JSON.stringify({ datadog: { orgs: {
    'syncmock-org-1': { integration_configs: [{ id: 'bbbbbbbb-0000-4000-8000-000000000001', integration_type: 'OKTA', name: 'seeded', domain: 'example.okta.com', secrets: { api_token: 't' } }] },
  } } }));
  const s = await startServerWithStore(t, { logLevel: 'warn', seedState: file });
  const call = admin(s.server.url);
  const listed = async (when: string) => {
    const regs = (await registrations(s.server.url))['syncmock-org-1'] as { azure_app_registrations?: unknown };
    t.same(regs.azure_app_registrations, ORG_1_REGISTRATIONS, `${when}: the seed data's registrations`, { got: regs });
    const configs = await http(`${s.server.url}${PREFIX}`, { headers: ORGS['syncmock-org-1'] });
    t.same(configs.json.data.map((c: { id: string }) => c.id), ['bbbbbbbb-0000-4000-8000-000000000001'], `${when}: and the seed state's configs`);
  };
  await listed('at start');
  t.equal((await call('POST', '/reset')).status, 200);
  await listed('after a full reset');
  t.equal((await call('POST', '/reset?org=syncmock-org-1')).status, 200);
  await listed('after a reset of the org');
  t.equal((await call('POST', '/state', { datadog: { orgs: { 'syncmock-org-1': { integration_configs: [] } } } })).status, 200);
  t.same(((await registrations(s.server.url))['syncmock-org-1'] as { azure_app_registrations?: unknown }).azure_app_registrations, ORG_1_REGISTRATIONS,
    'after an import that names the org');
});
