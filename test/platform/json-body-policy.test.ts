// Issue 15, defect 1 and the one JSON body policy: every route, vendor and control alike, gets the same
// rules. Bodies nested past 100 levels are a 400 in the surface's shape (activate, deactivate and
// POST /__admin/state had copied parsers without the limit) and the journal stays readable whatever it
// holds; `__proto__` and `constructor` keys are a 400 naming the key; numbers JSON cannot hold exactly are
// a 400 naming the field, with nothing stored; an empty body with Content-Type: application/json is
// accepted on every operation whose spec has no request body. Every refusal leaves every table unchanged.
import fc from 'fast-check';
import t, { type Test } from 'tap';
import { rawRequest, schemaValidator, type RawResponse } from '../helpers';
import { startServerWithStore, type ServerWithStore } from '../store-reader';
import { PREFIX, seedCreateBody } from '../datadog/dd';
import { SOURCE_ID, getToken, CLIENTS, seedConfig } from '../sailpoint/sp';
import { FUZZ_SEED } from '../e2e/random';

const KEYS = { 'dd-api-key': 'syncmock-api-key', 'dd-application-key': 'syncmock-app-key' };
const V8 = { 'x-syncmock-datadog-revision': '2026-08' };
const JSON_TYPE = { 'content-type': 'application/json' };
const IMPORTED_ID = 'aaaaaaaa-0000-4000-8000-000000000001';

/** `levels` objects nested inside one another: {"a":{"a":…"x"…}}. */
const nested = (levels: number): string => '{"a":'.repeat(levels) + '"x"' + '}'.repeat(levels);

const SHAPES = {
  datadog: schemaValidator('datadog/error-response.json'),
  sailpoint: schemaValidator('sailpoint/error-response-dto.json'),
  control: schemaValidator('control/error.json'),
};
type Surface = keyof typeof SHAPES;

/** A 400 in the surface's error shape whose text contains every `named` string. */
function isBadRequest(t: Test, res: RawResponse, surface: Surface, what: string, named: string[] = []): void {
  t.equal(res.status, 400, `${what}: 400`, { body: res.text.slice(0, 500) });
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    body = undefined;
  }
  t.ok(SHAPES[surface](body), `${what}: in ${surface}'s error shape`, { body: res.text.slice(0, 500) });
  for (const name of named) t.ok(res.text.includes(name), `${what}: the error names ${name}`, { body: res.text.slice(0, 500) });
}

/** Sends raw JSON text and checks afterwards that no table changed. */
async function refused(t: Test, s: ServerWithStore, what: string, method: string, path: string, headers: Record<string, string>, body: string,
  surface: Surface, named: string[] = []): Promise<void> {
  const before = s.store.rows();
  const res = await rawRequest(s.server.url, { method, path, headers: { ...JSON_TYPE, ...headers }, body });
  isBadRequest(t, res, surface, what, named);
  t.same(s.store.rows(), before, `${what}: every table unchanged`);
}

/** A server on a file, its seed org and tenant already registered (so a first use adds no rows during a check). */
async function start(t: Test): Promise<ServerWithStore> {
  const s = await startServerWithStore(t, { logLevel: 'warn' });
  t.equal((await rawRequest(s.server.url, { method: 'GET', path: '/__admin/state' })).status, 200, 'the seed org and tenants registered');
  return s;
}

/** The seed's create body (2026-06) with `settings` as the given JSON text. */
const createBody = (settings: string): string => {
  const { settings: _, ...attributes } = seedCreateBody().data.attributes;
  return `{"data":{"type":"integration_config","attributes":${JSON.stringify(attributes).slice(0, -1)},"settings":${settings}}}}`;
};
const activateBody = (settings: string) => `{"data":{"type":"activate_entra_id_request","attributes":{"domain":"contoso.example","settings":${settings}}}}`;
const stateDocument = (settings: string) =>
  `{"datadog":{"orgs":{"org-for-imports":{"integration_configs":[{"id":"${IMPORTED_ID}","integration_type":"OKTA","name":"n","domain":"d","settings":${settings}}]}}}}`;

