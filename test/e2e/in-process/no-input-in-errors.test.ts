// No error text repeats what a caller sent where it could be a credential: a marker secret put in every
// position of every malformed shape (a bare word, cut short, a bad escape, a trailing comma, invalid UTF-8,
// NaN, a control character, single quotes, …; urlencoded forms with bad escapes and repeated fields,
// multipart bodies cut short or without a boundary, query strings, a bad percent-escape in the path), on
// every route that takes a body: Datadog's in both revisions, SailPoint's PUT, the token endpoint (form,
// multipart, query) and the control API's JSON routes. No 6-character fragment of the marker may appear in
// an answer (status line, headers, body), the journal (GET /__admin/requests), its stream
// (/__admin/requests/stream) or the log (debug). Generated (fast-check, the hostile tests' fixed seed).
// V8's JSON.parse quoted the body around the error ("…t_secret":Hunter2Sup"…"), Fastify's bad-URL error
// the whole URL with its query.
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import t from 'tap';
import { rawRequest, startServer, type RawResponse } from '../../helpers';
import { PREFIX, datadog, seedCreateBody } from '../../datadog/dd';
import { FUZZ_SEED } from '../hostile';
import { attrSyncPath, sailpointHeaders, sailpointToken } from '../surfaces';

const RUNS = Number(process.env.SYNCMOCK_FUZZ_RUNS ?? 60);
const MARKER = 'Zq7XvK2mWp9tRj4B';
const FRAGMENTS = Array.from({ length: MARKER.length - 5 }, (_, i) => MARKER.slice(i, i + 6));
const leaked = (text: string): string | undefined => FRAGMENTS.find((f) => text.includes(f));

/** Where the marker sits in a JSON text: a string value, a key, a bare word, around an escape. */
const PLACEMENTS: Array<(m: string) => string> = [
  (m) => `"client_secret":"${m}"`, (m) => `"client_secret":${m}`, (m) => `"${m}":1`, (m) => `"client_secret":"${m}\\`,
  (m) => `"client_secret":"\\u${m}"`, (m) => `"client_secret":["${m}",]`, (m) => `"client_secret":'${m}'`, (m) => `${m}:1`,
];
/** What breaks the text, inserted at any position (or the text cut there). */
const FAULTS = [',', ',}', ',]', '\\q', '\\u12', 'NaN', '-Infinity', '\u0001', "'", '}', ']', ':', '{', '[', '"', 'x', '01', '1e', '\ufeff', 'cut', '\xff'];

/** A JSON text with the marker in it that JSON.parse (or the UTF-8 check) refuses. */
const malformedJson: fc.Arbitrary<Buffer> = fc.tuple(fc.constantFrom(...PLACEMENTS), fc.constantFrom(...FAULTS), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean())
  .map(([place, fault, where, envelope]) => {
    const text = envelope
      ? `{"data":{"type":"integration_config","attributes":{"name":"n","secrets":{${place(MARKER)}}}}}`
      : `{${place(MARKER)}}`;
    const at = Math.floor(where * text.length);
    if (fault === 'cut') return Buffer.from(text.slice(0, Math.max(at, text.indexOf(MARKER) + MARKER.length)));
    if (fault === '\xff') return Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xff]), Buffer.from(text.slice(at))]);
    return Buffer.from(text.slice(0, at) + fault + text.slice(at));
  })
  .filter((bytes) => {
    if (!isUtf8(bytes)) return true;
    try {
      JSON.parse(bytes.toString());
      return false;
    } catch {
      return true;
    }
  });

