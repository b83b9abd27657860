// GET /__admin/overview: vendors with their prefixes and counts, the journal, fault rules armed or spent.
import t from 'tap';
import { matchesSchema, startServer } from '../helpers';
import { datadog, seedCreateBody } from '../datadog/dd';
import { admin } from './admin';

t.test('counts follow the store, the journal and the fault rules', async (t) => {
  const server = await startServer(t, { journalSize: 3 });
  const call = admin(server.url);
  const first = await call('GET', '/overview');
  t.equal(first.status, 200);
  matchesSchema(t, 'control/overview.json', first.json);
  t.same(first.json, {
    vendors: {
      datadog: { prefixes: ['/api'], scope: { name: 'org', collection: 'orgs', aliases: ['api_key'] }, counts: { orgs: 2, integration_configs: 1, azure_app_registrations: 3 } },
      sailpoint: {
        prefixes: ['/beta', '/v3', '/v2024', '/v2025', '/v2026', '/sources/v1', '/oauth'],
        scope: { name: 'tenant', collection: 'tenants', aliases: [] },
        counts: { tenants: 2, sources: 4 },
      },
    },
    journal: { entries: 0, capacity: 3, evicted: 0 },
    faults: { rules: 0, armed: 0 },
  }, 'the seed: two orgs (one config, three Azure app registrations), two tenants with two sources each');

  const a = datadog(server.url, 'overview-key-a');
  await a.call('POST', '', seedCreateBody());
  await a.call('POST', '', seedCreateBody());
  await datadog(server.url, 'overview-key-b').call('POST', '', seedCreateBody());
  await call('POST', '/faults', { status: 500, times: 1, method: 'DELETE' });
  await call('POST', '/faults', { delay_ms: 1, method: 'PUT' });
  await a.call('DELETE', '/11111111-2222-3333-4444-555555555555'); // spends the first rule
  const after = (await call('GET', '/overview')).json;
  t.same(after.vendors.datadog.counts, { orgs: 4, integration_configs: 4, azure_app_registrations: 3 });
  t.same(after.journal, { entries: 3, capacity: 3, evicted: 1 });
  t.same(after.faults, { rules: 2, armed: 1 }, 'a rule with no uses left is not armed');
});

t.test('the admin token guards it', async (t) => {
  const server = await startServer(t, { adminToken: 'overview-token' });
  t.equal((await admin(server.url)('GET', '/overview')).status, 401);
  t.equal((await admin(server.url, 'overview-token')('GET', '/overview')).status, 200);
});
