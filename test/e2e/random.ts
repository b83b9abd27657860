// Seeded randomness for tests that pick moments and operations at random: the same seed replays the same
// choices. SYNCMOCK_TEST_SEED overrides the fixed default; every test prints the seed it used.

export function testSeed(fallback: number): number {
  const fromEnv = process.env.SYNCMOCK_TEST_SEED;
  return fromEnv !== undefined && /^\d+$/.test(fromEnv) ? Number(fromEnv) : fallback;
}

/** mulberry32: a small, fast, well-distributed 32-bit generator. */
export function seededRandom(seed: number): { next(): number; int(min: number, max: number): number } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}

/** The generated-input tests' seed (fast-check), fixed for CI; SYNCMOCK_FUZZ_SEED replays another run. fast-check prints the seed and path of a failure. */
export const FUZZ_SEED = /^\d+$/.test(process.env.SYNCMOCK_FUZZ_SEED ?? '') ? Number(process.env.SYNCMOCK_FUZZ_SEED) : 424242;