t.test('activate, deactivate and POST /__admin/state refuse bodies nested past 100 levels, in their own shape', async (t) => {
  const s = await start(t);
  const on = await rawRequest(s.server.url, { method: 'POST', path: `${PREFIX}/entra_id/activate`, headers: { ...KEYS, ...V8 } });
  t.equal(on.status, 200, 'an active Entra ID config, which a deactivate would disable');
  // The body itself is level 1, data 2, attributes 3, settings 4: `levels` more objects inside settings.
  // Deactivate takes no body, but one sent is still read: 101 levels is one past the limit.
  for (const levels of [101, 5_000, 12_000]) {
    await refused(t, s, `activate, settings ${levels} levels deep`, 'POST', `${PREFIX}/entra_id/activate`, { ...KEYS, ...V8 }, activateBody(nested(levels)), 'datadog');
    await refused(t, s, `deactivate, a body ${levels} levels deep`, 'POST', `${PREFIX}/entra_id/deactivate`, { ...KEYS, ...V8 }, nested(levels), 'datadog');
    await refused(t, s, `POST /__admin/state, settings ${levels} levels deep`, 'POST', '/__admin/state', {}, stateDocument(nested(levels)), 'control');
  }
  const listed = await rawRequest(s.server.url, { method: 'GET', path: `${PREFIX}?filter[integration_type]=ENTRA_ID`, headers: { ...KEYS, ...V8 } });
  t.same(JSON.parse(listed.text).data.map((c: { attributes: { enabled: boolean } }) => c.attributes.enabled), [true], 'the Entra ID config is still on');
});

t.test('the journal stays readable whatever it holds, after deep bodies answered 200, 400 or 404', async (t) => {
  const s = await start(t);
  const journalShape = schemaValidator('control/requests-response.json');
  const targets = [`${PREFIX}/entra_id/activate`, `${PREFIX}/jumpcloud/activate`, `${PREFIX}/unknown/path/here`, PREFIX];
  for (const levels of [150, 5_000, 12_000]) {
    for (const path of targets) {
      const sent = await rawRequest(s.server.url, { method: 'POST', path, headers: { ...JSON_TYPE, ...KEYS, ...V8 }, body: activateBody(nested(levels)) });
      t.ok(sent.status < 500, `POST ${path.slice(PREFIX.length) || '/'} with ${levels} levels: no 5xx`, { status: sent.status, body: sent.text.slice(0, 300) });
      const journal = await rawRequest(s.server.url, { method: 'GET', path: '/__admin/requests?limit=1' });
      t.equal(journal.status, 200, `GET /__admin/requests answers after it`, { body: journal.text.slice(0, 300) });
      const parsed = journal.status === 200 ? JSON.parse(journal.text) : undefined;
      t.ok(journalShape(parsed), 'in its schema');
      t.equal(parsed?.requests?.[0]?.path, path, 'and holds that request');
    }
  }
});

t.test('`__proto__` and `constructor.prototype` keys are a 400 naming the key, not "not valid JSON", on every surface', async (t) => {
  const s = await start(t);
  const token = await getToken(s.server.url, CLIENTS.admin);
  const attributes = JSON.stringify(seedConfig().attributes);
  const cases: Array<[string, string]> = [['__proto__', '{"__proto__":{"polluted":true}}'], ['constructor', '{"constructor":{"prototype":{"polluted":true}}}']];
  for (const [key, poisoned] of cases) {
    const checks: Array<[string, string, string, Record<string, string>, string, Surface]> = [
      [`Datadog create, settings with ${key}`, 'POST', PREFIX, KEYS, createBody(poisoned), 'datadog'],
      [`Datadog activate, settings with ${key}`, 'POST', `${PREFIX}/entra_id/activate`, { ...KEYS, ...V8 }, activateBody(poisoned), 'datadog'],
      [`SailPoint PUT with ${key}`, 'PUT', `/beta/sources/${SOURCE_ID}/attribute-sync-config`, { authorization: `Bearer ${token}` },
        `{"source":{"type":"SOURCE","id":"${SOURCE_ID}","name":"HR Active Directory"},"attributes":${attributes},"extra":${poisoned}}`, 'sailpoint'],
      [`POST /__admin/faults with ${key}`, 'POST', '/__admin/faults', {}, `{"status":503,"path":"/nowhere","extra":${poisoned}}`, 'control'],
      [`POST /__admin/state with ${key}`, 'POST', '/__admin/state', {}, stateDocument(poisoned), 'control'],
    ];
    for (const [what, method, path, headers, body, surface] of checks) {
      const before = s.store.rows();
      const res = await rawRequest(s.server.url, { method, path, headers: { ...JSON_TYPE, ...headers }, body });
      isBadRequest(t, res, surface, what, [key]);
      t.notMatch(res.text, /not valid JSON/i, `${what}: not called invalid JSON (it is valid JSON)`);
      t.same(s.store.rows(), before, `${what}: every table unchanged`);
    }
  }
  const faults = await rawRequest(s.server.url, { method: 'GET', path: '/__admin/faults' });
  t.same(JSON.parse(faults.text).faults, [], 'no fault rule was added');
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was not polluted');
});

