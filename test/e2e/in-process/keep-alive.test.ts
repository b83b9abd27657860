// A kept-alive connection stays open across every kind of answer a client may get in a row: a synchronous
// read (answered before Node's parser has even marked the request complete), a refusal that never reads the
// body it was sent (read and discarded, then the connection goes on), an unknown path, a control call. Only a
// body cut off at the drain bound closes it (test/e2e/early-answers.test.ts). The bench found GETs answered
// `Connection: close`: a test suite's client reconnected for every call.
import http from 'node:http';
import t from 'tap';
import { rawRequest, startServer } from '../../helpers';
import { PREFIX, seedCreateBody } from '../../datadog/dd';
import { attrSyncPath, sailpointHeaders, sailpointToken } from '../surfaces';

t.test('one connection carries reads, refusals, unknown paths and control calls, one after another', async (t) => {
  const server = await startServer(t);
  let connections = 0;
  server.app.server.on('connection', () => { connections += 1; });
  const token = await sailpointToken(server.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  t.teardown(() => agent.destroy());
  connections = 0;
  const keys = { 'dd-api-key': 'syncmock-api-key', 'dd-application-key': 'syncmock-app-key', 'content-type': 'application/json' };
  const body = JSON.stringify(seedCreateBody());
  const calls: Array<[string, string, Record<string, string>, string | undefined, number]> = [
    ['GET', PREFIX, keys, undefined, 200],
    ['GET', attrSyncPath(), sailpointHeaders(token), undefined, 200],
    ['POST', PREFIX, { 'content-type': 'application/json' }, body, 403],
    ['PUT', attrSyncPath(), { 'content-type': 'application/json' }, '{}', 401],
    ['GET', `${PREFIX}/no-such-id`, keys, undefined, 404],
    ['POST', '/nowhere', { 'content-type': 'application/json' }, body, 404],
    ['POST', PREFIX, keys, body, 200],
    ['GET', '/__admin/health', {}, undefined, 200],
    ['POST', '/__admin/reset', {}, undefined, 200],
  ];
  for (let round = 0; round < 3; round++) {
    for (const [method, path, headers, payload, status] of calls) {
      const res = await rawRequest(server.url, { method, path, headers, body: payload, agent });
      t.equal(res.status, status, `${method} ${path}: ${status}`);
      t.not(res.headers.connection, 'close', `${method} ${path}: the connection stays open`);
    }
  }
  t.equal(connections, 1, 'all of it over one connection');
});
