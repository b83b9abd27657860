// The scan the JSON body policy runs before JSON.parse (src/platform/json-scan.ts), against the reference it
// stands in for, on generated texts (fast-check, the hostile tests' fixed seed): a syntax error is found
// exactly when JSON.parse throws; nesting past the limit exactly when the parsed value is that deep; too
// many values exactly when the parsed value holds that many, or an object that many members; the
// unsafe integers are those whose source text JSON.parse's reviver sees as digits beyond 2^53; the first
// byte that is not UTF-8 exactly when Buffer.isUtf8 says no. And it does not recurse: 1 MiB of `[` is fine.
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import t from 'tap';
import { LONE_SURROGATE, firstInvalidUtf8, scanJson, textStart } from '../../src/platform/json-scan';
import { FUZZ_SEED, hostileValue } from '../e2e/hostile';

const RUNS = Number(process.env.SYNCMOCK_FUZZ_RUNS ?? 1000);
const check = (property: fc.IProperty<any>) => fc.assert(property, { seed: FUZZ_SEED, numRuns: RUNS });
const NO_LIMITS = { depth: Infinity, values: Infinity, members: Infinity };

/** What JSON.parse makes of the text the scan reads (after a byte order mark), or the error it throws. */
function parsed(bytes: Buffer): { value: unknown } | { error: unknown } {
  try {
    return { value: JSON.parse(bytes.toString('utf8', textStart(bytes))) };
  } catch (error) {
    return { error };
  }
}

const SIGNIFICANT = ['{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '\t', '\r', '0', '1', '9', '-', '+', '.', 'e', 'E', 't', 'r', 'u', 'f', 'n',
  'l', 's', 'a', 'x', 'N', 'I', '\u0000', '\u001f', '\u00e9', '\ud83e\udd84', '\ufeff', "'", '/', '*'];

/** A valid JSON text, sometimes with whitespace between its tokens and a byte order mark. */
const validText: fc.Arbitrary<string> = fc.tuple(fc.oneof(fc.jsonValue(), hostileValue), fc.constantFrom(undefined, 1, '\t', ' \r\n '), fc.boolean())
  .map(([value, space, bom]) => (bom ? '\ufeff' : '') + (JSON.stringify(value, null, space) ?? 'null'));

/** JSON texts with one or a few characters inserted, removed or replaced, cut short, or made of JSON's own characters. */
const nearlyJson: fc.Arbitrary<string> = fc.oneof(
  validText,
  fc.tuple(validText, fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'remove', 'replace'), fc.constantFrom(...SIGNIFICANT)), { minLength: 1, maxLength: 3 }))
    .map(([text, edits]) => edits.reduce((s, [at, kind, c]) => {
      const i = s.length === 0 ? 0 : at % s.length;
      return kind === 'insert' ? s.slice(0, i) + c + s.slice(i) : kind === 'remove' ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + c + s.slice(i + 1);
    }, text)),
  fc.tuple(validText, fc.nat()).map(([text, n]) => text.slice(0, n % (text.length + 1))),
  fc.array(fc.constantFrom(...SIGNIFICANT), { maxLength: 30 }).map((cs) => cs.join('')),
  fc.constantFrom('', ' ', '\ufeff', 'NaN', 'Infinity', '-Infinity', '[1,]', '{"a":1,}', '{"a" 1}', '"\\x"', '"\\u12"', '01', '-', '1.', '1e', '.5',
    '"\t"', 'tru', 'nul', '[1 2]', '{,}', '{"a":1}x', '1 2', '"a', '[', '{', '{"a"', '{"a":', '"\\"'),
);

/** Whether a parsed value holds a string with half of a surrogate pair alone (`"\\ud800"`), as a value or a key. */
const holdsLoneSurrogate = (value: unknown): boolean => (typeof value === 'string' ? !value.isWellFormed()
  : value !== null && typeof value === 'object' && Object.entries(value).some(([k, v]) => !k.isWellFormed() || holdsLoneSurrogate(v)));

