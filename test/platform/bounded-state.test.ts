// Issue 23, item 4: every in-memory per-key structure of the platform is bounded. Each is driven with
// 100,000 distinct keys whose windows pass (the server clock advanced, no sleeps), whose rules are used up or
// whose listeners leave, beside one live key; at every step it holds no more than its bound, and the live
// key's entry is never dropped.
import fc from 'fast-check';
import t from 'tap';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '../../src/platform/clock';
import { ClientFault } from '../../src/platform/errors';
import { FaultEngine, MAX_FAULT_RULES } from '../../src/platform/faults';
import { SCOPE_REGISTRY_SIZE, ScopeRegistry } from '../../src/platform/scope-registry';
import { Journal, MAX_JOURNAL_LISTENERS, type EntryFacts, type ExchangeRecord } from '../../src/platform/journal';
import { MAX_RATE_LIMIT_WINDOWS, RATE_LIMIT_SWEEP_MIN, RateLimits } from '../../src/platform/rate-limiter';
import { Redaction } from '../../src/platform/redaction';
import { VENDORS } from '../../src/vendors';
import { DISTINCT_KEYS, checkBounded, checkBoundedAsync, expect, seededRandom, workload } from '../bounded';

t.test('rate-limit windows: an ended window is forgotten, a running one never', async (t) => {
  const LIMIT = 3;
  // At most `live` new keys share a window: the clock moves period/live per new key.
  const arbitrary = fc.record({
    base: workload(5_000),
    periodSeconds: fc.integer({ min: 1, max: 3_600 }),
    // Running windows stay under MAX_RATE_LIMIT_WINDOWS (the next test goes past it).
    live: fc.integer({ min: 1, max: Math.floor(MAX_RATE_LIMIT_WINDOWS / 3) - 3 }),
    callers: fc.integer({ min: 1, max: 3 }),
  });
  checkBounded(t, 'rate-limit windows', arbitrary, ({ base, periodSeconds, live, callers }) => {
    const clock = new Clock();
    clock.freeze(new Date('2026-05-01T12:00:00Z'));
    const limits = new RateLimits(clock);
    limits.define('vendor', { group: { limit: LIMIT, periodSeconds } });
    const periodMs = periodSeconds * 1000;
    const stepMs = Math.ceil(periodMs / live);
    // The oracle: each key's window and count, kept for every key (the test may grow; the limiter may not).
    const oracle = new Map<string, { start: number; count: number }>();
    const choose = seededRandom(base.seed);
    const take = (scope: string, caller: string) => {
      const decision = limits.take('vendor', scope, 'group', caller);
      const now = clock.nowMs();
      const start = now - (now % periodMs);
      const key = `${scope}/${caller}`;
      let window = oracle.get(key);
      if (!window || window.start !== start) oracle.set(key, (window = { start, count: 0 }));
      const allowed = window.count < LIMIT;
      if (allowed) window.count += 1;
      expect(decision.allowed === allowed && decision.remaining === LIMIT - window.count,
        `key ${key}: the limiter answered ${decision.remaining} remaining, its window holds ${LIMIT - window.count}: a running window was forgotten`);
    };
    // Windows held: at most twice the running ones (at most live + 2: the new keys of one period and the live key), or the sweep minimum.
    const bound = Math.max(RATE_LIMIT_SWEEP_MIN, 2 * (live + 2) * callers);
    for (let i = 0; i < DISTINCT_KEYS; i++) {
      const caller = String(choose.int(0, callers - 1));
      for (let use = 0; use < base.usesPerKey; use++) take(`org-${i}`, caller);
      if (i % base.liveEvery === 0) take('live-org', '0');
      expect(limits.size <= bound, `after ${i + 1} keys the limiter holds ${limits.size} windows, more than ${bound}`);
      clock.advance(stepMs / 1000);
    }
    clock.advance(periodSeconds + 1);
    take('after', '0');
    expect(limits.size === 1, `once every window has ended only the new one is held, not ${limits.size}`);
  });
});

