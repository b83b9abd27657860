// Path patterns for fault rules and journal filters: globs over the URL path, because the paths people
// match ("every call under this prefix", "GET of any id") need no more, and a glob is easy to get right.
// `*` matches within one segment, `**` across segments; everything else is literal.
//
// Matched by simulating the pattern's automaton over the path, one character at a time, with the set of
// pattern positions still alive (at most two per wildcard plus two): time is the path's length times the
// wildcards at worst, and both are bounded (MAX_PATTERN_WILDCARDS, MAX_MATCHED_PATH_LENGTH). A pattern compiled to a RegExp backtracks instead:
// `/**a**a**a**a**b` against a path of a hundred `a`s kept the event loop busy for minutes, and fault rules
// are matched on every vendor request. Hand-written: picomatch and minimatch compile to RegExps too.
import { InvalidInput } from './errors';

/** The longest pattern taken: matching costs up to its length per character of a path, per request and rule. */
export const MAX_PATTERN_LENGTH = 256;
/**
 * The most wildcards (`*` or `**`) a pattern may hold. The positions alive while matching are at most two per
 * wildcard plus two, so this bounds the work per character of a path, whatever the pattern's length.
 */
export const MAX_PATTERN_WILDCARDS = 8;
/**
 * The longest path a pattern with wildcards is run over. A longer one (no vendor's route has one: ids stop
 * at 100 characters) is matched only by a pattern without wildcards, or whose one wildcard is a trailing
 * `**` (`/prefix/**`), which are compared as text. So one match costs at most MAX_MATCHED_PATH_LENGTH times
 * (2 * MAX_PATTERN_WILDCARDS + 2) steps, and a request against the fault rules (at most 1,000), or a journal
 * read (at most its size in entries), a bounded multiple of it.
 */
export const MAX_MATCHED_PATH_LENGTH = 256;

export interface PathPattern {
  test(path: string): boolean;
}

/** Pattern tokens: a character code, or one of these. */
const WITHIN_SEGMENT = -1;
const ACROSS_SEGMENTS = -2;
const SLASH = 0x2f;

/** Steps the matcher has taken in this process (positions visited): the tests' measure of its work. */
let steps = 0;
export const pathPatternSteps = (): number => steps;

/** Compiles a pattern, or throws InvalidInput naming `field` with what is wrong. */
export function compilePathPattern(pattern: string, field: string): PathPattern {
  const problem = !pattern.startsWith('/') ? 'must start with /'
    : pattern.length > MAX_PATTERN_LENGTH ? `must be at most ${MAX_PATTERN_LENGTH} characters`
      : /[?#]/.test(pattern) ? 'must be a path only, without ? or # (query strings are not matched)'
        : /\s/.test(pattern) ? 'must not contain whitespace'
          : /\*{3,}/.test(pattern) ? 'must not contain more than two * in a row'
            : (pattern.match(/\*\*?/g)?.length ?? 0) > MAX_PATTERN_WILDCARDS ? `must hold at most ${MAX_PATTERN_WILDCARDS} wildcards (* or **)`
              : undefined;
  if (problem) throw new InvalidInput(`Field '${field}' ${problem}`);
  const first = pattern.indexOf('*');
  // No wildcard: the path itself. One trailing `**`: a prefix. Both compared as text, whatever the length.
  if (first < 0) return { test: (path) => path === pattern };
  const prefix = pattern.slice(0, first);
  if (first === pattern.length - 2 && pattern.endsWith('**')) return { test: (path) => path.startsWith(prefix) };
  const suffix = pattern.slice(pattern.lastIndexOf('*') + 1);
  const tokens: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '*') tokens.push(pattern.charCodeAt(i));
    else if (pattern[i + 1] === '*') {
      tokens.push(ACROSS_SEGMENTS);
      i++;
    } else tokens.push(WITHIN_SEGMENT);
  }
  const matcher = new Matcher(Int32Array.from(tokens));
  return {
    test: (path) => path.length <= MAX_MATCHED_PATH_LENGTH && path.length >= prefix.length + suffix.length
      && path.startsWith(prefix) && path.endsWith(suffix) && matcher.matches(path),
  };
}

/**
 * The pattern's automaton simulated over a path, one character at a time, with the set of pattern positions
 * still alive. Its buffers are the pattern's own (matching is synchronous), so a match allocates nothing.
 */
class Matcher {
  private readonly end: number;
  /** When each position was last added, so a position is in a set once. */
  private readonly added: Uint32Array;
  private alive: Int32Array;
  private next: Int32Array;
  private round = 0;

  constructor(private readonly tokens: Int32Array) {
    this.end = tokens.length;
    this.added = new Uint32Array(this.end + 1);
    this.alive = new Int32Array(this.end + 1);
    this.next = new Int32Array(this.end + 1);
  }

  /** Adds a position, and the ones after it that a wildcard lets it skip to (a wildcard may match nothing). */
  private add(to: Int32Array, size: number, from: number): number {
    const { tokens, added, end, round } = this;
    for (let p = from; added[p] !== round; p++) {
      added[p] = round;
      to[size++] = p;
      if (p === end || tokens[p] >= 0) break;
    }
    return size;
  }

  matches(path: string): boolean {
    const { tokens, end } = this;
    if (this.round > 0xfffffff0) {
      this.added.fill(0);
      this.round = 0;
    }
    this.round++;
    let size = this.add(this.alive, 0, 0);
    let taken = 0;
    for (let i = 0; i < path.length && size > 0; i++) {
      const c = path.charCodeAt(i);
      this.round++;
      let nextSize = 0;
      taken += size;
      for (let k = 0; k < size; k++) {
        const p = this.alive[k];
        if (p === end) continue;
        const token = tokens[p];
        if (token === ACROSS_SEGMENTS || (token === WITHIN_SEGMENT && c !== SLASH)) nextSize = this.add(this.next, nextSize, p);
        else if (token === c) nextSize = this.add(this.next, nextSize, p + 1);
      }
      [this.alive, this.next] = [this.next, this.alive];
      size = nextSize;
    }
    steps += taken;
    for (let k = 0; k < size; k++) if (this.alive[k] === end) return true;
    return false;
  }
}
