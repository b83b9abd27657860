// The request journal: what the emulated APIs were asked and answered, newest first, for tests to assert
// on. A ring buffer of fixed size, so a long run never grows memory (WireMock's unbounded journal is its
// most reported memory problem). What a request and its answer carried is kept as it came (the parsed body,
// the serialised payload) and goes through redaction.ts when the journal is read: recording stays cheap on
// the hot path, and nothing unredacted ever leaves the process.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from './clock';
import type { AppliedFault } from './faults';
import { pathOf } from './path-pattern';
import { redact, redactBody } from './redaction';
import { SCOPE_NAMES, type Scope, type Vendor } from './vendors';

/** Bodies larger than this are noted by size only, so the journal's memory stays bounded too. */
export const MAX_JOURNAL_BODY_BYTES = 64 * 1024;

/** Not the emulated APIs: the control API itself and the API documentation. */
const UNJOURNALED_PREFIXES = ['/__admin', '/docs'];

export interface JournalEntry {
  /** Increases by one per request; survives clears, so entries can be told apart across them. */
  id: number;
  /** When the request arrived, by the server clock. */
  time: string;
  vendor: Vendor | null;
  /** The Datadog org (Datadog entries) or SailPoint tenant (SailPoint entries); null when auth failed. */
  org?: string | null;
  tenant?: string | null;
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
  vendor?: Vendor;
  scope?: Scope;
  method?: string;
  path?: RegExp;
  status?: (status: number | null) => boolean;
  limit?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    journalPayload?: unknown;
  }
}

/** An entry as recorded: everything but what needs redacting, which is rendered when read. */
interface Recorded {
  entry: Omit<JournalEntry, 'id' | 'query' | 'request' | 'response'> & { id: number };
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
  private slots: Array<Recorded | undefined>;
  private next = 0;
  private nextId = 1;
  private readonly subscribers = new Map<JournalListener, JournalFilter>();
  /** Entries pushed out by newer ones since the journal was last cleared whole. */
  evicted = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array<Recorded | undefined>(capacity);
  }

  add(entry: Omit<JournalEntry, 'id' | 'query' | 'request' | 'response'>, exchange: Exchange): void {
    if (this.capacity === 0) return;
    if (this.slots[this.next] !== undefined) this.evicted += 1;
    const recorded = { entry: { id: this.nextId++, ...entry }, exchange };
    this.slots[this.next] = recorded;
    this.next = (this.next + 1) % this.capacity;
    let rendered: JournalEntry | undefined; // rendered once, and only when someone listens
    for (const [listener, filter] of this.subscribers) {
      if (matches(recorded.entry, filter)) listener((rendered ??= render(recorded)));
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
    return this.recorded(filter).map(render);
  }

  private recorded(filter: JournalFilter): Recorded[] {
    const out: Recorded[] = [];
    for (let i = 1; i <= this.capacity && out.length < (filter.limit ?? Infinity); i++) {
      const recorded = this.slots[(this.next - i + this.capacity) % this.capacity];
      if (recorded === undefined) break;
      if (matches(recorded.entry, filter)) out.push(recorded);
    }
    return out;
  }

  /** Forgets every entry, or those of one vendor or one org/tenant; returns how many. */
  clear(filter: Pick<JournalFilter, 'vendor' | 'scope'> = {}): number {
    const all = this.recorded({}).reverse();
    const everything = filter.vendor === undefined && filter.scope === undefined;
    const kept = everything ? [] : all.filter((r) => !matches(r.entry, filter));
    this.slots = new Array<Recorded | undefined>(this.capacity);
    this.next = 0;
    if (everything) this.evicted = 0;
    for (const entry of kept) {
      this.slots[this.next] = entry;
      this.next = (this.next + 1) % this.capacity;
    }
    return all.length - kept.length;
  }
}

function matches(e: Recorded['entry'], f: JournalFilter): boolean {
  if (f.vendor !== undefined && e.vendor !== f.vendor) return false;
  if (f.scope !== undefined && (e.vendor !== f.scope.vendor || e[SCOPE_NAMES[f.scope.vendor]] !== f.scope.id)) return false;
  if (f.method !== undefined && e.method !== f.method) return false;
  if (f.path !== undefined && !f.path.test(e.path)) return false;
  if (f.status !== undefined && !f.status(e.status)) return false;
  return true;
}

/** Root-level hooks that journal every request outside /__admin and /docs once its connection is done with it. */
export function journalRequests(app: FastifyInstance, journal: Journal, clock: Clock): void {
  if (journal.capacity === 0) return;
  app.addHook('onRequest', async (request, reply) => {
    const path = pathOf(request.url);
    if (UNJOURNALED_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return;
    const time = clock.now().toISOString();
    request.journalPayload = null; // marks the request as journaled; onSend fills it in
    // 'close' comes for every response, also when the socket was destroyed before one was sent.
    reply.raw.once('close', () => journal.add(entryFor(request, reply, path, time), exchangeOf(request, reply)));
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.journalPayload !== undefined) request.journalPayload = payload;
    return payload;
  });
}

function entryFor(request: FastifyRequest, reply: FastifyReply, path: string, time: string): Omit<JournalEntry, 'id' | 'query' | 'request' | 'response'> {
  const tag = request.vendorTag;
  return {
    time,
    vendor: tag?.vendor ?? null,
    ...(tag && { [SCOPE_NAMES[tag.vendor]]: tag.scopeOf(request) ?? null }),
    method: request.method,
    path,
    status: reply.raw.writableFinished ? reply.statusCode : null,
    duration_ms: Math.round(reply.elapsedTime * 100) / 100,
    ...(request.fault && { fault: request.fault }),
  };
}

function exchangeOf(request: FastifyRequest, reply: FastifyReply): Exchange {
  const payload = request.journalPayload;
  const requestSize = Number(request.headers['content-length'] ?? 0);
  const responseSize = typeof payload === 'string' || Buffer.isBuffer(payload) ? Buffer.byteLength(payload) : 0;
  return {
    query: { ...(request.query as Record<string, unknown>) },
    requestHeaders: { ...request.headers },
    // Bodies over the limit are not even held: only their size is reported.
    requestBody: requestSize > MAX_JOURNAL_BODY_BYTES ? undefined : request.body,
    requestSize,
    responseHeaders: reply.getHeaders(),
    responseBody: responseSize > MAX_JOURNAL_BODY_BYTES ? undefined : payload,
    responseSize,
  };
}

function render({ entry, exchange: x }: Recorded): JournalEntry {
  const { id, ...rest } = entry;
  return {
    id,
    ...rest,
    query: redact(x.query),
    request: { headers: redact(x.requestHeaders), body: keptBody(x.requestBody, String(x.requestHeaders['content-type'] ?? ''), x.requestSize) },
    response: { headers: redact(x.responseHeaders), body: keptBody(x.responseBody, String(x.responseHeaders['content-type'] ?? ''), x.responseSize) },
  };
}

function keptBody(body: unknown, contentType: string, size: number): unknown {
  if (size > MAX_JOURNAL_BODY_BYTES) return `[${size} bytes not kept: the journal keeps bodies up to ${MAX_JOURNAL_BODY_BYTES} bytes]`;
  return redactBody(body, contentType);
}
