// GET/POST /__admin/state and --seed: export (redacted), import (replace or merge, all or nothing).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import httpClient from 'node:http';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import { orgIdForApiKey } from '../../src/datadog/auth';
import { startSyncmock } from '../../src/index';
import { REDACTED, Redaction } from '../../src/platform/redaction';
import { SeedDataError } from '../../src/platform/seed-data';
import { VENDORS } from '../../src/vendors';
import { FUZZ_SEED } from '../e2e/random';
import { matchesSchema, startServer } from '../helpers';
import { datadog, seedCreateBody } from '../datadog/dd';
import { admin } from './admin';

const MARKER = 'state-marker-secret-81b0';
const ID_1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const ID_2 = 'aaaaaaaa-0000-4000-8000-000000000002';
const SEED_ID = '11111111-2222-3333-4444-555555555555';

const config = (id: string, extra: Record<string, unknown> = {}) => ({
  id, integration_type: 'OKTA', name: `config ${id.slice(-1)}`, domain: 'example.okta.com', secrets: { api_token: MARKER }, ...extra,
});

t.test('GET exports every org\'s configs with secrets redacted; ?api_key= exports one', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const body = seedCreateBody();
  body.data.attributes.secrets = { admin_email: MARKER } as never;
  const created = (await datadog(server.url, 'state-key').call('POST', '', body)).json.data;

  const res = await call('GET', '/state');
  t.equal(res.status, 200);
  matchesSchema(t, 'control/state.json', res.json);
  t.notOk(res.text.includes(MARKER), 'no secret in the export');
  const orgs = res.json.datadog.orgs;
  t.same(Object.keys(orgs).sort(), [orgIdForApiKey('state-key'), 'syncmock-org-1', 'syncmock-org-2'].sort(), 'seed orgs included');
  t.same(orgs[orgIdForApiKey('state-key')].integration_configs, [{
    id: created.id, integration_type: 'GOOGLE_WORKSPACE', name: 'My GWS Integration', domain: 'siem-test.com', enabled: true,
    settings: { setting1: 'value1' }, secrets: '[redacted]', state: 'valid', created_at: created.attributes.created_at, modified_at: created.attributes.modified_at,
  }]);
  const one = await call('GET', '/state?api_key=state-key');
  t.same(Object.keys(one.json.datadog.orgs), [orgIdForApiKey('state-key')]);
  t.same(Object.keys((await call('GET', '/state?tenant=t')).json), ['sailpoint'], 'a tenant: no Datadog part');
});

t.test('POST imports: replace (default) sets an org\'s configs, merge adds or overwrites by id; others untouched', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const other = datadog(server.url, 'untouched-key');
  await other.call('POST', '', seedCreateBody());
  const dd = datadog(server.url, 'import-key');
  const org = orgIdForApiKey('import-key');
  await dd.call('POST', '', seedCreateBody());

  const res = await call('POST', '/state', { datadog: { orgs: { [org]: { integration_configs: [config(ID_1, { created_at: '2026-01-02T03:04:05Z', enabled: false })] } } } });
  t.equal(res.status, 200);
  matchesSchema(t, 'control/state-import-response.json', res.json);
  t.same(res.json, { mode: 'replace', imported: { datadog: { orgs: [org] } } });
  t.notOk(res.text.includes(MARKER));
  const listed = (await dd.call('GET')).json.data;
  t.same(listed.map((c: { id: string }) => c.id), [ID_1], 'exactly the imported configs');
  t.match(listed[0].attributes, { enabled: false, created_at: '2026-01-02T03:04:05Z', modified_at: '2026-01-02T03:04:05Z', state: 'valid' });
  t.equal((await dd.call('POST', `/${ID_1}/validate`)).status, 200, 'the imported secrets are stored');

  const merged = await call('POST', '/state?mode=merge', { datadog: { orgs: { [org]: { integration_configs: [
    config(ID_1, { name: 'renamed', secrets: '[redacted]' }), config(ID_2, { secrets: { api_token: 'invalid-token' } }),
  ] } } } });
  t.same(merged.json.mode, 'merge');
  const after = (await dd.call('GET')).json.data;
  t.same(after.map((c: { id: string; attributes: { name: string } }) => [c.id, c.attributes.name]), [[ID_1, 'renamed'], [ID_2, 'config 2']]);
  t.equal((await dd.call('POST', `/${ID_1}/validate`)).status, 200, '"[redacted]" kept the stored secrets');
  t.equal((await dd.call('POST', `/${ID_2}/validate`)).status, 400, 'the new secrets were stored');
  t.equal((await other.call('GET')).json.data.length, 1, 'an org not in the document is untouched');

  const exported = (await call('GET', `/state?org=${org}`)).json;
  t.equal((await call('POST', '/state', exported)).status, 200, 'an export imports as is');
  t.equal((await dd.call('POST', `/${ID_1}/validate`)).status, 200, 'and keeps the secrets');
});

