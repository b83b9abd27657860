// The request journal: what the emulated APIs were asked and answered, newest first, for tests to assert
// on. A ring buffer of fixed size, so a long run never grows memory (WireMock's unbounded journal is its
// most reported memory problem). What a request and its answer carried is kept as it came (the parsed body,
// the serialised payload) and goes through redaction.ts when the journal is read: recording stays cheap on
// the hot path, and nothing unredacted ever leaves the process.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from './clock';
import type { AppliedFault } from './faults';
import { pathOf, type PathPattern } from './path-pattern';
import type { Redaction } from './redaction';
import { surfaceOf } from './surfaces';
import type { Scope, VendorContract } from './vendor';

/** Bodies larger than this are noted by size only, so the journal's memory stays bounded too. */
export const MAX_JOURNAL_BODY_BYTES = 64 * 1024;

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

declare module 'fastify' {
  interface FastifyRequest {
    journalPayload?: unknown;
  }
}

/** What an entry says about the request, recorded when its connection is done with it. */
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

/** An entry as recorded: everything but what needs redacting, which is rendered when read. */
interface Recorded {
  id: number;
  facts: EntryFacts;
  exchange: Exchange;
}

/** What a request and its answer carried, as they were. */
export interface Exchange {
  query: Record<string, unknown>;
  requestHeaders: Record<string, unknown>;
  requestBody: unknown;
  requestSize: number;
  responseHeaders: Record<string, unknown>;
  responseBody: unknown;
  responseSize: number;
}

/** Told of each new entry that matches its filter, already redacted (the live stream, GET /__admin/requests/stream). */
export type JournalListener = (entry: JournalEntry) => void;

export class Journal {
  private readonly slots: Array<Recorded | undefined>;
  private next = 0;
  private nextId = 1;
  private readonly subscribers = new Map<JournalListener, JournalFilter>();
  /** Entries pushed out by newer ones since the journal was last cleared whole. */
  evicted = 0;

  constructor(readonly capacity: number, private readonly redaction: Redaction) {
    this.slots = new Array<Recorded | undefined>(capacity);
  }

  add(facts: EntryFacts, exchange: Exchange): void {
    if (this.capacity === 0) return;
    if (this.slots[this.next] !== undefined) this.evicted += 1;
    const recorded: Recorded = { id: this.nextId++, facts, exchange };
    this.slots[this.next] = recorded;
    this.next = (this.next + 1) % this.capacity;
    let rendered: JournalEntry | undefined; // rendered once, and only when someone listens
    for (const [listener, filter] of this.subscribers) {
      if (matches(recorded.facts, filter)) listener((rendered ??= this.render(recorded)));
    }
  }

  /** Calls `listener` with every later entry that matches (`limit` is ignored); returns the unsubscribe. */
  subscribe(filter: JournalFilter, listener: JournalListener): () => void {
    this.subscribers.set(listener, filter);
    return () => this.subscribers.delete(listener);
  }

  /** How many entries the journal holds. */
  get size(): number {
    return this.recorded({}).length;
  }

  /** Newest first, redacted. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    return this.recorded(filter).map((r) => this.render(r));
  }

  private recorded(filter: JournalFilter): Recorded[] {
    const out: Recorded[] = [];
    for (let i = 1; i <= this.capacity && out.length < (filter.limit ?? Infinity); i++) {
      const recorded = this.slots[(this.next - i + this.capacity) % this.capacity];
      if (recorded === undefined) break;
      if (matches(recorded.facts, filter)) out.push(recorded);
    }
    return out;
  }

  /**
   * Forgets every entry, or those of one vendor or one org/tenant; returns how many. The rest stay in order,
   * oldest first, moved up in place in one pass (a suite resetting its org before every test does this a lot).
   */
  clear(filter: Pick<JournalFilter, 'vendor' | 'scope'> = {}): number {
    const everything = filter.vendor === undefined && filter.scope === undefined;
    const { capacity, slots } = this;
    let kept = 0;
    let removed = 0;
    // Read from the oldest slot on and write kept entries back from the same slot: the write never passes
    // the read, and the slots after the last kept entry end up empty.
    for (let i = 0; i < capacity; i++) {
      const at = (this.next + i) % capacity;
      const recorded = slots[at];
      if (recorded === undefined) continue;
      slots[at] = undefined;
      if (everything || matches(recorded.facts, filter)) removed += 1;
      else slots[(this.next + kept++) % capacity] = recorded;
    }
    if (capacity > 0) this.next = (this.next + kept) % capacity;
    if (everything) this.evicted = 0;
    return removed;
  }

