// GET and PUT of a source's attribute sync config: the seeded config, toggling `enabled`, every rule of
// "only enabled is mutable", bad input, unknown sources and unexpected failures. Every 400 is checked to
// leave the stored config exactly as it was.
import path from 'node:path';
import t, { type Test } from 'tap';
import { http, matchesSchema, startServer, type HttpResult, type TestServer } from '../helpers';
import { CLIENTS, OTHER_SOURCE_ID, SOURCE_ID, getToken, seedConfig, sailpoint, signIn, type SailpointCaller } from './sp';

type Config = ReturnType<typeof seedConfig>;
const edit = (change: (c: Config) => void): Config => {
  const config = seedConfig();
  change(config);
  return config;
};

/** Asserts a 400 ErrorResponseDto whose causes match, and that GET still answers `before`. */
async function expectRejected(t: Test, api: SailpointCaller, res: HttpResult, cause: RegExp, before: unknown, status = 400): Promise<void> {
  t.equal(res.status, status, `status ${status}`);
  matchesSchema(t, 'sailpoint/error-response-dto.json', res.json);
  t.equal(res.json?.trackingId, res.headers.get('slpt-request-id'), 'trackingId is the SLPT-Request-ID');
  const texts = [...(res.json?.messages ?? []), ...(res.json?.causes ?? [])].map((m: { text: string }) => m.text).join('\n');
  t.match(texts, cause, 'the body names the problem');
  t.notMatch(res.text, /at .+\.(ts|js):\d+/, 'no stack trace');
  t.same((await api.get()).json, before, 'the stored config is unchanged');
}

async function adminServer(t: Test): Promise<{ server: TestServer; api: SailpointCaller }> {
  const server = await startServer(t);
  return { server, api: await signIn(server.url, CLIENTS.admin) };
}

t.test('GET returns the seeded config, every attribute enabled or not', async (t) => {
  const { api } = await adminServer(t);
  const res = await api.get();
  t.equal(res.status, 200);
  matchesSchema(t, 'sailpoint/attr-sync-source-config-response.json', res.json);
  t.same(res.json, seedConfig());
  const other = await api.get(OTHER_SOURCE_ID);
  t.equal(other.json.source.name, 'Corporate LDAP');
  t.equal(other.json.attributes.length, 2);
});

t.test('PUT toggles enabled, answers the full stored config, and GET agrees', async (t) => {
  const { api } = await adminServer(t);
  const body = edit((c) => {
    c.attributes[0].enabled = false;
    c.attributes[1].enabled = true;
  });
  const res = await api.put(body);
  t.equal(res.status, 200);
  matchesSchema(t, 'sailpoint/attr-sync-source-config-response.json', res.json);
  t.same(res.json, body);
  t.same((await api.get()).json, body, 'stored');
  t.same((await api.get(OTHER_SOURCE_ID)).json.attributes[0].enabled, false, 'the other source is untouched');
  t.same((await api.put(body)).json, body, 'the same PUT again is accepted (idempotent)');
});

t.test('PUT accepts the entries in any order, without source.id or source.type, and with extra properties', async (t) => {
  const { api } = await adminServer(t);
  const stored = edit((c) => { c.attributes[3].enabled = true; });
  const body = {
    source: { name: 'A name that is ignored', note: 'ignored' },
    attributes: [...stored.attributes].reverse().map((a) => ({ ...a, extra: 'ignored' })),
    extra: true,
  };
  const res = await api.put(body);
  t.equal(res.status, 200);
  t.same(res.json, stored, 'stored order and name kept, extra properties dropped');
  matchesSchema(t, 'sailpoint/attr-sync-source-config-response.json', res.json);
});

const RULES: Array<[string, (c: Config) => void, RegExp]> = [
  ['a changed displayName', (c) => { c.attributes[1].displayName = 'Given name'; },
    /Field 'attributes\.1\.displayName' of attribute 'firstname' cannot be changed from 'First Name' to 'Given name'/],
  ['a changed target', (c) => { c.attributes[0].target = 'userPrincipalName'; },
    /Field 'attributes\.0\.target' of attribute 'email' cannot be changed from 'mail' to 'userPrincipalName'/],
  ['a changed name', (c) => { c.attributes[2].name = 'surname'; },
    /Field 'attributes\.2\.name' cannot be changed from 'lastname' to 'surname'/],
  ['an added entry', (c) => { c.attributes.push({ name: 'manager', displayName: 'Manager', enabled: true, target: 'manager' }); },
    /Entry 'attributes\.4' adds attribute 'manager'.*attributes cannot be added/],
  ['a left-out entry', (c) => { c.attributes.splice(3, 1); },
    /Attribute 'department' is missing/],
  ['a duplicate entry', (c) => { c.attributes.push({ ...c.attributes[0], enabled: false }); },
    /Entry 'attributes\.4' repeats attribute 'email' \(already at 'attributes\.0'\)/],
  ['a source.id other than the path\'s', (c) => { c.source.id = OTHER_SOURCE_ID; },
    new RegExp(`Field 'source.id' is '${OTHER_SOURCE_ID}' but the source in the path is '${SOURCE_ID}'`)],
  ['an empty attributes array', (c) => { c.attributes = []; },
    /Attribute 'email' is missing[^]*Attribute 'department' is missing/],
];

