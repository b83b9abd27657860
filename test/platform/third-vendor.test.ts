// The vendor contract (src/platform/vendor.ts) proved by a third vendor that lives in the test tree only
// (test/vendors/jumpcloud/): served beside the registry's vendors through the same contract type, it gets
// the platform's shared behaviour with no line outside its folder naming it, but for its schemas
// (schemas/jumpcloud/) and the list below. One server for the whole file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import t from 'tap';
import { checkNames, createContext } from '../../src/app';
import { reservedNames } from '../../src/control/schemas';
import { resolveConfig } from '../../src/config';
import { controlTools } from '../../src/mcp/tools';
import { AJV_OPTIONS } from '../../src/platform/validators';
import type { ControlCall, VendorContract } from '../../src/platform/vendor';
import { VENDORS } from '../../src/vendors';
import { admin } from '../control/admin';
import { METHODS } from 'node:http';
import { http, rawRequest, schemaValidator, startServer } from '../helpers';
import { ownerOf } from '../../src/platform/vendor-scope';
import { routedPath } from '../../src/platform/routed-path';
import { repoRoot } from '../spawn';
import { vendorTables } from '../store-reader';
import { openDatabase } from '../../src/store/db';
import { jumpcloud } from '../vendors/jumpcloud';

const THREE: readonly VendorContract[] = [...VENDORS, jumpcloud as VendorContract];
const GROUPS = '/api/v2/usergroups';
const FIRST = { organization: '5f3c1a2b4d5e6f7081920a1b', key: 'jc-test-key-first-org' };
const SECOND = { organization: '5f3c1a2b4d5e6f7081920a1c', key: 'jc-test-key-second-org' };
const SEEDED_GROUP = '60a1b2c3d4e5f60718293a4b';

// Every registered vendor's part is required in a seed file: the default seed plus this vendor's.
const seedFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-third-vendor-')), 'seed.json');
fs.writeFileSync(seedFile, JSON.stringify({
  ...JSON.parse(fs.readFileSync(path.join(repoRoot, 'data', 'seed.json'), 'utf8')),
  jumpcloud: JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'vendors', 'jumpcloud', 'seed-data.json'), 'utf8')),
}));
t.teardown(() => fs.rmSync(path.dirname(seedFile), { recursive: true, force: true }));

