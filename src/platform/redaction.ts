// One definition of what counts as a credential, used by the logger, the request journal and the state
// export, so a secret that is hidden in one place is hidden in all of them. The names come from HTTP and
// OAuth, plus what each vendor's contract declares. Logs and the journal hide credentials by name and by
// value; a state export by value only (its names are stored data: `{"token": "x"}` in free-form settings is
// shown as GET shows it), each vendor having already replaced its secrets where it keeps them.

import { jsonSlices, type Replacement } from './json-slices';

export const REDACTED = '[redacted]';

/** Credential names and values no vendor owns: HTTP's and OAuth's. */
const STANDARD: CredentialNames = {
  headers: ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'],
  fields: ['password', 'token', 'jwt', 'access_token', 'refresh_token', 'id_token', 'client_secret', 'private_key', 'api_token'],
  // An Authorization-style value, a JWT.
  values: [/^\s*(?:bearer|basic)\s/i, /^eyJ[\w-]*\.eyJ/],
};

/** Where a word ends in free text (a log line, an error message, a URL): a credential is one word. */
const WORD = /[^\s"'\\/?&=,;<>()[\]{}]+/g;
/** A query parameter in free text (a URL inside a log line or an error message). */
const QUERY_PAIR = /([?&;])([^=&\s"'\\#?]*)=([^&\s"'\\#;]*)/g;
/** An Authorization-style value in free text: the scheme, then a token that is not a plain lower-case word. */
const AUTH_SCHEME = /\b(bearer|basic)(\s+)(?![a-z]+\b)([\w.~+/-]+=*)/gi;

const decoded = (text: string): string => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
};

/**
 * Every credential pattern a Redaction was made with in this process: shown() (errors.ts) quotes a caller's
 * value into error text and has no Redaction at hand, so it asks here. A pattern, once known, is never
 * forgotten: a process serving several servers hides each one's credentials in all of them.
 */
const knownValues: RegExp[] = [...STANDARD.values ?? []];

/** Credential names (headers, fields) known in this process, lower case, as knownValues. */
const knownNames = new Set<string>([...STANDARD.headers, ...STANDARD.fields]);

/**
 * Whether free text holds a credential by any name or pattern known in this process: the whole, a word, or
 * a query parameter (`…?client_secret=…`).
 */
export function holdsCredential(text: string): boolean {
  if (knownValues.some((pattern) => pattern.test(text))) return true;
  for (const [, , name] of text.matchAll(QUERY_PAIR)) if (knownNames.has(decoded(name).toLowerCase())) return true;
  AUTH_SCHEME.lastIndex = 0;
  if (AUTH_SCHEME.test(text)) return true;
  for (const word of text.match(WORD) ?? []) {
    if (knownValues.some((pattern) => pattern.test(word) || pattern.test(decoded(word)))) return true;
  }
  return false;
}

/** Deeper than this, a value is not walked (the JSON body policy refuses such bodies; this keeps reads safe anyway). */
const MAX_DEPTH = 256;

export interface CredentialNames {
  headers: readonly string[];
  fields: readonly string[];
  /** Values that are credentials whatever name they come under (a vendor's token prefix, say). */
  values?: readonly RegExp[];
}

export class Redaction {
  private readonly secretKeys: ReadonlySet<string>;
  private readonly secretValues: readonly RegExp[];
  /** The value patterns unanchored: whether a word in free text could be one (redactText's quick look). */
  private readonly anywhere: readonly RegExp[];
  /** pino `redact` paths: request headers never reach a log line with a credential in them. */
  readonly logPaths: string[];

  constructor(vendors: readonly CredentialNames[]) {
    const all = [STANDARD, ...vendors];
    const headers = [...new Set(all.flatMap((c) => c.headers.map((h) => h.toLowerCase())))];
    const fields = [...new Set(all.flatMap((c) => c.fields.map((f) => f.toLowerCase())))];
    this.secretKeys = new Set([...headers, ...fields]);
    for (const name of this.secretKeys) knownNames.add(name);
    this.secretValues = all.flatMap((c) => c.values ?? []);
    this.anywhere = this.secretValues.map((pattern) => new RegExp(pattern.source.replace(/^\^/, ''), pattern.flags.replace('g', '')));
    for (const pattern of this.secretValues) if (!knownValues.some((p) => p.source === pattern.source && p.flags === pattern.flags)) knownValues.push(pattern);
    this.logPaths = [
      ...headers.flatMap((h) => [`req.headers[${JSON.stringify(h)}]`, `headers[${JSON.stringify(h)}]`]),
      ...fields.map((f) => (/^[A-Za-z_$][\w$]*$/.test(f) ? `*.${f}` : `*[${JSON.stringify(f)}]`)),
    ];
  }

  isSecretKey(key: string): boolean {
    return this.secretKeys.has(key.toLowerCase());
  }

  /** Whether a value is a credential by what it is: a vendor's token prefix, a JWT, an Authorization-style value. */
  isSecretValue(value: unknown): boolean {
    return typeof value === 'string' && this.secretValues.some((pattern) => pattern.test(value));
  }

  /** Whether a request header or query parameter is a credential: by its name, or by what it holds. */
  private isSecretField(key: string, value: unknown): boolean {
    if (this.isSecretKey(key)) return true;
    const values = Array.isArray(value) ? value : [value];
    return values.some((v) => this.isSecretValue(v));
  }

  /**
   * Request headers or query parameters with every credential replaced, found by name or by value: a caller
   * may put a token in any header or parameter. Bodies go through redact().
   */
  redactFields(fields: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) out[k] = this.isSecretField(k, v) ? REDACTED : v;
    return out;
  }

  /** A deep copy with every credential, found by its name or by its value, replaced by "[redacted]". */
  redact<T>(value: T): T {
    return this.copy(value, new Set(), this.byNameOrValue) as T;
  }

  /**
   * A state document as it may leave the process: a deep copy with every string that is a credential by its
   * value replaced by "[redacted]", wherever it is; names are left alone (they are the document's data).
   */
  redactValues<T>(value: T): T {
    return this.copy(value, new Set(), this.byValue) as T;
  }

  /**
   * JSON.stringify(redactValues(value)), byte for byte, in slices (json-slices.ts), without the copy: the
   * state export's answer. Lazy: `value` must not change until the last slice is taken.
   */
  redactedValuesJson(value: unknown, sliceChars?: number): Generator<string, void, undefined> {
    return jsonSlices(value, this.byValue, sliceChars);
  }

  private readonly byNameOrValue = this.replacement((key, value) => this.isSecretKey(key) || this.isSecretValue(value));
  private readonly byValue = this.replacement((_key, value) => this.isSecretValue(value));

  /**
   * The copies' rule, given which entries are hidden: those replaced by "[redacted]"; raw bytes (a file field
   * could hold anything) by their size; a value that links back to an object above it (multipart parts do)
   * ends there, and so does one nested past MAX_DEPTH.
   */
  private replacement(hidden: (key: string, value: unknown) => boolean): Replacement {
    return (key, value, ancestors) => {
      if (hidden(key, value)) return REDACTED;
      if (value === null || typeof value !== 'object') return undefined;
      if (Buffer.isBuffer(value)) return `[${value.length} bytes not shown]`;
      if (ancestors.has(value)) return '[circular]';
      if (ancestors.size >= MAX_DEPTH) return '[nested too deep to show]';
      return undefined;
    };
  }

  /** A copy of `value` (met under `key`: "" at the top and in a list) with `replaced`'s replacements made. */
  private copy(value: unknown, ancestors: Set<object>, replaced: Replacement, key = ''): unknown {
    const shown = replaced(key, value, ancestors);
    if (shown !== undefined) return shown;
    if (value === null || typeof value !== 'object') return value;
    ancestors.add(value);
    let out: unknown;
    if (Array.isArray(value)) out = value.map((v) => this.copy(v, ancestors, replaced));
    else {
      const copied: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) copied[k] = this.copy(v, ancestors, replaced, k);
      out = copied;
    }
    ancestors.delete(value);
    return out;
  }

  /**
   * The inverse of redactValues() against what is held: a copy of an imported document in which each
   * "[redacted]" becomes the value `held` has at the same place, when that value is one redactValues() hides
   * (so an export imports back as it was). The same place: the same key; in a list, the entry with the same
   * `id`, or else the same position. Where nothing such is held, "[redacted]" stays as written.
   */
  restoreValues<T>(imported: T, held: unknown): T {
    return this.restore(imported, held, 0) as T;
  }

  private restore(imported: unknown, held: unknown, depth: number): unknown {
    if (imported === REDACTED) return this.isSecretValue(held) ? held : imported;
    if (imported === null || typeof imported !== 'object' || depth >= MAX_DEPTH) return imported;
    if (Array.isArray(imported)) {
      const heldList = Array.isArray(held) ? held : [];
      // By id only where an id names one entry on both sides (a string or a number, given once in each list):
      // two entries with one id, or an id that is an object (a new one each parse), would restore another
      // entry's value; such lists are matched by position, which an unchanged export always satisfies.
      const heldById = uniqueIds(heldList);
      const importedById = uniqueIds(imported);
      return imported.map((entry, i) => {
        const id = idOf(entry);
        const byId = id !== undefined && importedById.has(id) ? heldById.get(id) : undefined;
        return this.restore(entry, byId ?? heldList[i], depth + 1);
      });
    }
    const heldObject = held !== null && typeof held === 'object' && !Array.isArray(held) ? held as Record<string, unknown> : {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(imported)) out[k] = this.restore(v, Object.hasOwn(heldObject, k) ? heldObject[k] : undefined, depth + 1);
    return out;
  }

  /**
   * A request or response body as the journal may keep it: parsed (JSON, form fields) and redacted. A body in
   * any other form could hide a credential where no key names it, so only its size and type are kept.
   */
  redactBody(body: unknown, contentType: string | undefined): unknown {
    if (body === undefined || body === null || body === '') return null;
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      const text = body.toString();
      if (type === 'application/json' || type.endsWith('+json')) {
        try {
          return this.redact(JSON.parse(text));
        } catch {
          // Not JSON after all: treated like any other text below.
        }
      }
      if (type === 'application/x-www-form-urlencoded') return this.redact(Object.fromEntries(new URLSearchParams(text)));
      return `[${Buffer.byteLength(text)} bytes of ${type || 'unknown type'} not shown]`;
    }
    return this.redact(body);
  }

  /** A URL path with each segment that is a credential by its value (decoded as the router decodes it) redacted. */
  redactPath(path: string): string {
    if (!path.split('/').some((segment) => this.isSecretValue(segment) || this.isSecretValue(decoded(segment)))) return path;
    return path.split('/').map((segment) => (this.isSecretValue(segment) || this.isSecretValue(decoded(segment)) ? REDACTED : segment)).join('/');
  }

  /**
   * Free text (a whole log line, JSON or not) with every credential in it replaced: query parameters that are
   * credentials by name or value, words shaped as credentials (a vendor's token prefix, a JWT), and the token
   * after an Authorization scheme. Only a word a credential pattern could match is looked at twice.
   */
  redactText(text: string): string {
    let out = text;
    if (out.includes('=')) {
      out = out.replace(QUERY_PAIR, (pair, sep: string, name: string, value: string) =>
        (decoded(value) !== REDACTED && this.isSecretField(decoded(name), decoded(value)) ? `${sep}${name}=${REDACTED}` : pair));
    }
    out = out.replace(AUTH_SCHEME, (_whole, scheme: string, space: string) => `${scheme}${space}${REDACTED}`);
    if (out.includes('%') || this.anywhere.some((pattern) => pattern.test(out))) {
      out = out.replace(WORD, (word) => (this.isSecretValue(word) || (word.includes('%') && this.isSecretValue(decoded(word))) ? REDACTED : word));
    }
    return out;
  }

  /** The URL with credential query parameters (by name or by value), and path segments that are credentials, redacted. */
  redactUrl(url: string): string {
    const q = url.indexOf('?');
    const path = this.redactPath(q < 0 ? url : url.slice(0, q));
    if (q < 0) return path;
    const params = new URLSearchParams(url.slice(q + 1));
    let changed = false;
    for (const [key, value] of [...params.entries()]) {
      if (this.isSecretField(key, value)) {
        params.set(key, REDACTED);
        changed = true;
      }
    }
    return changed ? `${path}?${params.toString()}` : `${path}${url.slice(q)}`;
  }
}

/** An entry's `id` when it is one a list can be matched by: a string or a number. */
const idOf = (entry: unknown): string | number | undefined => {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || !('id' in entry)) return undefined;
  const { id } = entry as { id: unknown };
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
};

/** The entries of a list by id, for the ids given exactly once. */
function uniqueIds(list: readonly unknown[]): Map<string | number, unknown> {
  const byId = new Map<string | number, unknown>();
  const repeated = new Set<string | number>();
  for (const entry of list) {
    const id = idOf(entry);
    if (id === undefined) continue;
    if (byId.has(id)) repeated.add(id);
    byId.set(id, entry);
  }
  for (const id of repeated) byId.delete(id);
  return byId;
}
