// Path patterns for fault rules and journal filters: globs over the URL path, because the paths people
// match ("every call under this prefix", "GET of any id") need no more, and a glob is easy to get right.
// `*` matches within one segment, `**` across segments; everything else is literal.
//
// Matched by simulating the pattern's automaton over the path, one character at a time, with the set of
// pattern positions still alive (at most its length plus one): time is the path's length times the
// pattern's at worst, whatever both hold. A pattern compiled to a RegExp backtracks instead:
// `/**a**a**a**a**b` against a path of a hundred `a`s kept the event loop busy for minutes, and fault rules
// are matched on every vendor request. Hand-written: picomatch and minimatch compile to RegExps too.
import { InvalidInput } from './errors';

/** The longest pattern taken: matching costs up to its length per character of a path, per request and rule. */
export const MAX_PATTERN_LENGTH = 256;

export interface PathPattern {
  test(path: string): boolean;
}

/** Pattern tokens: a character code, or one of these. */
const WITHIN_SEGMENT = -1;
const ACROSS_SEGMENTS = -2;
const SLASH = 0x2f;

/** Compiles a pattern, or throws InvalidInput naming `field` with what is wrong. */
export function compilePathPattern(pattern: string, field: string): PathPattern {
  const problem = !pattern.startsWith('/') ? 'must start with /'
    : pattern.length > MAX_PATTERN_LENGTH ? `must be at most ${MAX_PATTERN_LENGTH} characters`
      : /[?#]/.test(pattern) ? 'must be a path only, without ? or # (query strings are not matched)'
        : /\s/.test(pattern) ? 'must not contain whitespace'
          : /\*{3,}/.test(pattern) ? 'must not contain more than two * in a row'
            : undefined;
  if (problem) throw new InvalidInput(`Field '${field}' ${problem}`);
  const tokens: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '*') tokens.push(pattern.charCodeAt(i));
    else if (pattern[i + 1] === '*') {
      tokens.push(ACROSS_SEGMENTS);
      i++;
    } else tokens.push(WITHIN_SEGMENT);
  }
  const compiled = Int32Array.from(tokens);
  return { test: (path) => matches(compiled, path) };
}

/** Whether the whole path matches the tokens. */
function matches(tokens: Int32Array, path: string): boolean {
  const end = tokens.length;
  // When each position was last added, so a position is in a set once.
  const added = new Uint32Array(end + 1);
  let round = 1;
  let alive: number[] = [];
  let next: number[] = [];
  // A position, and the ones after it that a star lets it skip to (a star may match nothing).
  const add = (to: number[], from: number): void => {
    for (let p = from; added[p] !== round; p++) {
      added[p] = round;
      to.push(p);
      if (p === end || tokens[p] >= 0) return;
    }
  };
  add(alive, 0);
  for (let i = 0; i < path.length && alive.length > 0; i++) {
    const c = path.charCodeAt(i);
    round++;
    next.length = 0;
    for (const p of alive) {
      if (p === end) continue;
      const token = tokens[p];
      if (token === ACROSS_SEGMENTS || (token === WITHIN_SEGMENT && c !== SLASH)) add(next, p);
      else if (token === c) add(next, p + 1);
    }
    [alive, next] = [next, alive];
  }
  return alive.includes(end);
}
