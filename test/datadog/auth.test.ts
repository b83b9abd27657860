// DD-API-KEY and DD-APPLICATION-KEY, permissions from the seed data, open and strict modes, orgs.
import t from 'tap';
import { matchesSchema, startServer } from '../helpers';
import { datadog, seedCreateBody } from './dd';
import { http } from '../helpers';
import { PREFIX } from './dd';

const ERR = 'datadog/error-response.json';

t.test('missing or empty keys answer 403 on every operation', async (t) => {
  const server = await startServer(t);
  const ops: Array<[string, string, unknown?]> = [
    ['GET', ''], ['POST', '', seedCreateBody()], ['POST', '/validate', {}], ['GET', '/x'], ['PATCH', '/x', {}], ['DELETE', '/x'], ['POST', '/x/validate'],
  ];
  const headerSets: Array<[string, Record<string, string>, RegExp]> = [
    ['no keys', {}, /API key required/],
    ['empty API key', { 'DD-API-KEY': ' ', 'DD-APPLICATION-KEY': 'a' }, /API key required/],
    ['no application key', { 'DD-API-KEY': 'k' }, /DD-APPLICATION-KEY/],
  ];
  for (const [method, path, json] of ops) {
    for (const [name, headers, message] of headerSets) {
      const res = await http(`${server.url}${PREFIX}${path}`, { method, headers, json });
      t.equal(res.status, 403, `${method} ${path} with ${name}`);
      matchesSchema(t, ERR, res.json);
      t.match(res.json.errors[0], message);
    }
  }
});

t.test('a read-only application key may read but not write (403), in open mode too', async (t) => {
  const server = await startServer(t);
  const admin = datadog(server.url, 'syncmock-api-key', 'syncmock-app-key');
  const reader = datadog(server.url, 'syncmock-api-key', 'syncmock-read-only-app-key');
  const nobody = datadog(server.url, 'syncmock-api-key', 'syncmock-no-permission-app-key');
  const listed = await reader.call('GET');
  t.equal(listed.status, 200);
  t.equal(listed.json.data.length, 1, 'the seeded org has its example config');
  const id = listed.json.data[0].id;
  t.equal(id, '11111111-2222-3333-4444-555555555555');
  t.equal((await reader.call('GET', `/${id}`)).status, 200);
  t.equal((await reader.call('POST', `/${id}/validate`)).status, 200);
  for (const [method, path, json] of [['POST', '', seedCreateBody()], ['PATCH', `/${id}`, { data: { type: 'integration_config', attributes: {} } }], ['DELETE', `/${id}`]] as const) {
    const res = await reader.call(method, path, json);
    t.equal(res.status, 403, `${method} needs manage_integrations`);
    matchesSchema(t, ERR, res.json);
    t.match(res.json.errors[0], /manage_integrations/);
  }
  const denied = await nobody.call('GET');
  t.equal(denied.status, 403);
  t.match(denied.json.errors[0], /integrations_read/);
  t.equal((await admin.call('DELETE', `/${id}`)).status, 204, 'the full key may');
});

t.test('an application key of another org is refused', async (t) => {
  const server = await startServer(t);
  const res = await datadog(server.url, 'syncmock-api-key-2', 'syncmock-app-key').call('GET');
  t.equal(res.status, 403);
  matchesSchema(t, ERR, res.json);
});

t.test('strict mode accepts only keys from the seed data', async (t) => {
  const server = await startServer(t, { auth: 'strict' });
  t.equal((await datadog(server.url, 'syncmock-api-key', 'syncmock-app-key').call('GET')).status, 200);
  const unknownApi = await datadog(server.url, 'made-up', 'syncmock-app-key').call('GET');
  t.equal(unknownApi.status, 403);
  t.match(unknownApi.json.errors[0], /unknown API key/);
  const unknownApp = await datadog(server.url, 'syncmock-api-key', 'made-up').call('GET');
  t.equal(unknownApp.status, 403);
  t.match(unknownApp.json.errors[0], /unknown application key/);
});

t.test('two orgs (two API keys) never see each other\'s configs', async (t) => {
  const server = await startServer(t);
  const a = datadog(server.url, 'suite-a-key', 'app');
  const b = datadog(server.url, 'suite-b-key', 'app');
  const created = (await a.call('POST', '', seedCreateBody())).json.data;
  t.same((await b.call('GET')).json, { data: [] });
  for (const [method, path, json] of [['GET', ''], ['PATCH', '', { data: { type: 'integration_config', attributes: { name: 'stolen' } } }], ['POST', '/validate'], ['DELETE', '']] as const) {
    const res = await b.call(method, `/${created.id}${path}`, json);
    t.equal(res.status, 404, `org B cannot ${method} ${path || 'the config'}`);
  }
  const stillThere = await a.call('GET', `/${created.id}`);
  t.same(stillThere.json.data, created, 'org A\'s config is untouched');
  t.equal((await a.call('GET')).json.data.length, 1);
});
