// Issue 15, defect 7: journal entries of the token endpoint carry the tenant resolved from the client id
// (a seeded client's tenant; an open-mode client's own), so the journal's tenant filter, a tenant-scoped
// DELETE /__admin/requests and a tenant reset include them.
import t from 'tap';
import { http, startServer } from '../helpers';
import { admin } from '../control/admin';
import { CLIENTS, TENANT_1, TENANT_2, sailpoint, tokenForm } from './sp';

interface Entry { path: string; method: string; tenant?: string | null; vendor: string | null }

t.test('token requests are journaled under the client\'s tenant, and tenant filters and clears include them', async (t) => {
  const server = await startServer(t, { logLevel: 'warn' });
  const call = admin(server.url);
  const tokenFor = async (client: { id: string; secret: string }, how: 'form' | 'query') => {
    const res = how === 'form'
      ? await http(`${server.url}/oauth/token`, { method: 'POST', body: tokenForm(client.id, client.secret) })
      : await http(`${server.url}/oauth/token?${tokenForm(client.id, client.secret)}`, { method: 'POST' });
    t.equal(res.status, 200, `a token for ${client.id} (${how})`);
    return res.json as { access_token: string; tenant_id: string };
  };
  const first = await tokenFor(CLIENTS.admin, 'form');
  await tokenFor(CLIENTS.admin2, 'query');
  const open = await tokenFor({ id: 'journal-open-client', secret: 'any-secret' }, 'form');
  t.equal(first.tenant_id, TENANT_1);
  t.equal((await sailpoint(server.url, first.access_token).get()).status, 200, 'a read in tenant 1 too');

  const entries = async (query: string): Promise<Entry[]> => (await call('GET', `/requests${query}`)).json.requests;
  const tokenEntries = (list: Entry[]) => list.filter((e) => e.path === '/oauth/token');
  t.same(tokenEntries(await entries('?vendor=sailpoint')).map((e) => e.tenant).sort(), [TENANT_1, TENANT_2, open.tenant_id].sort(),
    'each token entry names its client\'s tenant');
  t.equal(tokenEntries(await entries(`?tenant=${TENANT_1}`)).length, 1, 'the tenant filter finds tenant 1\'s token request');
  t.equal(tokenEntries(await entries(`?tenant=${open.tenant_id}`)).length, 1, 'and the open-mode client\'s, under its own tenant');

  const cleared = await call('DELETE', `/requests?tenant=${TENANT_1}`);
  t.equal(cleared.json.deleted, 2, 'clearing tenant 1 removes its token request and its read');
  const left = await entries('?vendor=sailpoint');
  t.same(left.filter((e) => e.tenant === TENANT_1), [], 'nothing of tenant 1 is left');
  t.same(tokenEntries(left).map((e) => e.tenant).sort(), [TENANT_2, open.tenant_id].sort(), 'the other tenants\' token requests stay');

  t.equal((await call('POST', `/reset?tenant=${TENANT_2}`)).status, 200);
  t.same(tokenEntries(await entries('?vendor=sailpoint')).map((e) => e.tenant), [open.tenant_id], 'a tenant reset clears its token requests too');
});