/** Strings of code units around the surrogates (pairs, lone halves, either order), as JSON writes them: escaped. */
const surrogateText: fc.Arbitrary<string> = fc.array(fc.oneof(fc.integer({ min: 0xd7fe, max: 0xe001 }), fc.constantFrom(0x41, 0xd83e, 0xdd84)), { maxLength: 6 })
  .chain((units) => fc.constantFrom(
    JSON.stringify(String.fromCharCode(...units)),
    JSON.stringify({ [String.fromCharCode(...units)]: 1 }),
    // Written by hand, upper or lower case hex, as a client may.
    `"${units.map((u) => `\\u${u.toString(16).padStart(4, '0')}`).join('')}"`,
    `["${units.map((u) => `\\u${u.toString(16).toUpperCase().padStart(4, '0')}`).join('')}"]`,
  ));

// Lone surrogates: refused too (as a syntax error naming the rule), since SQLite would store U+FFFD instead.
t.test('the scan finds a syntax error exactly when JSON.parse throws or the text holds a lone surrogate', async (t) => {
  check(fc.property(fc.oneof(nearlyJson, surrogateText), (text) => {
    const bytes = Buffer.from(text);
    const scan = scanJson(bytes, NO_LIMITS);
    const result = parsed(bytes);
    const refused = scan.kind === 'syntax' || scan.kind === 'empty';
    const lone = 'value' in result && holdsLoneSurrogate(result.value);
    if (lone && !(scan.kind === 'syntax' && scan.rule === LONE_SURROGATE)) throw new Error(`a lone surrogate not refused: ${JSON.stringify(text)}`);
    if (refused !== ('error' in result || lone)) throw new Error(`scan ${JSON.stringify(scan)} but JSON.parse ${'error' in result ? 'throws' : 'parses'}: ${JSON.stringify(text)}`);
    if (scan.kind === 'syntax' && !(scan.at >= 0 && scan.at <= bytes.length)) throw new Error(`position ${scan.at} outside the text`);
    if (scan.kind === 'empty' && !/^[ \t\r\n]*$/.test(bytes.toString('utf8', textStart(bytes)))) throw new Error(`called empty: ${JSON.stringify(text)}`);
  }));
  t.pass(`${RUNS} generated texts (seed ${FUZZ_SEED})`);
});

/** How deep a parsed value nests, the value itself being level 1 when it is an object or an array. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [v, depth] = pending.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(v)) pending.push([child, depth + 1]);
  }
  return deepest;
}

t.test('nesting past the limit is refused exactly when the parsed value is that deep', async (t) => {
  const deep = fc.tuple(fc.integer({ min: 0, max: 8 }), fc.jsonValue({ depthSize: 'large', maxDepth: 10 })).map(([levels, inner]) =>
    `${'['.repeat(levels)}${JSON.stringify(inner)}${']'.repeat(levels)}`);
  check(fc.property(deep, fc.integer({ min: 1, max: 12 }), (text, limit) => {
    const bytes = Buffer.from(text);
    const scan = scanJson(bytes, { ...NO_LIMITS, depth: limit });
    const tooDeep = depthOf(JSON.parse(text)) > limit;
    if ((scan.kind === 'too deep') !== tooDeep) throw new Error(`limit ${limit}: scan ${JSON.stringify(scan)} for ${text}`);
  }));
  t.pass(`${RUNS} generated texts`);
});

/** How many values a parsed value holds (itself and, inside it, each member's), and the most members of one of its objects. */
function sizeOf(value: unknown): { values: number; members: number } {
  const size = { values: 0, members: 0 };
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    size.values++;
    if (v === null || typeof v !== 'object') continue;
    if (!Array.isArray(v)) size.members = Math.max(size.members, Object.keys(v).length);
    pending.push(...Object.values(v));
  }
  return size;
}

