// The journal's redaction for the shapes a token endpoint sees: form and multipart fields, query
// parameters, an access_token in the answer. A stand-in vendor plugin is wired here exactly as a vendor
// plugin is (instrumentVendor), with the registry's credential names.
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import t, { type Test } from 'tap';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import { Clock } from '../../src/platform/clock';
import { FaultEngine } from '../../src/platform/faults';
import { CorsPolicy } from '../../src/platform/cors';
import { Journal, MAX_JOURNAL_BODY_BYTES } from '../../src/platform/journal';
import { JournalRecorder } from '../../src/platform/journal-recording';
import { Redaction } from '../../src/platform/redaction';
import { ResetBarrier } from '../../src/platform/reset-barrier';
import { declareRequestState, instrumentVendor } from '../../src/platform/vendor-scope';
import { VENDORS } from '../../src/vendors';
import { http, startServer } from '../helpers';
import { PREFIX } from '../datadog/dd';
import { FUZZ_SEED } from '../e2e/random';

const redaction = new Redaction(VENDORS.map((v) => v.credentials));
const redactBody = redaction.redactBody.bind(redaction);

const SECRET = 'client-secret-marker-9d3e';
const TOKEN = 'eyJ-token-marker-77aa';

async function tokenServer(t: Test): Promise<{ url: string; journal: Journal; app: FastifyInstance }> {
  const journal = new Journal(100, redaction);
  const clock = new Clock();
  const app = Fastify();
  const barrier = new ResetBarrier();
  const recorder = new JournalRecorder(journal, clock, barrier);
  declareRequestState(app);
  recorder.keepPayloads(app);
  const services = { clock, faults: new FaultEngine(clock), barrier, recorder, cors: new CorsPolicy({ origins: ['*'], admin: false }, VENDORS) };
  await app.register(async (vendor) => {
    instrumentVendor(vendor, { name: 'sailpoint', scope: { name: 'tenant', collection: 'tenants' } }, services, () => 'tenant-1');
    await vendor.register(formbody);
    await vendor.register(multipart, { attachFieldsToBody: 'keyValues' });
    vendor.post('/oauth/token', async () => ({ access_token: TOKEN, token_type: 'bearer', expires_in: 749 }));
    vendor.post('/echo', async (request) => request.body);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());
  const address = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, journal, app };
}

t.test('client secrets in form, multipart and query, and the access token answered, are redacted', async (t) => {
  const { url, journal } = await tokenServer(t);
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'my-client', client_secret: SECRET });
  await fetch(`${url}/oauth/token`, { method: 'POST', body: form });
  const multi = new FormData();
  multi.set('grant_type', 'client_credentials');
  multi.set('client_id', 'my-client');
  multi.set('client_secret', SECRET);
  multi.set('upload', new Blob(['file body']), 'notes.txt');
  await fetch(`${url}/oauth/token`, { method: 'POST', body: multi });
  await fetch(`${url}/oauth/token?grant_type=client_credentials&client_id=my-client&client_secret=${SECRET}`, { method: 'POST' });
  await fetch(`${url}/echo`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN, keep: 1 }) });

  const [echo, query, multipartEntry, formEntry] = journal.list();
  t.same(formEntry.request.body, { grant_type: 'client_credentials', client_id: 'my-client', client_secret: '[redacted]' });
  t.same(multipartEntry.request.body, { grant_type: 'client_credentials', client_id: 'my-client', client_secret: '[redacted]', upload: '[9 bytes not shown]' });
  t.same(query.query, { grant_type: 'client_credentials', client_id: 'my-client', client_secret: '[redacted]' });
  t.equal(query.path, '/oauth/token', 'the path carries no query string');
  for (const entry of [formEntry, multipartEntry, query]) {
    t.match(entry, { vendor: 'sailpoint', tenant: 'tenant-1', status: 200 });
    t.same(entry.response.body, { access_token: '[redacted]', token_type: 'bearer', expires_in: 749 });
  }
  t.equal(echo.request.headers.authorization, '[redacted]');
  t.same(echo.request.body, { token: '[redacted]', keep: 1 });
  t.same(echo.response.body, { token: '[redacted]', keep: 1 });
  const text = JSON.stringify(journal.list());
  t.notOk(text.includes(SECRET), 'no client secret anywhere');
  t.notOk(text.includes(TOKEN), 'no token anywhere');
});

