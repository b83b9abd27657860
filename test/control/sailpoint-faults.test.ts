// Faults and the journal on the SailPoint surface: injected statuses come out in SailPoint's own shapes,
// and nothing secret reaches the journal.
import t from 'tap';
import { http, matchesSchema, startServer } from '../helpers';
import { CLIENTS, SOURCE_ID, TENANT_1, signIn, tokenForm } from '../sailpoint/sp';
import { admin } from './admin';

t.test('injected 500, 401 and 429 answer in SailPoint\'s shapes, for the tenant the rule names', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const api = await signIn(server.url, CLIENTS.admin);
  const other = await signIn(server.url, CLIENTS.admin2);
  const path = '/beta/sources/*/attribute-sync-config';
  t.equal((await call('POST', '/faults', { vendor: 'sailpoint', tenant: TENANT_1, path, status: 500, times: 1 })).status, 201);
  t.equal((await other.get(SOURCE_ID)).status, 200, 'another tenant is not matched');
  const fault = await api.get(SOURCE_ID);
  t.equal(fault.status, 500);
  matchesSchema(t, 'sailpoint/error-response-dto.json', fault.json);
  t.equal(fault.json.detailCode, '500.0 Internal Fault');
  t.equal(fault.json.trackingId, fault.headers.get('slpt-request-id'));
  t.equal((await api.get(SOURCE_ID)).status, 200, 'times: 1');

  await call('POST', '/faults', { vendor: 'sailpoint', path, status: 401, times: 1 });
  const unauthorized = await api.get(SOURCE_ID);
  t.equal(unauthorized.status, 401);
  t.same(Object.keys(unauthorized.json), ['error']);

  await call('POST', '/faults', { vendor: 'sailpoint', path, status: 429, times: 1, retry_after_seconds: 7 });
  const limited = await api.get(SOURCE_ID);
  t.equal(limited.status, 429);
  matchesSchema(t, 'sailpoint/rate-limit-response.json', limited.json);
  t.equal(limited.headers.get('retry-after'), '7');
});

t.test('the journal shows SailPoint calls under their tenant, client secrets and tokens redacted', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const res = await http(`${server.url}/oauth/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: tokenForm(CLIENTS.admin.id, CLIENTS.admin.secret),
  });
  const token = res.json.access_token as string;
  await http(`${server.url}/oauth/token?grant_type=client_credentials&client_id=${CLIENTS.admin.id}&client_secret=${CLIENTS.admin.secret}`, { method: 'POST' });
  await http(`${server.url}/beta/sources/${SOURCE_ID}/attribute-sync-config`, { headers: { authorization: `Bearer ${token}` } });
  const journal = await call('GET', '/requests?vendor=sailpoint');
  t.equal(journal.status, 200);
  t.equal(journal.json.requests.length, 3);
  const [get] = journal.json.requests;
  t.equal(get.tenant, TENANT_1);
  t.equal(get.status, 200);
  for (const secret of [CLIENTS.admin.secret, token, token.split('.')[2]]) t.notOk(journal.text.includes(secret), 'no credential in the journal');
  const tenants = journal.json.requests.map((e: { tenant: string | null }) => e.tenant);
  t.same(tenants, [TENANT_1, TENANT_1, TENANT_1], 'token requests are the tenant\'s of the client they name');
  t.equal((await call('GET', `/requests?tenant=${TENANT_1}`)).json.requests.length, 3, 'so the tenant filter finds them');
  t.same((await call('DELETE', `/requests?tenant=${TENANT_1}`)).json, { deleted: 3 }, 'and a tenant-scoped clear removes them');
});
