// GET /__admin/overview: vendors with their prefixes and counts, the journal, fault rules armed or spent.
import t from 'tap';
import fc from 'fast-check';
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

t.test('each vendor\'s counts are what its export shows, for generated states', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const config = fc.record({ id: fc.uuid({ version: 4 }), integration_type: fc.constant('OKTA'), domain: fc.constant('x.com'), secrets: fc.constant({ api_token: 't' }) });
  const registration = fc.record({ client_id: fc.constant('c'), tenant_id: fc.constant('t'), error_count: fc.nat(2), resource_collection_enabled: fc.boolean(), subscription_count: fc.nat(2) });
  const org = fc.record({
    integration_configs: fc.uniqueArray(config, { maxLength: 4, selector: (c) => c.id }),
    azure_app_registrations: fc.array(registration, { maxLength: 2 }),
  }, { requiredKeys: ['integration_configs'] });
  const source = fc.record({ id: fc.uuid({ version: 4 }), name: fc.constant('s'), attributes: fc.constant([]) });
  const tenant = fc.record({ sources: fc.uniqueArray(source, { maxLength: 3, selector: (s) => s.id }) });
  const ids = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
  const state = fc.record({ datadog: fc.record({ orgs: fc.dictionary(ids, org, { maxKeys: 3 }) }), sailpoint: fc.record({ tenants: fc.dictionary(ids, tenant, { maxKeys: 3 }) }) });
  await fc.assert(fc.asyncProperty(state, fc.constantFrom('merge', 'replace'), fc.boolean(), async (doc, mode, reset) => {
    if (reset) t.equal((await call('POST', '/reset')).status, 200);
    t.equal((await call('POST', `/state?mode=${mode}`, doc)).status, 200);
    const exported = (await call('GET', '/state')).json as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    const overview = (await call('GET', '/overview')).json;
    for (const [vendor, collections] of Object.entries(exported)) {
      const [[collection, scopes]] = Object.entries(collections);
      const expected: Record<string, number> = { [collection]: Object.keys(scopes).length };
      for (const scopeState of Object.values(scopes)) {
        for (const [key, value] of Object.entries(scopeState)) if (Array.isArray(value)) expected[key] = (expected[key] ?? 0) + value.length;
      }
      // With no scope, the export has no list to count: a 0 on either side is the same as none.
      const nonZero = (counts: Record<string, number>) => JSON.stringify(Object.entries(counts).filter(([k, n]) => n > 0 || k === collection).sort());
      const counted = overview.vendors[vendor].counts as Record<string, number>;
      if (nonZero(counted) !== nonZero(expected)) {
        t.fail(`${vendor}: counted ${JSON.stringify(counted)}, the export shows ${JSON.stringify(expected)}`);
      }
    }
  }), { seed: 24, numRuns: 30 });
});