t.test('bodies the journal cannot read safely, or that are too large, are noted by size only', async (t) => {
  t.equal(redactBody(`client_secret=${SECRET}`, 'text/plain'), `[${14 + SECRET.length} bytes of text/plain not shown]`);
  t.same(redactBody(Buffer.from('{"token":"x"}'), 'application/json; charset=utf-8'), { token: '[redacted]' });
  t.same(redactBody('{not json', 'application/json'), '[9 bytes of application/json not shown]');
  t.same(redactBody([{ password: 'p' }], 'application/json'), [{ password: '[redacted]' }]);
  t.equal(redactBody('', 'application/json'), null);

  const { url, journal } = await tokenServer(t);
  const big = JSON.stringify({ pad: 'x'.repeat(MAX_JOURNAL_BODY_BYTES) });
  await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
  const [entry] = journal.list();
  t.match(entry.request.body, /bytes not kept/);
  t.match(entry.response.body, /bytes not kept/);
});

t.test('a scoped clear of a ring that has wrapped keeps the others in order, and later entries after them', async (t) => {
  const journal = new Journal(5, redaction);
  const exchange = { query: {}, requestHeaders: {}, requestBody: undefined, requestSize: 0, responseHeaders: {}, responseBody: undefined, responseSize: 0 };
  const add = (org: string, path: string) => journal.add({
    facts: { timeMs: 0, vendor: 'datadog', scope: { name: 'org', id: org }, method: 'GET', path, status: 200, duration_ms: 0 }, exchange, bytes: 0,
  });
  const paths = () => journal.list().map((e) => e.path);
  ['a1', 'b1', 'a2', 'b2', 'a3', 'b3', 'a4'].forEach((p) => add(p[0], `/${p}`));
  t.same(paths(), ['/a4', '/b3', '/a3', '/b2', '/a2'], 'the ring holds the newest five');
  t.equal(journal.clear({ scope: { vendor: 'datadog', id: 'a' } }), 3);
  t.same(paths(), ['/b3', '/b2'], 'the other org\'s entries, newest first');
  ['a5', 'b4', 'a6', 'b5'].forEach((p) => add(p[0], `/${p}`));
  t.same(paths(), ['/b5', '/a6', '/b4', '/a5', '/b3'], 'new entries follow them, and the oldest goes first');
  t.equal(journal.evicted, 3, 'two evicted before the clear, one after');
  t.equal(journal.clear(), 5);
  t.same(paths(), []);
  add('a', '/a7');
  t.same(paths(), ['/a7']);
});

t.test('the journal is bounded by bytes as well as by count: the oldest entries go first', async (t) => {
  const journal = new Journal(100, redaction, 10_000);
  const exchange = { query: {}, requestHeaders: {}, requestBody: undefined, requestSize: 0, responseHeaders: {}, responseBody: undefined, responseSize: 0 };
  const add = (i: number, bytes: number) => journal.add({
    facts: { timeMs: 0, vendor: 'datadog', method: 'GET', path: `/${i}`, status: 200, duration_ms: 0 }, exchange, bytes,
  });
  for (let i = 0; i < 20; i++) add(i, 1_000);
  t.equal(journal.size, 10, 'ten of 1,000 bytes fill 10,000');
  t.equal(journal.bytes, 10_000);
  t.same(journal.list().map((e) => e.path).slice(0, 2), ['/19', '/18'], 'the newest are kept');
  t.equal(journal.evicted, 10);
  add(20, 9_500);
  t.same(journal.list().map((e) => e.path), ['/20'], 'a large entry pushes out as many as it takes');
  add(21, 50_000);
  t.same(journal.list().map((e) => e.path), ['/21'], 'one entry over the bound is still kept alone (its bodies are capped)');
  journal.clear();
  t.equal(journal.bytes, 0, 'a clear gives the bytes back');
});

