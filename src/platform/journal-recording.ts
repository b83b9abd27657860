// How a request becomes a journal entry (journal.ts holds the entries): the plugin that owns a request
// tracks it (each vendor's scope, through vendor-scope.ts, and the root's not-found handler for paths nobody
// owns); the control API and the docs do not. An entry is added once the connection is done with the request,
// holding references to what the request and its answer already hold; everything else is worked out when the
// entry is read. A request a reset overtook (reset-barrier.ts) is left out: it belongs to the journal the
// reset cleared.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from './clock';
import type { EntryFacts, ExchangeRecord, Journal, JournalRecord } from './journal';
import { MAX_JOURNAL_BODY_BYTES } from './journal';
import type { ResetBarrier } from './reset-barrier';
import { routedPath } from './routed-path';

declare module 'fastify' {
  interface FastifyRequest {
    /** When a journaled request arrived, by the server clock (ms). */
    journalTimeMs: number;
  }
}

/** Where a journaled response keeps its reply until its connection is done with it (one shared listener, no closure). */
const JOURNALED = Symbol('syncmock journaled reply');
type JournaledResponse = ServerResponse & { [JOURNALED]?: FastifyReply };

/**
 * What an entry holds besides what heldSize() counts: the request and reply objects it refers to and theirs
 * (Node's IncomingMessage and ServerResponse, Fastify's wrappers, the facts once read). Measured: about
 * 4.9 KB per entry of a small GET, on the heap after a full collection (Node 26).
 */
const RETAINED_BYTES = 5 * 1024;

export class JournalRecorder {
  /** 'close' comes for every response, also when the socket was destroyed before one was sent. */
  private readonly closed: (this: JournaledResponse) => void;

  constructor(private readonly journal: Journal, private readonly clock: Clock, private readonly barrier: ResetBarrier) {
    const recorder = this;
    this.closed = function closed(this: JournaledResponse) {
      const reply = this[JOURNALED] as FastifyReply;
      this[JOURNALED] = undefined;
      recorder.record(reply.request, reply);
    };
  }

  /** Whether anything is recorded (a journal of size 0 records nothing). */
  get on(): boolean {
    return this.journal.capacity > 0;
  }

  /** Journals the request once its connection is done with it; call from the owner's first onRequest hook. */
  track(request: FastifyRequest, reply: FastifyReply): void {
    if (!this.on) return;
    request.journalTimeMs = this.clock.nowMs();
    request.journalPayload = null; // marks the request as journaled; the onSend hook fills it in
    const raw = reply.raw as JournaledResponse;
    raw[JOURNALED] = reply;
    raw.on('close', this.closed);
  }

  /**
   * At the root: keeps the payload of every journaled request's answer. It looks at what the request's owner
   * marked, not at its URL.
   */
  keepPayloads(app: FastifyInstance): void {
    if (!this.on) return;
    app.addHook('onSend', (request, _reply, payload, done) => {
      if (request.journalPayload !== undefined) request.journalPayload = payload;
      done(null, payload);
    });
  }

  private record(request: FastifyRequest, reply: FastifyReply): void {
    const tag = request.vendorTag;
    if (this.barrier.overtook(request.admittedAt, tag?.vendor ?? '', tag?.scopeOf(request))) return;
    this.journal.add(new RecordedRequest(request, reply));
  }
}

/**
 * A journaled request: references to what it and its reply hold (nothing changes them once the connection is
 * done), its facts and exchange worked out when first read. A body over MAX_JOURNAL_BODY_BYTES is let go at
 * once, so the journal holds about what `bytes` says.
 */
class RecordedRequest implements JournalRecord {
  readonly bytes: number;
  private readonly status: number | null;
  private readonly durationMs: number;
  private readonly requestSize: number;
  private readonly responseSize: number;
  private readonly requestBody: unknown;
  private readonly responseBody: unknown;
  private factsMemo?: EntryFacts;
  private exchangeMemo?: ExchangeRecord;

  constructor(private readonly request: FastifyRequest, private readonly reply: FastifyReply) {
    this.status = reply.raw.writableFinished ? reply.statusCode : null;
    this.durationMs = reply.elapsedTime;
    const payload = request.journalPayload;
    this.requestSize = bodySize(request);
    this.responseSize = typeof payload === 'string' || Buffer.isBuffer(payload) ? Buffer.byteLength(payload) : 0;
    this.requestBody = this.requestSize > MAX_JOURNAL_BODY_BYTES ? undefined : request.body;
    this.responseBody = this.responseSize > MAX_JOURNAL_BODY_BYTES ? undefined : payload;
    // The request holds its body and payload too: what is not kept must go with it.
    if (this.requestBody === undefined) request.body = undefined;
    request.journalPayload = undefined;
    // What is held, not what was sent: a parsed body is several times its text, and a string may take two
    // bytes a character.
    this.bytes = RETAINED_BYTES + 2 * request.url.length + headersSize(request.raw.rawHeaders) + heldSize(reply.getHeaders())
      + (this.requestBody === undefined ? 0 : heldSize(this.requestBody)) + (this.responseBody === undefined ? 0 : heldSize(this.responseBody));
  }

  get facts(): EntryFacts {
    if (this.factsMemo !== undefined) return this.factsMemo;
    const { request } = this;
    const tag = request.vendorTag;
    const facts: EntryFacts = {
      timeMs: request.journalTimeMs,
      vendor: tag?.vendor ?? null,
      method: request.method,
      path: routedPath(request.url),
      status: this.status,
      duration_ms: Math.round(this.durationMs * 100) / 100,
    };
    if (tag) facts.scope = { name: tag.scopeName, id: tag.scopeOf(request) ?? null };
    if (request.fault) facts.fault = request.fault;
    return (this.factsMemo = facts);
  }

  get exchange(): ExchangeRecord {
    return (this.exchangeMemo ??= {
      query: (this.request.query ?? {}) as Record<string, unknown>,
      requestHeaders: this.request.headers,
      requestBody: this.requestBody,
      requestSize: this.requestSize,
      responseHeaders: this.reply.getHeaders(),
      responseBody: this.responseBody,
      responseSize: this.responseSize,
    });
  }
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

/** What the request's headers take: each name and value (rawHeaders and the headers object share them). */
function headersSize(raw: readonly string[]): number {
  let size = 0;
  for (const text of raw) size += 24 + 2 * text.length;
  return size;
}

/**
 * About what a value takes on the heap, never less (V8, 64-bit): a string its characters at two bytes each, an
 * object or array its slots, a Buffer its bytes. For the journal's byte bound, which must count what entries
 * really hold: a 64 KiB JSON body of small objects is several hundred KiB once parsed.
 */
export function heldSize(root: unknown): number {
  let size = 0;
  const seen = new Set<object>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') size += 24 + 2 * value.length;
    else if (typeof value === 'number') size += 16;
    else if (Buffer.isBuffer(value)) size += 96 + value.length;
    else if (value !== null && typeof value === 'object' && !seen.has(value)) {
      seen.add(value);
      if (Array.isArray(value)) {
        size += 32 + 8 * value.length;
        for (const child of value) pending.push(child);
      } else {
        size += 56;
        for (const [key, child] of Object.entries(value)) {
          size += 24 + 24 + 2 * key.length;
          pending.push(child);
        }
      }
    }
  }
  return size;
}
