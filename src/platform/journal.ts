// The request journal: what the emulated APIs were asked and answered, newest first, for tests to assert
// on. A ring buffer bounded by count and by bytes, so a long run never grows memory (WireMock's unbounded
// journal is its most reported memory problem). An entry holds references to what its request and answer
// carried (journal-recording.ts) and is built when read: the facts, the header copies, the byte counts and
// the redaction (redaction.ts), so recording costs next to nothing on the hot path and nothing unredacted
// ever leaves the process.
import { ClientFault } from './errors';
import type { AppliedFault } from './faults';
import type { PathPattern } from './path-pattern';
import type { Redaction } from './redaction';
import type { Scope } from './vendor';

/** Bodies larger than this are noted by size only, so the journal's memory stays bounded too. */
export const MAX_JOURNAL_BODY_BYTES = 64 * 1024;

/** What the entries hold at most, all together (their bytes): beyond it the oldest go, whatever the count. */
export const MAX_JOURNAL_BYTES = 8 * 1024 * 1024;

/** Listeners (open live streams) at most: each is told of every entry. Beyond it a subscribe is refused (429). */
export const MAX_JOURNAL_LISTENERS = 100;

export interface JournalEntry {
  /** Increases by one per request; survives clears, so entries can be told apart across them. */
  id: number;
  /** When the request arrived, by the server clock. */
  time: string;
  vendor: string | null;
  /**
   * Under the vendor's name for it (`org`, `tenant`): whose state the request touched; null when the
   * vendor could not tell (auth failed). Absent on requests no vendor claims.
   */
  [scopeName: string]: unknown;
  method: string;
  path: string;
  query: Record<string, unknown>;
  /** null when the connection closed before an answer (a dropped-connection fault, a client abort). */
  status: number | null;
  duration_ms: number;
  request: { headers: Record<string, unknown>; body: unknown };
  response: { headers: Record<string, unknown>; body: unknown };
  fault?: AppliedFault;
}

export interface JournalFilter {
  vendor?: string;
  scope?: Scope;
  method?: string;
  path?: PathPattern;
  status?: (status: number | null) => boolean;
  limit?: number;
}

/** What an entry says about the request, known once its connection is done with it. */
export interface EntryFacts {
  /** When the request arrived, by the server clock, in ms (formatted when the journal is read). */
  timeMs: number;
  vendor: string | null;
  /** The vendor's name for a scope and the request's, when a vendor claimed the request. */
  scope?: { name: string; id: string | null };
  method: string;
  path: string;
  status: number | null;
  duration_ms: number;
  fault?: AppliedFault;
}

/** What a request and its answer carried, as they were. */
export interface ExchangeRecord {
  query: Record<string, unknown>;
  requestHeaders: Record<string, unknown>;
  /** undefined when not kept (over MAX_JOURNAL_BODY_BYTES): only its size is reported. */
  requestBody: unknown;
  requestSize: number;
  responseHeaders: Record<string, unknown>;
  responseBody: unknown;
  responseSize: number;
}

/** A request as the journal holds it: its facts and exchange, worked out when first read (and then the same). */
export interface JournalRecord {
  readonly facts: EntryFacts;
  readonly exchange: ExchangeRecord;
  /** About what it holds in memory, for the journal's byte bound. */
  readonly bytes: number;
}


/** Told of each new entry that matches its filter, already redacted (the live stream, GET /__admin/requests/stream). */
/** Told of an entry and its JSON text, made once for every listener and every later read. */
export type JournalListener = (entry: JournalEntry, text: string) => void;

export class Journal {
  private readonly slots: Array<JournalRecord | undefined>;
  /**
   * Each slot's entry as JSON, made the first time a read renders it (redaction, copies, JSON.stringify) and
   * reused by every later read: an entry does not change once added, so a test that reads the journal after
   * every request pays for each entry once, not once per read. Counted in the byte bound.
   */
  private readonly texts: Array<string | undefined>;
  /** Each slot's entry id (a typed array beside the slots: no object per entry for it). */
  private readonly ids: Float64Array;
  /** The slot the next entry goes to; the entries are the `count` slots before it. */
  private next = 0;
  private count = 0;
  private nextId = 1;
  private heldBytes = 0;
  /** What the kept texts take, bounded apart from the entries (by as much). */
  private textBytes = 0;
  private readonly subscribers = new Map<JournalListener, JournalFilter>();
  /** Entries pushed out by newer ones since the journal was last cleared whole. */
  evicted = 0;

