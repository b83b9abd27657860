// Issue 15, defect 6: under --auth strict, startSyncmock() hands out only credentials the seed data
// grants. When the seed has no Datadog key pair with every permission (or no SailPoint ORG_ADMIN client),
// the connection's credentials are left undefined, never the hard-coded open-mode ones that strict auth
// then refuses; the connection's URLs are still given.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { http, startServer } from './helpers';
import { PREFIX, seedCreateBody } from './datadog/dd';

const READ_ONLY = { 'dd-api-key': 'strict-api-key', 'dd-application-key': 'strict-read-only-app-key' };
const HELPDESK = { client_id: 'strict-helpdesk', client_secret: 'strict-helpdesk-secret' };
const TENANT = '3f1c2b7a-1111-4222-8333-444455556666';

/** A seed document with a read-only application key and a HELPDESK client only. */
function writeSeed(dir: string): string {
  const file = path.join(dir, 'seed.json');
  fs.writeFileSync(file, JSON.stringify({
    datadog: { orgs: [{
      org_id: 'strict-org', name: 'read-only org', api_keys: [READ_ONLY['dd-api-key']],
      application_keys: [{ key: READ_ONLY['dd-application-key'], permissions: ['integrations_read'] }], integration_configs: [],
    }] },
    sailpoint: {
      tenants: [{ tenant_id: TENANT, org: 'strict', pod: 'stg01-useast1' }],
      clients: [{ ...HELPDESK, tenant_id: TENANT, authorities: ['HELPDESK'], scope: ['sp:scopes:all'] }],
      sources: [],
    },
  }));
  return file;
}

t.test('strict auth with no full-permission key and no ORG_ADMIN client: no credentials handed out', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-strict-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const server = await startServer(t, { auth: 'strict', seedData: writeSeed(dir), logLevel: 'warn' });

  t.equal(server.datadog.baseUrl, server.url, 'the Datadog connection still says where');
  t.equal(server.datadog.apiKey, undefined, 'no Datadog API key (none of the seed\'s has a key with every permission)');
  t.equal(server.datadog.appKey, undefined, 'no Datadog application key');
  t.equal(server.sailpoint.tokenUrl, `${server.url}/oauth/token`, 'the SailPoint connection still says where');
  t.equal(server.sailpoint.clientId, undefined, 'no SailPoint client id (the seed has no ORG_ADMIN client)');
  t.equal(server.sailpoint.clientSecret, undefined, 'no SailPoint client secret');

  // What the seed does grant works as the seed says: reads, not writes.
  t.equal((await http(`${server.url}${PREFIX}`, { headers: READ_ONLY })).status, 200, 'the read-only key reads');
  t.equal((await http(`${server.url}${PREFIX}`, { method: 'POST', headers: READ_ONLY, json: seedCreateBody() })).status, 403, 'and may not write');
  const fallback = await http(`${server.url}${PREFIX}`, { headers: { 'dd-api-key': 'syncmock-api-key', 'dd-application-key': 'syncmock-app-key' } });
  t.equal(fallback.status, 403, 'the open-mode defaults are refused under strict auth (so handing them out helps nobody)');
});

t.test('strict auth with a full-permission key and an ORG_ADMIN client hands out those', async (t) => {
  const server = await startServer(t, { auth: 'strict', logLevel: 'warn' });
  t.equal(server.datadog.apiKey, 'syncmock-api-key', 'the seed\'s key');
  t.equal(server.datadog.appKey, 'syncmock-app-key', 'with every permission');
  const created = await http(`${server.url}${PREFIX}`, {
    method: 'POST', headers: { 'dd-api-key': server.datadog.apiKey as string, 'dd-application-key': server.datadog.appKey as string }, json: seedCreateBody(),
  });
  t.equal(created.status, 200, 'and they may write');
  t.equal(server.sailpoint.clientId, 'syncmock-org-admin');
});
