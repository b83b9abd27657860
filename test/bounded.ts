// Generated workloads for the bounded-state tests: 100,000 distinct keys, each used a few times and then
// never again (its window passing, its outcomes taken, its rule used up), interleaved with one live key that
// is used again and again. A structure passes when, at every step, it holds no more than its bound and the
// live key's entry is still there. Fixed seed, as the hostile-input tests (SYNCMOCK_FUZZ_SEED replays another).
import fc from 'fast-check';
import type { Test } from 'tap';
import { FUZZ_SEED } from './e2e/random';

export { seededRandom } from './e2e/random';

export const DISTINCT_KEYS = 100_000;

export interface Workload {
  /** The live key is used again after this many new keys. */
  liveEvery: number;
  /** Each new key is used this many times, then never again. */
  usesPerKey: number;
  /** Drives the choices a run makes inside its loop (seededRandom). */
  seed: number;
}

export const workload = (maxLiveEvery: number): fc.Arbitrary<Workload> => fc.record({
  liveEvery: fc.integer({ min: 1, max: maxLiveEvery }),
  usesPerKey: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

/** Generated workloads per structure: each is 100,000 keys, so a few are plenty. */
const RUNS = 3;

/** Runs the property over a few generated workloads. */
export function checkBounded<W>(t: Test, name: string, arbitrary: fc.Arbitrary<W>, run: (w: W) => void, runs = RUNS): void {
  fc.assert(fc.property(arbitrary, run), { seed: FUZZ_SEED, numRuns: runs });
  t.pass(`${name}: ${DISTINCT_KEYS} distinct keys, ${runs} generated workloads (seed ${FUZZ_SEED})`);
}

/** Async form, for structures driven through callbacks (the fault hook). */
export async function checkBoundedAsync<W>(t: Test, name: string, arbitrary: fc.Arbitrary<W>, run: (w: W) => Promise<void>, runs = RUNS): Promise<void> {
  await fc.assert(fc.asyncProperty(arbitrary, run), { seed: FUZZ_SEED, numRuns: runs });
  t.pass(`${name}: ${DISTINCT_KEYS} distinct keys, ${runs} generated workloads (seed ${FUZZ_SEED})`);
}

/** Throws (failing the property, with fast-check's seed and counterexample) unless ok. */
export function expect(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}
