// What a client does at the socket level: a body that never finishes, a thousand idle connections, request
// lines that a WHATWG client would have normalised (dot segments). None of them stops others being served
// or reaches a route it should not.
import fs from 'node:fs';
import net from 'node:net';
import t, { type Test } from 'tap';
import { matchesSchema, startServer } from '../helpers';
import { PREFIX, datadog, seedCreateBody } from '../datadog/dd';
import { connect } from './sockets';

const KEYS = 'DD-API-KEY: conn-api-key\r\nDD-APPLICATION-KEY: conn-app-key\r\n';

/** Sends raw bytes and reads the whole answer (the request says Connection: close). */
async function raw(port: number, text: string): Promise<{ status: number; body: string }> {
  const socket = await connect(port);
  const chunks: Buffer[] = [];
  socket.on('data', (d) => chunks.push(d));
  socket.end(text);
  await new Promise((resolve) => socket.on('close', resolve));
  const answer = Buffer.concat(chunks).toString();
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]), body: answer.slice(answer.indexOf('\r\n\r\n') + 4) };
}

/** Ordinary requests, concurrently: all must be answered, and correctly. */
async function othersAreServed(t: Test, url: string, label: string): Promise<void> {
  const dd = datadog(url, 'conn-api-key', 'conn-app-key');
  const answers = await Promise.all([
    ...Array.from({ length: 10 }, () => dd.call('GET')),
    ...Array.from({ length: 10 }, () => dd.call('POST', '', seedCreateBody())),
  ]);
  t.same(answers.map((a) => a.status), [...Array(10).fill(200), ...Array(10).fill(200)], `${label}: 20 concurrent requests answered`);
}

t.test('request bodies that never finish do not hold up anyone else', async (t) => {
  const server = await startServer(t, { logLevel: 'warn' });
  const before = (await datadog(server.url, 'conn-api-key', 'conn-app-key').call('GET')).json;
  const slow: net.Socket[] = [];
  t.teardown(() => slow.forEach((s) => s.destroy()));
  for (let i = 0; i < 20; i++) {
    const socket = await connect(server.port);
    socket.write(`POST ${PREFIX} HTTP/1.1\r\nHost: 127.0.0.1\r\n${KEYS}Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"data":{"type":"integration_config",`);
    slow.push(socket);
  }
  await othersAreServed(t, server.url, 'with 20 half-sent bodies open');
  const after = (await datadog(server.url, 'conn-api-key', 'conn-app-key').call('GET')).json;
  t.equal(after.data.length, before.data.length + 10, 'only the complete creates were stored');
});

/** How many more descriptors this process may open (Node raises the soft limit to the hard one at start). */
function freeDescriptors(): { limit: number; open: number } {
  const limits = fs.readFileSync('/proc/self/limits', 'utf8');
  const limit = Number(/Max open files\s+(\d+)/.exec(limits)?.[1] ?? 1024);
  return { limit, open: fs.readdirSync('/proc/self/fd').length };
}

t.test('1,000 idle connections do not stop new requests being served', { skip: process.platform !== 'linux' && 'reads /proc' }, async (t) => {
  const server = await startServer(t, { logLevel: 'warn' });
  // Both ends live in this process: each connection costs two descriptors. Keep 200 spare.
  const { limit, open } = freeDescriptors();
  const count = Math.min(1000, Math.floor((limit - open - 200) / 2));
  if (count < 1000) t.comment(`the descriptor limit is ${limit} (${open} open): ${count} idle connections instead of 1,000`);
  t.ok(count >= 100, `room for ${count} connections`);
  const idle: net.Socket[] = [];
  t.teardown(() => idle.forEach((s) => s.destroy()));
  for (let i = 0; i < count; i += 100) {
    idle.push(...await Promise.all(Array.from({ length: Math.min(100, count - i) }, () => connect(server.port))));
  }
  // A client's connect completes in the kernel; the server accepts from its backlog as the loop turns.
  const connections = () => new Promise<number>((resolve, reject) => server.app.server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
  let held = await connections();
  for (let i = 0; i < 300 && held < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    held = await connections();
  }
  t.ok(held >= count, `the server holds ${held} connections`);
  await othersAreServed(t, server.url, `with ${count} idle connections open`);
  for (const s of idle) s.destroy();
  await othersAreServed(t, server.url, 'after they all closed');
});

t.test('dot segments sent raw stay inside the Datadog routes and reach nothing else', async (t) => {
  const server = await startServer(t, { logLevel: 'warn' });
  const dd = datadog(server.url, 'conn-api-key', 'conn-app-key');
  const created = (await dd.call('POST', '', seedCreateBody())).json.data;
  for (const target of [
    `${PREFIX}/../../../../../__admin/reset`,
    `${PREFIX}/${created.id}/../../../../../../__admin/reset`,
    `${PREFIX}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/__admin/reset`,
    `${PREFIX}/..%2f..%2f..%2f..%2f..%2f__admin%2freset`,
    `${PREFIX}/./${created.id}`,
  ]) {
    for (const method of ['POST', 'DELETE']) {
      const res = await raw(server.port, `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${KEYS}Connection: close\r\n\r\n`);
      t.equal(res.status, 404, `${method} ${target}: not found`);
      matchesSchema(t, 'datadog/error-response.json', JSON.parse(res.body), `${method} ${target}: Datadog error shape`);
    }
  }
  t.same((await dd.call('GET', `/${created.id}`)).json.data, created, 'the config is still there, unchanged');
});