t.test('rate-limit windows with the clock frozen: at most MAX_RATE_LIMIT_WINDOWS, and a key in use keeps its count', async (t) => {
  const LIMIT = 1_000_000;
  checkBounded(t, 'rate-limit windows, frozen clock', workload(MAX_RATE_LIMIT_WINDOWS / 2), (base) => {
    const clock = new Clock();
    clock.freeze(new Date('2026-05-01T12:00:00Z')); // no window ever ends
    const limits = new RateLimits(clock);
    limits.define('vendor', { group: { limit: LIMIT, periodSeconds: 60 } });
    let liveUses = 0;
    for (let i = 0; i < DISTINCT_KEYS; i++) {
      for (let use = 0; use < base.usesPerKey; use++) limits.take('vendor', `org-${i}`, 'group');
      if (i % base.liveEvery === 0) {
        const decision = limits.take('vendor', 'live-org', 'group');
        liveUses++;
        expect(decision.remaining === LIMIT - liveUses, `the live key's count restarted after ${i + 1} keys (${LIMIT - decision.remaining} of ${liveUses})`);
      }
      expect(limits.size <= MAX_RATE_LIMIT_WINDOWS, `after ${i + 1} keys the limiter holds ${limits.size} windows, more than ${MAX_RATE_LIMIT_WINDOWS}`);
    }
    limits.clear({ vendor: 'vendor', id: 'live-org' });
    expect(limits.size <= MAX_RATE_LIMIT_WINDOWS - 1, 'a scoped clear forgets its window');
  }, 1);
});

t.test('the cache of registered orgs and tenants: the least recently used id is forgotten, one in use never', async (t) => {
  checkBounded(t, 'registered ids', workload(SCOPE_REGISTRY_SIZE - 1), ({ liveEvery, usesPerKey, seed }) => {
    const store = new Set<string>(); // the store keeps every id: it is the state
    const seeded: string[] = [];
    const asked: string[] = [];
    const registry = new ScopeRegistry((id) => {
      seeded.push(id);
      store.add(id);
    }, (fn) => fn(), (id) => {
      asked.push(id);
      return store.has(id);
    });
    const choose = seededRandom(seed);
    registry.ensure('live');
    for (let i = 0; i < DISTINCT_KEYS; i++) {
      const id = `tenant-${i}`;
      for (let use = 0; use < usesPerKey; use++) {
        if (choose.next() < 0.5) registry.ensure(id);
        else expect(registry.has(id) === store.has(id), `has(${id}) must say what the store says`);
      }
      if (i % liveEvery === 0) expect(registry.has('live'), 'the live id is registered');
      expect(registry.size <= SCOPE_REGISTRY_SIZE, `after ${i + 1} ids the cache holds ${registry.size}, more than ${SCOPE_REGISTRY_SIZE}`);
    }
    expect(seeded.filter((id) => id === 'live').length === 1 && !asked.includes('live'), 'the live id never left the cache');
    const old = 'tenant-0';
    if (store.has(old)) expect(registry.has(old), 'a forgotten id is still the store\'s: has() asks it');
  });
});

/** A request as the fault hook sees it once the vendor's auth has run. */
function vendorRequest(method: string): FastifyRequest {
  return {
    method, url: '/api/x', raw: { socket: { destroy() {} } },
    vendorTag: { vendor: 'vendor', scopeName: 'org', scopeOf: () => 'org-1' },
  } as unknown as FastifyRequest;
}

/** The id of the rule applied to a request, if any. */
function applied(faults: FaultEngine, method: string): Promise<string | undefined> {
  const request = vendorRequest(method);
  return new Promise((resolve) => {
    faults.hook(request, {} as FastifyReply, () => resolve(request.fault?.id));
  });
}