const FORM = 'application/x-www-form-urlencoded';
/** The token endpoint's parameters with the marker as the client secret, in a broken form. */
const formFaults: Array<(m: string) => string> = [
  (m) => `client_secret=${m}%`, (m) => `client_secret=${m}%z`, (m) => `client_secret=%E0%A4%A${m}`, (m) => `client_secret=${m}&client_secret=${m}`,
  (m) => `client_secret=${encodeURIComponent(m)}%ZZ&grant_type=password`, (m) => `client_secret=${m}${'&a=1'.repeat(25)}`,
  (m) => `client_secret=${m}&grant_type`, (m) => `client_secret=${m}&=&&`,
];
const formParams = fc.tuple(fc.constantFrom(...formFaults), fc.boolean()).map(([fault, id]) => `${id ? 'client_id=no-input-client&' : ''}${fault(MARKER)}`);
const multipartBody = (boundary: string, fields: string): string => fields.replace(/\|/g, `--${boundary}`);
const multipartFaults: Array<(m: string) => [string, string]> = [
  (m) => ['multipart/form-data; boundary=b', multipartBody('b', `|\r\nContent-Disposition: form-data; name="client_secret"\r\n\r\n${m}`)],
  (m) => ['multipart/form-data', `client_secret=${m}`],
  (m) => ['multipart/form-data; boundary=b', multipartBody('b', `|\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\n${m}\r\n|--\r\n`)],
  (m) => ['multipart/form-data; boundary=b', multipartBody('b', `|\r\nContent-Dispo ${m}\r\n\r\n${m}\r\n|--\r\n`)],
  (m) => ['multipart/form-data; boundary=b', multipartBody('b', `${`|\r\nContent-Disposition: form-data; name="client_secret"\r\n\r\n${m}\r\n`.repeat(25)}|--\r\n`)],
  (m) => ['multipart/form-data; boundary=b', multipartBody('b', `|\r\nContent-Disposition: form-data; name="client_secret"; filename="s.txt"\r\n\r\n${m}\r\n|--\r\n`)],
];