// Generated: what the journal counts against its byte bound is at least what its entries hold on the heap,
// for entries of any shape (long paths, large headers, bodies of many small values, long strings): measured
// as the heap the entries give back when the journal is cleared, after full collections. It counted the
// body's text (a parsed body of small objects is several times that) and 2 KiB for all else, so it held
// about twice its bound.
t.test('generated: the byte bound counts at least what the entries hold', async (t) => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const server = await startServer(t, { logLevel: 'warn', journalSize: 60 });
  const journal = server.context.journal;
  const shape = fc.record({
    path: fc.integer({ min: 0, max: 4000 }),
    header: fc.integer({ min: 0, max: 12_000 }),
    items: fc.integer({ min: 0, max: 2500 }),
    text: fc.integer({ min: 0, max: 30_000 }),
  });
  await fc.assert(fc.asyncProperty(shape, async ({ path, header, items, text }) => {
    journal.clear();
    const body = JSON.stringify({ data: { type: 'integration_config', attributes: { integration_type: 'OKTA', name: 'x'.repeat(text), domain: 'd',
      secrets: { api_token: 't' }, settings: { list: Array.from({ length: items }, (_, i) => ({ a: i, b: 'y' })) } } } });
    for (let i = 0; i < 60; i++) {
      await http(`${server.url}${PREFIX}${path > 0 ? `/${'p'.repeat(path)}` : ''}?i=${i}`, {
        method: 'POST', headers: { 'dd-api-key': 'held', 'dd-application-key': 'held', 'content-type': 'application/json', 'x-pad': 'h'.repeat(header) }, body,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc(); gc();
    const full = process.memoryUsage().heapUsed;
    const counted = journal.bytes;
    journal.clear();
    gc(); gc();
    const held = full - process.memoryUsage().heapUsed;
    if (held > counted) throw new Error(`${JSON.stringify({ path, header, items, text })}: the entries held ${held} bytes, the journal counted ${counted}`);
  }), { seed: FUZZ_SEED, numRuns: 3 });
  t.pass('the count covered what was held, for each generated shape');
});

// Generated: a read of the journal renders (redacts, copies, serialises) only the entries no read rendered
// before, and answers the same text as rendering them again would: GET /__admin/requests after every request
// of a suite cost the whole journal each time, up to 1,000 entries with their bodies.
t.test('generated: each entry is rendered once across reads, and reads answer what list() renders', async (t) => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.constantFrom(undefined, 'GET', 'POST'), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 8 }), (steps) => {
    const journal = new Journal(50, redaction);
    let added = 0;
    for (const [adds, method, limit] of steps) {
      for (let i = 0; i < adds; i++) {
        const m = added++ % 2 === 0 ? 'GET' : 'POST';
        journal.add({
          facts: { timeMs: 0, vendor: 'datadog', method: m, path: `/${added}`, status: 200, duration_ms: 0 },
          exchange: { query: { n: String(added) }, requestHeaders: { authorization: 'Bearer x' }, requestBody: { token: 'y', n: added }, requestSize: 10,
            responseHeaders: { 'content-type': 'application/json' }, responseBody: '{"a":1}', responseSize: 7 },
          bytes: 100,
        });
      }
      const before = journal.renders;
      const text = journal.listJson({ method, limit });
      const listed = journal.list({ method, limit });
      if (text !== JSON.stringify(listed)) throw new Error('listJson and list differ');
      const again = journal.renders;
      journal.listJson({ method, limit });
      if (journal.renders !== again) throw new Error(`a second read rendered ${journal.renders - again} entries again`);
      if (again - before > 2 * listed.length) throw new Error('more renders than entries read');
    }
  }), { seed: FUZZ_SEED, numRuns: 100 });
  t.pass('100 generated read sequences');
});
