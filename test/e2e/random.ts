// Seeded randomness for tests that pick moments and operations at random: the same seed replays the same
// choices. SYNCMOCK_TEST_SEED overrides the fixed default; every test prints the seed it used.
import fc from 'fast-check';

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

/**
 * Times as a caller may write them, around every edge of the times syncmock accepts (src/platform/mock-time.ts):
 * years 0000-1969 and past 9999, leap seconds, Feb 30, hour 24, offsets that cross a year, odd fractions
 * and letters. Most are refused; every one must be answered, never stored changed.
 */
export const edgyTime = (): fc.Arbitrary<string> => {
  const digits = (width: number, min: number, max: number, edges: number[]) =>
    fc.oneof(fc.constantFrom(...edges), fc.integer({ min, max })).map((n) => String(n).padStart(width, '0'));
  const zones = ['Z', '+00:00', '-01:00', '+01:00', '+14:00', '-23:59'];
  const plausible = fc.tuple(digits(4, 1960, 9999, [1969, 1970, 9999]), digits(2, 1, 12, [2, 12]), digits(2, 1, 28, [29, 30, 31]),
    digits(2, 0, 23, [0, 23]), digits(2, 0, 59, [59]), digits(2, 0, 59, [59, 60]), fc.constantFrom('', '.5', '.123456789'),
    fc.constantFrom(...zones), fc.constant('T'));
  const wild = fc.tuple(fc.oneof(digits(4, 0, 9999, [0, 1, 99, 1969]), fc.constantFrom('10000', '+010000', '-000001', '275760')),
    digits(2, 0, 13, [0, 13]), digits(2, 0, 32, [0, 32]), digits(2, 0, 24, [24]), digits(2, 0, 60, [60]), digits(2, 0, 61, [60, 61]),
    fc.constantFrom('', '.', '.1234567890123456789012345'), fc.constantFrom(...zones, 'z', '+24:00', '', '+0100'), fc.constantFrom('T', 't', ' '));
  return fc.oneof({ arbitrary: plausible, weight: 3 }, { arbitrary: wild, weight: 1 })
    .map(([y, mo, d, h, mi, s, frac, zone, sep]) => `${y}-${mo}-${d}${sep}${h}:${mi}:${s}${frac}${zone}`);
};

/**
 * Any code point, lone surrogates included: what fast-check's `unit: 'binary'` gives, built in well under a
 * millisecond where that one takes about 1.5 s of CPU to build (once per test process that imports it).
 */
export const anyCodePoint = (): fc.Arbitrary<string> => fc.integer({ min: 0, max: 0x10ffff }).map((codePoint) => String.fromCodePoint(codePoint));