t.test('no fragment of a secret in a malformed body reaches an answer, the journal, its stream or the log', async (t) => {
  const server = await startServer(t, { datadog: { revision: '2026-08' } });
  const dd = datadog(server.url, 'no-input-api-key', 'no-input-app-key');
  const id = (await dd.call('POST', '', { data: { type: 'integration_config', attributes: { ...seedCreateBody().data.attributes, integration_type: 'OKTA', secrets: { api_token: 't' } } } })).json.data.id;
  const token = await sailpointToken(server.url);
  const stream = await fetch(`${server.url}/__admin/requests/stream`);
  let streamed = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) streamed += decoder.decode(chunk, { stream: true });
  })().catch(() => undefined);

  const v06 = { 'x-syncmock-datadog-revision': '2026-06' };
  const v08 = { 'x-syncmock-datadog-revision': '2026-08' };
  const jsonRoutes: Array<[string, string, Record<string, string>]> = [
    ['POST', PREFIX, { ...dd.headers, ...v06 }], ['POST', PREFIX, { ...dd.headers, ...v08 }],
    ['POST', `${PREFIX}/validate`, { ...dd.headers, ...v06 }], ['POST', `${PREFIX}/validate`, { ...dd.headers, ...v08 }],
    ['PATCH', `${PREFIX}/${id}`, { ...dd.headers, ...v06 }], ['PATCH', `${PREFIX}/${id}`, { ...dd.headers, ...v08 }],
    ['POST', `${PREFIX}/${id}/validate`, dd.headers], ['POST', `${PREFIX}/entra_id/activate`, { ...dd.headers, ...v08 }],
    ['POST', `${PREFIX}/entra_id/deactivate`, { ...dd.headers, ...v08 }],
    ['PUT', attrSyncPath(), sailpointHeaders(token)], ['PUT', attrSyncPath(undefined, 'v2025'), sailpointHeaders(token)],
    ['POST', '/__admin/faults', {}], ['PUT', '/__admin/rate-limits', {}], ['POST', '/__admin/clock', {}], ['POST', '/__admin/state', {}],
    ['POST', '/__admin/datadog/credential-outcome', {}], ['POST', '/__admin/reset', {}],
  ];
  let requests = 0;
  const statuses = new Map<number, number>();
  const check = (what: string, res: RawResponse): void => {
    requests++;
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
    const fragment = leaked(`${res.status} ${JSON.stringify(res.headers)} ${res.text}`);
    if (fragment) throw new Error(`${what}: the answer holds '${fragment}': ${res.text.slice(0, 500)}`);
  };
  const property = (name: string, p: fc.IAsyncProperty<any>) => fc.assert(p, { seed: FUZZ_SEED, numRuns: RUNS }).then(() => t.pass(`${name}: ${RUNS} requests`));

  await property('JSON routes', fc.asyncProperty(fc.constantFrom(...jsonRoutes), malformedJson, async ([method, path, headers], body) => {
    check(`${method} ${path} ${JSON.stringify(body.toString('latin1'))}`, await rawRequest(server.url, { method, path, headers: { ...headers, 'content-type': 'application/json' }, body }));
  }));
  await property('token endpoint, urlencoded body and query string', fc.asyncProperty(formParams, fc.boolean(), async (params, inQuery) => {
    const res = inQuery
      ? await rawRequest(server.url, { method: 'POST', path: `/oauth/token?${params}` })
      : await rawRequest(server.url, { method: 'POST', path: '/oauth/token', headers: { 'content-type': FORM }, body: params });
    check(`token ${inQuery ? 'query' : 'form'} ${params}`, res);
  }));
  await property('token endpoint, multipart', fc.asyncProperty(fc.constantFrom(...multipartFaults), async (fault) => {
    const [type, body] = fault(MARKER);
    check(`token multipart ${body}`, await rawRequest(server.url, { method: 'POST', path: '/oauth/token', headers: { 'content-type': type }, body }));
  }));
  // Before routing: a bad escape in the path (Fastify's message quoted the URL, query included), a query too long for the parser.
  check('a bad escape in the token endpoint\'s path', await rawRequest(server.url, { method: 'POST', path: `/oauth/token%zz?client_secret=${MARKER}` }));
  check('a bad escape in a Datadog path', await rawRequest(server.url, { method: 'POST', path: `${PREFIX}/%E0%A4%A?client_secret=${MARKER}`, headers: dd.headers }));
  check('a bad escape in a control path', await rawRequest(server.url, { method: 'POST', path: `/__admin/%zz?client_secret=${MARKER}` }));
  check('a 20 KB client_secret in the query', await rawRequest(server.url, { method: 'POST', path: `/oauth/token?client_secret=${MARKER.repeat(1300)}` }));
  check('Basic credentials that are not base64', await rawRequest(server.url, { method: 'POST', path: '/oauth/token', headers: { authorization: `Basic ${MARKER}!` } }));

  const journal = await rawRequest(server.url, { method: 'GET', path: '/__admin/requests' });
  t.equal(journal.status, 200, 'the journal answers');
  t.ok(JSON.parse(journal.text).requests.length > 100, 'and holds the requests');
  t.equal(leaked(journal.text), undefined, 'no fragment of the secret in the journal', { around: [...journal.text.matchAll(/.{300}Zq7XvK.{100}/gs)].map((m) => m[0]).slice(0, 3) });
  await server.close();
  await reading;
  t.ok(streamed.includes('/oauth/token'), 'the stream carried the requests');
  t.equal(leaked(streamed), undefined, 'nor in its stream');
  t.ok(server.logs().includes('incoming request'), 'the log was written at debug');
  t.equal(leaked(server.logs()), undefined, 'nor in the log', { around: server.logs().split('\n').filter((l) => leaked(l)).slice(0, 3) });
  t.comment(`${requests} requests: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
});

// Generated: a credential in any position a caller can put one (a path segment, a query parameter, a header,
// a body field; by its name or by its shape: a Datadog access token, a JWT, an Authorization value) on any
// surface (each vendor's routes, the token endpoint, the control API, the docs, the dashboard's files, paths
// no route serves), with any method. It appears in no answer, no journal entry, and no log line at trace,
// whoever wrote the line (Fastify's own warnings quoted a request's raw URL: FST_ERR_REP_ALREADY_SENT).
t.test('generated: a credential in any position of any request is in no answer, journal entry or log line', async (t) => {
  const server = await startServer(t, { logLevel: 'trace' });
  const token = await sailpointToken(server.url);
  let n = 0;
  const targets = ['/api/v2/security_monitoring/configuration/integration_config', `${PREFIX}/validate`, attrSyncPath(), '/oauth/token',
    '/__admin/faults', '/__admin/requests', '/__admin/state', '/__admin/ui/x/../index.html', '/__admin/ui/nope', '/docs/x/../json',
    '/docs/nope', '/openapi/nope.json', '/nowhere', '/__admin/nowhere', `${PREFIX}/11111111-2222-3333-4444-555555555555`];
  const shapes = fc.constantFrom((m: string) => `ddpat_${m}`, (m: string) => `ddsat_${m}`, (m: string) => `eyJhbGciOiJIUzI1NiJ9.eyJ${m}.c2ln`);
  const position = fc.constantFrom('path', 'query-named', 'query-shaped', 'header-named', 'header-shaped', 'bearer', 'body-named', 'body-shaped');
  await fc.assert(fc.asyncProperty(fc.constantFrom(...targets), fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'), position, shapes,
    fc.constantFrom('client_secret', 'token', 'api_key', 'access_token', 'password'), async (target, method, where, shape, name) => {
      const marker = `Mk${(++n).toString(36)}${MARKER}`;
      const value = shape(marker);
      const headers: Record<string, string> = { 'dd-api-key': 'sweep', 'dd-application-key': 'sweep-app', authorization: `Bearer ${token}`, 'x-sailpoint-experimental': 'true' };
      let path = target;
      let body: string | undefined;
      if (where === 'path') path = `${target}/${encodeURIComponent(value)}`;
      if (where === 'query-named') path = `${target}?a=1&${name}=${marker}`;
      if (where === 'query-shaped') path = `${target}?x=${encodeURIComponent(value)}`;
      if (where === 'header-named') headers[name === 'token' ? 'cookie' : 'x-api-key'] = marker;
      if (where === 'header-shaped') headers['x-anything'] = value;
      if (where === 'bearer') headers.authorization = `Bearer ${marker}x`;
      if (where === 'body-named') body = JSON.stringify({ data: { attributes: { [name]: marker } }, [name]: marker });
      if (where === 'body-shaped') body = JSON.stringify({ data: { attributes: { name: value, secrets: { x: value } } }, name: value, path: value });
      if (body !== undefined && (method === 'GET' || method === 'HEAD')) return;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await rawRequest(server.url, { method, path, headers, body });
      const answer = `${res.status} ${JSON.stringify(res.headers)} ${res.text}`;
      const where1 = leakedMarker(marker, answer) ? 'the answer' : undefined;
      if (where1) throw new Error(`${method} ${path} (${where}): the marker is in ${where1}: ${answer.slice(0, 300)}`);
    }), { seed: FUZZ_SEED, numRuns: RUNS });
  await new Promise((resolve) => setTimeout(resolve, 60)); // the log's batch (50 ms) written
  const journal = (await rawRequest(server.url, { method: 'GET', path: '/__admin/requests?limit=1000' })).text;
  t.ok(journal.includes('"requests"'), 'the journal answers');
  t.notOk(MARKER_SEEN.exec(journal), 'no marker in the journal');
  t.ok(server.logs().includes('"level":10') || server.logs().includes('incoming request'), 'trace logging was on');
  t.equal(MARKER_SEEN.exec(server.logs())?.[0], undefined, 'no marker in any log line');
});

const MARKER_SEEN = new RegExp(`Mk[0-9a-z]+${MARKER.slice(0, 6)}`);
const leakedMarker = (marker: string, text: string): boolean => text.includes(marker) || text.includes(MARKER.slice(0, 8));

// Generated: a credential of no recognisable shape, known by its value only: one the server holds (the admin
// token, a seeded API or application key, access token or client secret, the SailPoint signing key) or one
// the request itself sends as a credential (its DD-API-KEY, DD-APPLICATION-KEY, bearer token, Basic password
// or client_secret), put also in another position of that request (a path segment, a query parameter's name
// or value, a JSON body's key or value, another header). It appears in no answer, journal entry, stream
// event, export or log line at trace. Real Datadog keys are 32 and 40 hex digits: no shape tells them.
t.test('generated: a held or the request\'s own credential, pasted elsewhere, is in no answer, journal, stream, export or log line', async (t) => {
  const ADMIN = `admin-${'5e'.repeat(12)}`;
  const JWT_SECRET = 'jwt-signing-secret-7f3a';
  const server = await startServer(t, { logLevel: 'trace', adminToken: ADMIN, sailpoint: { jwtSecret: JWT_SECRET } });
  const admin = { authorization: `Bearer ${ADMIN}` };
  const stream = await fetch(`${server.url}/__admin/requests/stream`, { headers: admin });
  let streamed = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) streamed += decoder.decode(chunk, { stream: true });
  })().catch(() => undefined);
  const HELD = { admin: ADMIN, 'seeded api key': 'syncmock-api-key', 'seeded application key': 'syncmock-app-key',
    'seeded access token': 'ddpat_syncmock_personal_access_token', 'seeded client secret': 'syncmock-org-admin-secret', 'signing key': JWT_SECRET };
  const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
  /** What the request carries as its credential, and the value to find nowhere. */
  const credential = fc.oneof(
    fc.constantFrom(...Object.entries(HELD)).map(([what, value]) => ({ what, value, headers: {} as Record<string, string>, form: undefined as string | undefined })),
    hex(32).map((value) => ({ what: 'own DD-API-KEY', value, headers: { 'dd-api-key': value, 'dd-application-key': 'a'.repeat(40) }, form: undefined })),
    hex(40).map((value) => ({ what: 'own DD-APPLICATION-KEY', value, headers: { 'dd-api-key': 'b'.repeat(32), 'dd-application-key': value }, form: undefined })),
    hex(32).map((value) => ({ what: 'own bearer token', value, headers: { authorization: `Bearer ${value}` }, form: undefined })),
    hex(24).map((value) => ({ what: 'own Basic password', value, headers: { authorization: `Basic ${Buffer.from(`some-client:${value}`).toString('base64')}` }, form: undefined })),
    hex(24).map((value) => ({ what: 'own client_secret', value, headers: {}, form: `grant_type=client_credentials&client_id=some-client&client_secret=${value}` })),
    hex(20).map((value) => ({ what: 'an upper-case access token', value: `DDPAT_${value.toUpperCase()}`, headers: {}, form: undefined })),
  );
  const targets = [PREFIX, attrSyncPath(), '/oauth/token', '/__admin/faults', '/nowhere', '/api/v2/unknown'];
  const positions = ['path', 'query-name', 'query-value', 'body-key', 'body-value', 'header'] as const;
  const seen = new Set<string>();
  let requests = 0;
  await fc.assert(fc.asyncProperty(credential, fc.constantFrom(...targets), fc.constantFrom(...positions), fc.constantFrom('GET', 'POST', 'PUT'),
    async ({ what, value, headers: carried, form }, anyTarget, where, method) => {
      seen.add(value);
      // A form's client_secret is a credential where the form is read: at the token endpoint. Elsewhere the
      // body is refused unread (415, 404), and its fields are never known.
      // A path of its own is another route, which refuses the body unread too.
      if (form !== undefined && where === 'path') return;
      const target = form === undefined ? anyTarget : '/oauth/token';
      if (form !== undefined && method !== 'POST') return;
      const headers: Record<string, string> = { ...(target.startsWith('/__admin') ? admin : {}), 'x-sailpoint-experimental': 'true', ...carried };
      let path = target;
      let body: string | undefined;
      if (where === 'path') path = `${target}/${value}`;
      if (where === 'query-name') path = `${target}?${value}=1`;
      if (where === 'query-value') path = `${target}?filter=${value}&id=x${value}y`;
      if (where === 'header') headers['x-request-note'] = `see ${value}`;
      if (where === 'body-key' || where === 'body-value') {
        const field = where === 'body-key' ? `{"${value}":1}` : `{"name":"${value}","note":"x${value}"}`;
        body = form === undefined ? `{"data":{"type":"integration_config","attributes":${field}},"extra":${field}}` : `${form}&${where === 'body-key' ? `${value}=1` : `note=${value}`}`;
      } else if (form !== undefined) body = form;
      const m = body !== undefined && method === 'GET' ? 'POST' : method;
      if (body !== undefined) headers['content-type'] = form === undefined ? 'application/json' : 'application/x-www-form-urlencoded';
      const res = await rawRequest(server.url, { method: m, path, headers, body });
      requests++;
      if (res.status >= 500) throw new Error(`${m} ${path} (${what}, ${where}): ${res.status} ${res.text.slice(0, 300)}`);
      const answer = `${res.status} ${JSON.stringify(res.headers)} ${res.text}`;
      if (answer.includes(value)) throw new Error(`${m} ${path} (${what} in the ${where}): the answer holds it: ${answer.slice(0, 400)}`);
    }), { seed: FUZZ_SEED, numRuns: RUNS });
  await new Promise((resolve) => setTimeout(resolve, 60)); // the log's batch written
  const journal = (await rawRequest(server.url, { method: 'GET', path: '/__admin/requests?limit=1000', headers: admin })).text;
  const exported = (await rawRequest(server.url, { method: 'GET', path: '/__admin/state', headers: admin })).text;
  t.ok(JSON.parse(journal).requests.length > 0, 'the journal holds the requests');
  t.match(exported, /"datadog"/, 'the export answers');
  await server.close();
  await reading;
  t.ok(streamed.includes('/nowhere') || streamed.includes(PREFIX), 'the stream carried the requests');
  t.ok(server.logs().includes('incoming request'), 'trace logging was on');
  const values = [...seen, ...Object.values(HELD)];
  for (const [where, text] of Object.entries({ journal, stream: streamed, export: exported, log: server.logs() })) {
    const leaked = values.filter((v) => text.includes(v));
    t.same(leaked, [], `no such credential in the ${where}`, { around: leaked.slice(0, 2).map((v) => text.slice(Math.max(0, text.indexOf(v) - 200), text.indexOf(v) + 60)) });
  }
  t.comment(`${requests} requests, ${seen.size} credential values`);
});
