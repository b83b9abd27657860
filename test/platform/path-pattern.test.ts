// Path globs (src/platform/path-pattern.ts) match what the regular expression they used to compile to
// matches, on generated patterns and paths (fast-check, the hostile tests' fixed seed), without its
// backtracking: a pattern that took a RegExp minutes on a 100-character path is answered at once, in a
// fault rule (matched on every vendor request) and in a journal filter (matched on every entry).
import fc from 'fast-check';
import t from 'tap';
import { MAX_PATTERN_LENGTH, compilePathPattern } from '../../src/platform/path-pattern';
import { http, startServer } from '../helpers';
import { PREFIX, datadog } from '../datadog/dd';
import { FUZZ_SEED } from '../e2e/hostile';

/** What a glob meant as a RegExp: `*` any run without `/`, `**` any run, the rest literal. */
const reference = (pattern: string): RegExp => new RegExp(`^${pattern.split(/(\*\*|\*)/)
  .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`);

const EVIL = '/**a**a**a**a**a**b';

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
  t.equal(glob.test(`/${'a'.repeat(16_000)}`), false, 'no b at the end: no match, on a 16,000-character path');
  t.equal(glob.test(`/${'a'.repeat(16_000)}b`), true, 'a b at the end: a match');
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
