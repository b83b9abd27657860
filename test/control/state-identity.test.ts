// Issue 23, item 6: export then import is the identity, for generated states over every table: Datadog orgs
// with configs of every type in both revisions' shapes (typed or free-form secrets, Entra ID with or without
// them, initializing ones), free-form settings with any keys (former redaction names among them) and any
// values (credential-shaped ones among them), Azure app registrations; SailPoint tenants with sources. For
// each: import it, export (E1), read every GET and list; import E1 again (merge, then replace): the export
// is E1 again, every table holds the same rows (secrets included) and every GET answers the same. E1 shows
// settings as GET shows them and holds no secret and no credential-shaped value. E1 imported into a fresh
// server restores no secret: configs have none, other redacted values read "[redacted]".
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import t from 'tap';
import { orgIdForApiKey } from '../../src/datadog/auth';
import { tenantIdForClient } from '../../src/sailpoint/clients';
import { REDACTED } from '../../src/platform/redaction';
import { expect } from '../bounded';
import { PREFIX } from '../datadog/dd';
import { FUZZ_SEED } from '../e2e/random';
import { http, schemaValidator, startServer, type TestServer } from '../helpers';
import { tokenForm } from '../sailpoint/sp';
import { startServerWithStore } from '../store-reader';
import { admin } from './admin';

const RUNS = Number(process.env.SYNCMOCK_FUZZ_RUNS ?? 25);
const stateDocument = schemaValidator('control/state.json');
const NOW = '2026-05-01T12:00:00Z';
/** Every secret value generated contains this, and no credential-shaped value survives an export. */
const SECRET = 'secret-marker';
const CREDENTIAL = 'credmarker';
const TYPES = ['GOOGLE_WORKSPACE', 'OKTA', 'ENTRA_ID', 'CROWDSTRIKE', 'SENTINELONE'] as const;
/** Keys the export once redacted by name, inside free-form settings. */
const FORMER_SECRET_NAMES = ['token', 'password', 'api_key', 'secrets', 'client_secret', 'access_token', 'jwt', 'private_key', 'api_token', 'appkey'];

/** A value that is a credential by its form: an access token, a JWT, an Authorization value. */
const credentialLike = fc.tuple(fc.constantFrom('ddpat_', 'ddsat_', 'x-ddpat_', 'Bearer ', 'basic ', 'eyJhbGciOiJIUzI1NiJ9.eyJ'), fc.nat())
  .map(([prefix, n]) => `${prefix}${CREDENTIAL}${n}`);
const text = fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 12 }) }, credentialLike, fc.constant(REDACTED), fc.constantFrom('Basic setup', 'bearer'));
const nonEmpty = text.filter((s) => s.length > 0);
const key = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...FORMER_SECRET_NAMES)).filter((k) => k !== '__proto__' && k !== 'constructor');
/** JSON the body policy takes: no number it cannot carry exactly. */
const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' },
    text, fc.integer({ min: -1e6, max: 1e6 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.boolean(), fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 3 }),
    // Lists whose entries carry an `id`, as the import matches redacted values by: repeated, an object, an
    // array, null, absent (matched by position then, not by an id that names two entries or none).
    fc.array(fc.record({ id: fc.constantFrom(1, 'a', 2, {}, [1], null), t: fc.oneof(credentialLike, text) }, { requiredKeys: ['t'] }), { maxLength: 3 })),
})).value;
const time = fc.integer({ min: Date.parse('2020-01-01T00:00:00Z') / 1000, max: Date.parse('2030-01-01T00:00:00Z') / 1000 })
  .map((s) => new Date(s * 1000).toISOString().replace('.000Z', 'Z'));
const secretText = fc.nat().map((n) => `${SECRET}-${n}`);

/** Secrets as 2026-08 types them, or free-form as 2026-06 takes them (any type, Entra ID included), or none. */
const secretsFor = (type: string): fc.Arbitrary<Record<string, unknown> | undefined> => {
  const typed: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
    GOOGLE_WORKSPACE: fc.record({ admin_email: secretText, service_account_json: fc.record({ type: fc.constant('service_account'), project_id: secretText, private_key: secretText, client_email: secretText }) }),
    OKTA: fc.record({ api_token: secretText }),
    SENTINELONE: fc.record({ api_token: secretText }),
    CROWDSTRIKE: fc.record({ client_id: secretText, client_secret: secretText }),
  };
  return fc.oneof(fc.constant(undefined), fc.dictionary(key, secretText, { maxKeys: 3 }), ...(typed[type] ? [typed[type]] : []));
};