  constructor(readonly capacity: number, private readonly redaction: Redaction, private readonly maxBytes = MAX_JOURNAL_BYTES) {
    this.slots = new Array<JournalRecord | undefined>(capacity);
    this.texts = new Array<string | undefined>(capacity);
    this.ids = new Float64Array(capacity);
  }

  add(record: JournalRecord): void {
    if (this.capacity === 0) return;
    if (this.count === this.capacity) this.evictOldest();
    const at = this.next;
    this.slots[at] = record;
    this.ids[at] = this.nextId++;
    this.next = (at + 1) % this.capacity;
    this.count += 1;
    this.heldBytes += record.bytes;
    while (this.heldBytes > this.maxBytes && this.count > 1) this.evictOldest();
    if (this.subscribers.size === 0) return;
    let rendered: JournalEntry | undefined; // rendered once, and only when someone listens
    let text: string | undefined;
    for (const [listener, filter] of this.subscribers) {
      if (!matches(record.facts, filter)) continue;
      rendered ??= this.render(at);
      listener(rendered, (text ??= this.textOf(at, rendered)));
    }
  }

  private evictOldest(): void {
    const at = (this.next - this.count + this.capacity) % this.capacity;
    this.heldBytes -= (this.slots[at] as JournalRecord).bytes;
    this.textBytes -= keptTextSize(this.texts[at]);
    this.slots[at] = undefined;
    this.texts[at] = undefined;
    this.count -= 1;
    this.evicted += 1;
  }

  /** About what the entries hold in memory (bounded by MAX_JOURNAL_BYTES). */
  get bytes(): number {
    return this.heldBytes;
  }

  /** How many listeners are subscribed (the bounded-state tests read it). */
  get listeners(): number {
    return this.subscribers.size;
  }

  /**
   * Calls `listener` with every later entry that matches (`limit` is ignored); returns the unsubscribe.
   * Throws a 429 Problem when MAX_JOURNAL_LISTENERS are subscribed already.
   */
  subscribe(filter: JournalFilter, listener: JournalListener): () => void {
    if (this.subscribers.size >= MAX_JOURNAL_LISTENERS) {
      throw new ClientFault(`At most ${MAX_JOURNAL_LISTENERS} journal streams may be open at once: close one, or read GET /__admin/requests`, 429);
    }
    this.subscribers.set(listener, filter);
    return () => this.subscribers.delete(listener);
  }

  /** How many entries the journal holds. */
  get size(): number {
    return this.count;
  }

  /** Newest first, redacted. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    return Array.from(this.matching(filter), (at) => this.render(at));
  }

  /**
   * The same as list(), as the JSON text of the array: each entry rendered once and kept as text while the
   * texts fit their own byte bound (the entries'), else rendered again on the next read.
   */
  listJson(filter: JournalFilter = {}): string {
    return `[${Array.from(this.matching(filter), (at) => this.textOf(at)).join(',')}]`;
  }

  /** The slots of the entries that match, newest first, at most `filter.limit` of them. */
  private *matching(filter: JournalFilter): Generator<number> {
    let found = 0;
    for (let i = 1; i <= this.count && found < (filter.limit ?? Infinity); i++) {
      const at = (this.next - i + this.capacity) % this.capacity;
      if (!matches((this.slots[at] as JournalRecord).facts, filter)) continue;
      found += 1;
      yield at;
    }
  }

