// POST /__admin/reset: everything back to the seed, or one org.
import t from 'tap';
import { orgIdForApiKey } from '../../src/datadog/auth';
import { matchesSchema, startServer } from '../helpers';
import { datadog, seedCreateBody } from '../datadog/dd';
import { admin } from './admin';

const SEED_ID = '11111111-2222-3333-4444-555555555555';

t.test('a full reset restores the seed and clears journal, faults, overrides, counters and clock', async (t) => {
  const server = await startServer(t, { datadog: { rateLimits: { integration_config_read: { limit: 1, periodSeconds: 3600 } } } });
  const call = admin(server.url);
  const seedOrg = datadog(server.url, 'syncmock-api-key', 'syncmock-app-key');
  t.equal((await seedOrg.call('DELETE', `/${SEED_ID}`)).status, 204);
  t.equal((await seedOrg.call('POST', '', seedCreateBody())).status, 200);
  t.equal((await seedOrg.call('GET')).status, 200);
  t.equal((await seedOrg.call('GET')).status, 429, 'the read budget is spent');
  await call('POST', '/faults', { status: 500, path: '/nowhere' });
  await call('POST', '/datadog/credential-outcome', { outcome: 'invalid', times: 3 });
  await call('PUT', '/rate-limits', { datadog: { integration_config_write: { limit: 7 } } });
  await call('POST', '/clock', { freeze_at: '2030-01-01T00:00:00Z' });

  const res = await call('POST', '/reset');
  t.equal(res.status, 200);
  matchesSchema(t, 'control/reset-response.json', res.json);
  t.same(res.json, { reset: 'all' });

  const listed = await seedOrg.call('GET');
  t.equal(listed.status, 200, 'rate-limit counters start afresh');
  t.same(listed.json.data.map((c: { id: string }) => c.id), [SEED_ID], 'the seed config is back, the created one gone');
  t.same((await call('GET', '/faults')).json.faults, []);
  t.same((await call('GET', '/datadog/credential-outcome')).json.pending, []);
  t.equal((await call('GET', '/rate-limits')).json.datadog.integration_config_write.limit, 500, 'configured limits back');
  t.equal((await call('GET', '/rate-limits')).json.datadog.integration_config_read.limit, 1, 'as configured at start, not the defaults');
  t.equal((await call('GET', '/clock')).json.frozen, false, 'real time again');
  t.same((await call('GET', '/requests')).json.requests.length, 1, 'the journal holds only the call made since');
});

t.test('?org= and ?api_key= reset one org: its state, journal entries, faults, forced outcomes, counters', async (t) => {
  const server = await startServer(t, { datadog: { rateLimits: { integration_config_read: { limit: 2, periodSeconds: 3600 } } } });
  const call = admin(server.url);
  const a = datadog(server.url, 'reset-key-a');
  const b = datadog(server.url, 'reset-key-b');
  const orgA = orgIdForApiKey('reset-key-a');
  const orgB = orgIdForApiKey('reset-key-b');
  for (const dd of [a, b]) {
    t.equal((await dd.call('POST', '', seedCreateBody())).status, 200);
    await dd.call('GET');
    await dd.call('GET');
  }
  await call('POST', '/faults', { org: orgA, status: 500, path: '/nowhere' });
  await call('POST', '/faults', { org: orgB, status: 500, path: '/nowhere' });
  await call('POST', '/datadog/credential-outcome', { org: orgA, outcome: 'invalid' });
  await call('POST', '/datadog/credential-outcome', { org: orgB, outcome: 'invalid' });

  const res = await call('POST', '/reset?api_key=reset-key-a');
  t.equal(res.status, 200);
  matchesSchema(t, 'control/reset-response.json', res.json);
  t.same(res.json, { reset: 'org', org: orgA }, 'the answer tells the org id of the key');
  t.notOk(res.text.includes('reset-key-a'), 'the key is not echoed');
  t.match(server.logs(), /reset\?api_key=%5Bredacted%5D|reset\?api_key=\[redacted\]/, 'the logged URL has it redacted');
  t.notOk(server.logs().includes('reset-key-a'), 'nor logged');

  const listA = await a.call('GET');
  t.equal(listA.status, 200, 'A\'s counters start afresh');
  t.same(listA.json.data, [], 'A is back to its (empty) seed');
  t.equal((await b.call('GET')).status, 429, 'B\'s counters are untouched');
  t.equal((await b.call('GET', '')).headers.get('x-ratelimit-remaining'), '0');
  const rules = (await call('GET', '/faults')).json.faults;
  t.same(rules.map((r: { org: string }) => r.org), [orgB]);
  t.same((await call('GET', `/datadog/credential-outcome?org=${orgA}`)).json.pending, []);
  t.same((await call('GET', `/datadog/credential-outcome?org=${orgB}`)).json.pending, ['invalid']);
  const orgs = new Set((await call('GET', '/requests')).json.requests.map((e: { org: string }) => e.org));
  t.ok(orgs.has(orgB) && orgs.has(orgA), 'B\'s entries stay; A\'s new call is there');
  t.equal((await call('GET', `/requests?org=${orgA}`)).json.requests.length, 1, 'A\'s entries before the reset are gone');

  t.same((await call('POST', `/reset?org=${orgB}`)).json, { reset: 'org', org: orgB });
  t.same((await b.call('GET')).json.data, []);
  t.same((await call('POST', '/reset?tenant=some-tenant')).json, { reset: 'tenant', tenant: 'some-tenant' });
});

t.test('a seed org reset by ?org= gets its seed configs back', async (t) => {
  const server = await startServer(t);
  const seedOrg = datadog(server.url, 'syncmock-api-key', 'syncmock-app-key');
  await seedOrg.call('DELETE', `/${SEED_ID}`);
  t.equal((await seedOrg.call('GET', `/${SEED_ID}`)).status, 404);
  await admin(server.url)('POST', '/reset?org=syncmock-org-1');
  t.equal((await seedOrg.call('GET', `/${SEED_ID}`)).status, 200);
});

t.test('bad reset parameters are 400 and reset nothing', async (t) => {
  const server = await startServer(t, { auth: 'strict' });
  const call = admin(server.url);
  const seedOrg = datadog(server.url, 'syncmock-api-key', 'syncmock-app-key');
  await seedOrg.call('DELETE', `/${SEED_ID}`);
  for (const [query, message] of [
    ['?org=a&tenant=b', /Give only one of org, api_key and tenant/],
    ['?org=a&api_key=b', /Give only one of/],
    ['?colour=red', /'colour' is not allowed/],
    ['?org=', /Field 'org' must NOT have fewer than 1 characters/],
    ['?api_key=not-registered', /Field 'api_key' is not an API key of the seed data/],
  ] as const) {
    const res = await call('POST', `/reset${query}`);
    t.equal(res.status, 400, query);
    matchesSchema(t, 'control/error.json', res.json);
    t.match(res.json.message, message);
  }
  t.equal((await seedOrg.call('GET', `/${SEED_ID}`)).status, 404, 'nothing was reset');
  t.same((await call('POST', '/reset?api_key=syncmock-api-key')).json, { reset: 'org', org: 'syncmock-org-1' }, 'a registered key resolves in strict mode');
});
