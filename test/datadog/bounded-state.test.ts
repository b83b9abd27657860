// Issue 23, item 4: Datadog's in-memory per-key structures are bounded: the cache of open-mode orgs (keys and
// tokens seen) forgets the least recently used beyond its bound and never a key in use, and forced credential
// outcomes leave with the check that takes them, are never dropped, and beyond their bound are refused (409).
import fc from 'fast-check';
import t from 'tap';
import { DatadogAuth, OPEN_ORGS_CACHE_SIZE, orgIdForApiKey } from '../../src/datadog/auth';
import { CredentialCheck, MAX_FORCED_ORGS, MAX_PENDING_OUTCOMES, type CredentialOutcome } from '../../src/datadog/credentials';
import { ClientFault } from '../../src/platform/errors';
import { DISTINCT_KEYS, checkBounded, expect, seededRandom, workload } from '../bounded';

const NONE = { scheme: 'none' } as const;

t.test('open-mode orgs: a key or token in use stays cached, the least recently used is forgotten beyond the bound', async (t) => {
  checkBounded(t, 'open-mode org cache', workload(OPEN_ORGS_CACHE_SIZE - 1), ({ liveEvery, usesPerKey, seed }) => {
    const auth = new DatadogAuth([], 'open');
    const cache = auth['openOrgs'];
    const choose = seededRandom(seed);
    const live = 'live-api-key';
    for (let i = 0; i < DISTINCT_KEYS; i++) {
      const key = `api-key-${i}`;
      const org = orgIdForApiKey(key);
      for (let use = 0; use < usesPerKey; use++) {
        // An API key or an access token: both are orgs of their own.
        const caller = choose.next() < 0.5
          ? auth.identify({ authorization: NONE, apiKey: key, appKey: 'app-key' })
          : auth.identify({ authorization: { scheme: 'bearer', token: key } });
        expect(caller.orgId === org, `${key} belongs to its own org`);
      }
      if (i % liveEvery === 0) auth.identify({ authorization: NONE, apiKey: live, appKey: 'app-key' });
      expect(auth.cachedOpenOrgs <= OPEN_ORGS_CACHE_SIZE, `after ${i + 1} keys the cache holds ${auth.cachedOpenOrgs}`);
      // A key in use is never the one forgotten (the cache was flushed whole at 10,000 before).
      if (i > liveEvery) expect(cache.items.has(live), `the live key left the cache after ${i + 1} keys`);
    }
  });
});

t.test('forced credential outcomes: taken ones leave, pending ones are never dropped, more than the bound is a 409', async (t) => {
  const arbitrary = fc.record({ base: workload(5_000), times: fc.integer({ min: 1, max: 3 }) });
  checkBounded(t, 'forced credential outcomes', arbitrary, ({ base, times }) => {
    const credentials = new CredentialCheck();
    const choose = seededRandom(base.seed);
    const livePending: CredentialOutcome[] = [];
    for (let i = 0; i < DISTINCT_KEYS; i++) {
      const org = `org-${i}`;
      const outcomes = Array.from({ length: times }, (): CredentialOutcome => (choose.next() < 0.5 ? 'valid' : 'invalid'));
      for (const outcome of outcomes) credentials.forceNext(outcome, 1, org);
      for (const outcome of outcomes) expect(credentials.check(org, 'OKTA', { api_token: 'good' }) === outcome, `${org} takes its forced outcomes in order`);
      if (i % base.liveEvery === 0 && livePending.length < MAX_PENDING_OUTCOMES) {
        credentials.forceNext('invalid', 1, 'live-org');
        livePending.push('invalid');
      }
      expect(credentials.size <= MAX_FORCED_ORGS, `after ${i + 1} orgs outcomes are held for ${credentials.size}`);
    }
    expect(credentials.size === 1, `only the live org has outcomes pending, not ${credentials.size} orgs`);
    expect(JSON.stringify(credentials.pending('live-org')) === JSON.stringify(livePending), 'none of the live org\'s outcomes was dropped');
  });

  const credentials = new CredentialCheck();
  for (let i = 0; i < MAX_FORCED_ORGS; i++) credentials.forceNext('valid', 1, `org-${i}`);
  const refused = { constructor: ClientFault, status: 409 };
  t.throws(() => credentials.forceNext('valid', 1, 'one-more'), { ...refused, message: /At most 1000 orgs/ }, 'an org more than the bound is refused');
  credentials.forceNext('invalid', MAX_PENDING_OUTCOMES - 1, 'org-0');
  t.throws(() => credentials.forceNext('invalid', 1, 'org-0'), { ...refused, message: /At most 1000 credential check outcomes may be pending for org org-0, and 1000 are/ },
    'an outcome more than an org may have pending is refused');
  credentials.forceNext('invalid', MAX_PENDING_OUTCOMES);
  t.throws(() => credentials.forceNext('invalid'), { ...refused, message: /pending for any org/ }, 'for any org too');
  t.equal(credentials.pending('org-0').length, 2 * MAX_PENDING_OUTCOMES, 'nothing was dropped: its own, then those for any org');
  credentials.check('org-1', 'OKTA', {});
  t.doesNotThrow(() => credentials.forceNext('valid', 1, 'one-more'), 'an org whose outcomes were taken makes room');
});
