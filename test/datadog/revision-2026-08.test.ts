// Revision 2026-08 by raw HTTP: the revision switch, the per-type schemas, the credential check per type,
// configs shared across revisions, and the seed documents' bodies under both revisions.
import t, { type Test } from 'tap';
import { http, matchesSchema, startServer, forceCredentialOutcome } from '../helpers';
import {
  ALL_TYPES, SECRETS, SEED_CONFIG_ID, SEED_CREATE, SEED_UPDATE, SEED_VALIDATE, createAttributes, createBody, dd,
} from './revision-fixtures';

const V8 = '2026-08';
const V6 = '2026-06';
const ERROR = 'datadog/error-response.json';
/** Both revisions answer in the same shape. */
const CONFIG = 'datadog/integration-config-response.json';
const CONFIGS = 'datadog/integration-configs-response.json';

/** A 400 whose one or more messages include each of `expected`. */
function isBadRequest(t: Test, res: { status: number; json: any }, ...expected: string[]): void {
  t.equal(res.status, 400, `400 for ${expected.join(' / ')}`);
  matchesSchema(t, ERROR, res.json);
  const messages: string[] = res.json?.errors ?? [];
  for (const e of expected) t.ok(messages.some((m) => m.includes(e)), `an error names ${e}`, { messages });
}

t.test('the revision switch', async (t) => {
  t.test('the default is 2026-06, and /__admin/health says what is served', async (t) => {
    const server = await startServer(t);
    const health = await http(`${server.url}/__admin/health`);
    t.same(health.json.datadog, { revisions: ['2026-06', '2026-08'], default_revision: '2026-06' });
    const crowdstrike = createBody(createAttributes('CROWDSTRIKE'));
    isBadRequest(t, await dd(server.url, 'POST', '', { json: crowdstrike }), 'data.attributes.integration_type', 'GOOGLE_WORKSPACE, OKTA, ENTRA_ID');
    const picked = await dd(server.url, 'POST', '', { json: crowdstrike, revision: V8 });
    t.equal(picked.status, 200, 'the header picks 2026-08 on a 2026-06 server');
    matchesSchema(t, CONFIG, picked.json);
  });

  t.test('a server started with revision 2026-08 serves it by default and 2026-06 on request', async (t) => {
    const server = await startServer(t, { datadog: { revision: '2026-08' } });
    const health = await http(`${server.url}/__admin/health`);
    t.equal(health.json.datadog.default_revision, '2026-08');
    isBadRequest(t, await dd(server.url, 'POST', '', { json: SEED_CREATE }), 'data.attributes.secrets.service_account_json');
    const old = await dd(server.url, 'POST', '', { json: SEED_CREATE, revision: V6 });
    t.equal(old.status, 200, 'the header picks 2026-06');
    matchesSchema(t, CONFIG, old.json);
    const empty = await dd(server.url, 'POST', '', { json: SEED_CREATE, headers: { 'x-syncmock-datadog-revision': ' ' } });
    isBadRequest(t, empty, 'service_account_json');
  });

  t.test('an unknown revision is a 400 in Datadog\'s shape, on known and unknown routes alike', async (t) => {
    const server = await startServer(t);
    for (const [method, path] of [['GET', ''], ['GET', `/${SEED_CONFIG_ID}`], ['POST', '/entra_id/activate'], ['GET', '/no/such/route']]) {
      const res = await dd(server.url, method, path, { revision: '2026-07' });
      isBadRequest(t, res, "Header 'X-Syncmock-Datadog-Revision' must be one of: 2026-06, 2026-08", "got '2026-07'");
    }
  });
});

t.test('the seed documents\' bodies pass under 2026-06 and are 400s naming service_account_json under 2026-08', async (t) => {
  const server = await startServer(t);
  const created = await dd(server.url, 'POST', '', { json: SEED_CREATE, revision: V6 });
  t.equal(created.status, 200, 'seed 001 create');
  matchesSchema(t, CONFIG, created.json);
  t.notOk('secrets' in created.json.data.attributes, 'secrets never come back');
  const validated = await dd(server.url, 'POST', '/validate', { json: SEED_VALIDATE, revision: V6 });
  t.equal(validated.status, 200, 'seed 003 validate');
  t.equal(validated.text, '');
  const got = await dd(server.url, 'GET', `/${SEED_CONFIG_ID}`, { revision: V6 });
  t.equal(got.status, 200, 'seed 002 get');
  matchesSchema(t, CONFIG, got.json);
  const updated = await dd(server.url, 'PATCH', `/${SEED_CONFIG_ID}`, { json: SEED_UPDATE, revision: V6 });
  t.equal(updated.status, 200, 'seed 000 update');
  matchesSchema(t, CONFIG, updated.json);
  t.equal(updated.json.data.attributes.name, 'My GWS Integration (renamed)');

  const before = await dd(server.url, 'GET', '', { revision: V8 });
  isBadRequest(t, await dd(server.url, 'POST', '', { json: SEED_CREATE, revision: V8 }), "Field 'data.attributes.secrets.service_account_json' is required");
  isBadRequest(t, await dd(server.url, 'POST', '/validate', { json: SEED_VALIDATE, revision: V8 }), "Field 'data.attributes.secrets.service_account_json' is required");
  isBadRequest(t, await dd(server.url, 'PATCH', `/${SEED_CONFIG_ID}`, { json: SEED_UPDATE, revision: V8 }), "Field 'data.attributes.secrets.service_account_json' is required");
  const after = await dd(server.url, 'GET', '', { revision: V8 });
  matchesSchema(t, CONFIGS, after.json);
  t.same(after.json, before.json, 'the 400s changed nothing');
});

