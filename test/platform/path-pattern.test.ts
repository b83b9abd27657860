// Path globs (src/platform/path-pattern.ts) match what the regular expression they used to compile to
// matches, on generated patterns and paths (fast-check, the hostile tests' fixed seed), without its
// backtracking: a pattern that took a RegExp minutes on a 100-character path is answered at once, in a
// fault rule (matched on every vendor request) and in a journal filter (matched on every entry).
import fc from 'fast-check';
import t from 'tap';
import { MAX_MATCHED_PATH_LENGTH, MAX_PATTERN_LENGTH, MAX_PATTERN_WILDCARDS, compilePathPattern, pathPatternSteps } from '../../src/platform/path-pattern';
import { http, startServer } from '../helpers';
import { PREFIX, datadog } from '../datadog/dd';
import { FUZZ_SEED } from '../e2e/hostile';

/** What a glob meant as a RegExp: `*` any run without `/`, `**` any run, the rest literal. */
const reference = (pattern: string): RegExp => new RegExp(`^${pattern.split(/(\*\*|\*)/)
  .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`);

const EVIL = '/**a**a**a**a**a**b';
/** The most wildcards a pattern may hold, each followed by an `a`: the most positions alive at once. */
const WORST = `/${'**a'.repeat(MAX_PATTERN_WILDCARDS - 1)}*b`;

t.test('a glob matches exactly what its regular expression matches', async (t) => {
  const piece = fc.constantFrom('/', 'a', 'b', '.', '-', '*', '**', '(', '%');
  const pattern = fc.array(piece, { maxLength: 10 }).map((parts) => `/${parts.join('')}`).filter((p) => !/\*{3,}/.test(p));
  const path = fc.array(fc.constantFrom('/', 'a', 'b', '.', '-', '(', '%'), { maxLength: 16 }).map((cs) => `/${cs.join('')}`);
  fc.assert(fc.property(pattern, path, (p, s) => {
    if (compilePathPattern(p, 'path').test(s) !== reference(p).test(s)) throw new Error(`${p} on ${s}: the glob says ${!reference(p).test(s)}`);
  }), { seed: FUZZ_SEED, numRuns: 2000 });
  t.pass(`2000 generated patterns and paths (seed ${FUZZ_SEED})`);
});

t.test('a pattern longer than the limit is refused naming the field', async (t) => {
  t.doesNotThrow(() => compilePathPattern(`/${'a'.repeat(MAX_PATTERN_LENGTH - 1)}`, 'path'), 'at the limit: fine');
  t.throws(() => compilePathPattern(`/${'a'.repeat(MAX_PATTERN_LENGTH)}`, 'path'), { message: `Field 'path' must be at most ${MAX_PATTERN_LENGTH} characters` });
});

t.test('a pattern that backtracks as a RegExp is matched at once, in a fault rule and in a journal filter', async (t) => {
  const glob = compilePathPattern(EVIL, 'path');
  t.equal(glob.test(`/${'a'.repeat(MAX_MATCHED_PATH_LENGTH - 2)}`), false, 'no b at the end: no match');
  t.equal(glob.test(`/${'a'.repeat(MAX_MATCHED_PATH_LENGTH - 2)}b`), true, 'a b at the end: a match');
  t.equal(glob.test(`/${'a'.repeat(16_000)}b`), false, 'a path past MAX_MATCHED_PATH_LENGTH is not run through a pattern with wildcards');
  t.equal(compilePathPattern('/api/**', 'path').test(`/api/${'a'.repeat(16_000)}`), true, 'but a trailing ** matches it as a prefix');
  t.equal(compilePathPattern('/api/x', 'path').test(`/api/${'a'.repeat(16_000)}`), false, 'and a literal as itself');
  const server = await startServer(t, { logLevel: 'warn' });
  const dd = datadog(server.url);
  const rule = await http(`${server.url}/__admin/faults`, { method: 'POST', json: { vendor: 'datadog', path: EVIL, status: 503 } });
  t.equal(rule.status, 201, 'the rule is taken');
  const id = 'a'.repeat(100); // the longest id the router passes on
  t.equal((await dd.call('GET', `/${id}`)).status, 404, 'a request the rule does not match is answered (404: no such config)');
  t.equal((await dd.call('GET', `/${id}b`)).status, 404, 'nor this one: ids stop at 100 characters, so the router never reaches the rule');
  t.equal((await dd.call('GET', `/${'a'.repeat(99)}b`)).status, 503, 'one the rule matches gets its fault');
  const long = await http(`${server.url}${PREFIX}/x/${'a'.repeat(12_000)}`, { headers: dd.headers });
  t.equal(long.status, 404, 'a 12,000-character path is journaled');
  const journal = await http(`${server.url}/__admin/requests?path=${encodeURIComponent(EVIL)}`);
  t.equal(journal.status, 200, 'and the journal filtered by the pattern answers');
  t.same(journal.json.requests.map((r: { status: number }) => r.status), [503, 404], 'with the two entries whose path ends in b, newest first');
  const tooLong = await http(`${server.url}/__admin/faults`, { method: 'POST', json: { path: `/${'*a'.repeat(MAX_PATTERN_LENGTH)}`, status: 503 } });
  t.equal(tooLong.status, 400, 'a fault rule with a longer pattern is refused');
  t.match(tooLong.json.message, `must be at most ${MAX_PATTERN_LENGTH} characters`);
});