for (const [name, change, cause] of RULES) {
  t.test(`PUT rule: ${name} is a 400 naming the entry and field, and nothing changes`, async (t) => {
    const { api } = await adminServer(t);
    const before = (await api.get()).json;
    // The enabled flag is toggled too: it must not be applied when the rest of the body is refused.
    const res = await api.put(edit((c) => { c.attributes[0].enabled = !c.attributes[0].enabled; change(c); }));
    await expectRejected(t, api, res, cause, before);
    t.equal(res.json.detailCode, '400.1 Bad Request Content');
    t.equal(res.json.messages[0].text, 'The request was syntactically correct but its content is semantically invalid.');
  });
}

t.test('every violation in one body is listed', async (t) => {
  const { api } = await adminServer(t);
  const before = (await api.get()).json;
  const res = await api.put(edit((c) => {
    c.attributes[0].target = 'x';
    c.attributes[1].displayName = 'y';
    c.attributes.pop();
    c.attributes.push({ name: 'new', displayName: 'New', enabled: true, target: 'new' }, { ...c.attributes[0] });
  }));
  await expectRejected(t, api, res, /attributes\.0\.target/, before);
  t.equal(res.json.causes.length, 4, 'target, displayName, a duplicate and a changed name');
});

t.test('bad input is a 400/413/415 ErrorResponseDto naming the problem, never a 500, and changes nothing', async (t) => {
  const { server, api } = await adminServer(t);
  const token = await getToken(server.url, CLIENTS.admin);
  const before = (await api.get()).json;
  const raw = (body: string, type: string) =>
    http(`${server.url}/beta/sources/${SOURCE_ID}/attribute-sync-config`, {
      method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body,
    });
  const without = (field: string) => edit((c) => { delete (c.attributes[1] as Record<string, unknown>)[field]; });
  const cases: Array<[string, () => Promise<HttpResult>, number, RegExp]> = [
    ['malformed JSON', () => raw('{"source": {', 'application/json'), 400, /Malformed JSON/],
    ['an empty JSON body', () => raw('', 'application/json'), 400, /empty/],
    ['text/plain', () => raw(JSON.stringify(seedConfig()), 'text/plain'), 415, /Unsupported Media Type/],
    ['a form body', () => raw('source=x', 'application/x-www-form-urlencoded'), 415, /Unsupported Media Type/],
    ['a JSON array', () => api.put([seedConfig()]), 400, /The request body must be object/],
    ['missing source', () => api.put({ attributes: seedConfig().attributes }), 400, /Field 'source' is required/],
    ['missing attributes', () => api.put({ source: seedConfig().source }), 400, /Field 'attributes' is required/],
    ['attributes not an array', () => api.put({ ...seedConfig(), attributes: { email: true } }), 400, /Field 'attributes' must be array/],
    ['source not an object', () => api.put({ ...seedConfig(), source: SOURCE_ID }), 400, /Field 'source' must be object/],
    ['an entry without name', () => api.put(without('name')), 400, /Field 'attributes\.1\.name' is required/],
    ['an entry without displayName', () => api.put(without('displayName')), 400, /Field 'attributes\.1\.displayName' is required/],
    ['an entry without enabled', () => api.put(without('enabled')), 400, /Field 'attributes\.1\.enabled' is required/],
    ['an entry without target', () => api.put(without('target')), 400, /Field 'attributes\.1\.target' is required/],
    ['enabled: "true" (no coercion)', () => api.put(edit((c) => { (c.attributes[0] as Record<string, unknown>).enabled = 'true'; })), 400, /Field 'attributes\.0\.enabled' must be boolean/],
    ['enabled: 1', () => api.put(edit((c) => { (c.attributes[0] as Record<string, unknown>).enabled = 1; })), 400, /Field 'attributes\.0\.enabled' must be boolean/],
    ['enabled: null', () => api.put(edit((c) => { (c.attributes[0] as Record<string, unknown>).enabled = null; })), 400, /must be boolean/],
    ['an entry that is a string', () => api.put(edit((c) => { (c.attributes as unknown[])[2] = 'lastname'; })), 400, /Field 'attributes\.2' must be object/],
    ['source.type ROLE', () => api.put(edit((c) => { c.source.type = 'ROLE'; })), 400, /Field 'source\.type' must be one of: SOURCE/],
    ['source.id a number', () => api.put(edit((c) => { (c.source as Record<string, unknown>).id = 42; })), 400, /Field 'source\.id' must be string/],
    ['a body over 1 MiB', () => api.put({ ...seedConfig(), padding: 'x'.repeat(1024 * 1024) }), 413, /too large/],
  ];
  for (const [name, request, status, cause] of cases) {
    await t.test(name, async (t) => expectRejected(t, api, await request(), cause, before, status));
  }
});

