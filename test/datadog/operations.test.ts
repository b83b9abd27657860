// Each operation's success and each documented error status, by raw HTTP, every body checked against its
// schema.
import t from 'tap';
import { matchesSchema, startServer, forceCredentialOutcome } from '../helpers';
import { datadog, seedCreateBody, seedPatchBody, seedValidateBody } from './dd';

const ERR = 'datadog/error-response.json';
const ONE = 'datadog/integration-config-response.json';
const MANY = 'datadog/integration-configs-response.json';

t.test('create answers 200 with the seed example, field for field, and no secrets', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  const res = await dd.call('POST', '', seedCreateBody());
  t.equal(res.status, 200);
  matchesSchema(t, ONE, res.json);
  const { data } = res.json;
  t.match(data.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  t.equal(data.type, 'integration_config');
  t.same(Object.keys(data.attributes).sort(), ['created_at', 'domain', 'enabled', 'integration_type', 'modified_at', 'name', 'settings', 'state']);
  t.match(data.attributes, {
    domain: 'siem-test.com', enabled: true, integration_type: 'GOOGLE_WORKSPACE', name: 'My GWS Integration',
    settings: { setting1: 'value1' }, state: 'valid',
  });
  t.match(data.attributes.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  t.equal(data.attributes.created_at, data.attributes.modified_at);
  t.notOk(res.text.includes('test@example.com'), 'secrets are not echoed');
});

t.test('get answers 200 with the stored config and 404 for an unknown or non-UUID id', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  const created = (await dd.call('POST', '', seedCreateBody())).json.data;
  const got = await dd.call('GET', `/${created.id}`);
  t.equal(got.status, 200);
  matchesSchema(t, ONE, got.json);
  t.same(got.json.data, created);
  for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid', encodeURIComponent('../../etc/passwd')]) {
    const missing = await dd.call('GET', `/${id}`);
    t.equal(missing.status, 404, `GET ${id}`);
    matchesSchema(t, ERR, missing.json);
    t.match(missing.json.errors[0], /^not_found\(Integration config with ID .+ not found\)$/);
  }
});

t.test('list answers {"data": [...]} in creation order, filtered by filter[integration_type]', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  const empty = await dd.call('GET');
  t.equal(empty.status, 200);
  t.same(empty.json, { data: [] }, 'a new org starts empty');
  const okta = { data: { type: 'integration_config', attributes: { domain: 'acme.okta.com', integration_type: 'OKTA', name: 'Okta', secrets: { api_token: 't' } } } };
  const a = (await dd.call('POST', '', seedCreateBody())).json.data;
  const b = (await dd.call('POST', '', okta)).json.data;
  const all = await dd.call('GET');
  matchesSchema(t, MANY, all.json);
  t.same(all.json.data.map((d: { id: string }) => d.id), [a.id, b.id]);
  const filtered = await dd.call('GET', '?filter%5Bintegration_type%5D=OKTA');
  t.equal(filtered.status, 200);
  t.same(filtered.json.data.map((d: { id: string }) => d.id), [b.id]);
  const none = await dd.call('GET', '?filter[integration_type]=ENTRA_ID');
  t.same(none.json, { data: [] });
  const bad = await dd.call('GET', '?filter[integration_type]=GITHUB');
  t.equal(bad.status, 400);
  matchesSchema(t, ERR, bad.json);
  t.match(bad.json.errors[0], /filter\[integration_type\].*GOOGLE_WORKSPACE, OKTA, ENTRA_ID/);
});

t.test('update answers 200 with the seed PATCH example; unknown id 404', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  const created = (await dd.call('POST', '', seedCreateBody())).json.data;
  const res = await dd.call('PATCH', `/${created.id}`, seedPatchBody());
  t.equal(res.status, 200);
  matchesSchema(t, ONE, res.json);
  t.equal(res.json.data.attributes.name, 'My GWS Integration (renamed)');
  const missing = await dd.call('PATCH', '/00000000-0000-0000-0000-000000000000', seedPatchBody());
  t.equal(missing.status, 404);
  matchesSchema(t, ERR, missing.json);
});

