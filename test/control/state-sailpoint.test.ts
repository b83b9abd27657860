// State documents carry SailPoint tenants too: export, import (replace, merge), all or nothing.
import t from 'tap';
import { matchesSchema, startServer } from '../helpers';
import { CLIENTS, SOURCE_ID, TENANT_1, TENANT_2, seedConfig, signIn } from '../sailpoint/sp';
import { admin } from './admin';

const source = (enabled: boolean) => ({
  id: 'custom-source-1',
  name: 'Imported source',
  attributes: [{ name: 'email', displayName: 'Email', enabled, target: 'mail' }],
});

t.test('GET /__admin/state exports every seeded tenant\'s sources as GET shows them; ?tenant= one', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const api = await signIn(server.url, CLIENTS.admin);
  const body = seedConfig();
  body.attributes[1].enabled = true;
  t.equal((await api.put(body)).status, 200);

  const res = await call('GET', '/state');
  t.equal(res.status, 200);
  matchesSchema(t, 'control/state.json', res.json);
  const tenants = res.json.sailpoint.tenants;
  t.same(Object.keys(tenants).sort(), [TENANT_1, TENANT_2].sort(), 'the seed\'s tenants, used or not');
  const exported = tenants[TENANT_1].sources.find((s: { id: string }) => s.id === SOURCE_ID);
  t.same(exported.attributes, body.attributes, 'the PUT is in the export');
  t.same(Object.keys((await call('GET', `/state?tenant=${TENANT_2}`)).json.sailpoint.tenants), [TENANT_2]);
  t.notOk(res.text.includes(CLIENTS.admin.secret), 'no client secret in the export');
});

t.test('POST /__admin/state replaces a tenant\'s sources, or merges them; the API serves them', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const replaced = await call('POST', '/state', { sailpoint: { tenants: { [TENANT_1]: { sources: [source(true)] } } } });
  t.equal(replaced.status, 200);
  t.same(replaced.json.imported, { sailpoint: { tenants: [TENANT_1] } });
  const api = await signIn(server.url, CLIENTS.admin);
  const got = await api.get('custom-source-1');
  t.equal(got.status, 200);
  t.same(got.json, { source: { type: 'SOURCE', id: 'custom-source-1', name: 'Imported source' }, attributes: source(true).attributes });
  t.equal((await api.get(SOURCE_ID)).status, 404, 'replace: the seeded sources are gone from that tenant');
  t.equal((await (await signIn(server.url, CLIENTS.admin2)).get(SOURCE_ID)).status, 200, 'other tenants untouched');

  const merged = await call('POST', '/state?mode=merge', { sailpoint: { tenants: { [TENANT_2]: { sources: [source(false)] } } } });
  t.equal(merged.status, 200);
  const other = await signIn(server.url, CLIENTS.admin2);
  t.equal((await other.get('custom-source-1')).json.attributes[0].enabled, false);
  t.equal((await other.get(SOURCE_ID)).status, 200, 'merge: the seeded sources stay');

  t.equal((await call('POST', '/reset')).status, 200);
  t.equal((await (await signIn(server.url, CLIENTS.admin)).get('custom-source-1')).status, 404, 'a reset goes back to the seed');
});

t.test('an invalid SailPoint part is a 400 naming the field and changes nothing', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const before = (await call('GET', '/state')).json;
  const cases: Array<[string, unknown, RegExp]> = [
    ['enabled not a boolean', { [TENANT_1]: { sources: [{ ...source(true), attributes: [{ name: 'e', displayName: 'E', enabled: 'yes', target: 't' }] }] } }, /enabled/],
    ['a repeated source id', { [TENANT_1]: { sources: [source(true), source(false)] } }, /repeats the source id/],
    ['a repeated attribute', { [TENANT_1]: { sources: [{ ...source(true), attributes: [...source(true).attributes, ...source(false).attributes] }] } }, /repeats the attribute 'email'/],
    ['no sources', { [TENANT_1]: {} }, /sources/],
    // A state document is read closed, though the attribute entry it shares with PUT bodies allows more there.
    ['an attribute field syncmock does not keep', { [TENANT_1]: { sources: [{ ...source(true), attributes: [{ ...source(true).attributes[0], colour: 'red' }] }] } },
      /Field 'sailpoint.tenants.[^.]+.sources.0.attributes.0.colour' is not allowed/],
    ['a source field syncmock does not keep', { [TENANT_1]: { sources: [{ ...source(true), owner: 'x' }] } }, /sources.0.owner' is not allowed/],
  ];
  for (const [name, tenants, message] of cases) {
    // A valid Datadog part alongside: the whole document is refused, not just the bad part.
    const res = await call('POST', '/state', { datadog: { orgs: { 'syncmock-org-2': { integration_configs: [] } } }, sailpoint: { tenants } });
    t.equal(res.status, 400, name);
    t.match(JSON.stringify(res.json), message, `${name}: names the problem`);
  }
  t.same((await call('GET', '/state')).json, before, 'nothing changed');
});