t.test('an import into a seed org replaces its seed configs; a reset brings them back', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const seedOrg = datadog(server.url, 'syncmock-api-key', 'syncmock-app-key');
  await call('POST', '/state', { datadog: { orgs: { 'syncmock-org-1': { integration_configs: [config(ID_1)] } } } });
  t.same((await seedOrg.call('GET')).json.data.map((c: { id: string }) => c.id), [ID_1]);
  await call('POST', '/reset?org=syncmock-org-1');
  t.same((await seedOrg.call('GET')).json.data.map((c: { id: string }) => c.id), [SEED_ID]);
});

t.test('an invalid document is 400 naming the field, and nothing changes (one transaction)', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const dd = datadog(server.url, 'atomic-key');
  const org = orgIdForApiKey('atomic-key');
  await dd.call('POST', '', seedCreateBody());
  const before = (await call('GET', '/state')).json;
  const good = { integration_configs: [config(ID_1)] };
  for (const [doc, message] of [
    [{ datadog: { orgs: { [org]: good, 'org-2': { integration_configs: [config('not-a-uuid')] } } } }, /Field 'datadog.orgs.org-2.integration_configs.0.id' must match format "uuid"/],
    [{ datadog: { orgs: { [org]: good, 'org-2': { integration_configs: [config(ID_1, { integration_type: 'GITHUB' })] } } } }, /integration_configs.0.integration_type' must be one of/],
    [{ datadog: { orgs: { [org]: good, 'org-2': { integration_configs: [config(ID_1, { domain: undefined })] } } } }, /integration_configs.0.domain' is required/],
    [{ datadog: { orgs: { [org]: good, 'org-2': { integration_configs: [config(ID_1, { created_at: 'monday' })] } } } }, /created_at' must be an RFC 3339 time/],
    [{ datadog: { orgs: { [org]: { integration_configs: [config(ID_1), config(ID_1)] } } } }, new RegExp(`Field 'datadog.orgs.${org}.integration_configs.1.id' repeats the id`)],
    [{ datadog: { orgs: { [org]: { integration_configs: [config(ID_1, { secrets: 'hunter2' })] } } } }, /integration_configs.0.secrets' must be an object, or "\[redacted\]"/],
    [{ datadog: { orgs: { [org]: { integration_configs: [config(ID_1, { secrets: [1] })] } } } }, /secrets' must be an object/],
    [{ datadog: { orgs: { [org]: { configs: [] } } } }, /integration_configs' is required/],
    [{ datadog: {} }, /Field 'datadog.orgs' is required/],
    [{ github: {} }, /Field 'github' is not allowed/],
    [[], /The request body must be object/],
  ] as const) {
    const res = await call('POST', '/state', doc);
    t.equal(res.status, 400, message.source);
    matchesSchema(t, 'control/error.json', res.json);
    t.match(res.json.message, message);
  }
  t.equal((await call('POST', '/state?mode=overwrite', { datadog: { orgs: {} } })).status, 400, 'unknown mode');
  t.same((await call('GET', '/state')).json, before, 'nothing changed');
});

t.test('--seed loads a state document at start; every reset (all, or its org) loads it again', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-seed-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'scenario.json');
  const org = orgIdForApiKey('scenario-key');
  fs.writeFileSync(file, JSON.stringify({ datadog: { orgs: { [org]: { integration_configs: [config(ID_1)] } } } }));
  const server = await startServer(t, { seedState: file });
  const dd = datadog(server.url, 'scenario-key');
  t.same((await dd.call('GET')).json.data.map((c: { id: string }) => c.id), [ID_1]);
  t.equal((await dd.call('POST', `/${ID_1}/validate`)).status, 200, 'with its secrets');
  await dd.call('DELETE', `/${ID_1}`);
  await dd.call('POST', '', seedCreateBody());
  await admin(server.url)('POST', '/reset');
  t.same((await dd.call('GET')).json.data.map((c: { id: string }) => c.id), [ID_1], 'a full reset');
  await dd.call('DELETE', `/${ID_1}`);
  await admin(server.url)('POST', '/reset?api_key=scenario-key');
  t.same((await dd.call('GET')).json.data.map((c: { id: string }) => c.id), [ID_1], 'the org\'s reset');

  fs.writeFileSync(file, JSON.stringify({ datadog: { orgs: { [org]: { integration_configs: [config('nope')] } } } }));
  const err = await startSyncmock({ seedState: file, logLevel: 'silent' }).then(() => null, (e: Error) => e);
  t.ok(err instanceof SeedDataError, 'an invalid seed state stops the start (the CLI exits 2)');
  t.match(err?.message, /scenario.json: Field 'datadog.orgs.org-[0-9a-f]+.integration_configs.0.id' must match format "uuid"/);
  await t.rejects(startSyncmock({ seedState: path.join(dir, 'missing.json'), logLevel: 'silent' }), /cannot load the seed state/);
});

// The export is written in slices, value by value (json-slices.ts), instead of JSON.stringify over a redacted
// deep copy: the bytes must be those of the copy, for any document and any slice size.
t.test('the sliced export writes exactly JSON.stringify(redactValues(doc)), for generated documents', async (t) => {
  const redaction = new Redaction(VENDORS.map((v) => v.credentials));
  const credentialShaped = fc.constantFrom('ddpat_abc', 'x ddsat_1', 'Bearer abc', 'basic dXNlcg==', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0', REDACTED, 'Basic setup');
  // Any code point, lone surrogates too (fast-check's own 'binary' unit costs 1.8 s to build), and what JSON escapes.
  const codePoint = fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 0x10ffff })).map((c) => String.fromCodePoint(c));
  const escaped = fc.constantFrom('\ud800', 'a\udfff', '\u2028\u2029', '\u0000"\\\n\u007f', 'é🙂e\u0301');
  const text = fc.oneof(fc.string({ unit: codePoint, maxLength: 8 }), credentialShaped, escaped);
  // No "__proto__": no document holds one (the JSON body policy and seed files refuse it), and a copy drops it.
  const key = fc.oneof(text, fc.constantFrom('token', 'secrets', 'api_token', '0', '10', '-1')).filter((k) => k !== '__proto__');
  const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof({ depthSize: 'small' },
      text, fc.double(), fc.integer(), fc.constantFrom(0, -0, 1e21, 5e-324, Number.MAX_SAFE_INTEGER + 2), fc.boolean(), fc.constant(null), fc.constant(undefined),
      fc.array(tie('value'), { maxLength: 4 }), fc.sparseArray(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 4 })),
  })).value;
  fc.assert(fc.property(value, fc.integer({ min: 1, max: 64 }), (doc, sliceChars) => {
    const slices = [...redaction.redactedValuesJson(doc, sliceChars)];
    if (slices.join('') !== (JSON.stringify(redaction.redactValues(doc)) ?? '')) throw new Error(`differs: ${slices.join('')}`);
    if (slices.slice(0, -1).some((slice) => slice.length < sliceChars)) throw new Error('a slice before the last is short');
  }), { seed: FUZZ_SEED, numRuns: 200 });

  // What no state document holds, but the shared rule covers: each written as the copy shows it.
  const circular: Record<string, unknown> = { name: 'ddpat_x' };
  circular.self = circular;
  circular.list = [circular, { up: circular }];
  let deep: unknown = 'Bearer deep';
  for (let i = 0; i < 300; i++) deep = i % 2 === 0 ? [deep] : { d: deep };
  const odd = [circular, deep, Buffer.from('secret bytes'), new Date(0), new Map([[1, 2]]), { f: () => 1, s: Symbol('s'), u: undefined }, [() => 1, Symbol('s')], 'ddpat_top'];
  for (const doc of [...odd, odd]) {
    t.equal([...redaction.redactedValuesJson(doc, 16)].join(''), JSON.stringify(redaction.redactValues(doc)));
  }
});

