// The ceiling: the least a Fastify server can do for the benchmark's GET — same route shape, same headers
// read, a constant body, no logging, no store. syncmock's throughput is reported as a ratio to this one's,
// measured on the same machine under the same load, which cancels most of the machine out.
// Usage: node bench/ceiling.mjs <port> <body-file>
import fs from 'node:fs';
import Fastify from 'fastify';

const [port, bodyFile] = process.argv.slice(2);
const body = fs.readFileSync(bodyFile, 'utf8');
const app = Fastify({ logger: false });
app.get('/api/v2/security_monitoring/configuration/integration_config/:id', (request, reply) => {
  reply.header('content-type', 'application/json; charset=utf-8').send(body);
});
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
