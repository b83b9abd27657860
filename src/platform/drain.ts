// The one rule for answering a client that is still sending: read and discard what it sends (a bounded
// amount, for a bounded time), then answer and close. A socket closed while the peer's bytes are still
// arriving, or sit unread in the kernel, is closed with a TCP reset, and a reset can destroy the answer
// in flight: Node's fetch (undici), still writing a 2 MiB body when the 413 came, reported EPIPE instead of
// the 413, and a 1 MB client_secret in a query string sometimes got no answer at all. So:
// - an answer ready before its request's body was read (a 413, a refusal of the credentials, an unknown
//   path: every early answer, whoever made it) waits until the body has been read to its end, then goes
//   out, with `Connection: close` if the read was cut off (drainBeforeEarlyAnswers); a request that
//   announces no body has nothing to wait for; a body that stops coming gets that answer
//   when the request timeout passes (answerNow, from client-errors.ts), not a 408;
// - an answer written on a bare socket (client-errors.ts: 431, 414, 400, 408) is followed by a half-close,
//   and the socket is read until the client closes its side before it is destroyed (closeAfterDraining).
// Both stop reading at DRAIN_MAX_BYTES or DRAIN_MAX_MS, whichever comes first, and close anyway.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';

/** The most a refused request may still send, read and discarded, before it is closed on anyway. */
export const DRAIN_MAX_BYTES = 8 * 1024 * 1024;
/** The longest it may take to send it. */
export const DRAIN_MAX_MS = 5000;

/**
 * Reads and discards what `stream` still holds until it ends, or past DRAIN_MAX_BYTES, or after
 * DRAIN_MAX_MS, or when it closes, or `stop` is aborted; resolves then, true when it ended.
 */
export function drain(stream: Readable, stop?: AbortSignal): Promise<boolean> {
  if (stream.readableEnded) return Promise.resolve(true);
  if (stream.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    let bytes = 0;
    const finish = (ended: boolean) => {
      clearTimeout(timer);
      stream.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onClose);
      stop?.removeEventListener('abort', onClose);
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > DRAIN_MAX_BYTES) finish(false);
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(false);
    const timer = setTimeout(onClose, DRAIN_MAX_MS);
    stream.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onClose);
    stop?.addEventListener('abort', onClose);
    stream.resume();
  });
}

/**
 * Writes `answer` (if any) and half-closes the socket, then reads what the client still sends until it
 * closes its side (or the bounds), and only then destroys it.
 */
export function closeAfterDraining(socket: Socket, answer?: string): void {
  if (socket.destroyed) return;
  if (socket.writable) socket.end(answer ?? '');
  void drain(socket).then(() => socket.destroy());
}

/** The early answers waiting for the rest of their request's body, each with what sends it at once. */
const waiting = new WeakMap<IncomingMessage, AbortController>();

/**
 * A root onSend hook: an answer to a request whose body has not been received whole (`complete` is set
 * once its end is) waits for drain() and closes the connection. A callback hook, so that every other
 * answer costs one property read.
 */
export function drainBeforeEarlyAnswers(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    const raw = request.raw;
    // `complete` is set when the parser reaches the message's end, which for a request with no body can be
    // after a synchronous handler has answered: such a request has nothing to wait for.
    if (raw.complete || !hasBody(raw)) return done(null, payload);
    const stop = new AbortController();
    waiting.set(raw, stop);
    void drain(raw, stop.signal).then((ended) => {
      waiting.delete(raw);
      // Read to its end, the body is gone and the connection can carry the next request; cut off, it cannot.
      if (!ended) reply.header('connection', 'close');
      done(null, payload);
    });
  });
}

/** Whether a request announces a body (RFC 9112 §6.3: Transfer-Encoding, or a Content-Length other than 0). */
const hasBody = (request: IncomingMessage): boolean =>
  request.headers['transfer-encoding'] !== undefined || (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');

/** Sends the early answer that waits for this request's body, if one does (the body stopped coming); whether one did. */
export function answerNow(request: IncomingMessage): boolean {
  const stop = waiting.get(request);
  stop?.abort();
  return stop !== undefined;
}
