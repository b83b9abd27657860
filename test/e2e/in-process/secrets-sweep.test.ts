// The whole flow against the built CLI, logging at trace, with every credential a unique marker: Datadog API
// and application keys and secrets (also as key names, in query strings, in malformed and refused bodies),
// Datadog access tokens (bearer, as DD-APPLICATION-KEY, in any header or query parameter, malformed, 1 MB),
// SailPoint client secrets (in the body, the query or HTTP Basic) and access tokens. No marker appears in any response body or header, any line
// the process writes, the request journal (GET /__admin/requests) or the state export (GET /__admin/state).
// SailPoint and the control API join in as soon as the build has them.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { http, type HttpResult } from '../../helpers';
import { PREFIX } from '../../datadog/dd';
import { listening, runCli } from '../cli';
import { SAILPOINT_MISSING, attrSyncPath, requestToken, sailpointHeaders } from '../surfaces';

const marker = (what: string) => `MARKER-${what}-${randomBytes(6).toString('hex')}`;

t.test('no credential appears in any response, log line, journal entry or export', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-sweep-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const proc = runCli(['--port', '0', '--db', path.join(dir, 'sweep.db'), '--log-level', 'trace']);
  t.teardown(() => { proc.child.kill('SIGKILL'); });
  const url = await listening(proc);

  const secrets: string[] = [];
  const secret = (what: string) => { const m = marker(what); secrets.push(m); return m; };
  const responses: string[] = [];
  const call = async (target: string, init: Parameters<typeof http>[1] = {}): Promise<HttpResult> => {
    const res = await http(`${url}${target}`, init);
    responses.push(`${init.method ?? 'GET'} ${target.replace(/\?.*/, '?…')} -> ${res.status} ${JSON.stringify(Object.fromEntries(res.headers as unknown as Iterable<[string, string]>))} ${res.text}`);
    return res;
  };

  // Datadog.
  const apiKey = secret('DD-API-KEY');
  const appKey = secret('DD-APP-KEY');
  const keys = { 'DD-API-KEY': apiKey, 'DD-APPLICATION-KEY': appKey };
  const config = (secretsObject: unknown) => ({ data: { type: 'integration_config', attributes: {
    domain: 'sweep.example.com', integration_type: 'OKTA', name: 'sweep', secrets: secretsObject, settings: { region: 'eu' },
  } } });
  const created = await call(PREFIX, { method: 'POST', headers: keys, json: config({
    api_token: secret('DD-SECRET'), nested: { deep: [secret('DD-SECRET-DEEP')] }, [secret('DD-SECRET-AS-KEY')]: 'x',
  }) });
  t.equal(created.status, 200, 'created');
  const id = created.json.data.id;
  await call(`${PREFIX}/${id}`, { headers: keys });
  await call(PREFIX, { headers: keys });
  await call(`${PREFIX}?filter[integration_type]=OKTA`, { headers: keys });
  await call(`${PREFIX}/${id}`, { method: 'PATCH', headers: keys, json: { data: { type: 'integration_config', attributes: { secrets: { api_token: secret('DD-SECRET-UPDATED') } } } } });
  await call(`${PREFIX}/${id}`, { method: 'PATCH', headers: keys, json: { data: { type: 'integration_config', attributes: { name: 'renamed', enabled: false } } } });
  await call(`${PREFIX}/validate`, { method: 'POST', headers: keys, json: { data: { type: 'integration_config', attributes: { domain: 'd', integration_type: 'OKTA', secrets: { api_token: secret('DD-SECRET-VALIDATE') } } } } });
  await call(`${PREFIX}/validate`, { method: 'POST', headers: keys, json: { data: { type: 'integration_config', attributes: { domain: 'd', integration_type: 'OKTA', secrets: { api_token: `invalid-${secret('DD-SECRET-INVALID')}` } } } } });
  await call(`${PREFIX}/${id}/validate`, { method: 'POST', headers: keys });
  await call(PREFIX, { method: 'POST', headers: keys, json: config({ api_token: `INVALID${secret('DD-SECRET-REFUSED')}` }) });
  await call(PREFIX, { method: 'POST', headers: keys, json: { ...config({ api_token: secret('DD-SECRET-EXTRA-FIELD') }), junk: 1 } });
  await call(PREFIX, { method: 'POST', headers: { ...keys, 'content-type': 'application/json' }, body: `{"data":{"attributes":{"secrets":{"api_token":"${secret('DD-SECRET-MALFORMED')}"` });
  await call(PREFIX, { method: 'POST', headers: { ...keys, 'content-type': 'text/plain' }, body: `secrets=${secret('DD-SECRET-TEXT')}` });
  await call(PREFIX, { method: 'POST', headers: keys, json: config({ api_token: secret('DD-SECRET-TOO-LARGE'), pad: 'x'.repeat(1024 * 1024) }) });
  await call(PREFIX, { method: 'POST', headers: keys, json: { data: { type: 'integration_config', attributes: { secrets: { api_token: secret('DD-SECRET-SCHEMA') }, integration_type: 'NOPE' } } } });
  await call(PREFIX, { headers: { 'DD-API-KEY': apiKey } });
  await call(PREFIX, { headers: { 'DD-APPLICATION-KEY': appKey } });
  await call(`${PREFIX}?api_key=${secret('DD-API-KEY-IN-QUERY')}&application_key=${secret('DD-APP-KEY-IN-QUERY')}`, { headers: keys });
  await call(`${PREFIX}/${id}`, { method: 'DELETE', headers: keys });
  await call(`${PREFIX}/${id}`, { headers: keys });

  // Datadog access tokens: as a bearer token, as DD-APPLICATION-KEY, in other headers and in query strings,
  // malformed, and 1 MB long (past the HTTP parser's limit).
  const bearer = secret('DD-BEARER-TOKEN');
  const pat = `ddpat_${secret('DD-PAT')}`;
  const byToken = await call(PREFIX, { method: 'POST', headers: { authorization: `Bearer ${bearer}` }, json: config({ api_token: secret('DD-SECRET-VIA-TOKEN') }) });
  t.equal(byToken.status, 200, 'created with a bearer token');
  await call(`${PREFIX}/${byToken.json.data.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${bearer}` }, json: { data: { type: 'integration_config', attributes: { name: 'by token' } } } });
  t.equal((await call(PREFIX, { headers: { 'DD-API-KEY': secret('DD-API-KEY-NOT-EVALUATED'), 'DD-APPLICATION-KEY': pat } })).status, 200, 'a PAT as DD-APPLICATION-KEY');
  await call(PREFIX, { headers: { authorization: `Bearer ${pat}`, 'x-forwarded-authorization': `Bearer ${secret('DD-TOKEN-OTHER-HEADER')}`, 'x-dd-token': `ddsat_${secret('DD-SAT-OTHER-HEADER')}` } });
  await call(`${PREFIX}?access_token=${secret('DD-TOKEN-IN-QUERY')}&t=${`ddpat_${secret('DD-PAT-IN-QUERY')}`}&auth=${encodeURIComponent(`Bearer ${secret('DD-BEARER-IN-QUERY')}`)}`, { headers: { authorization: `Bearer ${bearer}` } });
  for (const authorization of [`Digest ${secret('DD-UNKNOWN-SCHEME')}`, `Basic ${secret('DD-NOT-BASE64')}!`, `Bearer ${secret('DD-SPACED')} x`, secret('DD-BARE-TOKEN')]) {
    t.equal((await call(PREFIX, { headers: { ...keys, authorization } })).status, 403, 'a malformed Authorization header');
  }
  const oversized = await call(PREFIX, { headers: { authorization: `Bearer ${secret('DD-TOKEN-1MB')}${'a'.repeat(1024 * 1024)}` } });
  t.equal(oversized.status, 431, 'a 1 MB token');

  // SailPoint: open mode accepts any client id with any non-empty secret.
  const accessTokens: string[] = [];
  const clientId = `sweep-client-${randomBytes(4).toString('hex')}`;
  const clientSecret = secret('SP-CLIENT-SECRET');
  const granted = await requestToken(url, clientId, clientSecret);
  t.equal(granted.status, 200, 'a token for a fresh client');
  const token = granted.token as string;
  accessTokens.push(token);
  const form = (secretValue: string) => new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secretValue }).toString();
  const multipart = await call('/oauth/token', { method: 'POST', body: (() => {
    const f = new FormData();
    f.set('grant_type', 'client_credentials'); f.set('client_id', clientId); f.set('client_secret', clientSecret);
    return f;
  })() });
  const query = await call(`/oauth/token?${form(clientSecret)}`, { method: 'POST' });
  t.same([multipart.status, query.status], [200, 200], 'tokens from multipart and from the query string');
  accessTokens.push(multipart.json.access_token, query.json.access_token);
  await call('/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({
    grant_type: 'client_credentials', client_id: 'syncmock-org-admin', client_secret: secret('SP-WRONG-SECRET'),
  }).toString() });
  await call(`/oauth/token?${new URLSearchParams({ grant_type: 'password', client_id: clientId, client_secret: secret('SP-SECRET-BAD-GRANT') })}`, { method: 'POST' });
  await call('/oauth/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_secret: secret('SP-SECRET-JSON') }) });
  const current = await call(attrSyncPath(), { headers: sailpointHeaders(token) });
  t.equal(current.status, 200, 'the fresh client reads the seeded source');
  const toggled = structuredClone(current.json);
  toggled.attributes[0].enabled = !toggled.attributes[0].enabled;
  await call(attrSyncPath(), { method: 'PUT', headers: sailpointHeaders(token), json: toggled });
  await call(attrSyncPath(undefined, 'v2024'), { method: 'PUT', headers: sailpointHeaders(token), json: { ...toggled, attributes: [{ name: 'x', displayName: 'not a credential: journaled as sent', enabled: true, target: 'y' }] } });
  await call(attrSyncPath(), { headers: { authorization: `Bearer ${secret('SP-FORGED-TOKEN')}` } });
  await call(attrSyncPath(), { headers: { authorization: `Bearer ${token}x` } });
  await call(`${attrSyncPath()}?access_token=${token}&jwt=${token}`, { headers: { authorization: `Bearer ${token}`, 'x-access-token': token } });

  // HTTP Basic client authentication: the header's base64 form is a credential too.
  const b64 = (text: string) => {
    const encoded = Buffer.from(text).toString('base64');
    secrets.push(encoded);
    return encoded;
  };
  const basic = (id: string, secretValue: string) => `Basic ${b64(`${id}:${secretValue}`)}`;
  const grantForm = new URLSearchParams({ grant_type: 'client_credentials' }).toString();
  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
  const viaBasic = await call('/oauth/token', { method: 'POST', headers: { ...formHeaders, authorization: basic(clientId, clientSecret) }, body: grantForm });
  t.equal(viaBasic.status, 200, 'a token by HTTP Basic');
  accessTokens.push(viaBasic.json.access_token);
  await call('/oauth/token', { method: 'POST', headers: { ...formHeaders, authorization: basic('syncmock-org-admin', secret('SP-BASIC-WRONG-SECRET')) }, body: grantForm });
  await call('/oauth/token', { method: 'POST', headers: { ...formHeaders, authorization: basic(clientId, clientSecret) },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_secret: secret('SP-BASIC-DISAGREEING-SECRET') }).toString() });
  await call('/oauth/token', { method: 'POST', headers: { ...formHeaders, authorization: `Basic ${secret('SP-BASIC-NOT-BASE64')}!` }, body: grantForm });
  await call('/oauth/token', { method: 'POST', headers: { ...formHeaders, authorization: `Basic ${b64(secret('SP-BASIC-NO-COLON'))}` }, body: grantForm });

  // The control API's views of the same traffic.
  const views: string[] = [];
  for (const view of ['/__admin/requests', '/__admin/requests?limit=1000', '/__admin/state']) {
    const res = await http(`${url}${view}`);
    t.equal(res.status, 200, `${view} answers`);
    t.match(res.text, view.startsWith('/__admin/requests') ? PREFIX : 'sweep.example.com', `${view} holds the traffic`);
    views.push(res.text);
  }

  proc.child.kill('SIGTERM');
  t.equal(await proc.exit, 0, 'a clean stop, every log line written');
  const logs = proc.stdout() + proc.stderr();
  t.match(logs, /incoming request/, 'trace logging was on');
  t.ok(responses.length >= 20, `${responses.length} responses captured`);

  const places: Record<string, string> = { responses: responses.join('\n'), logs, 'journal and state export': views.join('\n') };
  for (const [where, text] of Object.entries(places)) {
    const leaked = secrets.filter((m) => text.includes(m));
    t.same(leaked, [], `no secret in the ${where}`);
  }
  // Access tokens come back from the token endpoint, which is their purpose, and appear nowhere else.
  const tokenResponses = responses.filter((r) => r.startsWith('POST /oauth/token'));
  const elsewhere = { ...places, responses: responses.filter((r) => !tokenResponses.includes(r)).join('\n') };
  for (const [where, text] of Object.entries(elsewhere)) {
    t.notOk(accessTokens.some((token) => text.includes(token)), `no access token in the ${where}${where === 'responses' ? ' (but the token endpoint\'s)' : ''}`);
  }
});