  private render({ id, facts, exchange: x }: Recorded): JournalEntry {
    const { scope, ...rest } = facts;
    const r = this.redaction;
    return {
      id,
      time: new Date(rest.timeMs).toISOString(),
      vendor: rest.vendor,
      ...(scope && { [scope.name]: scope.id }),
      method: rest.method,
      path: rest.path,
      status: rest.status,
      duration_ms: rest.duration_ms,
      ...(rest.fault && { fault: rest.fault }),
      query: r.redactFields(x.query),
      request: { headers: r.redactFields(x.requestHeaders), body: this.keptBody(x.requestBody, x.requestHeaders['content-type'], x.requestSize) },
      response: { headers: r.redact(x.responseHeaders), body: this.keptBody(x.responseBody, x.responseHeaders['content-type'], x.responseSize) },
    };
  }

  private keptBody(body: unknown, contentType: unknown, size: number): unknown {
    if (size > MAX_JOURNAL_BODY_BYTES) return `[${size} bytes not kept: the journal keeps bodies up to ${MAX_JOURNAL_BODY_BYTES} bytes]`;
    return this.redaction.redactBody(body, typeof contentType === 'string' ? contentType : undefined);
  }
}

function matches(f: EntryFacts, filter: JournalFilter): boolean {
  if (filter.vendor !== undefined && f.vendor !== filter.vendor) return false;
  if (filter.scope !== undefined && (f.vendor !== filter.scope.vendor || f.scope?.id !== filter.scope.id)) return false;
  if (filter.method !== undefined && f.method !== filter.method) return false;
  if (filter.path !== undefined && !filter.path.test(f.path)) return false;
  if (filter.status !== undefined && !filter.status(f.status)) return false;
  return true;
}

/**
 * Root-level hooks that journal every request but the control API's and the docs' once its connection is
 * done with it.
 */
export function journalRequests(app: FastifyInstance, journal: Journal, clock: Clock, vendors: readonly VendorContract[]): void {
  if (journal.capacity === 0) return;
  // Callback hooks, not async ones: they run on every request, and a promise per hook is a measurable cost.
  app.addHook('onRequest', (request, reply, done) => {
    const surface = surfaceOf(request.url, vendors).kind;
    if (surface !== 'control' && surface !== 'docs') {
      const timeMs = clock.nowMs();
      request.journalPayload = null; // marks the request as journaled; onSend fills it in
      // 'close' comes for every response, also when the socket was destroyed before one was sent.
      reply.raw.on('close', () => journal.add(factsOf(request, reply, timeMs), exchangeOf(request, reply)));
    }
    done();
  });
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (request.journalPayload !== undefined) request.journalPayload = payload;
    done(null, payload);
  });
}

function factsOf(request: FastifyRequest, reply: FastifyReply, timeMs: number): EntryFacts {
  const tag = request.vendorTag;
  return {
    timeMs,
    vendor: tag?.vendor ?? null,
    ...(tag && { scope: { name: tag.scopeName, id: tag.scopeOf(request) ?? null } }),
    method: request.method,
    path: pathOf(request.url),
    status: reply.raw.writableFinished ? reply.statusCode : null,
    duration_ms: Math.round(reply.elapsedTime * 100) / 100,
    ...(request.fault && { fault: request.fault }),
  };
}

/**
 * The request body's size as received. A chunked body has no Content-Length (and a client may send a wrong
 * one), so the JSON body policy's count comes first; a body some other parser read (a form) is measured
 * by its text. Counting with a stream in preParsing was no option: @fastify/multipart reads the raw request
 * itself, and a second reader stalls it.
 */
function bodySize(request: FastifyRequest): number {
  return request.bodyBytes ?? (request.body === undefined ? 0 : textSize(request.body));
}

/** The bytes of text and keys in a parsed value (multipart parts may link back to their parent). */
function textSize(root: unknown): number {
  let size = 0;
  const seen = new Set<object>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') size += Buffer.byteLength(value);
    else if (Buffer.isBuffer(value)) size += value.length;
    else if (value !== null && typeof value === 'object' && !seen.has(value)) {
      seen.add(value);
      for (const [key, child] of Object.entries(value)) {
        size += key.length;
        pending.push(child);
      }
    }
  }
  return size;
}

function exchangeOf(request: FastifyRequest, reply: FastifyReply): Exchange {
  const payload = request.journalPayload;
  const requestSize = bodySize(request);
  const responseSize = typeof payload === 'string' || Buffer.isBuffer(payload) ? Buffer.byteLength(payload) : 0;
  // Held as they are, not copied: nothing changes a request's query or headers once its answer is out.
  return {
    query: (request.query ?? {}) as Record<string, unknown>,
    requestHeaders: request.headers,
    // Bodies over the limit are not even held: only their size is reported.
    requestBody: requestSize > MAX_JOURNAL_BODY_BYTES ? undefined : request.body,
    requestSize,
    responseHeaders: reply.getHeaders(),
    responseBody: responseSize > MAX_JOURNAL_BODY_BYTES ? undefined : payload,
    responseSize,
  };
}
