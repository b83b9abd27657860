// One pass over the bytes of a JSON text before it is parsed, for the JSON body policy (json-body.ts):
// - the first syntax error, as a rule and a byte position, never the bytes themselves: V8's JSON.parse
//   messages quote the text around the error, and a body is where credentials travel;
// - nesting past the limit, found before JSON.parse builds a million nested arrays out of 1 MiB of `[`;
// - more values than the limit (each object, array, string, number, true, false and null counts once), or
//   an object with more members than the limit, found before JSON.parse makes them: what a body costs to
//   parse, check, store and answer grows with its values more than with its bytes (1 MiB of `{},` is
//   350,000 objects), and V8 makes a wide object a dictionary, several times dearer per member;
// - the integers written in 16 or more digits (no fraction, no exponent) that a double cannot hold exactly:
//   only the text tells `9007199254740993` (changed by JSON.parse) from `1e300` (the double it names).
// readJsonFile() uses the same scan for the files syncmock reads (seed data, state documents, recordings),
// which hold credentials too.
// Hand-written, and iterative: jsonc-parser, the one close library, reports positions but its visitor
// recurses once per level, so 1 MiB of `[` overflows the stack. test/platform/json-scan.test.ts checks,
// on generated texts, that a syntax error is found exactly when JSON.parse throws.

import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';

/** What a scan found: a reason to refuse the text, or what JSON.parse will make of it. */
export type JsonScan =
  | { kind: 'empty' }
  | { kind: 'syntax'; rule: string; at: number }
  | { kind: 'too deep'; at: number }
  | { kind: 'too many values'; at: number }
  | { kind: 'too many members'; at: number }
  | { kind: 'json'; unsafeIntegers: ReadonlySet<number> };

const NO_NUMBERS: ReadonlySet<number> = new Set();
const NO_LIMITS: JsonLimits = { depth: Infinity, values: Infinity, members: Infinity };

/**
 * A JSON file's value. Throws an Error saying where the file stops being UTF-8 or JSON, by rule and byte,
 * without quoting it; one that cannot be read throws fs's error, which names the path.
 */
export function readJsonFile(file: string): unknown {
  const bytes = fs.readFileSync(file);
  if (!isUtf8(bytes)) throw new Error(`not UTF-8 at byte ${firstInvalidUtf8(bytes)}`);
  const scan = scanJson(bytes, NO_LIMITS);
  if (scan.kind === 'empty') throw new Error('empty, not JSON');
  if (scan.kind === 'syntax') throw new Error(`not JSON: ${scan.rule} at byte ${scan.at}`);
  return JSON.parse(bytes.toString('utf8', textStart(bytes)));
}

// Bytes.
const TAB = 0x09, LF = 0x0a, CR = 0x0d, SPACE = 0x20, QUOTE = 0x22, PLUS = 0x2b, COMMA = 0x2c, MINUS = 0x2d, DOT = 0x2e,
  ZERO = 0x30, NINE = 0x39, COLON = 0x3a, OPEN_ARRAY = 0x5b, BACKSLASH = 0x5c, CLOSE_ARRAY = 0x5d, OPEN_OBJECT = 0x7b,
  CLOSE_OBJECT = 0x7d, E_LOWER = 0x65, E_UPPER = 0x45, U_LOWER = 0x75;
/** What may follow a backslash in a string, besides `u`. */
const ESCAPES = new Set([QUOTE, BACKSLASH, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);
const LITERALS: Record<number, Buffer> = { 0x74: Buffer.from('true'), 0x66: Buffer.from('false'), 0x6e: Buffer.from('null') };
/** Integers with fewer digits are all exact doubles (2^53 has 16 digits). */
const SAFE_DIGITS = 15;

const isDigit = (b: number): boolean => b >= ZERO && b <= NINE;
const isHex = (b: number): boolean => isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);

/** The value of the four hex digits at `at`. */
const hexAt = (bytes: Uint8Array, at: number): number => Number.parseInt(Buffer.from(bytes.buffer, bytes.byteOffset + at, 4).toString('latin1'), 16);

/** The rule a lone surrogate escape breaks (RFC 8259 §8.2: such a string is not Unicode text). */
export const LONE_SURROGATE = 'an unpaired surrogate escape in a string (\\uD800-\\uDBFF must be followed by \\uDC00-\\uDFFF)';

class SyntaxProblem {
  constructor(readonly rule: string, readonly at: number) {}
}

/** Where the text starts: after a byte order mark, which a JSON text may not hold but some writers add. */
export const textStart = (bytes: Uint8Array): number => (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);

export interface JsonLimits {
  /** Objects and arrays nested inside one another, the outermost being level 1. */
  depth: number;
  values: number;
  /** Members of one object. */
  members: number;
}

/**
 * Scans `bytes` (valid UTF-8; a leading byte order mark is skipped) as one JSON text. Past a limit, the
 * text is refused where the first value too many (or too deep) starts.
 */
