// Bad input gets {"errors": [...]} naming the problem, the right status, no stack trace, and leaves the
// store exactly as it was.
import t from 'tap';
import { http, matchesSchema, startServer } from '../helpers';
import { PREFIX, datadog, seedCreateBody } from './dd';

type Body = ReturnType<typeof seedCreateBody>;
const withAttrs = (change: (attrs: Record<string, unknown>) => void): Body => {
  const body = seedCreateBody();
  change(body.data.attributes as unknown as Record<string, unknown>);
  return body;
};

t.test('create and update reject bad bodies with 400/413/415 and change nothing', async (t) => {
  const server = await startServer(t);
  const dd = datadog(server.url);
  const existing = (await dd.call('POST', '', seedCreateBody())).json.data;
  const before = (await dd.call('GET')).json;
  const cases: Array<{ name: string; body?: unknown; raw?: string; type?: string; status: number; match: RegExp; patch?: boolean }> = [
    { name: 'malformed JSON', raw: '{"data": {', status: 400, match: /Malformed JSON/ },
    { name: 'empty JSON body', raw: '', status: 400, match: /empty/ },
    { name: 'non-JSON content type', raw: 'data=1', type: 'application/x-www-form-urlencoded', status: 415, match: /Unsupported Media Type/ },
    { name: 'text/plain', raw: '{}', type: 'text/plain', status: 415, match: /Unsupported Media Type/ },
    { name: 'a JSON array', body: [], status: 400, match: /request body must be object/ },
    { name: 'missing data', body: {}, status: 400, match: /Field 'data' is required/ },
    { name: 'missing attributes', body: { data: { type: 'integration_config' } }, status: 400, match: /Field 'data.attributes' is required/ },
    { name: 'wrong type', body: { data: { ...seedCreateBody().data, type: 'integration' } }, status: 400, match: /Field 'data.type' must be one of: integration_config/ },
    { name: 'unknown integration_type', body: withAttrs((a) => { a.integration_type = 'GITHUB'; }), status: 400, match: /Field 'data.attributes.integration_type' must be one of: GOOGLE_WORKSPACE, OKTA, ENTRA_ID/ },
    { name: 'missing name', body: withAttrs((a) => { delete a.name; }), status: 400, match: /Field 'data.attributes.name' is required/ },
    { name: 'missing domain', body: withAttrs((a) => { delete a.domain; }), status: 400, match: /Field 'data.attributes.domain' is required/ },
    { name: 'missing secrets', body: withAttrs((a) => { delete a.secrets; }), status: 400, match: /Field 'data.attributes.secrets' is required/ },
    { name: 'secrets: []', body: withAttrs((a) => { a.secrets = []; }), status: 400, match: /Field 'data.attributes.secrets' must be object/ },
    { name: 'settings: "x"', body: withAttrs((a) => { a.settings = 'x'; }), status: 400, match: /Field 'data.attributes.settings' must be object/ },
    { name: 'name: 42', body: withAttrs((a) => { a.name = 42; }), status: 400, match: /Field 'data.attributes.name' must be string/ },
    { name: 'a body over 1 MiB', body: withAttrs((a) => { a.settings = { blob: 'x'.repeat(1024 * 1024) }; }), status: 413, match: /too large/ },
    { name: 'PATCH enabled: "yes"', patch: true, body: { data: { type: 'integration_config', attributes: { enabled: 'yes' } } }, status: 400, match: /Field 'data.attributes.enabled' must be boolean/ },
    { name: 'PATCH enabled: "true" (no coercion)', patch: true, body: { data: { type: 'integration_config', attributes: { enabled: 'true' } } }, status: 400, match: /must be boolean/ },
    { name: 'PATCH secrets: []', patch: true, body: { data: { type: 'integration_config', attributes: { secrets: [] } } }, status: 400, match: /Field 'data.attributes.secrets' must be object/ },
    { name: 'PATCH settings: null', patch: true, body: { data: { type: 'integration_config', attributes: { settings: null } } }, status: 400, match: /Field 'data.attributes.settings' must be object/ },
    { name: 'PATCH a different integration_type', patch: true, body: { data: { type: 'integration_config', attributes: { integration_type: 'OKTA' } } }, status: 400, match: /cannot be changed/ },
    { name: 'PATCH missing attributes', patch: true, body: { data: { type: 'integration_config' } }, status: 400, match: /Field 'data.attributes' is required/ },
  ];
  for (const c of cases) {
    const url = `${server.url}${PREFIX}${c.patch ? `/${existing.id}` : ''}`;
    const method = c.patch ? 'PATCH' : 'POST';
    const res = c.raw !== undefined
      ? await http(url, { method, headers: { ...dd.headers, 'content-type': c.type ?? 'application/json' }, body: c.raw })
      : await http(url, { method, headers: dd.headers, json: c.body });
    t.equal(res.status, c.status, `${c.name}: status`);
    matchesSchema(t, 'datadog/error-response.json', res.json, `${c.name}: Datadog error shape`);
    t.match(res.json?.errors?.join(' '), c.match, `${c.name}: message names the problem`);
    t.notMatch(res.text, /at .+\.(ts|js):\d+/, `${c.name}: no stack trace`);
  }
  t.same((await dd.call('GET')).json, before, 'the store is exactly as before');
});

t.test('every violation is listed, not just the first', async (t) => {
  const server = await startServer(t);
  const res = await datadog(server.url).call('POST', '', { data: { type: 'integration_config', attributes: { integration_type: 'X', secrets: [] } } });
  t.equal(res.status, 400);
  const text = res.json.errors.join('\n');
  for (const field of ['domain', 'name', 'integration_type', 'secrets']) t.match(text, `data.attributes.${field}`);
});