  /** A slot's entry as JSON (`entry`: already rendered), kept while the texts fit their bound. */
  private textOf(at: number, entry?: JournalEntry): string {
    let text = this.texts[at];
    if (text === undefined) {
      text = JSON.stringify(entry ?? this.render(at));
      // Kept while the texts fit their own bound (as much as the entries may hold): reading never pushes an entry out.
      if (this.textBytes + keptTextSize(text) <= this.maxBytes) {
        this.texts[at] = text;
        this.textBytes += keptTextSize(text);
      }
    }
    return text;
  }

  /**
   * Forgets every entry, or those of one vendor or one org/tenant; returns how many. The rest stay in order,
   * moved up in place in one pass (a suite resetting its org before every test does this a lot).
   */
  clear(filter: Pick<JournalFilter, 'vendor' | 'scope'> = {}): number {
    const everything = filter.vendor === undefined && filter.scope === undefined;
    const { capacity, slots } = this;
    const oldest = (this.next - this.count + capacity) % capacity;
    let kept = 0;
    let removed = 0;
    // Read from the oldest entry on and write kept entries back from the same slot: the write never passes
    // the read, and the slots after the last kept entry end up empty.
    for (let i = 0; i < this.count; i++) {
      const at = (oldest + i) % capacity;
      const record = slots[at] as JournalRecord;
      const id = this.ids[at];
      const text = this.texts[at];
      slots[at] = undefined;
      this.texts[at] = undefined;
      if (everything || matches(record.facts, filter)) {
        removed += 1;
        this.heldBytes -= record.bytes;
        this.textBytes -= keptTextSize(text);
      } else {
        const to = (oldest + kept++) % capacity;
        slots[to] = record;
        this.ids[to] = id;
        this.texts[to] = text;
      }
    }
    this.count = kept;
    if (capacity > 0) this.next = (oldest + kept) % capacity;
    if (everything) this.evicted = 0;
    return removed;
  }

  /** How many times an entry has been rendered (the bounded-work tests read it). */
  renders = 0;

  private render(at: number): JournalEntry {
    this.renders += 1;
    const record = this.slots[at] as JournalRecord;
    const id = this.ids[at];
    const { scope, ...rest } = record.facts;
    const x = record.exchange;
    const r = this.redaction;
    // The server's credentials and the request's own, wherever else in the entry they occur.
    const secrets = r.secretsOf(r.requestCredentials(x.requestHeaders, x.query, x.requestBody));
    return secrets.redactDeep({
      id,
      time: new Date(rest.timeMs).toISOString(),
      vendor: rest.vendor,
      ...(scope && { [scope.name]: scope.id }),
      method: rest.method,
      path: r.redactPath(rest.path),
      status: rest.status,
      duration_ms: rest.duration_ms,
      ...(rest.fault && { fault: rest.fault }),
      query: r.redactFields(x.query),
      request: { headers: r.redactFields(x.requestHeaders), body: this.keptBody(x.requestBody, x.requestHeaders['content-type'], x.requestSize) },
      response: { headers: r.redact(x.responseHeaders), body: this.keptBody(x.responseBody, x.responseHeaders['content-type'], x.responseSize) },
    });
  }

  private keptBody(body: unknown, contentType: unknown, size: number): unknown {
    if (size > MAX_JOURNAL_BODY_BYTES) return `[${size} bytes not kept: the journal keeps bodies up to ${MAX_JOURNAL_BODY_BYTES} bytes]`;
    return this.redaction.redactBody(body, typeof contentType === 'string' ? contentType : undefined);
  }
}

/** What a kept text takes (two bytes a character at most). */
const keptTextSize = (text: string | undefined): number => (text === undefined ? 0 : 32 + 2 * text.length);

function matches(f: EntryFacts, filter: JournalFilter): boolean {
  if (filter.vendor !== undefined && f.vendor !== filter.vendor) return false;
  if (filter.scope !== undefined && (f.vendor !== filter.scope.vendor || f.scope?.id !== filter.scope.id)) return false;
  if (filter.method !== undefined && f.method !== filter.method) return false;
  if (filter.path !== undefined && !filter.path.test(f.path)) return false;
  if (filter.status !== undefined && !filter.status(f.status)) return false;
  return true;
}
