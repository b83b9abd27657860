// Datadog access tokens over raw HTTP: `Authorization: Bearer` (OAuth, ddpat_…, ddsat_…), a personal or
// service access token as DD-APPLICATION-KEY with DD-API-KEY optional and not evaluated, which org and which
// scopes, open and strict mode, the bearer token deciding over a key pair, rate limits per org whatever the
// credential, and what each malformed Authorization header is told (test/e2e/in-process/authorization-bad-input.test.ts
// has every vendor's answer to the same cases, and the 1 MB token).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { orgIdForApiKey } from '../../src/datadog/auth';
import { http, matchesSchema, startServer, type TestServer } from '../helpers';
import { PREFIX, datadog, seedCreateBody } from './dd';

const ERR = 'datadog/error-response.json';
const PAT = 'ddpat_syncmock_personal_access_token';
const READ_ONLY_SAT = 'ddsat_syncmock_read_only_service_token';
const SEEDED_CONFIG = '11111111-2222-3333-4444-555555555555';

const call = (server: TestServer, headers: Record<string, string>, method = 'GET', p = '', json?: unknown) =>
  http(`${server.url}${PREFIX}${p}`, { method, headers, json });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const ids = (res: { json: { data: Array<{ id: string }> } }) => res.json.data.map((c) => c.id);

t.test('a seeded personal access token as a bearer token, or as DD-APPLICATION-KEY with any or no DD-API-KEY', async (t) => {
  const server = await startServer(t);
  const ways: Array<[string, Record<string, string>]> = [
    ['Authorization: Bearer', bearer(PAT)],
    ['bearer in lower case, extra spaces', { authorization: `bearer   ${PAT}` }],
    ['DD-APPLICATION-KEY alone', { 'DD-APPLICATION-KEY': PAT }],
    ['DD-APPLICATION-KEY with an API key of another org (not evaluated)', { 'DD-API-KEY': 'syncmock-api-key-2', 'DD-APPLICATION-KEY': PAT }],
    ['DD-APPLICATION-KEY with a made-up API key (not evaluated)', { 'DD-API-KEY': 'not-a-key', 'DD-APPLICATION-KEY': PAT }],
  ];
  for (const [name, headers] of ways) {
    const res = await call(server, headers);
    t.equal(res.status, 200, name);
    t.same(ids(res), [SEEDED_CONFIG], `${name}: the token's org (the seeded one)`);
    t.equal(res.headers.get('x-ratelimit-name'), 'security_monitoring_integration_config_read', `${name}: rate-limit headers`);
  }
  const created = await call(server, bearer(PAT), 'POST', '', seedCreateBody());
  t.equal(created.status, 200, 'manage_integrations: create');
  t.equal((await call(server, { 'DD-APPLICATION-KEY': PAT }, 'DELETE', `/${created.json.data.id}`)).status, 204, 'and delete');
});

t.test('a token\'s scopes decide: a read-only service access token reads, and gets 403 for writes', async (t) => {
  const server = await startServer(t);
  for (const headers of [bearer(READ_ONLY_SAT), { 'DD-APPLICATION-KEY': READ_ONLY_SAT }]) {
    t.equal((await call(server, headers, 'GET', `/${SEEDED_CONFIG}`)).status, 200);
    t.equal((await call(server, headers, 'POST', `/${SEEDED_CONFIG}/validate`)).status, 200, 'validate needs integrations_read');
    for (const [method, p, json] of [['POST', '', seedCreateBody()], ['PATCH', `/${SEEDED_CONFIG}`, { data: { type: 'integration_config', attributes: {} } }], ['DELETE', `/${SEEDED_CONFIG}`]] as const) {
      const res = await call(server, headers, method, p, json);
      t.equal(res.status, 403, `${method} needs manage_integrations`);
      matchesSchema(t, ERR, res.json);
      t.same(res.json, { errors: ['Forbidden: the access token lacks the \'manage_integrations\' scope'] });
    }
  }
  t.equal((await call(server, bearer(PAT), 'GET', `/${SEEDED_CONFIG}`)).status, 200, 'the config is still there');
});