t.test('2026-08 create: each of the five types with its own secrets', async (t) => {
  const server = await startServer(t, { datadog: { revision: '2026-08' } });
  const ids: Record<string, string> = {};
  for (const type of ALL_TYPES) {
    const res = await dd(server.url, 'POST', '', { json: createBody(createAttributes(type)) });
    t.equal(res.status, 200, `create ${type}`);
    matchesSchema(t, CONFIG, res.json);
    t.match(res.json.data.attributes, { integration_type: type, enabled: true, state: 'valid', domain: `${type.toLowerCase()}.example.com` });
    t.notOk('secrets' in res.json.data.attributes);
    ids[type] = res.json.data.id;
  }
  t.notOk(server.logs().includes('crowdstrike-client-secret') || server.logs().includes('okta-api-token'), 'no secret reaches the logs');
  for (const type of ALL_TYPES) {
    const listed = await dd(server.url, 'GET', `?filter[integration_type]=${type}`);
    t.equal(listed.status, 200);
    matchesSchema(t, CONFIGS, listed.json);
    t.same(listed.json.data.map((c: { id: string }) => c.id), type === 'GOOGLE_WORKSPACE' ? [SEED_CONFIG_ID, ids[type]] : [ids[type]], `filter ${type}`);
  }
  isBadRequest(t, await dd(server.url, 'GET', '?filter[integration_type]=FOO'), 'filter[integration_type]', 'SENTINELONE');
});

t.test('2026-08 create: a 400 names the missing or invalid field, and nothing is stored', async (t) => {
  const server = await startServer(t, { datadog: { revision: '2026-08' } });
  const gws = SECRETS.GOOGLE_WORKSPACE as { service_account_json: Record<string, unknown> };
  const { private_key: _dropped, ...noPrivateKey } = gws.service_account_json;
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['no integration_type', { ...createAttributes('OKTA'), integration_type: undefined }, ["Field 'data.attributes.integration_type' is required"]],
    ['an unknown integration_type', createAttributes('OKTA', { integration_type: 'JUMPCLOUD' }),
      ["Field 'data.attributes.integration_type' must be one of: GOOGLE_WORKSPACE, OKTA, ENTRA_ID, CROWDSTRIKE, SENTINELONE"]],
    ['no name', { ...createAttributes('OKTA'), name: undefined }, ["Field 'data.attributes.name' is required"]],
    ['GOOGLE_WORKSPACE without secrets', { ...createAttributes('GOOGLE_WORKSPACE'), secrets: undefined }, ["Field 'data.attributes.secrets' is required"]],
    ['a service account without private_key', createAttributes('GOOGLE_WORKSPACE', { secrets: { service_account_json: noPrivateKey } }),
      ["Field 'data.attributes.secrets.service_account_json.private_key' is required"]],
    ['a service account of another type', createAttributes('GOOGLE_WORKSPACE', { secrets: { service_account_json: { ...gws.service_account_json, type: 'user' } } }),
      ["Field 'data.attributes.secrets.service_account_json.type' must be one of: service_account"]],
    ['OKTA with a misspelt token', createAttributes('OKTA', { secrets: { apiToken: 'x' } }), ["Field 'data.attributes.secrets.api_token' is required"]],
    ['OKTA with an empty token', createAttributes('OKTA', { secrets: { api_token: '' } }), ["Field 'data.attributes.secrets.api_token' must NOT have fewer than 1 characters"]],
    ['CROWDSTRIKE without client_secret', createAttributes('CROWDSTRIKE', { secrets: { client_id: 'x' } }), ["Field 'data.attributes.secrets.client_secret' is required"]],
    ['SENTINELONE without api_token', createAttributes('SENTINELONE', { secrets: {} }), ["Field 'data.attributes.secrets.api_token' is required"]],
  ];
  for (const [what, attributes, expected] of cases) {
    t.test(what, async (t) => {
      isBadRequest(t, await dd(server.url, 'POST', '', { json: createBody(attributes) }), ...expected);
    });
  }
  t.test('credentials the source rejects (the "invalid" marker) are a 400 too', async (t) => {
    isBadRequest(t, await dd(server.url, 'POST', '', { json: createBody(createAttributes('SENTINELONE', { secrets: { api_token: 'Invalid-token' } })) }),
      "invalid_argument(The SENTINELONE source rejected the credentials in 'data.attributes.secrets')");
  });
  t.test('nothing was stored', async (t) => {
    const listed = await dd(server.url, 'GET', '');
    t.same(listed.json.data.map((c: { id: string }) => c.id), [SEED_CONFIG_ID]);
  });
});

