// Fault rules through HTTP: a status in Datadog's shape, a delay, a dropped connection; times,
// probability with a seed, filters; listing with hit counts, removal; malformed rules.
import t from 'tap';
import { http, matchesSchema, startServer } from '../helpers';
import { datadog, PREFIX, seedCreateBody } from '../datadog/dd';
import { admin } from './admin';

const SEED_ID = '11111111-2222-3333-4444-555555555555';

t.test('a 503 for the next matching call, in Datadog\'s error shape, then the real answer', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const dd = datadog(server.url);
  const added = await call('POST', '/faults', { vendor: 'datadog', method: 'get', path: PREFIX, status: 503, times: 1 });
  t.equal(added.status, 201);
  matchesSchema(t, 'control/fault-rule.json', added.json);
  t.match(added.json, { vendor: 'datadog', method: 'GET', path: PREFIX, status: 503, times: 1, hits: 0, remaining: 1 });

  t.equal((await dd.call('POST', '', seedCreateBody())).status, 200, 'another method is not matched');
  const faulted = await dd.call('GET');
  t.equal(faulted.status, 503);
  matchesSchema(t, 'datadog/error-response.json', faulted.json);
  t.same(faulted.json, { errors: ['Service Unavailable'] });
  t.ok(faulted.headers.get('x-ratelimit-limit'), 'the vendor\'s own headers still come with it');
  t.equal((await dd.call('GET')).status, 200, 'times: 1 means only the next call');

  const listed = await call('GET', '/faults');
  matchesSchema(t, 'control/faults-response.json', listed.json);
  t.match(listed.json.faults, [{ id: added.json.id, hits: 1, remaining: 0 }]);
  const one = await call('GET', `/faults/${added.json.id}`);
  t.equal(one.json.hits, 1);
});

t.test('any status from 400 to 599 goes out in Datadog\'s shape; retry_after_seconds sets X-RateLimit-Reset', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const dd = datadog(server.url);
  for (const status of [400, 401, 403, 404, 409, 413, 415, 429, 500, 502, 504]) {
    await call('POST', '/faults', { status, times: 1, message: `injected ${status}`, retry_after_seconds: 7 });
    const res = await dd.call('GET', `/${SEED_ID}`);
    t.equal(res.status, status);
    matchesSchema(t, 'datadog/error-response.json', res.json, `${status} body matches the Datadog error schema`);
    t.equal(res.headers.get('x-ratelimit-reset'), '7', `${status} carries the retry hint`);
    if (status === 429) {
      t.same(res.json, { errors: ['Too many requests'] }, 'a 429 reads like the real rate limit');
      t.equal(res.headers.get('x-ratelimit-remaining'), '0');
    } else {
      t.same(res.json, { errors: [`injected ${status}`] });
    }
  }
});

t.test('a delay comes before the real answer; a dropped connection gets no answer; the journal records both', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const dd = datadog(server.url);
  const delayed = await call('POST', '/faults', { delay_ms: 30, times: 1 });
  const slow = await dd.call('GET');
  t.equal(slow.status, 200, 'the real answer, later');

  const dropped = await call('POST', '/faults', { drop: true, times: 1 });
  const err = await dd.call('GET').then(() => null, (e: Error) => e);
  t.ok(err, 'the client sees a network error');
  t.equal((await dd.call('GET')).status, 200, 'the next call is answered');

  const journal = (await call('GET', '/requests?limit=3')).json.requests;
  t.same(journal.map((e: { status: number | null }) => e.status), [200, null, 200]);
  t.same(journal[1].fault, { id: dropped.json.id, drop: true });
  t.same(journal[2].fault, { id: delayed.json.id, delay_ms: 30 });

  await call('POST', '/faults', { delay_ms: 20, status: 504, times: 1 });
  t.equal((await dd.call('GET')).status, 504, 'a delay then a status');
});