t.test('fault rules: used-up rules make room, live ones are never dropped, and a rule more than the bound is a 409', async (t) => {
  await checkBoundedAsync(t, 'fault rules', fc.record({ base: workload(5_000), times: fc.integer({ min: 1, max: 2 }) }), async ({ base, times }) => {
    const faults = new FaultEngine(new Clock());
    const live = faults.add({ method: 'DELETE', status: 503 });
    for (let i = 0; i < DISTINCT_KEYS; i++) {
      // A rule per test, as a suite that never clears them adds, used up by the test's requests (a delay of
      // 0 ms: the action does not matter here, and raising a status per request would only cost time).
      const rule = faults.add({ method: 'GET', delayMs: 0, times });
      for (let use = 0; use < times; use++) expect(await applied(faults, 'GET') === rule.id, 'the new rule applies until used up');
      if (i % base.liveEvery === 0) expect(await applied(faults, 'DELETE') === live.id, 'the live rule still applies');
      // list() copies the rules: looked at now and then, and at the end.
      if (i % 97 === 0 || i === DISTINCT_KEYS - 1) {
        const held = faults.list().length;
        expect(held <= MAX_FAULT_RULES, `after ${i + 1} rules ${held} are held, more than ${MAX_FAULT_RULES}`);
      }
    }
    expect(faults.get(live.id) !== undefined, 'the live rule is held');
  }, 1); // each request walks past the used-up rules before it, as in the server: one workload is a few seconds

  const faults = new FaultEngine(new Clock());
  const rules = Array.from({ length: MAX_FAULT_RULES }, (_, i) => faults.add({ method: 'GET', status: 500, times: i + 1 }));
  t.throws(() => faults.add({ status: 500 }), { constructor: ClientFault, status: 409, message: /At most 1000 fault rules/ }, 'the 1001st live rule is refused');
  t.same(faults.list().map((r) => r.id), rules.map((r) => r.id), 'and none was dropped');
  t.equal(await applied(faults, 'GET'), rules[0].id, 'the first rule\'s one use goes');
  t.ok(faults.add({ status: 500 }), 'so a used-up rule makes room');
  t.notOk(faults.get(rules[0].id), 'it is the one dropped');
  t.equal(faults.list().length, MAX_FAULT_RULES);
});

t.test('journal listeners: one that leaves is forgotten, one that stays hears every entry, and one more than the bound is a 429', async (t) => {
  const redaction = new Redaction(VENDORS.map((v) => v.credentials));
  const facts = (i: number): EntryFacts => ({ timeMs: 0, vendor: 'datadog', method: 'GET', path: `/api/${i}`, status: 200, duration_ms: 1 });
  const exchange: ExchangeRecord = { query: {}, requestHeaders: {}, requestBody: undefined, requestSize: 0, responseHeaders: {}, responseBody: undefined, responseSize: 0 };
  checkBounded(t, 'journal listeners', workload(5_000), ({ liveEvery, usesPerKey }) => {
    const journal = new Journal(10, redaction);
    const heard: number[] = [];
    journal.subscribe({}, (entry) => heard.push(entry.id));
    let added = 0;
    for (let i = 0; i < DISTINCT_KEYS; i++) {
      const unsubscribe = journal.subscribe({ method: 'GET' }, () => undefined);
      for (let use = 0; use < usesPerKey - 1; use++) journal.add({ facts: facts(i), exchange, bytes: 0 });
      added += usesPerKey - 1;
      unsubscribe();
      if (i % liveEvery === 0) {
        journal.add({ facts: facts(i), exchange, bytes: 0 });
        added += 1;
      }
      expect(journal.listeners <= MAX_JOURNAL_LISTENERS, `after ${i + 1} listeners ${journal.listeners} are held`);
    }
    expect(journal.listeners === 1, `only the live listener is held, not ${journal.listeners}`);
    expect(heard.length === added, `the live listener heard ${heard.length} of ${added} entries`);
  });

  const journal = new Journal(10, redaction);
  for (let i = 0; i < MAX_JOURNAL_LISTENERS; i++) journal.subscribe({}, () => undefined);
  t.throws(() => journal.subscribe({}, () => undefined), { constructor: ClientFault, status: 429, message: /At most 100 journal streams/ });
  t.equal(journal.listeners, MAX_JOURNAL_LISTENERS);
});