export function scanJson(bytes: Uint8Array, limits: JsonLimits): JsonScan {
  const end = bytes.length;
  let at = textStart(bytes);
  /** Open containers, innermost last: true for an object. */
  const open: boolean[] = [];
  /** Members seen so far of each open object (and a 0 for each open array). */
  const members: number[] = [];
  let unsafe: Set<number> | undefined;
  let values = 0;

  const skipSpace = (): void => {
    while (at < end) {
      const b = bytes[at];
      if (b !== SPACE && b !== LF && b !== CR && b !== TAB) return;
      at++;
    }
  };
  const fail = (rule: string, where = at): never => {
    throw new SyntaxProblem(where >= end ? 'unexpected end of the body' : rule, Math.min(where, end));
  };
  const string = (): void => {
    at++; // the opening quote
    for (;;) {
      if (at >= end) fail('unexpected end of the body');
      const b = bytes[at];
      if (b === QUOTE) {
        at++;
        return;
      }
      if (b === BACKSLASH) {
        const escaped = bytes[at + 1];
        if (escaped === U_LOWER) {
          for (let i = 2; i < 6; i++) if (!isHex(bytes[at + i])) fail('bad \\u escape in a string', at + i);
          // Half of a surrogate pair alone (`\ud800`) is valid JSON syntax but no Unicode text: SQLite
          // stores it as U+FFFD, so what is read back would differ from what was written. Refused instead.
          const unit = hexAt(bytes, at + 2);
          if (unit >= 0xdc00 && unit <= 0xdfff) fail(LONE_SURROGATE);
          if (unit >= 0xd800 && unit <= 0xdbff) {
            const low = bytes[at + 6] === BACKSLASH && bytes[at + 7] === U_LOWER && [8, 9, 10, 11].every((i) => isHex(bytes[at + i])) ? hexAt(bytes, at + 8) : -1;
            if (!(low >= 0xdc00 && low <= 0xdfff)) fail(LONE_SURROGATE);
            at += 6;
          }
          at += 6;
        } else if (ESCAPES.has(escaped)) {
          at += 2;
        } else {
          fail('bad escape in a string', at + 1);
        }
      } else if (b < SPACE) {
        fail('control character in a string');
      } else {
        at++;
      }
    }
  };
  const digits = (): number => {
    const from = at;
    while (at < end && isDigit(bytes[at])) at++;
    return at - from;
  };
  const number = (): void => {
    const from = at;
    if (bytes[at] === MINUS) at++;
    if (at >= end) fail('bad number');
    if (bytes[at] === ZERO) at++;
    else if (digits() === 0) fail('bad number');
    let integer = true;
    if (bytes[at] === DOT) {
      at++;
      integer = false;
      if (digits() === 0) fail('bad number');
    }
    if (bytes[at] === E_LOWER || bytes[at] === E_UPPER) {
      at++;
      integer = false;
      if (bytes[at] === PLUS || bytes[at] === MINUS) at++;
      if (digits() === 0) fail('bad number');
    }
    if (integer && at - from > SAFE_DIGITS) {
      const value = Number(Buffer.from(bytes.buffer, bytes.byteOffset + from, at - from).toString('latin1'));
      if (!Number.isSafeInteger(value)) (unsafe ??= new Set()).add(value);
    }
  };
  const literal = (word: Buffer): void => {
    for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word[i]) fail('expected a value', at + i);
    at += word.length;
  };

  try {
    skipSpace();
    if (at >= end) return { kind: 'empty' };
    // After each value: close what it ends, then expect the next one; `key` when that is an object's key.
    let key = false;
    for (;;) {
      skipSpace();
      if (key) {
        if (bytes[at] !== QUOTE) fail('expected a string key');
        if (++members[members.length - 1] > limits.members) return { kind: 'too many members', at };
        string();
        skipSpace();
        if (bytes[at] !== COLON) fail("expected ':' after a key");
        at++;
        skipSpace();
        key = false;
      }
      const b = bytes[at];
      if (++values > limits.values) return { kind: 'too many values', at };
      if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
        if (open.length >= limits.depth) return { kind: 'too deep', at };
        const object = b === OPEN_OBJECT;
        open.push(object);
        members.push(0);
        at++;
        skipSpace();
        if (bytes[at] !== (object ? CLOSE_OBJECT : CLOSE_ARRAY)) {
          key = object;
          continue;
        }
        open.pop();
        members.pop();
        at++;
      } else if (b === QUOTE) {
        string();
      } else if (b === MINUS || isDigit(b)) {
        number();
      } else if (LITERALS[b] !== undefined) {
        literal(LITERALS[b]);
      } else {
        fail('expected a value');
      }
      // The value is complete: close every container it completes.
      for (;;) {
        skipSpace();
        if (open.length === 0) {
          if (at < end) fail('unexpected text after the value');
          return { kind: 'json', unsafeIntegers: unsafe ?? NO_NUMBERS };
        }
        const object = open[open.length - 1];
        const c = bytes[at];
        if (c === COMMA) {
          at++;
          skipSpace();
          if (bytes[at] === (object ? CLOSE_OBJECT : CLOSE_ARRAY)) fail('trailing comma');
          key = object;
          break;
        }
        if (c !== (object ? CLOSE_OBJECT : CLOSE_ARRAY)) fail(object ? "expected ',' or '}'" : "expected ',' or ']'");
        open.pop();
        members.pop();
        at++;
      }
    }
  } catch (err) {
    if (err instanceof SyntaxProblem) return { kind: 'syntax', rule: err.rule, at: err.at };
    throw err;
  }
}

/**
 * Where the first sequence that is not valid UTF-8 starts (WHATWG's decoder, as Buffer.isUtf8 and a fatal
 * TextDecoder read it: no overlong forms, no surrogates, nothing past U+10FFFF), or -1. Only called once
 * isUtf8 said no, so a plain loop is fast enough.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const end = bytes.length;
  let at = 0;
  while (at < end) {
    const b = bytes[at];
    if (b < 0x80) {
      at++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return at;
    for (let i = 1; i < length; i++) {
      const c = bytes[at + i];
      if (at + i >= end || c < (i === 1 ? low : 0x80) || c > (i === 1 ? high : 0xbf)) return at;
    }
    at += length;
  }
  return -1;
}