const config = fc.constantFrom(...TYPES).chain((type) => fc.record({
  id: fc.uuid({ version: 4 }),
  integration_type: fc.constant(type),
  name: fc.option(nonEmpty, { nil: undefined }),
  domain: nonEmpty,
  enabled: fc.boolean(),
  settings: fc.option(fc.dictionary(key, json, { maxKeys: 4 }), { nil: undefined }),
  secrets: secretsFor(type),
  state: fc.constantFrom('valid', 'invalid', 'initializing'),
  created_at: time,
  modified_at: time,
  // Before or after the frozen clock: initializing until then, or already valid.
  ready_at: fc.option(fc.constantFrom('2026-05-01T11:00:00Z', '2026-05-01T13:00:00Z'), { nil: undefined }),
}, { requiredKeys: ['id', 'integration_type', 'domain'] }));

const registration = fc.record({
  client_id: nonEmpty, tenant_id: nonEmpty, error_count: fc.nat(5), resource_collection_enabled: fc.boolean(), subscription_count: fc.nat(5),
});

const org = fc.record({
  created_at: time,
  integration_configs: fc.uniqueArray(config, { maxLength: 4, selector: (c) => c.id }),
  azure_app_registrations: fc.array(registration, { maxLength: 3 }),
}, { requiredKeys: ['integration_configs'] });

const attribute = fc.record({ name: nonEmpty, displayName: text, enabled: fc.boolean(), target: text });
const source = fc.record({
  // Ids name sources in URLs; a credential-shaped id could not be found again once redacted.
  id: fc.stringMatching(/^[0-9a-f]{6,32}$/),
  name: text,
  attributes: fc.uniqueArray(attribute, { maxLength: 4, selector: (a) => a.name }),
  modified_at: time,
}, { requiredKeys: ['id', 'name', 'attributes'] });
const tenant = fc.record({ created_at: time, sources: fc.uniqueArray(source, { maxLength: 3, selector: (s) => s.id }) }, { requiredKeys: ['sources'] });

/** Generated callers (their orgs and tenants are digests of these) and their states. */
const scenario = fc.record({
  datadog: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z0-9]{8}$/), org), { minLength: 1, maxLength: 3, selector: ([apiKey]) => apiKey }),
  sailpoint: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z0-9]{8}$/), tenant), { minLength: 1, maxLength: 2, selector: ([clientId]) => clientId }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

const documentOf = (s: Scenario) => ({
  datadog: { orgs: Object.fromEntries(s.datadog.map(([apiKey, o]) => [orgIdForApiKey(apiKey), o])) },
  sailpoint: { tenants: Object.fromEntries(s.sailpoint.map(([clientId, t]) => [tenantIdForClient(clientId), t])) },
});

/** Every GET and list the vendors serve for the scenario's orgs and tenants (and the seed's), by path. */
async function everyGet(server: TestServer, s: Scenario, exported: any): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const read = async (label: string, url: string, headers: Record<string, string>) => {
    const res = await http(url, { headers });
    out[label] = { status: res.status, body: res.json };
  };
  const callers: Array<[string, Record<string, string>]> = [
    ['syncmock-org-1', { 'dd-api-key': 'syncmock-api-key', 'dd-application-key': 'syncmock-app-key' }],
    ...s.datadog.map(([apiKey]): [string, Record<string, string>] => [orgIdForApiKey(apiKey), { 'dd-api-key': apiKey, 'dd-application-key': 'app-key' }]),
  ];
  for (const [orgId, keys] of callers) {
    for (const revision of ['2026-06', '2026-08']) {
      await read(`${orgId} list ${revision}`, `${server.url}${PREFIX}`, { ...keys, 'x-syncmock-datadog-revision': revision });
    }
    await read(`${orgId} azure_app_registrations`, `${server.url}${PREFIX}/entra_id/azure_app_registrations`, { ...keys, 'x-syncmock-datadog-revision': '2026-08' });
    for (const c of exported.datadog.orgs[orgId]?.integration_configs ?? []) await read(`${orgId} ${c.id}`, `${server.url}${PREFIX}/${c.id}`, keys);
  }
  for (const [clientId] of s.sailpoint) {
    const token = await http(`${server.url}/oauth/token`, { method: 'POST', body: tokenForm(clientId, 'secret') });
    const authorization = `Bearer ${token.json.access_token}`;
    const tenantId = tenantIdForClient(clientId);
    for (const src of exported.sailpoint.tenants[tenantId]?.sources ?? []) {
      await read(`${tenantId} ${src.id}`, `${server.url}/beta/sources/${encodeURIComponent(src.id)}/attribute-sync-config`, { authorization });
    }
  }
  return out;
}