t.test('a large export arrives whole, equal to the document; a client that goes stops it', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const configs = Array.from({ length: 5000 }, (_, i) => ({
    id: randomUUID(), integration_type: 'OKTA', name: `c${i}`, domain: `d${i}.okta.com`,
    settings: { n: i, note: i % 97 === 0 ? `ddpat_note${i}` : `plain ${i} é 🙂` }, secrets: { api_token: `${MARKER}-${i}` },
  }));
  // Five orgs of 1,000 configs (the most one org holds), in two imports of 2,500 (one import's body limit).
  const orgOf = (i: number): string => `o${Math.floor(i / 1000) + 1}`;
  for (let k = 0; k < 2; k++) {
    const orgs: Record<string, { integration_configs: typeof configs }> = {};
    configs.slice(k * 2500, (k + 1) * 2500).forEach((c, i) => (orgs[orgOf(k * 2500 + i)] ??= { integration_configs: [] }).integration_configs.push(c));
    t.equal((await call('POST', '/state?mode=merge', { datadog: { orgs } })).status, 200, `import ${k + 1} of 2`);
  }
  const { context } = server;
  // The document as it was answered before slicing: the vendors' exports, redacted by a deep copy.
  const whole = JSON.stringify(context.redaction.redactValues(Object.fromEntries(context.vendors.map(({ contract, runtime }) =>
    [contract.name, { [contract.scope.collection]: runtime.state.export() }]))));

  const res = await call('GET', '/state');
  t.equal(res.status, 200);
  t.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  matchesSchema(t, 'control/state.json', res.json);
  t.ok(res.text === whole, `the body is the whole document (${res.text.length} of ${whole.length} characters)`);
  const exported = ['o1', 'o2', 'o3', 'o4', 'o5'].flatMap((org) => res.json.datadog.orgs[org].integration_configs) as Array<{ id: string; settings: { note: string }; secrets: unknown }>;
  t.same(exported.map((c) => c.id).sort(), configs.map((c) => c.id).sort(), 'every config');
  t.notOk(res.text.includes(MARKER) || res.text.includes('ddpat_'), 'no secret, no credential-shaped value');
  t.equal(exported.filter((c) => c.settings.note === REDACTED).length, configs.filter((c) => c.settings.note.startsWith('ddpat_')).length);

  // A client that reads one chunk and goes: the export's slices stop being taken, and its walk is closed.
  const state = context.state;
  const slicesOf = state.export.bind(state);
  const total = [...slicesOf()].length;
  let taken = 0;
  let closed = false;
  state.export = function* (scope) {
    try {
      for (const slice of slicesOf(scope)) {
        taken++;
        yield slice;
      }
    } finally {
      closed = true;
    }
  };
  t.teardown(() => Reflect.deleteProperty(state, 'export'));
  await new Promise<void>((resolve, reject) => {
    const request = httpClient.get(`${server.url}/__admin/state`, (response) => {
      response.once('data', () => {
        request.destroy();
        resolve();
      });
    });
    request.on('error', (err) => (request.destroyed ? undefined : reject(err)));
  });
  for (let i = 0; i < 500 && !closed; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  t.ok(closed, 'the walk is closed (its snapshot let go)');
  t.ok(taken < total, `${taken} of ${total} slices taken`);
});