t.test('seed data names tokens per org; scopes other than the two grant nothing; strict mode takes only seeded tokens', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-tokens-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '../../data/seed.json'), 'utf8'));
  seed.datadog.orgs[1].access_tokens = [
    { token: 'oauth-token-of-org-2', scopes: ['integrations_read'] },
    { token: 'ddpat_dashboards_only', scopes: ['dashboards_read'] },
  ];
  const file = path.join(dir, 'seed.json');
  fs.writeFileSync(file, JSON.stringify(seed));
  const server = await startServer(t, { seedData: file, auth: 'strict' });
  const org2 = await call(server, bearer('oauth-token-of-org-2'));
  t.equal(org2.status, 200, 'an OAuth token from the seed data');
  t.same(ids(org2), [], 'in its org (the second, empty)');
  const created = await call(server, datadog(server.url, 'syncmock-api-key-2', 'syncmock-app-key-2').headers, 'POST', '', seedCreateBody());
  t.same(ids(await call(server, bearer('oauth-token-of-org-2'))), [created.json.data.id], 'the org the second key pair writes to');
  const dashboards = await call(server, { 'DD-APPLICATION-KEY': 'ddpat_dashboards_only' });
  t.equal(dashboards.status, 403);
  t.same(dashboards.json, { errors: ['Forbidden: the access token lacks the \'integrations_read\' scope'] });
  for (const [name, headers] of [['an unknown bearer token', bearer('suite-a-oauth-token')], ['an unknown PAT as DD-APPLICATION-KEY', { 'DD-API-KEY': 'syncmock-api-key', 'DD-APPLICATION-KEY': 'ddpat_unknown' }]] as const) {
    const res = await call(server, headers);
    t.equal(res.status, 403, `strict: ${name}`);
    t.same(res.json, { errors: ['Forbidden: unknown access token'] });
  }
  t.equal((await call(server, bearer(PAT))).status, 200, 'strict: a seeded token');
  const badSeed = path.join(dir, 'bad.json');
  seed.datadog.orgs[1].access_tokens = [{ token: 'has a space', scopes: [] }];
  fs.writeFileSync(badSeed, JSON.stringify(seed));
  await t.rejects(startServer(t, { seedData: badSeed }), /invalid seed data .*access_tokens\/0\/token must match pattern/, 'a token that cannot follow "Bearer " is refused at start');
});

t.test('open mode: each unknown token is an org of its own', async (t) => {
  const server = await startServer(t);
  const a = await call(server, bearer('suite-a-oauth-token'), 'POST', '', seedCreateBody());
  t.equal(a.status, 200);
  t.same(ids(await call(server, bearer('suite-a-oauth-token'))), [a.json.data.id], 'the same token, the same org');
  t.same(ids(await call(server, bearer('suite-b-oauth-token'))), [], 'another token, another org');
  t.same(ids(await call(server, bearer('ddpat_unknown_personal_token'))), [], 'an unknown personal access token: its own org');
  const viaAppKey = await call(server, { 'DD-APPLICATION-KEY': 'ddpat_unknown_personal_token' }, 'POST', '', seedCreateBody());
  t.same(ids(await call(server, bearer('ddpat_unknown_personal_token'))), [viaAppKey.json.data.id], 'as DD-APPLICATION-KEY or as bearer: one org');
  t.same(ids(await datadog(server.url, 'suite-a-oauth-token', 'any').call('GET')), [a.json.data.id], 'the same text as an API key is the same org (documented)');
  const journal = (await http(`${server.url}/__admin/requests?limit=1`)).json.requests[0];
  t.equal(journal.org, orgIdForApiKey('suite-a-oauth-token'), 'the journal names the org (a digest of the token)');

});

