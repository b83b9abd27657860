// The request journal through HTTP: entries, newest first, redacted; filters; bounded; cleared.
import t from 'tap';
import { orgIdForApiKey } from '../../src/datadog/auth';
import { http, matchesSchema, startServer } from '../helpers';
import { datadog, PREFIX, seedCreateBody } from '../datadog/dd';
import { admin } from './admin';

const MARKER = 'marker-secret-5f1c2b';

t.test('every emulated request is journaled, newest first, secrets and keys redacted', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  server.context.clock.freeze(new Date('2026-05-01T12:00:00Z'));
  const dd = datadog(server.url, `api-${MARKER}`, `app-${MARKER}`);
  const body = seedCreateBody();
  body.data.attributes.secrets = { admin_email: 'a@example.com', private_key: MARKER } as never;
  const created = await dd.call('POST', '', body);
  t.equal(created.status, 200);
  await dd.call('GET', '?filter[integration_type]=OKTA');
  await call('GET', '/health');

  const res = await call('GET', '/requests');
  t.equal(res.status, 200);
  matchesSchema(t, 'control/requests-response.json', res.json);
  t.equal(res.json.capacity, 1000);
  const [list, create] = res.json.requests;
  t.equal(res.json.requests.length, 2, '/__admin calls are not journaled');
  t.ok(list.id > create.id, 'newest first');
  t.match(list, { vendor: 'datadog', org: orgIdForApiKey(`api-${MARKER}`), method: 'GET', path: PREFIX, status: 200 });
  t.same(list.query, { 'filter[integration_type]': 'OKTA' });
  t.equal(create.time, '2026-05-01T12:00:00.000Z', 'the server clock');
  t.type(create.duration_ms, 'number');
  t.equal(create.request.headers['dd-api-key'], '[redacted]');
  t.equal(create.request.headers['dd-application-key'], '[redacted]');
  t.equal(create.request.body.data.attributes.secrets, '[redacted]');
  t.equal(create.request.body.data.attributes.name, 'My GWS Integration', 'the rest is as sent');
  t.same(create.response.body, created.json, 'the answer as sent');
  t.equal(create.response.headers['x-ratelimit-name'], 'security_monitoring_integration_config_write');
  t.notOk(res.text.includes(MARKER), 'the marker appears nowhere in the journal');
  t.notOk(server.logs().includes(MARKER), 'nor in the logs');
});

t.test('filters: vendor, method, path glob, status or class, org or api_key, limit', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const a = datadog(server.url, 'key-a');
  const b = datadog(server.url, 'key-b');
  await a.call('POST', '', seedCreateBody());
  await a.call('GET', '/11111111-2222-3333-4444-555555555555');
  await b.call('GET');
  await b.call('DELETE', '/nope');
  await http(`${server.url}/not-an-api`);
  const ids = async (query: string) =>
    ((await call('GET', `/requests${query}`)).json.requests as Array<{ method: string; path: string; status: number }>)
      .map((e) => `${e.method} ${e.path.replace(PREFIX, '~')} ${e.status}`);
  t.same(await ids(''), ['GET /not-an-api 404', 'DELETE ~/nope 404', 'GET ~ 200', 'GET ~/11111111-2222-3333-4444-555555555555 404', 'POST ~ 200']);
  t.same(await ids('?vendor=datadog&limit=2'), ['DELETE ~/nope 404', 'GET ~ 200']);
  t.same(await ids('?method=get&status=4xx'), ['GET /not-an-api 404', 'GET ~/11111111-2222-3333-4444-555555555555 404']);
  t.same(await ids('?status=200'), ['GET ~ 200', 'POST ~ 200']);
  t.same(await ids(`?path=${encodeURIComponent(`${PREFIX}/*`)}`), ['DELETE ~/nope 404', 'GET ~/11111111-2222-3333-4444-555555555555 404']);
  t.same(await ids('?api_key=key-b'), ['DELETE ~/nope 404', 'GET ~ 200']);
  t.same(await ids(`?org=${orgIdForApiKey('key-a')}`), ['GET ~/11111111-2222-3333-4444-555555555555 404', 'POST ~ 200']);
  t.same(await ids('?vendor=sailpoint'), []);
  const unknown = (await call('GET', '/requests?path=/not-an-api')).json.requests[0];
  t.equal(unknown.vendor, null, 'a path outside the vendors has no vendor');
  t.notOk('org' in unknown);

  for (const query of ['status=abc', 'status=600', 'limit=0', 'limit=x', 'path=nope', 'vendor=github', 'colour=red', 'org=a&tenant=b']) {
    const bad = await call('GET', `/requests?${query}`);
    t.equal(bad.status, 400, query);
    matchesSchema(t, 'control/error.json', bad.json);
  }
  t.match((await call('GET', '/requests?path=nope')).json.message, /Field 'path' must start with \//);
  t.match((await call('GET', '/requests?limit=0')).json.message, /Field 'limit'/);
});

t.test('the journal is a ring: the oldest entries go, and it says how many', async (t) => {
  const server = await startServer(t, { journalSize: 3 });
  const dd = datadog(server.url);
  for (let i = 0; i < 5; i++) await dd.call('GET', `/id-${i}`);
  const res = (await admin(server.url)('GET', '/requests')).json;
  t.equal(res.capacity, 3);
  t.equal(res.evicted, 2);
  t.same(res.requests.map((e: { path: string }) => e.path.split('/').pop()), ['id-4', 'id-3', 'id-2']);

  const off = await startServer(t, { journalSize: 0 });
  await datadog(off.url).call('GET');
  t.same((await admin(off.url)('GET', '/requests')).json.requests, [], 'size 0 turns it off');
});

t.test('DELETE clears the journal, or one org\'s entries', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  await datadog(server.url, 'key-a').call('GET');
  await datadog(server.url, 'key-a').call('GET');
  await datadog(server.url, 'key-b').call('GET');
  const one = await call('DELETE', '/requests?api_key=key-a');
  t.equal(one.status, 200);
  matchesSchema(t, 'control/deleted-response.json', one.json);
  t.equal(one.json.deleted, 2);
  t.same((await call('GET', '/requests')).json.requests.map((e: { org: string }) => e.org), [orgIdForApiKey('key-b')]);
  t.equal((await call('DELETE', '/requests')).json.deleted, 1);
  t.same((await call('GET', '/requests')).json.requests, []);
  t.equal((await call('DELETE', '/requests?tenant=x&org=y')).status, 400);
});

t.test('a credential-shaped value in a body is redacted in the journal whatever its key, request and answer alike', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url, 'journal-value-key', 'journal-value-app');
  const body = seedCreateBody();
  body.data.attributes.settings = { note: `ddpat_${MARKER}`, list: [`Bearer ${MARKER}`], plain: 'kept' } as never;
  t.equal((await dd.call('POST', '', body)).status, 200);
  const res = await admin(server.url)('GET', '/requests');
  const [create] = res.json.requests;
  t.same(create.request.body.data.attributes.settings, { note: '[redacted]', list: ['[redacted]'], plain: 'kept' });
  t.same(create.response.body.data.attributes.settings, { note: '[redacted]', list: ['[redacted]'], plain: 'kept' }, 'the answer too (GET itself shows them)');
  t.notOk(res.text.includes(MARKER), 'the marker appears nowhere in the journal');
});
