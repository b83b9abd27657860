// URLs that Fastify refuses before routing (malformed percent-encoding, an id longer than the router
// allows) still get Datadog's error shape under the Datadog prefix, never Fastify's own body, and never
// its message, which quotes the URL.
import t from 'tap';
import { matchesSchema, startServer } from '../helpers';
import { datadog } from './dd';

t.test('a malformed percent-encoding in the id: 400 in the Datadog shape', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  for (const method of ['GET', 'PATCH', 'DELETE']) {
    const res = await dd.call(method, '/%E0%A4%A', method === 'PATCH' ? { data: { type: 'integration_config', attributes: {} } } : undefined);
    t.equal(res.status, 400, `${method}: status`);
    matchesSchema(t, 'datadog/error-response.json', res.json, `${method}: Datadog error shape`);
    t.match(res.json.errors[0], /Malformed URL: a % in the path does not start an escape/);
    t.notMatch(res.text, 'E0%A4%A', 'the URL is not repeated');
  }
});

t.test('an id of any length is simply not found (404), in the Datadog shape', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  for (const length of [37, 100, 101, 5000]) {
    for (const method of ['GET', 'DELETE']) {
      const res = await dd.call(method, `/${'a'.repeat(length)}`);
      t.equal(res.status, 404, `${method} with a ${length}-character id: status`);
      matchesSchema(t, 'datadog/error-response.json', res.json, `${method} with a ${length}-character id: Datadog error shape`);
    }
  }
});
