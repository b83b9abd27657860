// A reset is a barrier: a request held by a delay fault when POST /__admin/reset (all, or its org's or
// tenant's) or POST /__admin/state runs is answered 409 in its vendor's shape and changes nothing, and its
// entry does not land in the new journal. The reset releases it at once (it clears the faults), and so does
// removing the fault: a released request goes on as if the rule had not matched. On every write route.
import t, { type Test } from 'tap';
import { http, matchesSchema, rawRequest, startServer, type TestServer } from '../helpers';
import { PREFIX, seedCreateBody, seedPatchBody, seedValidateBody } from '../datadog/dd';
import { SAILPOINT_ADMIN, attrSyncPath, sailpointHeaders, sailpointToken } from '../e2e/surfaces';
import { admin } from './admin';

const SEED_CONFIG = '11111111-2222-3333-4444-555555555555';
const KEYS = { 'dd-api-key': 'syncmock-api-key', 'dd-application-key': 'syncmock-app-key' };
const OTHER_KEYS = { 'dd-api-key': 'barrier-other-org', 'dd-application-key': 'barrier-other-app' };
/** Long enough that only a release ends it within the test's request timeout. */
const HELD_MS = 30_000;

interface Write {
  name: string;
  vendor: 'datadog' | 'sailpoint';
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  errorSchema: string;
}

async function writeRoutes(server: TestServer): Promise<Write[]> {
  const json = (value: unknown) => JSON.stringify(value);
  const dd = (name: string, method: string, path: string, body?: unknown, revision?: string): Write => ({
    name, vendor: 'datadog', method, path: `${PREFIX}${path}`, errorSchema: 'datadog/error-response.json',
    headers: { ...KEYS, ...(body !== undefined && { 'content-type': 'application/json' }), ...(revision && { 'x-syncmock-datadog-revision': revision }) },
    ...(body !== undefined && { body: json(body) }),
  });
  const token = await sailpointToken(server.url);
  const sourceConfig = (await http(`${server.url}${attrSyncPath()}`, { headers: sailpointHeaders(token) })).json;
  sourceConfig.attributes[0].enabled = !sourceConfig.attributes[0].enabled;
  return [
    dd('Datadog create', 'POST', '', seedCreateBody()),
    dd('Datadog partial update', 'PATCH', `/${SEED_CONFIG}`, seedPatchBody()),
    dd('Datadog delete', 'DELETE', `/${SEED_CONFIG}`),
    dd('Datadog validate credentials', 'POST', '/validate', seedValidateBody()),
    dd('Datadog re-validate a config', 'POST', `/${SEED_CONFIG}/validate`),
    dd('Datadog activate', 'POST', '/entra_id/activate', {}, '2026-08'),
    dd('Datadog deactivate', 'POST', '/google_workspace/deactivate', undefined, '2026-08'),
    {
      name: 'SailPoint PUT', vendor: 'sailpoint', method: 'PUT', path: attrSyncPath(), errorSchema: 'sailpoint/error-response-dto.json',
      headers: { ...sailpointHeaders(token), 'content-type': 'application/json' }, body: json(sourceConfig),
    },
    {
      name: 'SailPoint token', vendor: 'sailpoint', method: 'POST', path: '/oauth/token', errorSchema: 'sailpoint/oauth-error.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SAILPOINT_ADMIN.clientId, client_secret: SAILPOINT_ADMIN.clientSecret }).toString(),
    },
  ];
}