t.test('numbers JSON cannot hold exactly (1e400, integers beyond 2^53) are a 400 naming the field; nothing is stored', async (t) => {
  const s = await start(t);
  const target = JSON.parse((await rawRequest(s.server.url, { method: 'POST', path: PREFIX, headers: { ...JSON_TYPE, ...KEYS }, body: createBody('{}') })).text).data.id;
  const numbers: Array<[string, string]> = [
    ['too_large_number', '1e400'], ['too_small_number', '-1e400'], ['beyond_2_53', '9007199254740993'], ['below_minus_2_53', '-9007199254740993'],
  ];
  for (const [field, literal] of numbers) {
    const settings = `{"fine":1,"${field}":${literal}}`;
    await refused(t, s, `Datadog create, ${literal}`, 'POST', PREFIX, KEYS, createBody(settings), 'datadog', [field]);
    await refused(t, s, `Datadog PATCH, ${literal}`, 'PATCH', `${PREFIX}/${target}`, KEYS,
      `{"data":{"type":"integration_config","attributes":{"settings":${settings}}}}`, 'datadog', [field]);
    await refused(t, s, `Datadog activate, ${literal}`, 'POST', `${PREFIX}/entra_id/activate`, { ...KEYS, ...V8 }, activateBody(settings), 'datadog', [field]);
    await refused(t, s, `POST /__admin/state, ${literal}`, 'POST', '/__admin/state', {}, stateDocument(settings), 'control', [field]);
  }
  // What JSON does hold exactly is taken as sent.
  const exact = await rawRequest(s.server.url, { method: 'POST', path: PREFIX, headers: { ...JSON_TYPE, ...KEYS }, body: createBody('{"max_safe":9007199254740991,"small":1e-300,"big":1e300}') });
  t.equal(exact.status, 200, 'the largest safe integer and finite doubles are fine');
  t.same(JSON.parse(exact.text).data.attributes.settings, { max_safe: 9007199254740991, small: 1e-300, big: 1e300 }, 'and stored as sent');
});

t.test('an empty body with Content-Type: application/json is accepted on every operation the spec gives no body', async (t) => {
  const s = await start(t);
  const call = (method: string, path: string, headers: Record<string, string> = {}) =>
    rawRequest(s.server.url, { method, path, headers: { ...JSON_TYPE, ...headers }, body: '' });
  const created = await rawRequest(s.server.url, { method: 'POST', path: PREFIX, headers: { ...JSON_TYPE, ...KEYS }, body: JSON.stringify(seedCreateBody()) });
  const id = JSON.parse(created.text).data.id;
  const token = await getToken(s.server.url, CLIENTS.admin);
  const cases: Array<[string, string, string, Record<string, string>, number]> = [
    ['Datadog POST …/{id}/validate', 'POST', `${PREFIX}/${id}/validate`, KEYS, 200],
    ['Datadog GET …/{id}', 'GET', `${PREFIX}/${id}`, KEYS, 200],
    ['Datadog GET list', 'GET', PREFIX, KEYS, 200],
    ['Datadog activate', 'POST', `${PREFIX}/entra_id/activate`, { ...KEYS, ...V8 }, 200],
    ['Datadog deactivate', 'POST', `${PREFIX}/entra_id/deactivate`, { ...KEYS, ...V8 }, 200],
    ['Datadog GET Azure app registrations', 'GET', `${PREFIX}/entra_id/azure_app_registrations`, { ...KEYS, ...V8 }, 200],
    ['Datadog DELETE …/{id}', 'DELETE', `${PREFIX}/${id}`, KEYS, 204],
    ['SailPoint GET attribute-sync-config', 'GET', `/beta/sources/${SOURCE_ID}/attribute-sync-config`, { authorization: `Bearer ${token}` }, 200],
    ['POST /__admin/reset', 'POST', '/__admin/reset', {}, 200],
    ['DELETE /__admin/faults', 'DELETE', '/__admin/faults', {}, 204],
    ['DELETE /__admin/requests', 'DELETE', '/__admin/requests', {}, 200],
  ];
  for (const [what, method, path, headers, status] of cases) {
    const res = await call(method, path, headers);
    t.equal(res.status, status, `${what}: ${status}`, { body: res.text.slice(0, 300) });
  }
});

