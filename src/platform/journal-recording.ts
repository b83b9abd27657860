// How a request becomes a journal entry (journal.ts holds the entries): the plugin that owns a request
// tracks it (each vendor's scope, through vendor-scope.ts, and the root's not-found handler for paths nobody
// owns); the control API and the docs do not. An entry is added once the connection is done with the request,
// from what the request and its answer already hold. A request a reset overtook (reset-barrier.ts) is left
// out: it belongs to the journal the reset cleared.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from './clock';
import type { EntryFacts, ExchangeRecord, Journal } from './journal';
import { MAX_JOURNAL_BODY_BYTES } from './journal';
import { routedPath } from './routed-path';
import type { ResetBarrier } from './reset-barrier';

export class JournalRecorder {
  constructor(private readonly journal: Journal, private readonly clock: Clock, private readonly barrier: ResetBarrier) {}

  /** Whether anything is recorded (a journal of size 0 records nothing). */
  get on(): boolean {
    return this.journal.capacity > 0;
  }

  /** Journals the request once its connection is done with it; call from the owner's first onRequest hook. */
  track(request: FastifyRequest, reply: FastifyReply): void {
    if (!this.on) return;
    const timeMs = this.clock.nowMs();
    request.journalPayload = null; // marks the request as journaled; the onSend hook fills it in
    // 'close' comes for every response, also when the socket was destroyed before one was sent.
    reply.raw.on('close', () => {
      const tag = request.vendorTag;
      if (this.barrier.overtook(request.admittedAt, tag?.vendor ?? '', tag?.scopeOf(request))) return;
      this.journal.add(factsOf(request, reply, timeMs), exchangeOf(request, reply));
    });
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
}

function factsOf(request: FastifyRequest, reply: FastifyReply, timeMs: number): EntryFacts {
  const tag = request.vendorTag;
  return {
    timeMs,
    vendor: tag?.vendor ?? null,
    ...(tag && { scope: { name: tag.scopeName, id: tag.scopeOf(request) ?? null } }),
    method: request.method,
    path: routedPath(request.url),
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

function exchangeOf(request: FastifyRequest, reply: FastifyReply): ExchangeRecord {
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
