// The gateway in front of every prefix (beta, v2024, v2025, v2026, sources/v1): experimental header,
// 401, 403 by user level and scope, 404, the order of those checks, the per-client per-version rate
// limit, tenants that never see each other's sources, and resets.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { buildApp, createContext } from '../../src/app';
import { resolveConfig } from '../../src/config';
import { createLogger } from '../../src/platform/logger';
import { VENDORS } from '../../src/vendors';
import { http, matchesSchema, startServer } from '../helpers';
import { CLIENTS, PREFIXES, SOURCE_ID, TENANT_1, TENANT_2, getToken, seedConfig, sailpoint, signIn, type Prefix } from './sp';

const url = (base: string, prefix: Prefix, id = SOURCE_ID) => `${base}${prefix.base}/${id}/attribute-sync-config`;
const experimentalError = { error: 'Experimental Header is missing or invalid.' };

for (const prefix of PREFIXES) {
  t.test(`${prefix.name}: 400 header, 401, 403, 404 and 200, in that order`, async (t) => {
    const server = await startServer(t);
    const [admin, helpdesk, none] = await Promise.all([CLIENTS.admin, CLIENTS.helpdesk, CLIENTS.noAuthority].map((c) => getToken(server.url, c)));
    const call = (method: 'GET' | 'PUT', headers: Record<string, string>, id = SOURCE_ID) =>
      http(url(server.url, prefix, id), { method, headers, ...(method === 'PUT' && { json: seedConfig() }) });
    const opt = prefix.experimental ? { 'x-sailpoint-experimental': 'true' } : {};
    const bearer = (token: string) => ({ authorization: `Bearer ${token}`, ...opt });

    for (const method of ['GET', 'PUT'] as const) {
      if (prefix.experimental) {
        for (const value of [undefined, 'false', 'yes']) {
          const res = await call(method, { authorization: `Bearer ${admin}`, ...(value !== undefined && { 'x-sailpoint-experimental': value }) });
          t.equal(res.status, 400, `${method} with X-SailPoint-Experimental ${value ?? 'missing'}: 400`);
          t.same(res.json, experimentalError);
          matchesSchema(t, 'sailpoint/gateway-error.json', res.json);
        }
        const noTokenNoHeader = await call(method, {});
        t.equal(noTokenNoHeader.status, 400, `${method}: the header is checked before the token`);
        t.equal((await call(method, { authorization: `Bearer ${admin}`, 'x-sailpoint-experimental': 'TRUE' })).status, 200, 'TRUE is accepted');
      } else {
        t.equal((await call(method, { authorization: `Bearer ${admin}` })).status, 200, `${method} needs no experimental header`);
      }
      const anonymous = await call(method, opt);
      t.equal(anonymous.status, 401, `${method} without a token: 401`);
      t.same(anonymous.json, { error: 'JWT is required' });
      matchesSchema(t, 'sailpoint/gateway-error.json', anonymous.json);
      const missing = await call(method, bearer(none), 'no-such-source');
      t.equal(missing.status, 403, `${method} without authority on an unknown source: 403 before 404`);
      matchesSchema(t, 'sailpoint/error-response-dto.json', missing.json);
      t.equal(missing.json.detailCode, '403 Forbidden');
      t.match(missing.json.causes[0].text, /authorities \[\] include none of ORG_ADMIN/);
      const notFound = await call(method, bearer(admin), 'no-such-source');
      t.equal(notFound.status, 404, `${method} unknown source: 404`);
      matchesSchema(t, 'sailpoint/error-response-dto.json', notFound.json);
      t.equal((await call(method, bearer(admin))).status, 200, `${method} as ORG_ADMIN: 200`);
    }
    const helpdeskGet = await call('GET', bearer(helpdesk));
    t.equal(helpdeskGet.status, 200, 'HELPDESK may GET');
    matchesSchema(t, 'sailpoint/attr-sync-source-config-response.json', helpdeskGet.json);
    const helpdeskPut = await call('PUT', bearer(helpdesk));
    t.equal(helpdeskPut.status, 403, 'HELPDESK may not PUT');
    t.same(helpdeskPut.json.messages, [{ locale: 'en-US', localeOrigin: 'DEFAULT', text: 'The server understood the request but refuses to authorize it.' }]);
    t.match(helpdeskPut.json.causes[0].text, /\[HELPDESK\] include none of ORG_ADMIN/);
    const badBody = await http(url(server.url, prefix), { method: 'PUT', headers: bearer(helpdesk), json: { nonsense: true } });
    t.equal(badBody.status, 403, 'the permission is checked before the body');
  });
}

