// A deferred instance answers for its owner's routes as if they were the owner's: built once however many
// first requests race, the same status, headers and body (a HEAD with the GET's length and no body, a 304
// or a redirect without a content type), the owner's not-found and error handlers for what it does not
// serve or fails at, and a URL it would read differently from the owner's router never passed on.
import Fastify from 'fastify';
import t, { type Test } from 'tap';
import { DeferredApp } from '../../src/platform/deferred-app';
import { rawRequest } from '../helpers';

async function owner(t: Test) {
  let builds = 0;
  const deferred = new DeferredApp(async (app) => {
    builds += 1;
    app.get('/files/page', (request, reply) => {
      if (request.headers['if-none-match'] === '"v1"') return reply.code(304).header('etag', '"v1"').send();
      return reply.header('etag', '"v1"').type('text/html').send('<p>page</p>');
    });
    app.get('/files/old', (_request, reply) => reply.redirect('page'));
    app.get('/files/broken', async () => {
      throw Object.assign(new Error('refused by the instance'), { statusCode: 403 });
    });
  });
  const app = Fastify();
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ owner: 'not found' }));
  app.setErrorHandler((err: Error & { statusCode?: number }, _request, reply) => reply.code(err.statusCode ?? 500).send({ owner: err.message }));
  app.get('/files/*', deferred.answer());
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());
  return { url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, builds: () => builds };
}

t.test('built once, answering with its status, headers and body', async (t) => {
  const server = await owner(t);
  const pages = await Promise.all(Array.from({ length: 5 }, () => fetch(`${server.url}/files/page`)));
  t.equal(server.builds(), 1, 'one build for five first requests');
  for (const page of pages) {
    t.equal(page.status, 200);
    t.equal(page.headers.get('etag'), '"v1"');
    t.match(page.headers.get('content-type'), /^text\/html/);
    t.equal(await page.text(), '<p>page</p>');
  }
  const head = await rawRequest(server.url, { method: 'HEAD', path: '/files/page' });
  t.equal(head.status, 200);
  t.equal(head.headers['content-length'], String('<p>page</p>'.length), 'a HEAD says the length of the GET\'s body');
  t.equal(head.text, '', 'and has none');
  const unchanged = await fetch(`${server.url}/files/page`, { headers: { 'if-none-match': '"v1"' } });
  t.equal(unchanged.status, 304);
  t.equal(unchanged.headers.get('content-type'), null, 'a 304 gets no content type');
  const moved = await fetch(`${server.url}/files/old`, { redirect: 'manual' });
  t.equal(moved.status, 302);
  t.equal(moved.headers.get('location'), 'page');
  t.equal(moved.headers.get('content-type'), null, 'nor does a redirect');
});

t.test('what it does not serve or fails at is the owner\'s to answer', async (t) => {
  const server = await owner(t);
  const missing = await fetch(`${server.url}/files/nope`);
  t.same([missing.status, await missing.json()], [404, { owner: 'not found' }], 'the owner\'s not-found handler');
  const broken = await fetch(`${server.url}/files/broken`);
  t.same([broken.status, await broken.json()], [403, { owner: 'refused by the instance' }], 'the owner\'s error handler');
  // light-my-request would resolve these to /files/page: they are not what the owner's router matched.
  for (const path of ['/files/x/../page', '/files/%2e%2e/files/page', '/files\\..\\page']) {
    const res = await rawRequest(server.url, { method: 'GET', path });
    t.equal(res.status, 404, `${path} is not passed on`);
    t.same(JSON.parse(res.text), { owner: 'not found' });
  }
});