t.test('filters: org (or api_key), method, path glob, vendor; faults come after auth', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const a = datadog(server.url, 'suite-a-key');
  const b = datadog(server.url, 'suite-b-key');
  await call('POST', '/faults', { api_key: 'suite-a-key', status: 500 });
  const rule = (await call('GET', '/faults')).json.faults[0];
  t.match(rule.org, /^org-[0-9a-f]{16}$/, 'the key is resolved to its org and not kept');
  t.notOk(JSON.stringify(rule).includes('suite-a-key'));
  t.equal((await a.call('GET')).status, 500);
  t.equal((await b.call('GET')).status, 200, 'another org is not touched');
  await call('DELETE', '/faults');

  await call('POST', '/faults', { path: `${PREFIX}/*`, status: 409 });
  t.equal((await a.call('GET', `/${SEED_ID}`)).status, 409, '* matches one segment');
  t.equal((await a.call('POST', `/${SEED_ID}/validate`)).status, 404, '* does not cross a /: the real answer (not this org\'s config)');
  t.equal((await a.call('GET')).status, 200);
  await call('DELETE', '/faults');
  await call('POST', '/faults', { path: '/api/v2/**', method: 'POST', status: 502 });
  t.equal((await a.call('POST', `/${SEED_ID}/validate`)).status, 502, '** crosses segments');
  t.equal((await a.call('GET')).status, 200, 'method filter');
  await call('DELETE', '/faults');

  await call('POST', '/faults', { vendor: 'sailpoint', status: 500 });
  t.equal((await a.call('GET')).status, 200, 'a SailPoint rule never touches Datadog calls');
  await call('DELETE', '/faults');

  await call('POST', '/faults', { status: 503, times: 1 });
  const anonymous = datadog(server.url, '', '');
  t.equal((await anonymous.call('GET')).status, 403, 'a request that fails auth gets the vendor\'s 403');
  t.equal((await call('GET', '/faults')).json.faults[0].hits, 0, 'and does not use up the rule');
  t.equal((await a.call('GET')).status, 503);
});

t.test('probability with a seed: the same seed gives the same run', async (t) => {
  const run = async (seed: number) => {
    const server = await startServer(t);
    await admin(server.url)('POST', '/faults', { status: 503, probability: 0.5, seed });
    const dd = datadog(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) statuses.push((await dd.call('GET')).status);
    const listed = (await admin(server.url)('GET', '/faults')).json.faults[0];
    t.equal(listed.hits, statuses.filter((s) => s === 503).length, 'hits count the faulted calls');
    t.equal(listed.seed, seed);
    return statuses;
  };
  const first = await run(42);
  t.same(await run(42), first, 'repeatable');
  t.ok(first.includes(503) && first.includes(200), 'some calls faulted, some not');
  t.not((await run(7)).join(), first.join(), 'another seed, another run');

  const server = await startServer(t);
  const added = await admin(server.url)('POST', '/faults', { status: 503, probability: 0 });
  t.type(added.json.seed, 'number', 'a seed is chosen and shown when none is given');
  t.equal((await datadog(server.url).call('GET')).status, 200, 'probability 0 never applies');
});

t.test('rules are removed one by one or all at once; an unknown id is 404', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const first = (await call('POST', '/faults', { status: 500 })).json;
  const second = (await call('POST', '/faults', { status: 502 })).json;
  t.equal((await datadog(server.url).call('GET')).status, 500, 'the first rule that applies wins');
  t.equal((await call('DELETE', `/faults/${first.id}`)).status, 204);
  t.same((await call('GET', '/faults')).json.faults.map((f: { id: string }) => f.id), [second.id]);
  t.equal((await datadog(server.url).call('GET')).status, 502);
  for (const [method, path] of [['DELETE', `/faults/${first.id}`], ['GET', '/faults/nope']]) {
    const missing = await call(method, path);
    t.equal(missing.status, 404, `${method} ${path}`);
    matchesSchema(t, 'control/error.json', missing.json);
    t.match(missing.json.message, /No fault rule with id/);
  }
  t.equal((await call('DELETE', '/faults')).status, 204);
  t.same((await call('GET', '/faults')).json.faults, []);
});