t.test('scopes: a user level needs a matching scope too', async (t) => {
  const dir = t.testdir();
  const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '../../data/seed.json'), 'utf8'));
  const client = (id: string, authorities: string[], scope: string[]) =>
    ({ client_id: id, client_secret: `${id}-secret`, tenant_id: TENANT_1, authorities, scope });
  seed.sailpoint.clients.push(
    client('admin-read', ['ORG_ADMIN'], ['idn:attr-sync-source-config:read']),
    client('admin-manage', ['ORG_ADMIN'], ['idn:attr-sync-source-config:manage']),
    client('admin-default', ['ORG_ADMIN'], ['sp:scopes:default']),
    client('helpdesk-read', ['HELPDESK'], ['idn:attr-sync-source-config:read']),
  );
  const seedFile = path.join(dir, 'seed.json');
  fs.writeFileSync(seedFile, JSON.stringify(seed));
  const server = await startServer(t, { seedData: seedFile });
  const expected: Array<[string, number, number]> = [
    ['admin-read', 200, 403],
    ['admin-manage', 200, 200],
    ['admin-default', 403, 403],
    ['helpdesk-read', 200, 403],
  ];
  for (const [id, get, put] of expected) {
    const api = await signIn(server.url, { id, secret: `${id}-secret` });
    t.equal((await api.get()).status, get, `${id}: GET ${get}`);
    const res = await api.put(seedConfig());
    t.equal(res.status, put, `${id}: PUT ${put}`);
    if (put === 403) t.match(res.json.causes.map((c: { text: string }) => c.text).join('\n'), id === 'helpdesk-read' ? /authorities/ : /scope/);
  }
});

t.test('every response carries a fresh SLPT-Request-ID, equal to trackingId in error bodies', async (t) => {
  const server = await startServer(t);
  const api = await signIn(server.url, CLIENTS.admin);
  const responses = [await api.get(), await api.get('nope'), await api.put({}), await sailpoint(server.url, 'bad').get(),
    await http(`${server.url}/oauth/token`, { method: 'POST' })];
  const ids = responses.map((r) => r.headers.get('slpt-request-id'));
  for (const id of ids) t.match(id, /^[0-9a-f]{32}$/);
  t.equal(new Set(ids).size, ids.length, 'all different');
  t.equal(responses[1].json.trackingId, ids[1]);
  t.equal(responses[2].json.trackingId, ids[2]);
});

t.test('rate limit: per client_id and API version, 429 with Retry-After, window on the server clock', async (t) => {
  const server = await startServer(t, { sailpoint: { rateLimit: { limit: 3, periodSeconds: 10 } } });
  server.context.clock.freeze(new Date('2026-06-01T12:00:00Z'));
  const [beta, v2024] = [PREFIXES[0], PREFIXES[1]];
  const token = await getToken(server.url, CLIENTS.admin);
  const api = sailpoint(server.url, token, beta);
  for (let i = 0; i < 3; i++) t.equal((await api.get()).status, 200, `request ${i + 1} of 3`);
  const limited = await api.get();
  t.equal(limited.status, 429);
  t.same(limited.json, { message: ' Rate Limit Exceeded ' });
  matchesSchema(t, 'sailpoint/rate-limit-response.json', limited.json);
  t.equal(limited.headers.get('retry-after'), '10', 'Retry-After: seconds to the end of the window');
  t.match(limited.headers.get('slpt-request-id'), /^[0-9a-f]{32}$/);
  t.equal((await api.put(seedConfig())).status, 429, 'PUT shares the version\'s bucket');

  t.equal((await sailpoint(server.url, await getToken(server.url, CLIENTS.admin), beta).get()).status, 429, 'a new token of the same client is limited too');
  t.equal((await sailpoint(server.url, token, v2024).get()).status, 200, 'v2024 is a bucket of its own');
  t.equal((await (await signIn(server.url, CLIENTS.helpdesk, beta)).get()).status, 200, 'another client has its own bucket');
  t.equal((await sailpoint(server.url, undefined, beta).get()).status, 401, 'no token: 401, not counted against anyone');

  server.context.clock.advance(7);
  t.equal((await api.get()).headers.get('retry-after'), '3', 'Retry-After counts down with the clock');
  server.context.clock.advance(3);
  t.equal((await api.get()).status, 200, 'a new window');
  // A full reset clears the counters (and releases the clock, so the token, minted on the frozen clock,
  // is signed in again).
  server.context.reset();
  const fresh = await signIn(server.url, CLIENTS.admin, beta);
  for (let i = 0; i < 3; i++) t.equal((await fresh.get()).status, 200, `after the reset, request ${i + 1} of 3`);
  t.equal((await fresh.get()).status, 429);
});

