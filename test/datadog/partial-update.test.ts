// Partial update: only the attributes present change; settings and secrets are replaced whole;
// modified_at moves, created_at never does.
import t from 'tap';
import { matchesSchema, startServer } from '../helpers';
import { startServerWithStore, type StoreReader } from '../store-reader';
import { datadog, seedCreateBody } from './dd';

const patch = (attributes: Record<string, unknown>) => ({ data: { type: 'integration_config', attributes } });

/** The secrets stored for a config, read from the server's SQLite file. */
const storedSecrets = (store: StoreReader, id: string): unknown =>
  JSON.parse((store.query('SELECT secrets FROM dd_integration_configs WHERE id = ?', id)[0] as { secrets: string }).secrets);

const UPDATES: Record<string, unknown> = {
  name: 'Renamed',
  domain: 'other.example.com',
  enabled: false,
  settings: { only: 'this' },
  integration_type: 'GOOGLE_WORKSPACE',
};

for (const [attribute, value] of Object.entries(UPDATES)) {
  t.test(`updating ${attribute} alone leaves every other attribute and the secrets unchanged`, async (t) => {
    const { server, store } = await startServerWithStore(t);
    const dd = datadog(server.url);
    server.context.clock.freeze(new Date('2026-05-01T12:00:00Z'));
    const created = (await dd.call('POST', '', seedCreateBody())).json.data;
    server.context.clock.advance(3600);
    const res = await dd.call('PATCH', `/${created.id}`, patch({ [attribute]: value }));
    t.equal(res.status, 200);
    matchesSchema(t, 'datadog/integration-config-response.json', res.json);
    const expected = { ...created.attributes, [attribute]: value, modified_at: '2026-05-01T13:00:00Z' };
    t.same(res.json.data.attributes, expected);
    t.same((await dd.call('GET', `/${created.id}`)).json.data.attributes, expected, 'stored as answered');
    t.equal(res.json.data.attributes.created_at, '2026-05-01T12:00:00Z', 'created_at never moves');
    // The stored secrets are untouched: forcing nothing, a re-check of the original secrets passes, and the
    // store still holds exactly what create sent.
    t.same(storedSecrets(store, created.id), { admin_email: 'test@example.com' });
  });
}

t.test('secrets alone: replaced whole, re-checked, never returned', async (t) => {
  const { server, store } = await startServerWithStore(t);
  const dd = datadog(server.url);
  const created = (await dd.call('POST', '', seedCreateBody())).json.data;
  const res = await dd.call('PATCH', `/${created.id}`, patch({ secrets: { service_account_json: { client_email: 'svc@x' } } }));
  t.equal(res.status, 200);
  t.same({ ...res.json.data.attributes, modified_at: created.attributes.modified_at }, created.attributes, 'only modified_at may move');
  t.notOk(res.text.includes('svc@x'));
  t.same(storedSecrets(store, created.id), { service_account_json: { client_email: 'svc@x' } }, 'the old object is gone, not merged');
});

t.test('settings are replaced whole, not merged', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  const created = (await dd.call('POST', '', seedCreateBody())).json.data;
  const res = await dd.call('PATCH', `/${created.id}`, patch({ settings: { setting2: 'value2' } }));
  t.same(res.json.data.attributes.settings, { setting2: 'value2' });
});

t.test('an empty attributes object changes nothing but modified_at', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  server.context.clock.freeze(new Date('2026-05-01T12:00:00Z'));
  const created = (await dd.call('POST', '', seedCreateBody())).json.data;
  server.context.clock.advance(60);
  const res = await dd.call('PATCH', `/${created.id}`, patch({}));
  t.same(res.json.data.attributes, { ...created.attributes, modified_at: '2026-05-01T12:01:00Z' });
});
