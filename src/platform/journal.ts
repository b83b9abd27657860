// The request journal: what the emulated APIs were asked and answered, newest first, for tests to assert
// on. A ring buffer of fixed size, so a long run never grows memory (WireMock's unbounded journal is its
// most reported memory problem). Bodies and headers go through redaction.ts before they are kept.
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

export class Journal {
  private slots: Array<JournalEntry | undefined>;
  private next = 0;
  private nextId = 1;
  /** Entries pushed out by newer ones since the journal was last cleared whole. */
  evicted = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array<JournalEntry | undefined>(capacity);
  }

  add(entry: Omit<JournalEntry, 'id'>): void {
    if (this.capacity === 0) return;
    if (this.slots[this.next] !== undefined) this.evicted += 1;
    this.slots[this.next] = { id: this.nextId++, ...entry };
    this.next = (this.next + 1) % this.capacity;
  }

  /** Newest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (let i = 1; i <= this.capacity && out.length < (filter.limit ?? Infinity); i++) {
      const entry = this.slots[(this.next - i + this.capacity) % this.capacity];
      if (entry === undefined) break;
      if (matches(entry, filter)) out.push(entry);
    }
    return out;
  }

  /** Forgets every entry, or those of one vendor or one org/tenant; returns how many. */
  clear(filter: Pick<JournalFilter, 'vendor' | 'scope'> = {}): number {
    const all = this.list().reverse();
    const everything = filter.vendor === undefined && filter.scope === undefined;
    const kept = everything ? [] : all.filter((e) => !matches(e, filter));
    this.slots = new Array<JournalEntry | undefined>(this.capacity);
    this.next = 0;
    if (everything) this.evicted = 0;
    for (const entry of kept) {
      this.slots[this.next] = entry;
      this.next = (this.next + 1) % this.capacity;
    }
    return all.length - kept.length;
  }
}

function matches(e: JournalEntry, f: JournalFilter): boolean {
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
    reply.raw.once('close', () => journal.add(entryFor(request, reply, path, time)));
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.journalPayload !== undefined) request.journalPayload = payload;
    return payload;
  });
}

function entryFor(request: FastifyRequest, reply: FastifyReply, path: string, time: string): Omit<JournalEntry, 'id'> {
  const tag = request.vendorTag;
  const requestSize = Number(request.headers['content-length'] ?? 0);
  const payload = request.journalPayload;
  const responseSize = typeof payload === 'string' || Buffer.isBuffer(payload) ? Buffer.byteLength(payload) : 0;
  return {
    time,
    vendor: tag?.vendor ?? null,
    ...(tag && { [SCOPE_NAMES[tag.vendor]]: tag.scopeOf(request) ?? null }),
    method: request.method,
    path,
    query: redact({ ...(request.query as Record<string, unknown>) }),
    status: reply.raw.writableFinished ? reply.statusCode : null,
    duration_ms: Math.round(reply.elapsedTime * 100) / 100,
    request: { headers: redact({ ...request.headers }), body: keptBody(request.body, request.headers['content-type'], requestSize) },
    response: { headers: redact({ ...reply.getHeaders() }), body: keptBody(payload, String(reply.getHeader('content-type') ?? ''), responseSize) },
    ...(request.fault && { fault: request.fault }),
  };
}

function keptBody(body: unknown, contentType: string | undefined, size: number): unknown {
  if (size > MAX_JOURNAL_BODY_BYTES) return `[${size} bytes not kept: the journal keeps bodies up to ${MAX_JOURNAL_BODY_BYTES} bytes]`;
  return redactBody(body, contentType);
}
