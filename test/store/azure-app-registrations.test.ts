import t from 'tap';
import { AzureAppRegistrationStore, type AzureAppRegistrationRow } from '../../src/datadog/store/azure-app-registrations';
import { datadog } from '../../src/datadog';
import { IntegrationConfigStore } from '../../src/datadog/store/integration-configs';
import { openDatabase } from '../../src/store/db';

const row = (n: number, resourceCollectionEnabled: boolean): AzureAppRegistrationRow => ({
  clientId: `client-${n}`, tenantId: `tenant-${n}`, errorCount: n, resourceCollectionEnabled, subscriptionCount: n * 2,
});

t.test('an org\'s registrations are replaced whole, kept in order, and go with the org', async (t) => {
  const db = openDatabase(':memory:', [datadog]);
  t.teardown(() => db.close());
  const orgs = new IntegrationConfigStore(db);
  const store = new AzureAppRegistrationStore(db);
  orgs.addOrg('org-a', '2026-08-01T00:00:00Z');
  orgs.addOrg('org-b', '2026-08-01T00:00:00Z');

  store.replace('org-a', [row(2, false), row(1, true)]);
  store.replace('org-b', [row(3, true)]);
  t.same(store.list('org-a'), [row(2, false), row(1, true)], 'in the order given');
  store.replace('org-a', [row(4, true)]);
  t.same(store.list('org-a'), [row(4, true)], 'replaced, not appended');
  store.replace('org-a', []);
  t.same(store.list('org-a'), []);

  orgs.removeOrg('org-b');
  t.same(store.list('org-b'), [], 'removing the org removes its registrations');
  t.throws(() => store.replace('org-unknown', [row(1, true)]), 'only for a registered org');
});