// Generated: the work of matching is bounded whatever the pattern and the path, counted in the matcher's
// steps (positions visited; tests never time). Worst-case patterns (the most wildcards, each followed by the
// character the path repeats) over paths of any length up to the 16 KiB head limit: one match takes at most
// MAX_MATCHED_PATH_LENGTH x (2 x MAX_PATTERN_WILDCARDS + 2) steps. So 1,000 fault rules per request, a
// journal read over 1,000 entries, and 100 streams per entry are each bounded multiples of it.
t.test('generated: one match costs a bounded number of steps; patterns past the bounds are refused', async (t) => {
  const bound = MAX_MATCHED_PATH_LENGTH * (2 * MAX_PATTERN_WILDCARDS + 2);
  const star = fc.constantFrom('*', '**');
  const pattern = fc.array(fc.tuple(star, fc.constantFrom('a', '/', 'a/', 'b')), { minLength: 1, maxLength: MAX_PATTERN_WILDCARDS })
    .map((parts) => `/${parts.map(([s, c]) => s + c).join('')}`);
  const path = fc.tuple(fc.integer({ min: 0, max: 16_000 }), fc.constantFrom('a', 'a/', '/', 'ab'), fc.constantFrom('', 'b', '/b'))
    .map(([n, unit, end]) => `/${unit.repeat(Math.ceil(n / unit.length))}${end}`);
  let worst = 0;
  fc.assert(fc.property(fc.oneof(pattern, fc.constant(WORST)), path, (p, s) => {
    const glob = compilePathPattern(p, 'path');
    const before = pathPatternSteps();
    glob.test(s);
    const steps = pathPatternSteps() - before;
    worst = Math.max(worst, steps);
    if (steps > bound) throw new Error(`${p} on a ${s.length}-character path: ${steps} steps, over ${bound}`);
    if (s.length <= MAX_MATCHED_PATH_LENGTH && glob.test(s) !== reference(p).test(s)) throw new Error(`${p} on ${s}: wrong answer`);
  }), { seed: FUZZ_SEED, numRuns: 300 });
  t.ok(worst > bound / 8, `the generated cases include costly ones (${worst} of ${bound} steps)`);
  t.throws(() => compilePathPattern(`/${'*a'.repeat(MAX_PATTERN_WILDCARDS + 1)}`, 'path'), { message: `Field 'path' must hold at most ${MAX_PATTERN_WILDCARDS} wildcards (* or **)` });
  const server = await startServer(t, { logLevel: 'warn' });
  for (const [where, call] of [
    ['a fault rule', () => http(`${server.url}/__admin/faults`, { method: 'POST', json: { path: `/${'**a'.repeat(MAX_PATTERN_WILDCARDS + 1)}`, status: 503 } })],
    ['a journal filter', () => http(`${server.url}/__admin/requests?path=${encodeURIComponent(`/${'*a'.repeat(MAX_PATTERN_WILDCARDS + 1)}`)}`)],
    ['a journal stream filter', () => http(`${server.url}/__admin/requests/stream?path=${encodeURIComponent(`/${'*a'.repeat(MAX_PATTERN_WILDCARDS + 1)}`)}`)],
  ] as const) {
    const res = await call();
    t.equal(res.status, 400, `${where} with too many wildcards: 400`);
    t.match(res.json, { statusCode: 400, error: 'Bad Request', message: /at most 8 wildcards/, details: Array }, `${where}: the control shape`);
  }
});
