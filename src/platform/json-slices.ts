// A large JSON answer written a slice at a time: the state export of 10,000 configs is 2.7 MB, which
// JSON.stringify (after a redacted deep copy) wrote in one 150–300 ms turn of the event loop, past the 100 ms
// any one request may hold it. jsonSlices() walks the value as Redaction's deep copy does and writes exactly
// the text JSON.stringify gives for that copy, with the copy's replacements made value by value, so nothing
// is copied; jsonStream() answers with it one slice per turn. Hand-written: json-stream-stringify and the
// like follow JSON.stringify (a replacer that cannot see the ancestors the copy's circular and depth rules
// need, toJSON called where the copy calls none), and the bytes must be the copy's (test/control/state.test.ts).
import { Readable } from 'node:stream';
import { setImmediate as turn } from 'node:timers/promises';

/**
 * What a redacted copy holds in place of a value met under `key` ("" at the top and in a list), below
 * `ancestors` (the objects being walked): a string shown instead, or undefined where the value is kept (and
 * walked into, if an object). Redaction's copies and jsonSlices() take the same one, so they agree.
 */
export type Replacement = (key: string, value: unknown, ancestors: ReadonlySet<object>) => string | undefined;

/** About this many characters a slice: about 1 ms of writing once warm (10,000 configs: 42 slices, 26–55 ms in all). */
export const SLICE_CHARS = 64 * 1024;

/**
 * JSON.stringify(copy(value)) in slices of about `sliceChars`, where copy() is Redaction's deep copy with
 * `replaced` and each object's names shown as `shownKey` gives them: arrays by index, any other object by Object.entries, nothing's toJSON. Lazy: the value is read
 * as the slices are taken, so it must not change meanwhile (the state export's is its own snapshot).
 */
export function* jsonSlices(value: unknown, replaced: Replacement, shownKey: (key: string) => string, sliceChars = SLICE_CHARS): Generator<string, void, undefined> {
  const writer = new SlicedWriter(replaced, shownKey, sliceChars);
  const top = writer.leaf('', value);
  if (top === undefined) yield* writer.object(value as object);
  else if (top !== NO_TEXT) writer.text = top;
  if (writer.text.length > 0) yield writer.text;
}

/** JSON has no text for undefined, a function or a symbol: an object leaves the entry out, a list writes null. */
const NO_TEXT = Symbol('no JSON text');

class SlicedWriter {
  text = '';
  private readonly ancestors = new Set<object>();

  constructor(private readonly replaced: Replacement, private readonly shownKey: (key: string) => string, private readonly sliceChars: number) {}

  /** The text of a value that is not walked into (replaced, or not an object), NO_TEXT, or undefined for an object to walk. */
  leaf(key: string, value: unknown): string | typeof NO_TEXT | undefined {
    const shown = this.replaced(key, value, this.ancestors);
    if (shown !== undefined) return JSON.stringify(shown);
    if (value !== null && typeof value === 'object') return undefined;
    // JSON.stringify's own text for a string (lone surrogates escaped), a number (null when not finite), a
    // boolean or null; it throws on a BigInt, as it would on the copy.
    return (JSON.stringify(value) as string | undefined) ?? NO_TEXT;
  }

  /** Writes an object or a list, yielding each slice once it is full. */
  *object(value: object): Generator<string, void, undefined> {
    this.ancestors.add(value);
    const list = Array.isArray(value);
    this.text += list ? '[' : '{';
    let first = true;
    for (const [key, entry] of list ? value.entries() : Object.entries(value)) {
      const text = this.leaf(list ? '' : key as string, entry);
      if (text === NO_TEXT && !list) continue;
      this.text += first ? '' : ',';
      first = false;
      if (!list) this.text += `${JSON.stringify(this.shownKey(key as string))}:`;
      if (text === undefined) yield* this.object(entry as object);
      else this.text += text === NO_TEXT ? 'null' : text;
      if (this.text.length >= this.sliceChars) {
        yield this.text;
        this.text = '';
      }
    }
    this.text += list ? ']' : '}';
    this.ancestors.delete(value);
  }
}

/**
 * The slices as a response body, one slice per turn of the event loop (setImmediate), so requests that
 * arrive meanwhile are answered between them; taken only as fast as the client reads. When the client goes,
 * Fastify destroys the stream and no further slice is written.
 */
export function jsonStream(slices: Iterable<string>): Readable {
  async function* everyTurn(): AsyncGenerator<string, void, undefined> {
    for (const slice of slices) {
      yield slice;
      await turn();
    }
  }
  return Readable.from(everyTurn(), { objectMode: false, highWaterMark: SLICE_CHARS });
}