t.test('2026-08 validate credentials, per type', async (t) => {
  const server = await startServer(t, { datadog: { revision: '2026-08' } });
  const validate = (attributes: Record<string, unknown>) => dd(server.url, 'POST', '/validate', { json: createBody(attributes) });
  const credentials = (type: string, extra: Record<string, unknown> = {}) => {
    const { name: _n, settings: _s, ...rest } = createAttributes(type, extra);
    return rest;
  };
  for (const type of ALL_TYPES) {
    const res = await validate(credentials(type));
    t.equal(res.status, 200, `${type} credentials are valid`);
    t.equal(res.text, '');
  }
  isBadRequest(t, await validate(credentials('CROWDSTRIKE', { secrets: { client_id: 'x', client_secret: 'invalid' } })), 'CROWDSTRIKE source rejected');
  isBadRequest(t, await validate(credentials('OKTA', { secrets: undefined })), "Field 'data.attributes.secrets' is required");
  await forceCredentialOutcome(server, 'invalid');
  isBadRequest(t, await validate(credentials('ENTRA_ID')), 'ENTRA_ID source rejected');
  t.equal((await validate(credentials('ENTRA_ID'))).status, 200, 'the forced outcome was used once');
});

t.test('2026-08 update: integration_type is required and must be the config\'s own; secrets are typed', async (t) => {
  const server = await startServer(t, { datadog: { revision: '2026-08' } });
  const okta = (await dd(server.url, 'POST', '', { json: createBody(createAttributes('OKTA')) })).json.data;
  const patch = (id: string, attributes: Record<string, unknown>) => dd(server.url, 'PATCH', `/${id}`, { json: createBody(attributes) });

  isBadRequest(t, await patch(okta.id, { name: 'renamed' }), "Field 'data.attributes.integration_type' is required");
  isBadRequest(t, await patch(okta.id, { integration_type: 'SENTINELONE', name: 'renamed' }),
    "Field 'data.attributes.integration_type' is invalid: the integration type of an existing configuration cannot be changed (it is OKTA)");
  isBadRequest(t, await patch(okta.id, { integration_type: 'OKTA', secrets: { client_id: 'x' } }),
    "Field 'data.attributes.secrets.api_token' is required");
  t.equal((await dd(server.url, 'GET', `/${okta.id}`)).json.data.attributes.name, okta.attributes.name, 'the 400s changed nothing');

  const renamed = await patch(okta.id, { integration_type: 'OKTA', name: 'renamed', enabled: false });
  t.equal(renamed.status, 200);
  matchesSchema(t, CONFIG, renamed.json);
  t.match(renamed.json.data.attributes, { name: 'renamed', enabled: false, state: 'valid' });

  const rejected = await patch(okta.id, { integration_type: 'OKTA', secrets: { api_token: 'invalid-now' } });
  t.equal(rejected.status, 200, 'new secrets the source rejects are stored');
  t.equal(rejected.json.data.attributes.state, 'invalid');
  isBadRequest(t, await dd(server.url, 'POST', `/${okta.id}/validate`), 'rejected by the OKTA source');
  const fixed = await patch(okta.id, { integration_type: 'OKTA', secrets: { api_token: 'good' } });
  t.equal(fixed.json.data.attributes.state, 'valid');
  t.equal((await dd(server.url, 'POST', `/${okta.id}/validate`)).status, 200);

  const entra = (await dd(server.url, 'POST', '', { json: createBody(createAttributes('ENTRA_ID')) })).json.data;
  const disabled = await patch(entra.id, { integration_type: 'ENTRA_ID', enabled: false, settings: { tenant: 'x' } });
  t.equal(disabled.status, 200);
  t.match(disabled.json.data.attributes, { enabled: false, settings: { tenant: 'x' }, state: 'valid' });
  t.equal((await dd(server.url, 'POST', `/${entra.id}/validate`)).status, 200, 'Entra ID needs no stored secrets to be valid');
});