/** A value with what the generators made credential-shaped as "[redacted]": nothing else, whatever its key. */
function hiddenByValue(value: unknown): unknown {
  if (typeof value === 'string') return value.includes(CREDENTIAL) || value === 'Basic setup' ? REDACTED : value;
  if (Array.isArray(value)) return value.map(hiddenByValue);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hiddenByValue(v)]));
  return value;
}

/** The settings of every config as the export shows them, and as GET shows them with credential-shaped values hidden. */
function settingsShown(exported: any, gets: Record<string, any>): { exported: unknown[]; got: unknown[] } {
  const out = { exported: [] as unknown[], got: [] as unknown[] };
  for (const [orgId, o] of Object.entries<any>(exported.datadog.orgs)) {
    for (const c of o.integration_configs) {
      out.exported.push(c.settings);
      out.got.push(hiddenByValue(gets[`${orgId} ${c.id}`]?.body?.data?.attributes?.settings));
    }
  }
  return out;
}

/**
 * What a fresh server holds after importing E1: secrets only where it held some under the same id already
 * (the seed's); every other "[redacted]" stays as written.
 */
function withoutSecrets(exported: any, held: any): any {
  const copy = structuredClone(exported);
  for (const [orgId, o] of Object.entries<any>(copy.datadog.orgs)) {
    const heldIds = new Set((held.datadog.orgs[orgId]?.integration_configs ?? []).filter((c: any) => c.secrets === REDACTED).map((c: any) => c.id));
    for (const c of o.integration_configs) if (!heldIds.has(c.id)) delete c.secrets;
  }
  return copy;
}

/** Whether some source of E1 lists two attributes that the export hid to the same "[redacted]" name. */
const hidesNamesTwice = (exported: any): boolean => Object.values<any>(exported.sailpoint.tenants).some((tn) =>
  tn.sources.some((src: any) => src.attributes.filter((a: any) => a.name === REDACTED).length > 1));