t.test('rate limit comes before the permission check (a 403 still counts)', async (t) => {
  const server = await startServer(t, { sailpoint: { rateLimit: { limit: 2, periodSeconds: 10 } } });
  server.context.clock.freeze(new Date('2026-06-01T12:00:00Z'));
  const helpdesk = await signIn(server.url, CLIENTS.helpdesk);
  t.equal((await helpdesk.put(seedConfig())).status, 403);
  t.equal((await helpdesk.get()).status, 200);
  t.equal((await helpdesk.put(seedConfig())).status, 429);
});

t.test('tenants never see each other\'s sources', async (t) => {
  const server = await startServer(t);
  const one = await signIn(server.url, CLIENTS.admin);
  const two = await signIn(server.url, CLIENTS.admin2);
  const openA = await signIn(server.url, { id: 'suite-a', secret: 's' });
  const openB = await signIn(server.url, { id: 'suite-b', secret: 's' });
  const toggled = seedConfig();
  toggled.attributes[0].enabled = false;
  t.equal((await one.put(toggled)).status, 200);
  t.same((await one.get()).json, toggled, 'tenant 1 sees its change');
  t.same((await two.get()).json, seedConfig(), 'tenant 2 still has the seed');
  t.same((await openA.get()).json, seedConfig(), 'an open-mode tenant still has the seed');
  t.same((await (await signIn(server.url, CLIENTS.helpdesk)).get()).json, toggled, 'another client of tenant 1 sees it');

  const other = seedConfig();
  other.attributes[3].enabled = true;
  await openB.put(other);
  t.same((await openA.get()).json, seedConfig(), 'suite-a does not see suite-b');
  t.same((await one.get()).json, toggled, 'tenant 1 does not see suite-b');

  server.context.reset({ vendor: 'sailpoint', id: TENANT_1 });
  t.same((await one.get()).json, seedConfig(), 'reset(tenant) restores that tenant');
  t.same((await openB.get()).json, other, 'and leaves the others');
  server.context.reset();
  t.same((await openB.get()).json, seedConfig(), 'context.reset() restores every tenant');
  t.not(TENANT_1, TENANT_2);
});

t.test('request.sailpointCaller is set once the token is verified', async (t) => {
  const context = createContext(resolveConfig({ db: ':memory:', logLevel: 'silent' }), VENDORS);
  const app = await buildApp(context, createLogger('silent', context.redaction));
  t.teardown(() => app.close());
  const seen: unknown[] = [];
  app.addHook('onResponse', async (request) => {
    seen.push(request.sailpointCaller);
  });
  const tokenRes = await app.inject({ method: 'POST', url: '/oauth/token', payload: 'grant_type=client_credentials&client_id=syncmock-helpdesk&client_secret=syncmock-helpdesk-secret', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const token = tokenRes.json().access_token;
  await app.inject({ url: `/beta/sources/${SOURCE_ID}/attribute-sync-config`, headers: { authorization: `Bearer ${token}` } });
  await app.inject({ url: `/beta/sources/${SOURCE_ID}/attribute-sync-config` });
  t.same(seen, [
    undefined,
    { tenantId: TENANT_1, clientId: 'syncmock-helpdesk', authorities: ['HELPDESK'], scope: ['sp:scopes:all'] },
    undefined,
  ]);
});
