// GET /__admin/requests/stream: the request journal as server-sent events, for the dashboard and for tests
// that wait for a request instead of polling. Same filters as GET /__admin/requests; one event per entry
// (`id:` the entry id, `data:` the entry as JSON, redacted like every journal read).
import fastifySse from '@fastify/sse';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SyncmockContext } from './context';
import { InvalidInput } from '../platform/errors';
import { CONTROL_TAGS, controlErrorResponses } from './errors';
import { journalFilter, type RequestsQuery } from './journal-routes';
import type { ControlSchemas } from './schemas';

/** Keep-alive comments, so proxies and idle timeouts do not close a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** A client this far behind is cut off (it reconnects with Last-Event-ID): one stuck reader cannot grow memory. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export async function journalStreamRoutes(app: FastifyInstance, opts: { context: SyncmockContext; schemas: ControlSchemas }): Promise<void> {
  const { context, schemas } = opts;
  const { journal } = context;
  // Entries are sent as the JSON text they were measured by (below), not serialised again.
  await app.register(fastifySse, { heartbeatInterval: HEARTBEAT_MS, serializer: (data: unknown) => (typeof data === 'string' ? data : JSON.stringify(data)) });
  const open = new Set<FastifyReply>();
  // Open streams would keep the server from closing: end them first.
  app.addHook('preClose', async () => {
    for (const reply of open) reply.sse.close();
  });

  app.get<{ Querystring: RequestsQuery; Headers: { 'last-event-id'?: string } }>('/requests/stream', {
    // 'manual': the route always streams. The plugin's Accept negotiation would answer a client asking for
    // JSON with a 406 outside the control API's error shape; GET /__admin/requests is that client's route.
    sse: { kind: 'manual' },
    schema: {
      summary: 'Journaled requests as server-sent events, as they happen (secrets redacted)',
      description:
        'Same filters as GET /__admin/requests. Streams entries that arrive after the response headers; `limit` first ' +
        'replays that many of the newest matching entries, and a Last-Event-ID header (an entry id) every matching entry ' +
        'newer than it. Each event: `id` the entry id, `data` the entry as JSON. At most 100 streams are open at once (429).',
      tags: CONTROL_TAGS,
      querystring: schemas.get('requests-query.json'),
      response: {
        200: { description: 'One event per journal entry', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        ...controlErrorResponses(429),
      },
    },
  }, async (request, reply) => {
    const filter = journalFilter(request.query, context);
    const lastId = request.headers['last-event-id'];
    if (lastId !== undefined && !/^\d{1,15}$/.test(lastId)) {
      throw new InvalidInput("Header 'Last-Event-ID' must be a journal entry id");
    }
    const backlog = lastId !== undefined
      ? journal.list({ ...filter, limit: undefined }).filter((entry) => entry.id > Number(lastId))
      : filter.limit !== undefined ? journal.list(filter) : [];
    const sse = reply.sse;
    // One write at a time: @fastify/sse waits for 'drain' with a listener per write it could not finish, so a
    // backlog written to a slow reader added one per entry (MaxListenersExceededWarning past ten). Entries wait
    // here instead, as text, and what waits and what the socket holds together stay under MAX_BUFFERED_BYTES.
    const waiting: Array<{ id: number; text: string }> = [];
    let waitingBytes = 0;
    let writing = false;
    const write = async (): Promise<void> => {
      writing = true;
      while (waiting.length > 0) {
        const { id, text } = waiting.shift() as { id: number; text: string };
        waitingBytes -= text.length;
        // A write racing the client's disconnect is harmless: onClose has already unsubscribed or is about to.
        await sse.send({ id: String(id), data: text }).catch(() => undefined);
      }
      writing = false;
    };
    const send = (entry: { id: number }, text = JSON.stringify(entry)) => {
      if (reply.raw.writableLength + waitingBytes + text.length > MAX_BUFFERED_BYTES) {
        waiting.length = 0;
        waitingBytes = 0;
        return sse.close();
      }
      waiting.push({ id: entry.id, text });
      waitingBytes += text.length;
      if (!writing) void write();
    };
    // Subscribed before the headers go out, so a client that has them misses no later request.
    const unsubscribe = journal.subscribe(filter, send);
    sse.keepAlive();
    open.add(reply);
    sse.onClose(() => {
      unsubscribe();
      open.delete(reply);
    });
    sse.sendHeaders();
    reply.raw.flushHeaders(); // Node holds written headers back until the first body byte; a quiet stream has none
    for (const entry of backlog.reverse()) send(entry);
  });
}