t.test('configs are shared across revisions', async (t) => {
  const server = await startServer(t);
  const crowdstrike = (await dd(server.url, 'POST', '', { json: createBody(createAttributes('CROWDSTRIKE')), revision: V8 })).json.data;
  const entra = (await dd(server.url, 'POST', '', { json: createBody(createAttributes('ENTRA_ID')), revision: V8 })).json.data;

  const listed = await dd(server.url, 'GET', '', { revision: V6 });
  t.equal(listed.status, 200);
  t.same(listed.json.data.map((c: { id: string }) => c.id), [SEED_CONFIG_ID, crowdstrike.id, entra.id], '2026-06 lists a CROWDSTRIKE config too');
  matchesSchema(t, CONFIGS, listed.json, 'the same shape; CROWDSTRIKE is outside the 2026-06 enum, which clients read as unparsed');
  isBadRequest(t, await dd(server.url, 'GET', '?filter[integration_type]=CROWDSTRIKE', { revision: V6 }), 'GOOGLE_WORKSPACE, OKTA, ENTRA_ID');

  const renamed = await dd(server.url, 'PATCH', `/${crowdstrike.id}`, { json: createBody({ name: 'renamed under 2026-06' }), revision: V6 });
  t.equal(renamed.status, 200, 'under 2026-06 integration_type may be left out');
  matchesSchema(t, CONFIG, renamed.json);
  t.equal((await dd(server.url, 'POST', `/${entra.id}/validate`, { revision: V6 })).status, 200, 'a secretless Entra ID config validates under 2026-06');

  const old = (await dd(server.url, 'POST', '', { json: SEED_CREATE, revision: V6 })).json.data;
  const got = await dd(server.url, 'GET', `/${old.id}`, { revision: V8 });
  t.equal(got.status, 200, 'a 2026-06 config reads under 2026-08');
  matchesSchema(t, CONFIG, got.json);
  t.equal((await dd(server.url, 'DELETE', `/${old.id}`, { revision: V8 })).status, 204);
});

t.test('an Entra ID config created under 2026-08 takes secrets from a 2026-06 PATCH, as every 2026-06 config does; 2026-08 ignores them', async (t) => {
  const server = await startServer(t);
  const entra = (await dd(server.url, 'POST', '', { json: createBody(createAttributes('ENTRA_ID')), revision: V8 })).json.data;
  const exported = async () => (await http(`${server.url}/__admin/state?org=syncmock-org-1`)).json.datadog.orgs['syncmock-org-1']
    .integration_configs.find((c: { id: string }) => c.id === entra.id);
  t.notOk('secrets' in await exported(), 'created under 2026-08: no secrets stored');

  const given = await dd(server.url, 'PATCH', `/${entra.id}`, { json: createBody({ secrets: { client_assertion: 'invalid-assertion' } }), revision: V6 });
  t.equal(given.status, 200, 'a 2026-06 PATCH may carry secrets for any type');
  t.equal(given.json.data.attributes.state, 'invalid', 'they are checked like any 2026-06 secrets (the "invalid" marker)');
  t.notOk('secrets' in given.json.data.attributes, 'and never answered');
  t.equal((await exported()).secrets, '[redacted]', 'they are stored');
  t.equal((await dd(server.url, 'POST', `/${entra.id}/validate`, { revision: V8 })).status, 400, 'the stored secrets are what validate checks, under either revision');

  const ignored = await dd(server.url, 'PATCH', `/${entra.id}`, { json: createBody({ integration_type: 'ENTRA_ID', secrets: { client_assertion: 'good' } }), revision: V8 });
  t.equal(ignored.status, 200);
  t.equal(ignored.json.data.attributes.state, 'invalid', 'secrets in a 2026-08 PATCH of an Entra ID config are ignored: nothing re-checked');

  const replaced = await dd(server.url, 'PATCH', `/${entra.id}`, { json: createBody({ secrets: { client_assertion: 'good' } }), revision: V6 });
  t.equal(replaced.json.data.attributes.state, 'valid', 'a 2026-06 PATCH replaces them whole and re-checks');
  const emptied = await dd(server.url, 'PATCH', `/${entra.id}`, { json: createBody({ secrets: {} }), revision: V6 });
  t.equal(emptied.json.data.attributes.state, 'invalid', 'an empty secrets object fails the check, as for every 2026-06 config');
});
