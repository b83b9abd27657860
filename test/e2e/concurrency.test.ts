// Concurrent writers and callers, over real HTTP: the outcome is always that of some serial order, nothing
// is lost between overlapping partial updates, and a rate limit never lets through more than its limit per
// window, however many requests arrive at once.
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { http, startServer } from '../helpers';
import { datadog, seedCreateBody } from '../datadog/dd';
import { attrSyncPath, sailpointHeaders, sailpointToken } from './surfaces';

/** Request i changes one or two attributes, each to a value of its own, and carries its number in `tag` (unknown fields are ignored). */
function patchFor(i: number): Record<string, unknown> {
  const change: Record<string, unknown>[] = [
    { name: `name-${i}` },
    { domain: `d${i}.example.com` },
    { enabled: i % 4 === 2 },
    { settings: { written_by: i } },
    { secrets: { token: `secret-${i}` } },
    { name: `name-${i}`, settings: { written_by: i } },
  ];
  return { tag: i, ...change[i % change.length] };
}

t.test('50 concurrent PATCHes of different attributes: each answer and the end state are a serial replay', async (t) => {
  const server = await startServer(t, { logLevel: 'warn' });
  const dd = datadog(server.url);
  const created = (await dd.call('POST', '', seedCreateBody())).json.data;
  const answers = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    dd.call('PATCH', `/${created.id}`, { data: { type: 'integration_config', attributes: patchFor(i) } })));
  t.same(answers.map((a) => a.status), Array(50).fill(200), 'all 50 answered 200');

  // Find the serial order the answers show: from the created state, the next write is the one whose answer
  // is the current state with its own change applied. Every change writes a value of its own, so at most
  // one write that changes something fits at each step (a secrets-only write changes nothing visible, and
  // any of those fits equally). All 50 must be placed, or the answers are no serial replay.
  const visible = ({ modified_at: _, ...rest }: Record<string, unknown>) => rest;
  const applied = (state: Record<string, unknown>, i: number) => {
    const { tag: _, secrets, ...attrs } = patchFor(i);
    return { ...state, ...attrs, ...(secrets !== undefined && { state: 'valid' }) };
  };
  let state = visible(created.attributes);
  const order: number[] = [];
  const pending = new Set(answers.keys());
  while (pending.size > 0) {
    const next = [...pending].find((i) => isDeepStrictEqual(visible(answers[i].json.data.attributes), applied(state, i)));
    if (next === undefined) break;
    state = applied(state, next);
    order.push(next);
    pending.delete(next);
  }
  t.same([...pending], [], 'every answer equals the state right after its own write, in one serial order');
  t.same(visible((await dd.call('GET', `/${created.id}`)).json.data.attributes), state, 'the stored config is the replay\'s end state: no write lost');
  const lastName = [...order].reverse().find((i) => 'name' in patchFor(i)) as number;
  t.equal(state.name, `name-${lastName}`, 'the name is the last applied name');
});

t.test('50 concurrent SailPoint PUTs toggling different entries: the result is one of them, applied whole', async (t) => {
  const server = await startServer(t, { logLevel: 'warn', sailpoint: { rateLimit: { limit: 1000, periodSeconds: 10 } } });
  const token = await sailpointToken(server.url);
  const url = `${server.url}${attrSyncPath()}`;
  const initial = (await http(url, { headers: sailpointHeaders(token) })).json;
  const bodies = Array.from({ length: 50 }, (_, i) => {
    const body = structuredClone(initial);
    const entry = body.attributes[i % body.attributes.length];
    entry.enabled = !entry.enabled;
    return body;
  });
  const answers = await Promise.all(bodies.map((json) => http(url, { method: 'PUT', headers: sailpointHeaders(token), json })));
  t.same(answers.map((a) => a.status), Array(50).fill(200), 'all 50 answered 200');
  t.same(answers.map((a) => a.json.attributes), bodies.map((b) => b.attributes), 'each answer is its own body, applied whole');
  const final = (await http(url, { headers: sailpointHeaders(token) })).json;
  t.ok(bodies.some((b) => isDeepStrictEqual(b.attributes, final.attributes)), 'the stored config is exactly one of the bodies sent');
  t.equal(final.attributes.filter((a: { enabled: boolean }, k: number) => a.enabled !== initial.attributes[k].enabled).length, 1, 'one entry differs from the start');
});

t.test('Datadog rate limit under a concurrent burst: exactly the limit per window, frozen clock', async (t) => {
  const limit = 25;
  const server = await startServer(t, { logLevel: 'warn', datadog: { rateLimits: { integration_config_read: { limit, periodSeconds: 60 } } } });
  server.context.clock.freeze(new Date('2026-05-01T12:00:05Z'));
  const dd = datadog(server.url);
  const burst = async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, () => dd.call('GET')));
    return {
      ok: answers.filter((a) => a.status === 200),
      limited: answers.filter((a) => a.status === 429),
    };
  };
  const first = await burst();
  t.equal(first.ok.length, limit, `200 at once: exactly ${limit} allowed`);
  t.equal(first.limited.length, 200 - limit, 'the rest 429');
  t.same(first.ok.map((a) => Number(a.headers.get('x-ratelimit-remaining'))).sort((a, b) => a - b),
    Array.from({ length: limit }, (_, i) => i), 'each allowed request saw its own remaining count');
  t.equal((await burst()).ok.length, 0, 'the same window: none more');
  server.context.clock.advance(55);
  t.equal((await burst()).ok.length, limit, 'the next window: the limit again');
});

t.test('SailPoint rate limit under a concurrent burst: exactly the limit per client and version, frozen clock', async (t) => {
  const limit = 30;
  const server = await startServer(t, { logLevel: 'warn', sailpoint: { rateLimit: { limit, periodSeconds: 10 } } });
  server.context.clock.freeze(new Date('2026-05-01T12:00:01Z'));
  const token = await sailpointToken(server.url);
  const burst = async (version: string) => {
    const answers = await Promise.all(Array.from({ length: 120 }, () =>
      http(`${server.url}${attrSyncPath(undefined, version)}`, { headers: sailpointHeaders(token) })));
    const limited = answers.filter((a) => a.status === 429);
    t.ok(limited.every((a) => Number(a.headers.get('retry-after')) > 0), `${version}: every 429 carries Retry-After`);
    return answers.filter((a) => a.status === 200).length;
  };
  t.equal(await burst('beta'), limit, `beta, 120 at once: exactly ${limit} allowed`);
  t.equal(await burst('beta'), 0, 'beta, the same window: none more');
  t.equal(await burst('v2024'), limit, 'v2024 has its own budget');
  server.context.clock.advance(10);
  t.equal(await burst('beta'), limit, 'beta, the next window: the limit again');
});