t.test('vendor names, scope names and aliases are each one thing in a server', async (t) => {
  const config = resolveConfig({ db: ':memory:', seedData: seedFile });
  const clash = { ...jumpcloud, scope: { ...jumpcloud.scope, name: VENDORS[0].scope.name } } as VendorContract;
  t.throws(() => createContext(config, [...VENDORS, clash]), { message: new RegExp(`"${VENDORS[0].scope.name}" is ${VENDORS[0].name}'s scope name and jumpcloud's scope name`) });
  t.throws(() => createContext(config, [...VENDORS, VENDORS[0]]), { message: /is a vendor's name and a vendor's name/ });
  // Every name the control API's schemas already use where a scope's or a vendor's goes, read from them.
  const reserved = reservedNames();
  t.ok(['status', 'path', 'vendor', 'mode', 'limit'].every((name) => reserved.scope.has(name)), 'journal fields and query parameters are among them');
  for (const [name, file] of reserved.scope) {
    const asScope = { ...jumpcloud, scope: { ...jumpcloud.scope, name } } as VendorContract;
    t.throws(() => checkNames([...VENDORS, asScope]), { message: `"${name}" is jumpcloud's scope name, but schemas/${file} already has a field or parameter of that name` });
    const asAlias = { ...jumpcloud, scope: { ...jumpcloud.scope, aliases: { [name]: 'an alias' } } } as VendorContract;
    t.throws(() => checkNames([...VENDORS, asAlias]), { message: `"${name}" is jumpcloud's scope alias, but schemas/${file} already has a field or parameter of that name` });
  }
  for (const [name, file] of reserved.vendor) {
    t.throws(() => checkNames([...VENDORS, { ...jumpcloud, name } as VendorContract]), { message: `"${name}" is a vendor's name, but schemas/${file} already has` });
  }
  const withPrefixes = (...prefixes: string[]) => [...VENDORS, { ...jumpcloud, prefixes } as VendorContract];
  t.doesNotThrow(() => checkNames(withPrefixes(GROUPS)), 'a prefix under another vendor\'s (the longer wins)');
  t.throws(() => checkNames(withPrefixes(VENDORS[0].prefixes[0])), { message: /has one owner/ }, 'another vendor\'s prefix');
  t.throws(() => checkNames(withPrefixes(GROUPS, GROUPS)), { message: /has one owner/ }, 'a prefix twice');
  for (const prefix of ['/__admin', '/__admin/jumpcloud', '/docs/x', '/openapi']) {
    t.throws(() => checkNames(withPrefixes(prefix)), { message: /which the platform serves/ }, `${prefix}: a platform surface`);
  }
  for (const prefix of ['/', '', 'api', '/api/', '/api//v2', '/api/*']) t.throws(() => checkNames(withPrefixes(prefix)), { message: /is not a path/ }, `"${prefix}"`);
  const builtIn = controlTools(VENDORS)[0].name;
  const clashing = { ...jumpcloud, controlTools: [{ name: builtIn, description: 'x', inputSchema: 'jumpcloud/error.json', call: () => ({ method: 'GET', path: '/' }) }] } as VendorContract;
  t.throws(() => controlTools([...VENDORS, clashing]), { message: `two MCP tools are named ${builtIn}` }, 'a vendor tool named as a built-in one');
  const twice = { ...jumpcloud, controlTools: VENDORS.flatMap((v) => v.controlTools ?? []) } as VendorContract;
  t.throws(() => controlTools([...VENDORS, twice]), { message: /two MCP tools are named/ }, 'or as another vendor\'s');
});

t.test('a vendor is handed the auth mode and its own settings, never the rest of the configuration', async (t) => {
  const adminToken = 'third-vendor-admin-token-0123456789';
  let handed: Record<string, unknown> = {};
  const spy = { ...jumpcloud, create: (services: Parameters<typeof jumpcloud.create>[0]) => {
    handed = services as unknown as Record<string, unknown>;
    return jumpcloud.create(services);
  } } as VendorContract;
  const context = createContext(resolveConfig({ db: ':memory:', seedData: seedFile, adminToken }), [...VENDORS, spy]);
  t.teardown(() => context.db.close());
  t.same(Object.keys(handed).sort(), ['auth', 'clock', 'db', 'rateLimits', 'seed', 'settings']);
  t.equal(handed.auth, 'open');
  t.equal(handed.settings, undefined, 'a vendor without a section of the configuration gets none');
  t.notOk(JSON.stringify([handed.auth, handed.settings, handed.seed]).includes(adminToken), 'nor the admin token');
});

