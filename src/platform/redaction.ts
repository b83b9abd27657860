// One definition of what counts as a credential, used by the logger, the request journal, error answers and
// the state export, so a secret that is hidden in one place is hidden in all of them. A credential is known
// four ways: by its name (HTTP's, OAuth's, each vendor contract's), by its shape (a JWT, a vendor's token
// prefix, an Authorization value), as a value the server holds (the admin token, seeded keys, tokens and
// client secrets, a signing key: found as text anywhere), and as a value the request itself carries in a
// credential header or field (found as text anywhere else in what is shown of that request). Logs and the
// journal hide credentials all four ways; a state export by value only (its names are stored data:
// `{"token": "x"}` in free-form settings is shown as GET shows it), each vendor having already replaced its
// secrets where it keeps them.

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
  // Most text on the hot path (a request's path segments, a log line's words) holds nothing to decode.
  if (!text.includes('%') && !text.includes('+')) return text;
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

/** A credential name as names are compared: in any case, `-` and `_` alike (`application-key`, `Client-Secret`). */
function nameKey(name: string): string {
  return name.toLowerCase().replace(/-/g, '_');
}

/** Credential names (headers, fields) known in this process, as nameKey() spells them, as knownValues. */
const knownNames = new Set<string>([...STANDARD.headers, ...STANDARD.fields].map((n) => nameKey(n)));

/**
 * Whether free text holds a credential by any name or pattern known in this process: the whole, a word, or
 * a query parameter (`…?client_secret=…`).
 */
export function holdsCredential(text: string): boolean {
  if (knownValues.some((pattern) => pattern.test(text))) return true;
  for (const [, , name] of text.matchAll(QUERY_PAIR)) if (knownNames.has(nameKey(decoded(name)))) return true;
  AUTH_SCHEME.lastIndex = 0;
  if (AUTH_SCHEME.test(text)) return true;
  for (const word of text.match(WORD) ?? []) {
    if (knownValues.some((pattern) => pattern.test(word) || pattern.test(decoded(word)))) return true;
  }
  return false;
}

/**
 * Values shorter than this are not looked for as text: a short value ("abc", "1") occurs by chance in
 * ordinary words, ids and numbers, and hiding every occurrence would garble what is shown. Such a value is
 * still hidden under a credential's name and by its shape. Seeded and generated credentials are longer.
 */
export const MIN_SECRET_TEXT_LENGTH = 8;

/** At most this many of a request's own credential values are looked for (a form may repeat a field). */
const MAX_OWN_VALUES = 32;

/**
 * The forms a value takes in what is shown: as sent, percent-encoded (a URL, a log line's url), and escaped
 * inside a JSON string (a log line is JSON text).
 */
function textForms(value: string): string[] {
  // Most keys and tokens read the same in all three (a quick test spares the encoding).
  if (/^[\w.~-]*$/.test(value)) return [value];
  return [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])];
}

const usable = (values: Iterable<string>): string[] => {
  const out: string[] = [];
  for (const v of values) if (typeof v === 'string' && v.length >= MIN_SECRET_TEXT_LENGTH && v !== REDACTED && !out.includes(v)) out.push(v);
  return out;
};

/** Their forms, longest first: a value that holds another is hidden whole. */
function longestFirst(values: readonly string[]): string[] {
  const forms: string[] = [];
  for (const value of values) for (const form of textForms(value)) if (!forms.includes(form)) forms.push(form);
  return forms.length < 2 ? forms : forms.sort((a, b) => b.length - a.length);
}

/**
 * Literal values found as text wherever they occur. The server's are one RegExp of escaped literals,
 * compiled once, so a line costs one scan whatever their number; a request's own few (with()) are looked
 * for one by one (includes), which costs less than compiling a RegExp per request.
 */
export class SecretValues {
  private readonly pattern: RegExp | undefined;
  /** The compiled values, each at least MIN_SECRET_TEXT_LENGTH long. */
  private readonly values: readonly string[];
  /** A request's own values' forms, looked for after the pattern's. */
  private readonly literals: readonly string[];

