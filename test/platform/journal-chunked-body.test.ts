// Issue 15, defect 3: the journal keeps request bodies up to 64 KiB and notes larger ones by size only,
// measured on the bytes actually received: a body sent chunked (no Content-Length) is bounded like any other.
import t from 'tap';
import { rawRequest, startServer, type RawResponse } from '../helpers';
import { PREFIX, seedCreateBody } from '../datadog/dd';

const KEYS = { 'dd-api-key': 'journal-chunked-key', 'dd-application-key': 'journal-chunked-app', 'content-type': 'application/json' };
const JOURNAL_LIMIT = 64 * 1024;

/** A create body of about `bytes` bytes (the padding is in settings, so the config is valid). */
function createBody(bytes: number): string {
  const body = seedCreateBody();
  const base = JSON.stringify(body).length + '"pad":"",'.length;
  (body.data.attributes.settings as Record<string, unknown>) = { pad: 'p'.repeat(bytes - base), setting1: 'value1' };
  return JSON.stringify(body);
}

/** The newest journal entry, and its whole JSON text. */
async function newestEntry(url: string): Promise<{ entry: any; text: string }> {
  const res: RawResponse = await rawRequest(url, { method: 'GET', path: '/__admin/requests?limit=1' });
  const entry = JSON.parse(res.text).requests[0];
  return { entry, text: JSON.stringify(entry) };
}

t.test('a chunked 900 KB body is journaled by its size only, like the same body with a Content-Length', async (t) => {
  const server = await startServer(t, { logLevel: 'warn' });
  const body = createBody(900 * 1024);
  const size = Buffer.byteLength(body);

  for (const [how, chunkSize] of [['chunked', 16 * 1024], ['with Content-Length', undefined]] as const) {
    // An org of its own each: two 900 KB configs are more than one org holds (1 MiB of settings).
    const sent = await rawRequest(server.url, { method: 'POST', path: PREFIX, headers: { ...KEYS, 'dd-api-key': `journal-chunked-key-${how}` }, body, chunkSize });
    t.equal(sent.status, 200, `${how}: accepted (under the 1 MiB body limit)`);
    const { entry, text } = await newestEntry(server.url);
    t.equal(entry.path, PREFIX, `${how}: the newest entry is the create`);
    t.type(entry.request.body, 'string', `${how}: the request body is not kept`, { kept: text.slice(0, 300) });
    t.match(String(entry.request.body), String(size), `${how}: the note gives the ${size} bytes received`);
    t.ok(text.length < JOURNAL_LIMIT, `${how}: the whole entry stays under 64 KiB (${text.length} characters)`);
    t.notOk(text.includes('p'.repeat(1000)), `${how}: none of the padding is held`);
  }
});

t.test('a small chunked body is kept, as any small body is', async (t) => {
  const server = await startServer(t, { logLevel: 'warn' });
  const body = createBody(2 * 1024);
  const sent = await rawRequest(server.url, { method: 'POST', path: PREFIX, headers: KEYS, body, chunkSize: 256 });
  t.equal(sent.status, 200);
  const { entry } = await newestEntry(server.url);
  t.same(entry.request.body.data.attributes.settings, JSON.parse(body).data.attributes.settings, 'kept parsed, as sent');
  t.equal(entry.request.body.data.attributes.secrets, '[redacted]', 'and redacted');
});