t.test('delete answers 204 with an empty body, then the config is gone (404)', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  const created = (await dd.call('POST', '', seedCreateBody())).json.data;
  const res = await dd.call('DELETE', `/${created.id}`);
  t.equal(res.status, 204);
  t.equal(res.text, '');
  t.equal((await dd.call('GET', `/${created.id}`)).status, 404);
  const again = await dd.call('DELETE', `/${created.id}`);
  t.equal(again.status, 404);
  matchesSchema(t, ERR, again.json);
  t.same((await dd.call('GET')).json, { data: [] });
});

t.test('validate credentials answers 200 with an empty body, 400 for invalid credentials', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  const ok = await dd.call('POST', '/validate', seedValidateBody());
  t.equal(ok.status, 200);
  t.equal(ok.text, '');
  const invalid = seedValidateBody();
  invalid.data.attributes.secrets.admin_email = 'INVALID@example.com';
  const bad = await dd.call('POST', '/validate', invalid);
  t.equal(bad.status, 400);
  matchesSchema(t, ERR, bad.json);
  t.match(bad.json.errors[0], /^invalid_argument\(.*rejected the credentials/);
  const empty = seedValidateBody() as { data: { attributes: Record<string, unknown> } };
  empty.data.attributes.secrets = {};
  t.equal((await dd.call('POST', '/validate', empty)).status, 400, 'empty secrets are invalid');
  t.same((await dd.call('GET')).json, { data: [] }, 'validation stores nothing');
});

t.test('validate by id re-checks the stored credentials: 200, 400 (state becomes invalid), 404', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  const created = (await dd.call('POST', '', seedCreateBody())).json.data;
  const ok = await dd.call('POST', `/${created.id}/validate`);
  t.equal(ok.status, 200);
  t.equal(ok.text, '');
  // Credentials that turn bad later: a PATCH stores them (200, state invalid), validate-by-id answers 400.
  const patched = await dd.call('PATCH', `/${created.id}`, { data: { type: 'integration_config', attributes: { secrets: { admin_email: 'invalid-now' } } } });
  t.equal(patched.status, 200);
  t.equal(patched.json.data.attributes.state, 'invalid');
  const bad = await dd.call('POST', `/${created.id}/validate`);
  t.equal(bad.status, 400);
  matchesSchema(t, ERR, bad.json);
  t.equal((await dd.call('GET', `/${created.id}`)).json.data.attributes.state, 'invalid');
  // A forced outcome stands in for the source accepting them again.
  await forceCredentialOutcome(server, 'valid');
  t.equal((await dd.call('POST', `/${created.id}/validate`)).status, 200);
  t.equal((await dd.call('GET', `/${created.id}`)).json.data.attributes.state, 'valid');
  const missing = await dd.call('POST', '/00000000-0000-0000-0000-000000000000/validate');
  t.equal(missing.status, 404);
  matchesSchema(t, ERR, missing.json);
});

t.test('invalid credentials on create answer 400 and store nothing', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  const body = seedCreateBody();
  body.data.attributes.secrets = { admin_email: 'Invalid-admin@example.com' };
  const res = await dd.call('POST', '', body);
  t.equal(res.status, 400);
  matchesSchema(t, ERR, res.json);
  t.same((await dd.call('GET')).json, { data: [] });
  await forceCredentialOutcome(server, 'invalid');
  t.equal((await dd.call('POST', '', seedCreateBody())).status, 400, 'a forced outcome wins over good secrets');
  t.same((await dd.call('GET')).json, { data: [] });
});

t.test('a configured state delay shows "initializing" until the clock passes it', async (t) => {
  const server = await startServer(t, { datadog: { stateDelaySeconds: 30 } });
  const dd = datadog(server.url);
  server.context.clock.freeze(new Date('2026-05-01T12:00:00Z'));
  const created = (await dd.call('POST', '', seedCreateBody())).json.data;
  t.equal(created.attributes.state, 'initializing');
  t.equal(created.attributes.created_at, '2026-05-01T12:00:00Z');
  server.context.clock.advance(29);
  t.equal((await dd.call('GET', `/${created.id}`)).json.data.attributes.state, 'initializing');
  server.context.clock.advance(1);
  t.equal((await dd.call('GET', `/${created.id}`)).json.data.attributes.state, 'valid');
});

t.test('an unknown path under the prefix answers 404 in Datadog\'s shape', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  const res = await dd.call('GET', '/a/b/c');
  t.equal(res.status, 404);
  matchesSchema(t, ERR, res.json);
});