/** Sends the write without waiting, and resolves once its fault holds it (the rule counts a hit). */
async function held(server: TestServer, write: Write, rule: Record<string, unknown>) {
  const call = admin(server.url);
  const fault = (await call('POST', '/faults', { vendor: write.vendor, method: write.method, delay_ms: HELD_MS, times: 1, ...rule })).json;
  const answer = rawRequest(server.url, { method: write.method, path: write.path, headers: write.headers, body: write.body, timeoutMs: 10_000 });
  for (;;) {
    if ((await call('GET', `/faults/${fault.id}`)).json.hits === 1) return { answer, fault };
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** What the vendors' state and the journal show (clock frozen, so it reads the same twice). */
async function views(server: TestServer): Promise<{ state: string; journal: Array<{ method: string; path: string }> }> {
  const call = admin(server.url);
  const state = (await call('GET', '/state')).text;
  const journal = (await call('GET', '/requests')).json.requests;
  return { state, journal };
}

async function freeze(t: Test, server: TestServer): Promise<void> {
  t.equal((await admin(server.url)('POST', '/clock', { freeze_at: '2026-05-01T12:00:00Z' })).status, 200);
}

const resets: Array<[string, (server: TestServer, write: Write) => Promise<number>]> = [
  ['a full reset', async (server) => (await admin(server.url)('POST', '/reset')).status],
  ['a reset of its org or tenant', async (server, write) => {
    const scope = write.vendor === 'datadog' ? 'org=syncmock-org-1' : 'tenant=58eb06a4-dcd7-4e96-8fac-cca2afc03e61';
    return (await admin(server.url)('POST', `/reset?${scope}`)).status;
  }],
  ['a state import of its org or tenant', async (server, write) => {
    const call = admin(server.url);
    const exported = (await call('GET', '/state')).json;
    const collection = write.vendor === 'datadog' ? 'orgs' : 'tenants';
    const id = write.vendor === 'datadog' ? 'syncmock-org-1' : '58eb06a4-dcd7-4e96-8fac-cca2afc03e61';
    const own = { [write.vendor]: { [collection]: { [id]: exported[write.vendor][collection][id] } } };
    return (await call('POST', '/state?mode=replace', own)).status;
  }],
];

t.test('a request held across a reset is refused, changes nothing and stays out of the new journal', async (t) => {
  const server = await startServer(t);
  await freeze(t, server);
  const writes = await writeRoutes(server);
  for (const [resetName, reset] of resets) {
    for (const write of writes) {
      const { answer } = await held(server, write, {});
      t.equal(await reset(server, write), 200, `${write.name}: ${resetName}`);
      // A scoped reset clears only that org's or tenant's rules: this one is for any, so remove it to release.
      await admin(server.url)('DELETE', '/faults');
      const after = await views(server);
      const res = await answer;
      t.equal(res.status, 409, `${write.name} held across ${resetName}: 409`);
      matchesSchema(t, write.errorSchema, JSON.parse(res.text), `${write.name}: in its vendor's shape`);
      t.match(res.text, /reset while this request waited/);
      const now = await views(server);
      t.equal(now.state, after.state, `${write.name}: nothing changed after ${resetName}`);
      t.notOk(now.journal.some((e) => e.method === write.method && e.path === write.path.split('?')[0]), `${write.name}: not in the new journal`);
      await admin(server.url)('POST', '/reset');
      await freeze(t, server);
    }
  }
});

t.test('a scoped reset is a barrier for its own org or tenant only', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const other = (await call('POST', '/faults', { vendor: 'datadog', method: 'POST', delay_ms: 200, times: 1 })).json;
  const answer = rawRequest(server.url, {
    method: 'POST', path: PREFIX, headers: { ...OTHER_KEYS, 'content-type': 'application/json' }, body: JSON.stringify(seedCreateBody()),
  });
  while ((await call('GET', `/faults/${other.id}`)).json.hits !== 1) await new Promise((resolve) => setImmediate(resolve));
  t.equal((await call('POST', '/reset?org=syncmock-org-1')).status, 200);
  const res = await answer;
  t.equal(res.status, 200, 'another org\'s request held across the reset is answered for real');
  const journal = (await call('GET', '/requests')).json.requests;
  t.ok(journal.some((e: { method: string; status: number }) => e.method === 'POST' && e.status === 200), 'and journaled');
});

t.test('removing a fault releases the requests its delay holds: they go on as if it had not matched', async (t) => {
  const server = await startServer(t);
  const writes = await writeRoutes(server);
  const create = writes[0];
  for (const removal of ['DELETE /__admin/faults/<id>', 'DELETE /__admin/faults']) {
    const { answer, fault } = await held(server, create, { status: 503 });
    const removed = await admin(server.url)('DELETE', removal.endsWith('<id>') ? `/faults/${fault.id}` : '/faults');
    t.equal(removed.status, 204, removal);
    const res = await answer;
    t.equal(res.status, 200, `${removal}: the held request is answered for real, without the rule's 503`);
    const entry = (await admin(server.url)('GET', '/requests?limit=1')).json.requests[0];
    t.same(entry.fault, { id: fault.id, delay_ms: HELD_MS, released: true }, 'its journal entry says it was released');
  }
});