for (const [limit, kind, most] of [['values', 'too many values', 40], ['members', 'too many members', 6]] as const) {
  t.test(`more ${limit} than the limit are refused exactly when the parsed value holds that many`, async (t) => {
    check(fc.property(validText, fc.integer({ min: 0, max: most }), (text, n) => {
      const value: unknown = JSON.parse(text.replace(/^\ufeff/, ''));
      // A lone surrogate is a syntax error wherever it is, met before or after the count passes the limit.
      fc.pre(!holdsLoneSurrogate(value));
      const scan = scanJson(Buffer.from(text), { ...NO_LIMITS, [limit]: n });
      if ((scan.kind === kind) !== sizeOf(value)[limit] > n) {
        throw new Error(`${limit} ${n}: scan ${JSON.stringify(scan)} for ${text}`);
      }
    }));
    t.pass(`${RUNS} generated texts`);
  });
}

/** The integers JSON.parse changes: their source text is digits alone, and not a safe integer (Node 21+: the reviver's source). */
function changedIntegers(text: string): Set<number> {
  const found = new Set<number>();
  JSON.parse(text, function (this: unknown, _key: string, value: unknown, context?: { source?: string }) {
    if (typeof value === 'number' && /^-?\d+$/.test(context?.source ?? '') && !Number.isSafeInteger(value)) found.add(value);
    return value;
  } as Parameters<typeof JSON.parse>[1]);
  return found;
}

t.test('the unsafe integers are the ones whose source is digits beyond 2^53', async (t) => {
  const integer = fc.oneof(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String), fc.constantFrom('9007199254740991', '9007199254740992',
    '9007199254740993', '-9007199254740993', '1e400', '12345678901234567890.5', '0', '1234567890123456e2'));
  const texts = fc.array(fc.oneof(integer, fc.string().map((s) => JSON.stringify(s))), { maxLength: 8 }).map((items) => `[${items.join(',')}]`);
  check(fc.property(texts, (text) => {
    const scan = scanJson(Buffer.from(text), NO_LIMITS);
    if (scan.kind !== 'json') throw new Error(`not JSON: ${text}`);
    const expected = changedIntegers(text);
    if (JSON.stringify([...scan.unsafeIntegers].sort()) !== JSON.stringify([...expected].sort())) {
      throw new Error(`${text}: scan ${[...scan.unsafeIntegers]}, JSON.parse changed ${[...expected]}`);
    }
  }));
  t.pass(`${RUNS} generated texts`);
});

t.test('the first byte that is not UTF-8 is found exactly when Buffer.isUtf8 says no', async (t) => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 40 }),
    fc.tuple(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }))
      .map(([s, edits]) => {
        const b = Buffer.from(s);
        for (const [at, byte] of edits) if (b.length > 0) b[at % b.length] = byte;
        return b;
      }),
    fc.constantFrom(...[[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8], [0xe2, 0x82], [0x80]].map((a) => Uint8Array.from(a))),
  );
  check(fc.property(bytes, (b) => {
    const at = firstInvalidUtf8(b);
    if ((at === -1) !== isUtf8(b)) throw new Error(`${Buffer.from(b).toString('hex')}: ${at}, isUtf8 ${isUtf8(b)}`);
    if (at >= 0 && (!isUtf8(b.subarray(0, at)) || isUtf8(b.subarray(0, Math.min(b.length, at + 4))))) {
      throw new Error(`${Buffer.from(b).toString('hex')}: ${at} is not where it stops being UTF-8`);
    }
  }));
  t.pass(`${RUNS} generated byte strings`);
});

t.test('the scan does not recurse: a megabyte of brackets is one answer, not a stack overflow', async (t) => {
  const open = Buffer.alloc(1024 * 1024, '[');
  t.same(scanJson(open, { ...NO_LIMITS, depth: 100 }), { kind: 'too deep', at: 100 }, 'nesting past the limit, where it passes it');
  t.same(scanJson(open, NO_LIMITS), { kind: 'syntax', rule: 'unexpected end of the body', at: open.length }, 'without a limit: cut off at the end');
  const closed = Buffer.from(`${'['.repeat(300_000)}${']'.repeat(300_000)}`);
  t.match(scanJson(closed, NO_LIMITS), { kind: 'json' }, '300,000 levels, closed: JSON');
});