t.test('a refusal inside secrets names the secrets, never a key or value below them', async (t) => {
  const s = await start(t);
  const before = s.store.rows();
  const key = 'sk_live_4f1c9e';
  const body = createBody('{}').replace('"secrets":{', `"secrets":{"${key}":9007199254740993,`);
  const res = await rawRequest(s.server.url, { method: 'POST', path: PREFIX, headers: { ...JSON_TYPE, ...KEYS }, body });
  isBadRequest(t, res, 'datadog', 'an unsafe integer inside secrets', ["Field 'data.attributes.secrets'"]);
  t.notMatch(res.text, key, 'the key inside secrets is not repeated');
  t.same(s.store.rows(), before, 'every table unchanged');
});

// Generated: strings of code units around the surrogates (pairs, halves alone, in either order), escaped as
// JSON writes them, in a stored field of every surface. Half of a pair alone is a 400 in the surface's shape
// naming the rule, with every table unchanged; any other string is stored and read back exactly.
t.test('generated: a lone surrogate is refused on every surface; any other string comes back exactly', async (t) => {
  const s = await start(t);
  const token = await getToken(s.server.url, CLIENTS.admin);
  const text = fc.array(fc.oneof(fc.integer({ min: 0xd7ff, max: 0xe000 }), fc.constantFrom(0x41, 0xe9, 0xd83e, 0xdd84)), { minLength: 1, maxLength: 5 })
    .map((units) => String.fromCharCode(...units));
  let stored = 0;
  await fc.assert(fc.asyncProperty(text, fc.constantFrom('datadog', 'sailpoint', 'control'), async (value, surface) => {
    const lone = !value.isWellFormed();
    const before = s.store.rows();
    const attributes = seedConfig().attributes;
    const [method, path, headers, body] = surface === 'datadog'
      ? ['POST', PREFIX, KEYS, createBody(JSON.stringify({ label: value }))]
      : surface === 'sailpoint'
        ? ['PUT', `/beta/sources/${SOURCE_ID}/attribute-sync-config`, { authorization: `Bearer ${token}` },
          `{"source":{"type":"SOURCE","id":"${SOURCE_ID}","name":${JSON.stringify(value)}},"attributes":${JSON.stringify(attributes)}}`]
        : ['POST', '/__admin/faults', {}, JSON.stringify({ status: 503, path: '/nowhere', message: value })];
    const res = await rawRequest(s.server.url, { method, path, headers: { ...JSON_TYPE, ...headers }, body });
    if (lone) {
      if (res.status !== 400 || !SHAPES[surface as Surface](JSON.parse(res.text)) || !res.text.includes('unpaired surrogate')) {
        throw new Error(`${surface} ${JSON.stringify(value)}: ${res.status} ${res.text.slice(0, 200)}`);
      }
      t.same(s.store.rows(), before, `${surface}: every table unchanged`);
      return;
    }
    if (surface === 'datadog') {
      if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
      const id = JSON.parse(res.text).data.id;
      const read = await rawRequest(s.server.url, { method: 'GET', path: `${PREFIX}/${id}`, headers: KEYS });
      if (JSON.parse(read.text).data.attributes.settings.label !== value) throw new Error(`stored changed: ${JSON.stringify(value)}`);
      stored++;
    }
  }), { seed: FUZZ_SEED, numRuns: 40 });
  t.ok(stored > 0, `${stored} strings stored and read back exactly`);
});
