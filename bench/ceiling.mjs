// The ceiling: the least a Fastify server can do for each benchmark scenario. The same methods and route
// shapes as syncmock's, Fastify's own JSON body parser on the writes, and for each route the very bytes
// syncmock answered (recorded by bench/run.mjs) as a constant body: no logging, no auth, no store, no
// schemas. syncmock's figures are reported as ratios to this one's, measured in the same run under the same
// load, which cancels most of the machine out.
// Usage: node bench/ceiling.mjs <port> <routes.json>, routes.json = [{ method, url, status, body }].
import fs from 'node:fs';
import Fastify from 'fastify';

const [port, routesFile] = process.argv.slice(2);
const app = Fastify({ logger: false });
for (const { method, url, status, body } of JSON.parse(fs.readFileSync(routesFile, 'utf8'))) {
  app.route({
    method,
    url,
    handler: (_request, reply) => {
      reply.code(status);
      if (body === '') return reply.send();
      return reply.header('content-type', 'application/json; charset=utf-8').send(body);
    },
  });
}
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
