// GET /__admin/requests/stream: the journal as server-sent events, with the journal's filters, a backlog
// (limit or Last-Event-ID), the control API's errors and guard, and a clean end when the server closes.
import nodeHttp from 'node:http';
import t from 'tap';
import { http, startServer } from '../helpers';
import { datadog, PREFIX, seedCreateBody } from '../datadog/dd';
import { admin } from './admin';

const MARKER = 'stream-secret-marker-81c4';

interface JournalEvent {
  id: string;
  entry: any;
}

/** Opens the stream and reads it event by event; `next` fails rather than waits forever. */
async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  let raw = '';
  const next = async (): Promise<JournalEvent | 'end'> => {
    for (;;) {
      const end = buffered.indexOf('\n\n');
      if (end >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const fields = Object.fromEntries(block.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
        if (fields.data === undefined) continue; // a heartbeat comment
        return { id: fields.id, entry: JSON.parse(fields.data) };
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('no event within 5 s')), 5000); });
      const chunk = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
      if (chunk.done) return 'end';
      buffered += chunk.value;
      raw += chunk.value;
    }
  };
  return { res, next, raw: () => raw, close: () => controller.abort() };
}

t.test('new entries that match the filters, as the journal shows them, redacted', async (t) => {
  const server = await startServer(t);
  const stream = await openStream(`${server.url}/__admin/requests/stream?vendor=datadog&method=post`);
  t.teardown(stream.close);
  t.equal(stream.res.status, 200);
  t.match(stream.res.headers.get('content-type'), /^text\/event-stream/);
  t.equal(stream.res.headers.get('cache-control'), 'no-cache');

  const dd = datadog(server.url, `api-${MARKER}`, `app-${MARKER}`);
  await dd.call('GET'); // another method
  await http(`${server.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'c', client_secret: MARKER }) }); // another vendor
  const body = seedCreateBody();
  body.data.attributes.secrets = { admin_email: MARKER };
  t.equal((await dd.call('POST', '', body)).status, 200);

  const event = await stream.next();
  if (event === 'end') throw new Error('the stream ended');
  t.match(event.entry, { vendor: 'datadog', method: 'POST', path: PREFIX, status: 200 }, 'the first event is the one matching request');
  t.equal(event.id, String(event.entry.id), 'the event id is the entry id');
  const [listed] = (await admin(server.url)('GET', '/requests?method=post&vendor=datadog')).json.requests;
  t.same(event.entry, listed, 'the same entry GET /__admin/requests shows');
  t.equal(event.entry.request.body.data.attributes.secrets, '[redacted]');
  t.notOk(stream.raw().includes(MARKER), 'no key or secret in the stream');
});

t.test('limit replays the newest matching entries first; Last-Event-ID every one after it', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  for (let i = 0; i < 3; i++) await dd.call('GET', `/missing-${i}`);
  const ids = async (next: () => Promise<JournalEvent | 'end'>, n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const event = await next();
      out.push(event === 'end' ? 'end' : event.entry.path.replace(PREFIX, ''));
    }
    return out;
  };

  const recent = await openStream(`${server.url}/__admin/requests/stream?limit=2&status=404`);
  t.teardown(recent.close);
  t.same(await ids(recent.next, 2), ['/missing-1', '/missing-2'], 'the newest two, oldest first');
  await dd.call('GET', '/missing-3');
  t.same(await ids(recent.next, 1), ['/missing-3'], 'then live');

  const first = (await admin(server.url)('GET', '/requests')).json.requests.at(-1).id;
  const resumed = await openStream(`${server.url}/__admin/requests/stream`, { 'last-event-id': String(first) });
  t.teardown(resumed.close);
  t.same(await ids(resumed.next, 3), ['/missing-1', '/missing-2', '/missing-3'], 'every entry after the last one seen');
});

t.test('bad filters are the control API\'s 400; the admin token guards the stream', async (t) => {
  const server = await startServer(t, { adminToken: 'stream-admin-token' });
  const call = admin(server.url, 'stream-admin-token');
  const bad = await call('GET', '/requests/stream?status=abc');
  t.match(bad.json, { statusCode: 400, message: "Field 'status' must match pattern \"^([1-5][0-9][0-9]|[1-5]xx)$\"" });
  t.match((await call('GET', '/requests/stream?org=a&tenant=b')).json, { statusCode: 400, message: 'Give only one of org, api_key and tenant (got org and tenant)' });
  t.match((await call('GET', '/requests/stream', undefined, { 'last-event-id': 'x' })).json, { statusCode: 400, message: "Header 'Last-Event-ID' must be a journal entry id" });
  t.equal((await admin(server.url)('GET', '/requests/stream')).status, 401);

  const stream = await openStream(`${server.url}/__admin/requests/stream`, { authorization: 'Bearer stream-admin-token' });
  t.teardown(stream.close);
  t.equal(stream.res.status, 200);
});

t.test('closing the server ends open streams instead of waiting on them', async (t) => {
  const server = await startServer(t);
  const stream = await openStream(`${server.url}/__admin/requests/stream`);
  await server.close();
  t.equal(await stream.next(), 'end');
});

t.test('a reader that stops reading is cut off once 8 MiB behind; the server goes on', async (t) => {
  const server = await startServer(t);
  // 400 journaled requests with a 60 KB body each (refused creates, each from its own org so no rate limit
  // answers first), made while a reader does not read: 24 MB of events, more than the kernel's socket buffers
  // and the 8 MiB the server holds for a reader on top of them (the journal itself keeps 8 MiB of entries).
  const filler = 'x'.repeat(60_000);
  const ENTRIES = 400;
  const received = await new Promise<{ bytes: number; events: number; ended: boolean }>((resolve, reject) => {
    const req = nodeHttp.get(`${server.url}/__admin/requests/stream`, async (res) => {
      res.pause(); // a reader that does not read: what the server sends piles up
      for (let i = 0; i < ENTRIES; i++) {
        const headers = { 'dd-api-key': `stream-org-${i}`, 'dd-application-key': 'stream-app-key' };
        t.equal((await http(`${server.url}${PREFIX}`, { method: 'POST', headers, json: { filler } })).status, 400);
      }
      let text = '';
      const timer = setTimeout(() => resolve({ bytes: text.length, events: (text.match(/^id: /gm) ?? []).length, ended: false }), 5000);
      res.on('data', (chunk: Buffer) => { text += chunk.toString('latin1'); });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ bytes: text.length, events: (text.match(/^id: /gm) ?? []).length, ended: true });
      });
      res.resume();
    });
    req.on('error', reject);
  });
  t.ok(received.ended, 'the server ended the stream instead of buffering without bound');
  t.ok(received.events > 0 && received.events < ENTRIES, `it got part of what was sent (${received.events} of ${ENTRIES} events, ${received.bytes} bytes)`);
  t.equal((await http(`${server.url}/__admin/health`)).status, 200, 'the server answers as before');
  const again = await openStream(`${server.url}/__admin/requests/stream?limit=1`);
  t.teardown(() => again.close());
  const last = await again.next();
  const newest = (await http(`${server.url}/__admin/requests?limit=1`)).json.requests[0];
  t.match(last, { id: String(newest.id), entry: { method: 'POST', path: PREFIX } }, 'a reconnecting reader is served (the newest entry)');
});

t.test('a backlog written to a slow reader waits its turn: no listener per entry, every entry arrives in order', async (t) => {
  const server = await startServer(t, { logLevel: 'warn' });
  const dd = datadog(server.url);
  const pad = 'p'.repeat(40_000); // entries large enough that the socket stops taking them
  for (let i = 0; i < 60; i++) await dd.call('POST', '', { ...seedCreateBody(), pad });
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on('warning', onWarning);
  t.teardown(() => { process.off('warning', onWarning); });
  const ids = await new Promise<number[]>((resolve, reject) => {
    const req = nodeHttp.get(`${server.url}/__admin/requests/stream`, { headers: { 'last-event-id': '0' } }, (res) => {
      res.pause(); // a slow reader: the server's writes back up
      setTimeout(() => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          const seen = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
          if (seen.length >= 60) {
            req.destroy();
            resolve(seen);
          }
        });
        res.resume();
      }, 300);
    });
    req.on('error', reject);
  });
  t.same(ids, [...ids].sort((a, b) => a - b), 'in order');
  t.equal(new Set(ids).size, 60, 'every entry once');
  await new Promise((resolve) => setImmediate(resolve));
  t.same(warnings.filter((w) => w === 'MaxListenersExceededWarning'), [], 'no MaxListenersExceededWarning');
});