  constructor(values: Iterable<string>, base?: SecretValues) {
    if (base === undefined) {
      this.values = usable(values);
      const forms = longestFirst(this.values);
      this.pattern = forms.length === 0 ? undefined : new RegExp(forms.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
      this.literals = [];
    } else {
      this.values = base.values;
      this.pattern = base.pattern;
      this.literals = longestFirst(usable(values).filter((v) => !base.values.includes(v)));
    }
  }

  /** These and `more` (a request's own values beside the server's). */
  with(more: readonly string[]): SecretValues {
    const added = new SecretValues(more, this);
    return added.literals.length === 0 ? this : added;
  }

  get empty(): boolean {
    return this.pattern === undefined && this.literals.length === 0;
  }

  /** The text with every occurrence of a value replaced by "[redacted]". */
  redact(text: string): string {
    let out = text;
    if (this.pattern !== undefined) {
      this.pattern.lastIndex = 0;
      if (this.pattern.test(out)) out = out.replace(this.pattern, REDACTED);
    }
    for (const literal of this.literals) if (out.includes(literal)) out = out.split(literal).join(REDACTED);
    return out;
  }

  /** A deep copy whose strings, object keys included, have every value replaced (redact()). */
  redactDeep<T>(value: T): T {
    return this.empty ? value : this.deep(value, 0) as T;
  }

  private deep(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || depth >= MAX_DEPTH) return value;
    if (Array.isArray(value)) return value.map((v) => this.deep(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[this.redact(k)] = this.deep(v, depth + 1);
    return out;
  }
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
  /** Credential header names, lower case. */
  private readonly credentialHeaders: readonly string[];
  private readonly secretValues: readonly RegExp[];
  /** The value patterns unanchored: whether a word in free text could be one (redactText's quick look). */
  private readonly anywhere: readonly RegExp[];
  /** pino `redact` paths: request headers never reach a log line with a credential in them. */
  readonly logPaths: string[];
  /** The credentials the server holds (`held`), found as text wherever they occur. */
  readonly held: SecretValues;

  /**
   * `held`: the credential values this server holds (the admin token, each vendor's runtime.heldCredentials()),
   * hidden as text wherever they occur (those shorter than MIN_SECRET_TEXT_LENGTH by name and shape only).
   */
  constructor(vendors: readonly CredentialNames[], held: Iterable<string> = []) {
    this.held = new SecretValues(held);
    const all = [STANDARD, ...vendors];
    const headers = [...new Set(all.flatMap((c) => c.headers.map((h) => h.toLowerCase())))];
    const fields = [...new Set(all.flatMap((c) => c.fields.map((f) => f.toLowerCase())))];
    this.secretKeys = new Set([...headers, ...fields].map(nameKey));
    this.credentialHeaders = headers;
    for (const name of this.secretKeys) knownNames.add(name);
    this.secretValues = all.flatMap((c) => c.values ?? []);
    this.anywhere = this.secretValues.map((pattern) => new RegExp(pattern.source.replace(/^\^/, ''), pattern.flags.replace('g', '')));
    for (const pattern of this.secretValues) if (!knownValues.some((p) => p.source === pattern.source && p.flags === pattern.flags)) knownValues.push(pattern);
    this.logPaths = [
      ...headers.flatMap((h) => [`req.headers[${JSON.stringify(h)}]`, `headers[${JSON.stringify(h)}]`]),
      ...fields.map((f) => (/^[A-Za-z_$][\w$]*$/.test(f) ? `*.${f}` : `*[${JSON.stringify(f)}]`)),
    ];
  }

  /**
   * The credential values a request carries where credentials go: each credential header (the token of an
   * Authorization value, and a Basic password), each query parameter and body field named as a credential
   * (every string under it), at most MAX_OWN_VALUES. What is shown of that request hides them as text
   * wherever else they occur (an API key pasted into the path or another parameter too). Per request only:
   * in open mode any key is accepted, so no list of them is kept.
   */
  requestCredentials(headers: Record<string, unknown> | undefined, query?: unknown, body?: unknown): string[] {
    const out: string[] = [];
    const add = (value: unknown) => {
      if (typeof value === 'string' && value.length >= MIN_SECRET_TEXT_LENGTH && out.length < MAX_OWN_VALUES) out.push(value);
    };
    // Header names arrive in lower case (Node's and the journal's copies): each credential header is looked up.
    for (const name of this.credentialHeaders) {
      const raw = headers?.[name];
      if (raw === undefined) continue;
      for (const value of Array.isArray(raw) ? raw : [raw]) {
        if (typeof value !== 'string') continue;
        add(value.trim());
        const [, scheme, token] = /^\s*(\S+)\s+(\S+)\s*$/.exec(value) ?? [];
        if (token === undefined) continue;
        add(token);
        if (scheme.toLowerCase() === 'basic') {
          const decoded = Buffer.from(token, 'base64').toString('utf8');
          const colon = decoded.indexOf(':');
          if (colon >= 0) add(decoded.slice(colon + 1));
        }
      }
    }
    // A string is the request's own credential where its name is a credential's (or it is in a list under
    // one): not every string inside a credential-named object, which holds ordinary words too (a `secrets`
    // object's `{"type": "service_account"}`, whose field an error names: `secrets.service_account_json`).
    const walk = (value: unknown, named: boolean, depth: number) => {
      if (out.length >= MAX_OWN_VALUES || depth > 8) return;
      if (typeof value === 'string') return named ? add(value) : undefined;
      if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return;
      if (Array.isArray(value)) for (const v of value) walk(v, named, depth + 1);
      else for (const [k, v] of Object.entries(value)) walk(v, this.secretKeys.has(nameKey(k)), depth + 1);
    };
    walk(query, false, 0);
    const type = String(headers?.['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    // A form body kept as text (the journal's, a refused one): its fields are parsed here.
    if ((typeof body === 'string' || Buffer.isBuffer(body)) && type === 'application/x-www-form-urlencoded') walk(Object.fromEntries(new URLSearchParams(body.toString())), false, 0);
    else walk(body, false, 0);
    return out;
  }

  /** The server's credentials and, when given, a request's own (requestCredentials()). */
  secretsOf(own: readonly string[] = []): SecretValues {
    return this.held.with(own);
  }

  isSecretKey(key: string): boolean {
    return this.secretKeys.has(nameKey(key));
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
    // A name that is itself a credential by its shape (`?ddpat_…=1`) is hidden too.
    for (const [k, v] of Object.entries(fields)) out[this.isSecretValue(k) ? REDACTED : k] = this.isSecretField(k, v) ? REDACTED : v;
    return out;
  }

  /** A deep copy with every credential, found by its name or by its value, replaced by "[redacted]". */
  redact<T>(value: T): T {
    return this.copy(value, new Set(), this.byNameOrValue, this.keyByShape) as T;
  }

  /**
   * A state document as it may leave the process: a deep copy with every string that is a credential by its
   * shape replaced by "[redacted]", and every credential the server holds replaced as text (keys included),
   * wherever it is; names are left alone (they are the document's data).
   */
  redactValues<T>(value: T): T {
    return this.copy(value, new Set(), this.byValue, this.keyByHeld) as T;
  }

  /**
   * JSON.stringify(redactValues(value)), byte for byte, in slices (json-slices.ts), without the copy: the
   * state export's answer. Lazy: `value` must not change until the last slice is taken.
   */
  redactedValuesJson(value: unknown, sliceChars?: number): Generator<string, void, undefined> {
    return jsonSlices(value, this.byValue, this.keyByHeld, sliceChars);
  }

  private readonly byNameOrValue = this.replacement((key, value) => this.isSecretKey(key) || this.isSecretValue(value));
  /** A state document's rule: credential-shaped strings, and what the server holds, replaced as text. */
  private readonly byValue = this.replacement((_key, value) => this.isSecretValue(value), (text) => this.held.redact(text));
  /** A name that is itself a credential by its shape (`?ddpat_…=1`) reads "[redacted]" too (not in state documents: their keys are data). */
  private readonly keyByShape = (key: string): string => (this.isSecretValue(key) ? REDACTED : key);
  /** In a state document, a held credential is replaced in names as in text. */
  private readonly keyByHeld = (key: string): string => this.held.redact(key);

  /**
   * The copies' rule, given which entries are hidden: those replaced by "[redacted]"; raw bytes (a file field
   * could hold anything) by their size; a value that links back to an object above it (multipart parts do)
   * ends there, and so does one nested past MAX_DEPTH.
   */
  private replacement(hidden: (key: string, value: unknown) => boolean, text?: (text: string) => string): Replacement {
    return (key, value, ancestors) => {
      if (hidden(key, value)) return REDACTED;
      if (typeof value === 'string' && text !== undefined) {
        const shown = text(value);
        return shown === value ? undefined : shown;
      }
      if (value === null || typeof value !== 'object') return undefined;
      if (Buffer.isBuffer(value)) return `[${value.length} bytes not shown]`;
      if (ancestors.has(value)) return '[circular]';
      if (ancestors.size >= MAX_DEPTH) return '[nested too deep to show]';
      return undefined;
    };
  }

  /** A copy of `value` (met under `key`: "" at the top and in a list) with `replaced`'s replacements made. */
  private copy(value: unknown, ancestors: Set<object>, replaced: Replacement, shownKey: (key: string) => string, key = ''): unknown {
    const shown = replaced(key, value, ancestors);
    if (shown !== undefined) return shown;
    if (value === null || typeof value !== 'object') return value;
    ancestors.add(value);
    let out: unknown;
    if (Array.isArray(value)) out = value.map((v) => this.copy(v, ancestors, replaced, shownKey));
    else {
      const copied: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) copied[shownKey(k)] = this.copy(v, ancestors, replaced, shownKey, k);
      out = copied;
    }
    ancestors.delete(value);
    return out;
  }

  /**
   * The inverse of redactValues() against what is held: a copy of an imported document in which each string
   * holding "[redacted]" becomes the value `held` has at the same place, when redactValues() makes that value
   * into this string (so an export imports back as it was). The same place: the same key; in a list, the entry with the same
   * `id`, or else the same position. Where nothing such is held, "[redacted]" stays as written.
   */
  restoreValues<T>(imported: T, held: unknown): T {
    return this.restore(imported, held, 0) as T;
  }

  private restore(imported: unknown, held: unknown, depth: number): unknown {
    // Where redactValues() would have made the held value into this one, the held value is what was exported.
    if (typeof imported === 'string' && imported.includes(REDACTED)) return typeof held === 'string' && this.redactValues(held) === imported ? held : imported;
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
    const secret = (segment: string): boolean => {
      const plain = decoded(segment);
      return this.isSecretValue(segment) || (plain !== segment && this.isSecretValue(plain));
    };
    const segments = path.split('/');
    return segments.some(secret) ? segments.map((segment) => (secret(segment) ? REDACTED : segment)).join('/') : path;
  }

  /**
   * Free text (a whole log line, JSON or not) with every credential in it replaced: the values of `secrets`
   * (the server's own by default) wherever they occur, query parameters that are credentials by name or value,
   * words shaped as credentials (a vendor's token prefix, a JWT), and the token after an Authorization scheme.
   * Only a word a credential pattern could match is looked at twice.
   */
  redactText(text: string, secrets: SecretValues = this.held): string {
    let out = secrets.redact(text);
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

  /**
   * The URL with credential query parameters (by name or by value), and path segments that are credentials,
   * redacted; then the values of `secrets` (the server's, and a request's own) wherever they occur.
   */
  redactUrl(url: string, secrets: SecretValues = this.held): string {
    return secrets.redact(this.redactUrlByForm(url));
  }

  /**
   * A request's URL as a log line shows it: redactUrl() with the server's credentials and those of the
   * request's own that the URL could hold (as sent, or percent-encoded), so a request whose URL holds none of
   * its keys (nearly every one) builds no matcher for them.
   */
  requestUrl(url: string, headers: Record<string, unknown> | undefined, query: unknown): string {
    const own = this.requestCredentials(headers, query).filter((value) => url.includes(value) || url.includes('%'));
    return this.redactUrl(url, own.length === 0 ? this.held : this.secretsOf(own));
  }

  private redactUrlByForm(url: string): string {
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