t.test('an unknown source is a 404, for GET and for a valid PUT body', async (t) => {
  const { api } = await adminServer(t);
  for (const res of [await api.get('2c91808a0000000000000000000000ff'), await api.put(seedConfig(), '2c91808a0000000000000000000000ff')]) {
    t.equal(res.status, 404);
    matchesSchema(t, 'sailpoint/error-response-dto.json', res.json);
    t.equal(res.json.detailCode, '404 Not found');
    t.equal(res.json.messages[0].text, 'The server did not find a current representation for the target resource.');
    t.match(res.json.causes[0].text, /Source '2c91808a0000000000000000000000ff' was not found/);
  }
});

t.test('an unknown path under a SailPoint prefix is SailPoint\'s 404', async (t) => {
  const { server } = await adminServer(t);
  for (const path of ['/beta/sources', '/v2024/identities', '/v3/sources/x', '/sources/v1/x/other']) {
    const res = await http(`${server.url}${path}`);
    t.equal(res.status, 404, path);
    matchesSchema(t, 'sailpoint/error-response-dto.json', res.json, `${path}: ErrorResponseDto`);
    t.equal(res.json.trackingId, res.headers.get('slpt-request-id'));
  }
  const datadog = await http(`${server.url}/api/v2/security_monitoring/configuration/integration_config/nope/nothing`);
  t.equal(datadog.headers.get('slpt-request-id'), null, 'Datadog routes do not get SailPoint headers');
  t.ok(Array.isArray(datadog.json.errors), 'nor SailPoint error bodies');
  t.equal((await http(`${server.url}/__admin/health`)).status, 200, 'the control API is reachable');
});

t.test('an unexpected failure is a 500 ErrorResponseDto without a stack, and is logged', async (t) => {
  const { server, api } = await adminServer(t);
  // A store that fails under the model: its table is gone.
  server.context.db.exec('DROP TABLE sp_sources');
  const res = await api.get();
  t.equal(res.status, 500);
  matchesSchema(t, 'sailpoint/error-response-dto.json', res.json);
  t.same(res.json.messages, [{ locale: 'en-US', localeOrigin: 'DEFAULT', text: 'An internal fault occurred.' }]);
  t.equal(res.json.detailCode, '500.0 Internal Fault');
  t.notMatch(res.text, /sp_sources/);
  t.match(server.logs(), /no such table: sp_sources/, 'the cause is in the log');
});

t.test('a PUT survives in the store: a second token of the same client sees it', async (t) => {
  const { server, api } = await adminServer(t);
  const body = edit((c) => { c.attributes[2].enabled = false; });
  await api.put(body);
  const fresh = sailpoint(server.url, await getToken(server.url, CLIENTS.admin));
  t.same((await fresh.get()).json, body);
});

t.test('a PUT survives a restart on the same database file; a new token is needed (random key per start)', async (t) => {
  const db = path.join(t.testdir(), 'syncmock.db');
  const first = await startServer(t, { db });
  const token = await getToken(first.url, CLIENTS.admin);
  const body = edit((c) => { c.attributes[1].enabled = true; });
  t.equal((await sailpoint(first.url, token).put(body)).status, 200);
  await first.close();

  const second = await startServer(t, { db });
  t.equal((await sailpoint(second.url, token).get()).status, 401, 'the old token was signed with the old key');
  t.same((await (await signIn(second.url, CLIENTS.admin)).get()).json, body, 'the config is as it was');
  t.same((await (await signIn(second.url, CLIENTS.admin2)).get()).json, seedConfig(), 'other tenants are still seeded');
});
