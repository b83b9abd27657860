// Spellings of a request path (fast-check): the ways one route can be written that the router may take for
// it (percent-encoding of any character, in either case; doubled slashes) and near misses it may not (case,
// encoded slashes, dot segments, a trailing slash, `;`, the absolute form). Hooks that sorted requests by
// the text of the URL let the first kind past them.
import fc from 'fast-check';

type Spell = (path: string) => string;

const hex = (code: number, upper: boolean): string => {
  const h = code.toString(16).padStart(2, '0');
  return `%${upper ? h.toUpperCase() : h}`;
};

/** The character at `at` (modulo the length), percent-encoded as UTF-8 bytes. */
const encodeAt = (at: number, upper: boolean): Spell => (path) => {
  const i = at % path.length;
  const bytes = [...Buffer.from(path[i])].map((b) => hex(b, upper)).join('');
  return path.slice(0, i) + bytes + path.slice(i + 1);
};

/** Every character from `from` to `to`, encoded. */
const encodeRun = (from: number, length: number, upper: boolean): Spell => (path) => {
  const start = from % path.length;
  const end = Math.min(path.length, start + length);
  return path.slice(0, start) + [...path.slice(start, end)].map((c) => [...Buffer.from(c)].map((b) => hex(b, upper)).join('')).join('') + path.slice(end);
};

/** The `n`th slash (modulo their count), changed by `change`. */
const atSlash = (n: number, change: (rest: string) => string): Spell => (path) => {
  const slashes = [...path].flatMap((c, i) => (c === '/' ? [i] : []));
  if (slashes.length === 0) return path;
  const i = slashes[n % slashes.length];
  return path.slice(0, i) + change(path.slice(i + 1));
};

const caseAt = (at: number): Spell => (path) => {
  const i = at % path.length;
  const c = path[i];
  const flipped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
  return path.slice(0, i) + flipped + path.slice(i + 1);
};

const spell: fc.Arbitrary<Spell> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.nat(), fc.boolean()).map(([at, upper]) => encodeAt(at, upper)) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 2, max: 12 }), fc.boolean()).map(([at, n, upper]) => encodeRun(at, n, upper)) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 2, max: 4 })).map(([n, k]) => atSlash(n, (rest) => `${'/'.repeat(k)}${rest}`)) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.boolean()).map(([n, upper]) => atSlash(n, (rest) => `${upper ? '%2F' : '%2f'}${rest}`)) },
  { weight: 1, arbitrary: fc.nat().map((n) => atSlash(n, (rest) => `/./${rest}`)) },
  { weight: 1, arbitrary: fc.nat().map((n) => atSlash(n, (rest) => `/x/../${rest}`)) },
  { weight: 1, arbitrary: fc.nat().map((n) => atSlash(n, (rest) => `/%2e%2e/${rest}`)) },
  { weight: 1, arbitrary: fc.nat().map(caseAt) },
  { weight: 1, arbitrary: fc.constant<Spell>((path) => `${path}/`) },
  { weight: 1, arbitrary: fc.constantFrom<Spell>((path) => `${path};`, (path) => `${path};x=1`, (path) => path.replace(/^(\/[^/]*)/, '$1;')) },
  { weight: 1, arbitrary: fc.constantFrom<Spell>((path) => `http://127.0.0.1${path}`, (path) => `HTTP://rebind.evil.example${path}`) },
);

/** Paths that name `path` in one to four ways at once. */
export const spellingsOf = (path: string): fc.Arbitrary<string> =>
  fc.array(spell, { minLength: 1, maxLength: 4 }).map((spells) => {
    // The absolute form only makes sense once, in front.
    const absolute = spells.filter((s) => s('/').startsWith('http') || s('/').startsWith('HTTP'));
    const rest = spells.filter((s) => !absolute.includes(s));
    const spelt = rest.reduce((p, s) => s(p), path);
    return absolute.length > 0 ? absolute[0](spelt) : spelt;
  });