t.test('export then import is the identity, for generated states over every table', async (t) => {
  const { server, store } = await startServerWithStore(t, { logLevel: 'warn' });
  const fresh = await startServer(t, { logLevel: 'warn' });
  const call = admin(server.url);
  const freshCall = admin(fresh.url);
  const counts = { runs: 0, configs: 0, redactedSecrets: 0, credentialValues: 0, freshRefused: 0 };

  await fc.assert(fc.asyncProperty(scenario, async (s) => {
    server.reset();
    server.context.clock.freeze(new Date(NOW));
    const setup = await call('POST', '/state', documentOf(s));
    expect(setup.status === 200, `the generated state imports: ${setup.status} ${setup.text.slice(0, 300)}`);

    const e1 = await call('GET', '/state');
    expect(e1.status === 200, 'the export answers');
    expect(stateDocument(e1.json), `the export is a state document: ${JSON.stringify(stateDocument.errors)}`);
    expect(!e1.text.includes(SECRET), 'no secret in the export');
    expect(!e1.text.includes(CREDENTIAL), 'no credential-shaped value in the export');
    const rows = store.rows();
    const gets = await everyGet(server, s, e1.json);
    const shown = settingsShown(e1.json, gets);
    expect(isDeepStrictEqual(shown.exported, shown.got), `settings exported as GET shows them, keys and all: ${JSON.stringify(shown).slice(0, 500)}`);

    for (const mode of ['merge', 'replace']) {
      const again = await call('POST', `/state?mode=${mode}`, e1.json);
      expect(again.status === 200, `${mode}: the export imports: ${again.status} ${again.text.slice(0, 300)}`);
      const e2 = await call('GET', '/state');
      expect(isDeepStrictEqual(e2.json, e1.json), `${mode}: the export is the same`);
      expect(isDeepStrictEqual(store.rows(), rows), `${mode}: every table holds the same rows, secrets included`);
      expect(isDeepStrictEqual(await everyGet(server, s, e1.json), gets), `${mode}: every GET answers the same`);
    }

    // A fresh server holds nothing a "[redacted]" could stand for.
    fresh.reset();
    fresh.context.clock.freeze(new Date(NOW));
    const held = (await freshCall('GET', '/state')).json;
    const imported = await freshCall('POST', '/state', e1.json);
    if (hidesNamesTwice(e1.json)) {
      expect(imported.status === 400, 'two attribute names hidden alike are one name twice on a fresh server: 400');
      counts.freshRefused += 1;
    } else {
      expect(imported.status === 200, `E1 imports into a fresh server: ${imported.status} ${imported.text.slice(0, 300)}`);
      const exported = (await freshCall('GET', '/state')).json;
      expect(isDeepStrictEqual(exported, withoutSecrets(e1.json, held)), 'the fresh server holds E1 without secrets, "[redacted]" kept as written');
    }

    counts.runs += 1;
    for (const o of Object.values<any>(e1.json.datadog.orgs)) {
      counts.configs += o.integration_configs.length;
      counts.redactedSecrets += o.integration_configs.filter((c: any) => c.secrets === REDACTED).length;
    }
    counts.credentialValues += (e1.text.match(/\[redacted\]/g) ?? []).length;
  }), { seed: FUZZ_SEED, numRuns: RUNS });
  t.ok(counts.redactedSecrets > 0 && counts.credentialValues > counts.redactedSecrets && counts.freshRefused < counts.runs,
    `the runs exercised secrets and credential-shaped values: ${JSON.stringify(counts)} (seed ${FUZZ_SEED})`);
});

t.test('a fresh server: a config whose secrets were redacted has none; its next check says so', async (t) => {
  const source = await startServer(t);
  const fresh = await startServer(t);
  const keys = { 'dd-api-key': 'identity-key', 'dd-application-key': 'identity-app' };
  const created = await http(`${source.url}${PREFIX}`, {
    method: 'POST', headers: keys,
    json: { data: { type: 'integration_config', attributes: { integration_type: 'OKTA', name: 'okta', domain: 'example.okta.com', secrets: { api_token: 'okta-secret' }, settings: { token: 'shown', note: 'Bearer ddpat_abc' } } } },
  });
  t.equal(created.status, 200);
  const exported = (await admin(source.url)('GET', `/state?api_key=identity-key`)).json;
  const shown = exported.datadog.orgs[orgIdForApiKey('identity-key')].integration_configs[0];
  t.equal(shown.secrets, REDACTED, 'the secrets are redacted');
  t.same(shown.settings, { token: 'shown', note: REDACTED }, 'settings are shown by name; only a credential-shaped value is hidden');

  t.equal((await admin(fresh.url)('POST', '/state', exported)).status, 200, 'the export imports into a fresh server');
  const id = created.json.data.id;
  const got = await http(`${fresh.url}${PREFIX}/${id}`, { headers: keys });
  t.match(got.json.data.attributes, { state: 'valid', settings: { token: 'shown', note: REDACTED } }, 'the state as exported; the hidden value reads "[redacted]"');
  const again = (await admin(fresh.url)('GET', `/state?api_key=identity-key`)).json.datadog.orgs[orgIdForApiKey('identity-key')].integration_configs[0];
  t.notOk('secrets' in again, 'no secrets are stored');
  const check = await http(`${fresh.url}${PREFIX}/${id}/validate`, { method: 'POST', headers: keys });
  t.equal(check.status, 400, 'the next credential check finds none: invalid');
  t.equal((await http(`${fresh.url}${PREFIX}/${id}`, { headers: keys })).json.data.attributes.state, 'invalid');
});
