// The callers that run before routing (frameworkErrors, the client-error handler) pick the vendor whose error
// shape to answer in from routedPath(), which must agree with the router: for any spelling of any vendor's or
// the control API's paths, the prefix find-my-way (with Fastify's options here) routes a request to is the
// one routedPath() names.
import fc from 'fast-check';
import FindMyWay from 'find-my-way';
import t from 'tap';
import { routedPath } from '../../src/platform/routed-path';
import { ownerOf } from '../../src/platform/vendor-scope';
import { VENDORS } from '../../src/vendors';
import { FUZZ_SEED } from '../e2e/hostile';
import { anyCodePoint } from '../e2e/random';
import { spellingsOf } from '../e2e/spellings';

// And an owner whose prefix sits under a vendor's (a vendor API at a path of another's, as one served beside
// them may be): the longest prefix wins, as the more specific route does in the router.
const OWNERS = [
  ...VENDORS.map((v) => ({ name: v.name, prefixes: v.prefixes })),
  { name: 'control', prefixes: ['/__admin'] },
  { name: 'nested', prefixes: VENDORS.map((v) => `${v.prefixes[0]}/nested`) },
];

/** A router with the app's options, each owner's prefixes routed to it. */
function router(): FindMyWay.Instance<FindMyWay.HTTPVersion.V1> {
  // onBadUrl: find() then answers a match with no store for a target it cannot decode (Fastify's frameworkErrors).
  const r = FindMyWay({ ignoreDuplicateSlashes: true, onBadUrl: () => undefined });
  for (const owner of OWNERS) {
    for (const prefix of owner.prefixes) for (const url of [prefix, `${prefix}/*`]) r.on('GET', url, () => undefined, { owner: owner.name });
  }
  return r;
}

const ownerByPath = (path: string): string | undefined => ownerOf(OWNERS, path)?.name;

t.test('routedPath names the owner the router routes to, for any spelling of any prefix', async (t) => {
  const r = router();
  const paths = OWNERS.flatMap((o) => o.prefixes.map((p) => `${p}/v2/some/thing`));
  let compared = 0;
  await fc.assert(fc.property(fc.constantFrom(...paths).chain((p) => spellingsOf(p)), (target) => {
    const routed = r.find('GET', target) as unknown as { store: { owner: string } | null } | null;
    if (routed !== null && routed.store === null) return; // a target the router cannot decode: no route to compare with
    compared += 1;
    const expected = routed?.store.owner;
    const got = ownerByPath(routedPath(target));
    if (got !== expected) throw new Error(`${target}: the router routes to ${expected}, routedPath says ${got} (${routedPath(target)})`);
  }), { seed: FUZZ_SEED, numRuns: 2000 });
  t.ok(compared > 1500, `${compared} spellings compared`);
});

t.test('routedPath never throws, and reads the absolute form and malformed escapes as the router would', async (t) => {
  fc.assert(fc.property(fc.string({ unit: anyCodePoint(), maxLength: 200 }), (target) => {
    routedPath(target);
  }), { seed: FUZZ_SEED, numRuns: 2000 });
  t.equal(routedPath('/%5F%5Fadmin/state'), '/__admin/state');
  t.equal(routedPath('http://rebind.evil.example:8080/%5f%5fadmin/state?x=1'), '/__admin/state');
  t.equal(routedPath('/api%2Fv2'), '/api%2Fv2', 'an encoded slash stays encoded, as the router keeps it');
  t.equal(routedPath('//beta///sources/%zz/'), '/beta/sources/%zz', 'a malformed escape stays as it is');
  t.equal(routedPath('*'), '', 'a target with no path');
});