t.test('a malformed rule is 400 naming the field, and nothing is added', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const cases: Array<[unknown, RegExp]> = [
    [{ vendor: 'github', status: 500 }, /Field 'vendor' must be one of: datadog, sailpoint/],
    [{ status: 399 }, /Field 'status' must be >= 400/],
    [{ status: 600 }, /Field 'status' must be <= 599/],
    [{ status: '500' }, /Field 'status' must be integer/],
    [{ delay_ms: -1 }, /Field 'delay_ms' must be >= 0/],
    [{ delay_ms: 60001 }, /Field 'delay_ms' must be <= 60000/],
    [{ status: 500, probability: 1.5 }, /Field 'probability' must be <= 1/],
    [{ status: 500, probability: -0.1 }, /Field 'probability' must be >= 0/],
    [{ status: 500, times: 0 }, /Field 'times' must be >= 1/],
    [{ status: 500, path: 'api/v2' }, /Field 'path' must start with \//],
    [{ status: 500, path: '/api?x=1' }, /Field 'path' must be a path only/],
    [{ status: 500, path: '/api/***' }, /Field 'path' must not contain more than two \*/],
    [{ status: 500, colour: 'red' }, /Field 'colour' is not allowed/],
    [{ times: 1 }, /needs at least one of 'status', 'delay_ms' and 'drop'/],
    [{ drop: false }, /needs at least one of/],
    [{ status: 500, drop: true }, /'status' and 'drop' exclude each other/],
    [{ delay_ms: 5, retry_after_seconds: 1 }, /Field 'retry_after_seconds' goes with 'status'/],
    [{ status: 500, org: 'o', tenant: 't' }, /Give only one of org, api_key and tenant/],
    [{ status: 500, vendor: 'sailpoint', org: 'o' }, /Field 'org' is for datadog requests, but 'vendor' is sailpoint/],
  ];
  for (const [body, message] of cases) {
    const res = await call('POST', '/faults', body);
    t.equal(res.status, 400, JSON.stringify(body));
    matchesSchema(t, 'control/error.json', res.json);
    t.match(res.json.message, message);
  }
  const malformed = await http(`${server.url}/__admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
  t.equal(malformed.status, 400, 'malformed JSON');
  t.match(malformed.json.message, /Malformed JSON/);
  const empty = await call('POST', '/faults', undefined, { 'content-type': 'application/json' });
  t.equal(empty.status, 400, 'no body at all');
  t.same((await call('GET', '/faults')).json.faults, [], 'no rule was added');
});

t.test('a shutdown does not wait out a delay: the delayed request is answered at once', async (t) => {
  // The delay is far longer than this test's timeout, so only a cancelled delay lets it pass.
  t.setTimeout(20_000);
  const server = await startServer(t);
  await admin(server.url)('POST', '/faults', { delay_ms: 60_000 });
  const pending = datadog(server.url).call('GET');
  while (server.context.faults.list()[0].hits === 0) await new Promise((resolve) => setImmediate(resolve));
  await server.close();
  t.equal((await pending).status, 200);
});

t.test('a rule that leaves by any way releases the requests its delay holds: removed, cleared, reset, or made room for', async (t) => {
  // The delay is far longer than this test's timeout, so only a release lets it pass.
  t.setTimeout(30_000);
  const server = await startServer(t, { logLevel: 'warn' });
  const call = admin(server.url);
  const ways: Array<[string, (id: string) => Promise<unknown>]> = [
    ['DELETE /__admin/faults/<id>', (id) => call('DELETE', `/faults/${id}`)],
    ['DELETE /__admin/faults', () => call('DELETE', '/faults')],
    ['POST /__admin/reset', () => call('POST', '/reset')],
    // At the bound, a used-up rule makes room for a new one (it was dropped and went on holding its request).
    ['made room for at the bound', async () => {
      for (let i = server.context.faults.list().length; i < 1000; i++) server.context.faults.add({ path: `/nowhere/${i}`, status: 503 });
      await call('POST', '/faults', { path: '/nowhere/new', status: 503 });
    }],
  ];
  for (const [way, leave] of ways) {
    await call('DELETE', '/faults');
    const rule = (await call('POST', '/faults', { delay_ms: 60_000, times: 1, path: `${PREFIX}/held` })).json;
    const pending = datadog(server.url).call('GET', '/held');
    while (server.context.faults.get(rule.id)?.hits === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await leave(rule.id);
    t.equal(server.context.faults.get(rule.id), undefined, `${way}: the rule is gone`);
    // A reset overtakes the requests admitted before it: those are answered 409 (the reset barrier).
    t.equal((await pending).status, way.includes('reset') ? 409 : 404, `${way}: the held request went on`);
  }
});