t.test('a bearer token decides over the key headers sent with it', async (t) => {
  const server = await startServer(t);
  const keys = datadog(server.url, 'syncmock-api-key', 'syncmock-app-key').headers;
  t.same(ids(await call(server, { ...keys, ...bearer('some-other-token') })), [], 'the token\'s org, not the keys\'');
  t.equal((await call(server, { ...keys, ...bearer(READ_ONLY_SAT) }, 'POST', '', seedCreateBody())).status, 403, 'and the token\'s scopes');
  t.same(ids(await call(server, { 'DD-API-KEY': 'syncmock-api-key', 'DD-APPLICATION-KEY': 'ddapp_new_style_application_key' })), [SEEDED_CONFIG],
    'an application key that is not an access token (ddapp_…) is a key pair as before');
});

t.test('rate limits count per org whichever way the caller authenticated', async (t) => {
  const server = await startServer(t, { datadog: { rateLimits: { integration_config_read: { limit: 3, periodSeconds: 60 } } } });
  server.context.clock.freeze(new Date('2026-05-01T12:00:00Z'));
  const keys = datadog(server.url, 'syncmock-api-key', 'syncmock-read-only-app-key').headers;
  const remaining: string[] = [];
  for (const headers of [keys, bearer(PAT), { 'DD-APPLICATION-KEY': READ_ONLY_SAT }]) {
    const res = await call(server, headers);
    t.equal(res.status, 200);
    remaining.push(res.headers.get('x-ratelimit-remaining') as string);
  }
  t.same(remaining, ['2', '1', '0'], 'one budget for the org');
  const limited = await call(server, bearer(READ_ONLY_SAT));
  t.equal(limited.status, 429);
  t.same(limited.json, { errors: ['Too many requests'] });
  t.equal((await call(server, bearer('a-token-of-another-org'))).status, 200, 'another org has its own budget');
});

t.test('malformed Authorization headers: 403 in Datadog\'s shape, even beside good keys, nothing echoed or logged', async (t) => {
  const server = await startServer(t);
  const MARK = 'ddpat_MARKER_5f1c';
  const cases: Array<[string, string, RegExp]> = [
    ['an unknown scheme', `Token ${MARK}`, /authorization scheme is not supported/],
    ['a bare token, no scheme', MARK, /authorization scheme is not supported/],
    ['Basic', `Basic ${Buffer.from(`user:${MARK}`).toString('base64')}`, /authorization scheme is not supported/],
    ['Basic that is not base64', `Basic ${MARK}!!`, /Basic credentials are not base64/],
    ['Basic without a colon', `Basic ${Buffer.from(MARK).toString('base64')}`, /Basic credentials have no colon/],
    ['an empty bearer', 'Bearer', /bearer token is empty/],
    ['an empty bearer with spaces', 'Bearer    ', /bearer token is empty/],
    ['a bearer token with a space inside', `Bearer ${MARK} ${MARK}`, /bearer token is malformed/],
    ['a bearer token with characters no token has', `Bearer ${MARK}"<>`, /bearer token is malformed/],
    ['a bearer token of latin-1', `Bearer ${MARK}\u00e9`, /bearer token is malformed/],
  ];
  const keys = datadog(server.url, 'syncmock-api-key', 'syncmock-app-key').headers;
  for (const [name, authorization, message] of cases) {
    for (const [withKeys, headers] of [['alone', { authorization }], ['with a good key pair', { ...keys, authorization }]] as const) {
      const res = await call(server, headers, 'POST', '', seedCreateBody());
      t.equal(res.status, 403, `${name}, ${withKeys}: 403`);
      matchesSchema(t, ERR, res.json);
      t.match(res.json.errors[0], message, `${name}: says what is wrong`);
      t.notOk(res.text.includes('MARKER'), `${name}: the header is not echoed`);
      t.equal(res.headers.get('x-ratelimit-limit'), null, `${name}: no org, no rate-limit headers`);
    }
  }
  t.same(ids(await call(server, keys)), [SEEDED_CONFIG], 'nothing was created');
  t.notOk(server.logs().includes('MARKER'), 'nothing of the headers in the log');
});
