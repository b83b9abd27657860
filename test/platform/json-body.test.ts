// JSON bodies nested deeper than the limit are a 400 in the vendor's shape, not a stack overflow (500),
// and change nothing; bodies up to the limit work as before.
import t from 'tap';
import { MAX_JSON_DEPTH } from '../../src/platform/json-body';
import { http, matchesSchema, startServer } from '../helpers';
import { PREFIX, datadog, seedCreateBody } from '../datadog/dd';

/** {"a":{"a":…"x"…}}: `levels` objects deep. */
const nested = (levels: number): string => '{"a":'.repeat(levels) + '"x"' + '}'.repeat(levels);
/** A create body whose `field` (settings or secrets, 4 levels below the root) holds `levels` nested objects. */
const createBody = (field: 'settings' | 'secrets', levels: number): string => {
  const attrs = seedCreateBody().data.attributes as Record<string, unknown>;
  const { [field]: _, ...rest } = attrs;
  return `{"data":{"type":"integration_config","attributes":{${JSON.stringify(rest).slice(1, -1)},"${field}":${nested(levels)}}}}`;
};

t.test('create, update and validate refuse bodies nested deeper than the limit, whatever the depth', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  const existing = (await dd.call('POST', '', seedCreateBody())).json.data;
  const before = (await dd.call('GET')).json;
  const send = (method: string, path: string, body: string) =>
    http(`${server.url}${PREFIX}${path}`, { method, headers: { ...dd.headers, 'content-type': 'application/json' }, body });
  for (const levels of [MAX_JSON_DEPTH, 5_000, 100_000]) {
    for (const field of ['settings', 'secrets'] as const) {
      for (const [method, path] of [['POST', ''], ['PATCH', `/${existing.id}`], ['POST', '/validate']]) {
        const res = await send(method, path, createBody(field, levels));
        const name = `${method} ${path || '/'} with ${field} ${levels} levels deep`;
        t.equal(res.status, 400, name);
        matchesSchema(t, 'datadog/error-response.json', res.json, `${name}: Datadog error shape`);
        t.match(res.json.errors[0], `nested deeper than ${MAX_JSON_DEPTH} levels`, `${name}: says why`);
      }
    }
  }
  t.same((await dd.call('GET')).json, before, 'nothing changed');
  t.notOk(server.logs().includes('"level":50'), 'no error logged');
});

t.test('a body exactly at the limit is accepted and stored as sent', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  const levels = MAX_JSON_DEPTH - 4; // the root, data, attributes and settings themselves are 4 levels
  const res = await http(`${server.url}${PREFIX}`, {
    method: 'POST', headers: { ...dd.headers, 'content-type': 'application/json' }, body: createBody('settings', levels),
  });
  t.equal(res.status, 200);
  t.same((await dd.call('GET', `/${res.json.data.id}`)).json.data.attributes.settings, JSON.parse(nested(levels)));
});