t.test('a third vendor gets the platform\'s shared behaviour through its contract alone', async (t) => {
  const server = await startServer(t, { seedData: seedFile }, THREE);
  const call = admin(server.url);
  const jc = (method: string, url: string, who = FIRST, json?: unknown, headers: Record<string, string> = {}) =>
    http(`${server.url}${url}`, { method, json, headers: { 'x-api-key': who.key, ...headers } });
  const ids = async (who = FIRST) => ((await jc('GET', GROUPS, who)).json as Array<{ id: string }>).map((g) => g.id);

  t.test('its routes, rules and error shape', async (t) => {
    t.same(server.connections.jumpcloud, { baseUrl: server.url, apiKey: FIRST.key }, 'its connection');
    const created = await jc('POST', GROUPS, FIRST, { name: 'Platform', description: 'on call' });
    t.equal(created.status, 201);
    t.match(created.json, { id: /^[0-9a-f]{24}$/, name: 'Platform', description: 'on call', type: 'user_group' });
    t.same((await jc('GET', `${GROUPS}/${created.json.id}`)).json, created.json);
    t.equal((await jc('PUT', `${GROUPS}/${created.json.id}`, FIRST, { name: 'Platform team' })).json.description, '', 'a PUT replaces both fields');
    t.same((await jc('POST', GROUPS, FIRST, { name: 'Engineering' })).json, { code: 'CONFLICT', message: 'A user group named Engineering already exists' });
    t.same((await jc('GET', `${GROUPS}/${created.json.id}`, SECOND)).json, { code: 'NOT_FOUND', message: `No user group ${created.json.id} in this organization` }, 'organizations see only their own');
    t.match((await jc('POST', GROUPS, FIRST, { name: 7 })), { status: 400, json: { code: 'BAD_REQUEST', details: [/name/] } }, 'validation errors in its shape');
    t.same((await http(`${server.url}${GROUPS}`)).json, { code: 'UNAUTHORIZED', message: 'Missing the x-api-key header' });
    t.same((await jc('GET', `${GROUPS}/a/b`)).json, { code: 'NOT_FOUND', message: `No route for GET ${GROUPS}/a/b` }, 'its catch-all');
    t.same((await jc('PATCH', GROUPS)).json, { code: 'NOT_FOUND', message: `No route for PATCH ${GROUPS}` }, 'its prefix itself, for a method no route of it takes');
    t.match(await jc('GET', `${GROUPS}/`), { status: 400, json: { code: 'BAD_REQUEST', details: [/id/] } }, 'an empty id is no id');
    const longUrl = await rawRequest(server.url, { method: 'GET', path: `${GROUPS}/${'x'.repeat(70_000)}` });
    t.equal(longUrl.status, 414);
    t.match(JSON.parse(longUrl.text), { code: 'URI_TOO_LONG' }, 'a problem met before routing, in its shape (errorResponse)');
    t.equal((await jc('DELETE', `${GROUPS}/${created.json.id}`)).status, 204);
  });

  t.test('every path under a prefix is its owner\'s, as ownerOf() says: journaled under its name, answered in its error shape', async (t) => {
    // Each vendor's error bodies (schemas/<vendor>/): SailPoint's gateway, token endpoint and API each have one.
    const errorSchemas: Record<string, string[]> = {
      datadog: ['datadog/error-response.json'],
      sailpoint: ['sailpoint/error-response-dto.json', 'sailpoint/gateway-error.json', 'sailpoint/oauth-error.json', 'sailpoint/rate-limit-response.json'],
      jumpcloud: ['jumpcloud/error.json'],
    };
    const validators = Object.fromEntries(Object.entries(errorSchemas).map(([name, files]) => [name, files.map(schemaValidator)]));
    t.same(Object.keys(validators).sort(), THREE.map((v) => v.name).sort(), 'an error schema for each vendor');
    // The prefix as it is, with a slash, one or two segments more, a doubled slash, or a letter percent-encoded.
    const spelling = fc.oneof(
      fc.constant((p: string) => p), fc.constant((p: string) => `${p}/`),
      fc.stringMatching(/^[a-z0-9-]{1,8}$/).map((segment) => (p: string) => `${p}/${segment}`),
      fc.constant((p: string) => `${p}/x/y`), fc.constant((p: string) => p.replace('/', '//')),
      fc.constant((p: string) => `/%${p.charCodeAt(1).toString(16)}${p.slice(2)}`),
    );
    const prefix = fc.constantFrom(...THREE.flatMap((v) => v.prefixes));
    // Every method Node's parser reads but CONNECT, and the three fetch will not send or that carry no body
    // to check (TRACE; HEAD; OPTIONS, a CORS preflight here): PROPFIND, PURGE, M-SEARCH… included.
    const method = fc.constantFrom(...METHODS.filter((m) => !['CONNECT', 'TRACE', 'HEAD', 'OPTIONS'].includes(m)));
    await fc.assert(fc.asyncProperty(prefix, method, spelling, async (p, m, spell) => {
      await call('DELETE', '/requests');
      const url = spell(p);
      const answer = await http(`${server.url}${url}`, { method: m, headers: { origin: 'http://localhost:3000' } });
      const owner = ownerOf(THREE, routedPath(url))!.name;
      const [entry] = (await call('GET', '/requests')).json.requests;
      const where = `${m} ${url}: ${answer.status} ${JSON.stringify(answer.json)}`;
      t.equal(entry?.vendor, owner, `${where}: journaled as ${owner}`);
      t.ok(answer.status >= 400 && validators[owner].some((check) => check(answer.json)), `${where}: in ${owner}'s error shape`);
      t.ok(answer.headers.get('access-control-allow-origin'), `${where}: answered from ${owner}'s scope, its CORS policy included`);
    }), { numRuns: 60, examples: [[GROUPS, 'PATCH', (p: string) => p], [GROUPS, 'DELETE', (p: string) => p], [GROUPS, 'GET', (p: string) => `${p}/`], ['/api', 'PROPFIND', (p: string) => `${p}/x`], [GROUPS, 'PURGE', (p: string) => p]] });
  });

  t.test('its own tables, migrated and versioned by the platform; a refusal changes none of them', async (t) => {
    const versions = server.context.db.prepare('SELECT vendor, version FROM syncmock_schema_versions ORDER BY vendor').all();
    t.match(versions, [{ vendor: 'datadog' }, { vendor: 'jumpcloud', version: 1 }, { vendor: 'sailpoint' }]);
    const rows = () => JSON.stringify(vendorTables([jumpcloud as VendorContract]).map((table) => server.context.db.prepare(`SELECT * FROM ${table}`).all()));
    const before = rows();
    const refused = await Promise.all([
      jc('POST', GROUPS, FIRST, { name: 'Engineering' }),
      jc('POST', GROUPS, FIRST, { name: '' }),
      jc('PUT', `${GROUPS}/${SEEDED_GROUP}`, FIRST, { name: 'Security' }),
      jc('PUT', `${GROUPS}/${SEEDED_GROUP}`, FIRST, '{"name": "cut', { 'content-type': 'application/json' }),
      jc('DELETE', `${GROUPS}/${SEEDED_GROUP}`, { organization: '', key: 'not-a-key' }),
    ]);
    t.same(refused.map((r) => r.status), [409, 400, 409, 400, 401]);
    t.equal(rows(), before, 'its tables are as they were');
  });

  t.test('a file written by an older syncmock gains its tables in place', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-third-vendor-db-'));
    t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'syncmock.db');
    fs.copyFileSync(path.join(__dirname, '..', 'store', 'fixtures', 'main-user-version-3.db'), file);
    const db = openDatabase(file, THREE);
    t.teardown(() => db.close());
    t.match(db.prepare('SELECT vendor, version FROM syncmock_schema_versions ORDER BY vendor').all(), [{ vendor: 'datadog' }, { vendor: 'jumpcloud', version: 1 }, { vendor: 'sailpoint' }]);
    const held = vendorTables(VENDORS).map((table) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number);
    t.ok(held.reduce((a, b) => a + b) > 0, 'the other vendors\' rows are still there');
    t.equal(db.prepare('SELECT count(*) FROM jc_user_groups').pluck().get(), 0, 'its table, empty');
  });

  t.test('reset by scope: one organization back to its seed, the other untouched', async (t) => {
    const mine = (await jc('POST', GROUPS, FIRST, { name: 'Temporary' })).json.id;
    const theirs = (await jc('POST', GROUPS, SECOND, { name: 'Kept' })).json.id;
    const reset = await call('POST', `/reset?organization=${FIRST.organization}`);
    t.equal(reset.status, 200);
    t.notOk((await ids(FIRST)).includes(mine), 'the organization\'s new group is gone');
    t.ok((await ids(FIRST)).includes(SEEDED_GROUP), 'its seed is back');
    t.ok((await ids(SECOND)).includes(theirs), 'the other organization keeps its group');
    t.equal((await call('POST', '/reset?organization=a&tenant=b')).status, 400, 'its scope parameter is one of the control API\'s');
    t.equal((await call('POST', '/reset')).status, 200);
    t.same(await ids(SECOND), [], 'a full reset brings the seed back everywhere');
  });

  t.test('the journal and its stream file its requests under its name and scope, key redacted', async (t) => {
    await call('DELETE', '/requests');
    const controller = new AbortController();
    const stream = await fetch(`${server.url}/__admin/requests/stream?vendor=jumpcloud`, { signal: controller.signal });
    t.teardown(() => controller.abort());
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    await jc('GET', `${GROUPS}/${SEEDED_GROUP}`);
    let text = '';
    while (!/\ndata: .*\n\n/.test(`\n${text}`)) text += (await reader.read()).value ?? '';
    const streamed = JSON.parse(/data: (.*)\n/.exec(text)![1]);
    t.match(streamed, { vendor: 'jumpcloud', organization: FIRST.organization, method: 'GET', status: 200 });
    const entries = (await call('GET', `/requests?vendor=jumpcloud&organization=${FIRST.organization}`)).json;
    t.match(entries.requests[0], { vendor: 'jumpcloud', organization: FIRST.organization, path: `${GROUPS}/${SEEDED_GROUP}` });
    const everything = JSON.stringify(entries) + text + server.logs();
    t.notOk(everything.includes(FIRST.key), 'its credential header is redacted in the journal, the stream and the log');
  });

  t.test('faults reach it, by its scope, in its error shape', async (t) => {
    const rule = await call('POST', '/faults', { vendor: 'jumpcloud', organization: SECOND.organization, status: 503, times: 1 });
    t.equal(rule.status, 201);
    t.equal((await jc('GET', GROUPS, FIRST)).status, 200, 'another organization is not matched');
    t.same(await jc('GET', GROUPS, SECOND).then((r) => [r.status, r.json.code]), [503, 'SERVICE_UNAVAILABLE']);
    t.equal((await jc('GET', GROUPS, SECOND)).status, 200, 'used up');
  });

  t.test('rate limits: its group in the control API, counted per organization, refused in its shape', async (t) => {
    t.same((await call('GET', '/rate-limits')).json.jumpcloud, { api: { limit: 600, period_seconds: 60 } });
    t.equal((await call('PUT', '/rate-limits', { jumpcloud: { api: { limit: 2 } } })).status, 200);
    await call('POST', `/reset?organization=${FIRST.organization}`);
    await jc('GET', GROUPS);
    await jc('GET', GROUPS);
    const refused = await jc('GET', GROUPS);
    t.equal(refused.status, 429);
    t.equal(refused.json.code, 'TOO_MANY_REQUESTS');
    t.ok(Number(refused.headers.get('retry-after')) >= 1);
    t.equal((await jc('GET', GROUPS, SECOND)).status, 200, 'another organization has its own window');
    await call('POST', '/reset');
    t.same((await call('GET', '/rate-limits')).json.jumpcloud, { api: { limit: 600, period_seconds: 60 } }, 'a full reset restores it');
  });

  t.test('CORS allows its headers; the Host check guards its document, not its API', async (t) => {
    const preflight = await http(`${server.url}${GROUPS}`, {
      method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key,content-type' },
    });
    t.equal(preflight.status, 204);
    t.match(preflight.headers.get('access-control-allow-headers'), /x-api-key/i);
    const read = await jc('GET', GROUPS, FIRST, undefined, { origin: 'http://localhost:3000' });
    t.equal(read.headers.get('access-control-allow-origin'), '*');
    t.match(read.headers.get('access-control-expose-headers'), /retry-after/i);
    const rebound = await rawRequest(server.url, { method: 'GET', path: '/openapi/jumpcloud.json', headers: { host: 'attacker.example' } });
    t.equal(rebound.status, 403, 'a rebinding Host does not get its document');
    const api = await rawRequest(server.url, { method: 'GET', path: GROUPS, headers: { host: 'api.jumpcloud.example', 'x-api-key': FIRST.key } });
    t.equal(api.status, 200, 'its API answers any Host, as the other vendors\' do');
  });

  t.test('export, import, export is the identity', async (t) => {
    await jc('POST', GROUPS, SECOND, { name: 'Round trip', description: 'ü ✓' });
    const first = (await call('GET', '/state')).json;
    t.ok(first.jumpcloud.organizations[SECOND.organization].user_groups.length === 1, 'its part of the state document');
    for (const mode of ['replace', 'merge']) {
      t.equal((await call('POST', `/state?mode=${mode}`, first)).status, 200, mode);
      t.same((await call('GET', '/state')).json, first, `the same document after a ${mode} import`);
    }
    const one = (await call('GET', `/state?organization=${SECOND.organization}`)).json;
    t.same(Object.keys(one.jumpcloud.organizations), [SECOND.organization], 'one organization\'s export');
    const repeated = structuredClone(first);
    const groups = repeated.jumpcloud.organizations[FIRST.organization].user_groups;
    groups.push({ ...groups[0] });
    const refused = await call('POST', '/state', repeated);
    t.equal(refused.status, 400, 'its check() refuses what the schema cannot see');
    t.same((await call('GET', '/state')).json, first, 'and nothing changed');
  });

  t.test('its OpenAPI document, listed in Swagger UI', async (t) => {
    const doc = (await http(`${server.url}/openapi/jumpcloud.json`)).json;
    await t.resolves(SwaggerParser.validate(structuredClone(doc)), 'a valid OpenAPI document');
    t.same(Object.keys(doc.paths).sort(), [GROUPS, `${GROUPS}/{id}`]);
    t.same(doc.components.securitySchemes, { x_api_key: { type: 'apiKey', in: 'header', name: 'x-api-key' } });
    const datadogPaths = Object.keys((await http(`${server.url}/openapi/${VENDORS[0].name}.json`)).json.paths);
    t.notOk(datadogPaths.some((p) => p.startsWith(GROUPS)), 'a document whose vendor\'s prefix holds its own lists none of its paths');
    const init = await http(`${server.url}/docs/static/swagger-initializer.js`);
    t.equal(init.status, 200);
    const urls = [...init.text.matchAll(/"url":\s*"([^"]+)"/g)].map((m) => m[1]);
    t.ok(urls.includes('/openapi/jumpcloud.json'), `Swagger UI offers its document (${urls.join(', ')})`);
  });

  t.test('the dashboard\'s overview counts it', async (t) => {
    const overview = (await call('GET', '/overview')).json;
    t.same(overview.vendors.jumpcloud, { prefixes: [GROUPS], scope: { name: 'organization', collection: 'organizations', aliases: [] }, counts: { organizations: 2, user_groups: 3 } });
    t.same(Object.keys(overview.vendors), THREE.map((v) => v.name));
  });

  t.test('MCP\'s tools take its scope and describe its parts, and their calls work', async (t) => {
    const tools = Object.fromEntries(controlTools(THREE).map((tool) => [tool.name, tool]));
    const ajv = new Ajv({ ...AJV_OPTIONS, strict: false });
    addFormats(ajv);
    const run = async (name: string, input: Record<string, unknown>) => {
      const tool = tools[name];
      t.ok(ajv.validate(tool.inputSchema, input), `${name}: the input fits its schema`);
      const c: ControlCall = tool.call(input);
      const query = c.query ? `?${new URLSearchParams(Object.entries(c.query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]))}` : '';
      const res = await call(c.method, `${c.path}${query}`, c.body);
      if (tool.outputSchema) t.ok(ajv.validate(tool.outputSchema, res.json), `${name}: the answer fits its output schema ${ajv.errorsText()}`);
      return res;
    };
    t.ok(!ajv.validate(tools.reset.inputSchema, { organization: '' }), 'its scope parameter is in the tools\' schemas');
    await run('get_overview', {});
    await run('get_rate_limits', {});
    const state = await run('get_state', { organization: FIRST.organization });
    t.ok(state.json.jumpcloud.organizations[FIRST.organization]);
    await run('reset', { organization: FIRST.organization });
    await run('query_journal', { vendor: 'jumpcloud', organization: FIRST.organization });
  });
});
