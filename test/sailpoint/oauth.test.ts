// POST /oauth/token: the three encodings, the JWT and its claims, expiry on the server clock, tampering,
// open vs strict mode, OAuth-shaped errors, and no secret or token in the logs.
import t from 'tap';
import { createSigner } from 'fast-jwt';
import { http, matchesSchema, startServer } from '../helpers';
import { CLIENTS, SOURCE_ID, TENANT_1, claimsOf, getToken, sailpoint, tokenForm } from './sp';

const REQUEST_ID = /^[0-9a-f]{32}$/;

function multipart(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}

const credentials = { grant_type: 'client_credentials', client_id: CLIENTS.admin.id, client_secret: CLIENTS.admin.secret };

t.test('multipart/form-data, x-www-form-urlencoded and the query string each get a working token', async (t) => {
  const server = await startServer(t);
  const encodings: Array<[string, () => Promise<Awaited<ReturnType<typeof http>>>]> = [
    ['multipart/form-data', () => http(`${server.url}/oauth/token`, { method: 'POST', body: multipart(credentials) })],
    ['x-www-form-urlencoded', () => http(`${server.url}/oauth/token`, { method: 'POST', body: new URLSearchParams(credentials) })],
    ['query string', () => http(`${server.url}/oauth/token?${new URLSearchParams(credentials)}`, { method: 'POST' })],
  ];
  for (const [name, request] of encodings) {
    const res = await request();
    t.equal(res.status, 200, `${name}: 200`);
    matchesSchema(t, 'sailpoint/token-response.json', res.json, `${name}: token response shape`);
    t.equal(res.json.token_type, 'bearer');
    t.equal(res.json.expires_in, 749, `${name}: the default lifetime`);
    t.equal(res.json.scope, 'sp:scopes:all');
    t.equal(res.json.tenant_id, TENANT_1);
    t.equal(res.json.org, 'example');
    t.match(res.headers.get('slpt-request-id'), REQUEST_ID, `${name}: SLPT-Request-ID`);
    t.equal(res.headers.get('cache-control'), 'no-store');
    const got = await sailpoint(server.url, res.json.access_token).get();
    t.equal(got.status, 200, `${name}: the token is accepted`);
  }
});

t.test('form fields win over query parameters', async (t) => {
  const server = await startServer(t);
  const res = await http(`${server.url}/oauth/token?client_secret=wrong`, { method: 'POST', body: new URLSearchParams(credentials) });
  t.equal(res.status, 200);
});

t.test('the access token is an HS256 JWT with SailPoint\'s claims', async (t) => {
  const server = await startServer(t);
  server.context.clock.freeze(new Date('2026-06-01T12:00:00Z'));
  const res = await http(`${server.url}/oauth/token`, { method: 'POST', body: tokenForm(CLIENTS.helpdesk.id, CLIENTS.helpdesk.secret) });
  const token = res.json.access_token as string;
  t.same(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
  const claims = claimsOf(token);
  matchesSchema(t, 'sailpoint/access-token-claims.json', claims);
  t.equal(claims.tenant_id, TENANT_1);
  t.equal(claims.client_id, CLIENTS.helpdesk.id);
  t.same(claims.authorities, ['HELPDESK']);
  t.same(claims.scope, ['sp:scopes:all']);
  t.equal(claims.jti, res.json.jti, 'jti in the token and the response agree');
  t.equal(claims.iat, Date.parse('2026-06-01T12:00:00Z') / 1000, 'iat is the server clock');
  t.equal(claims.exp - claims.iat, 749, 'exp is iat + expires_in');
  t.equal(claims.identity_id, res.json.identity_id);
  const again = await getToken(server.url, CLIENTS.helpdesk);
  t.not(claimsOf(again).jti, claims.jti, 'every token has its own jti');
});

t.test('a token expires when the server clock passes exp (no sleeping)', async (t) => {
  const server = await startServer(t, { sailpoint: { tokenTtlSeconds: 60 } });
  // On a whole second: exp is in whole seconds, so a running clock could pass it a fraction early.
  server.context.clock.freeze(new Date('2026-06-01T12:00:00Z'));
  const token = await getToken(server.url, CLIENTS.admin);
  const api = sailpoint(server.url, token);
  t.equal((await api.get()).status, 200);
  server.context.clock.advance(59);
  t.equal((await api.get()).status, 200, 'still valid one second before exp');
  server.context.clock.advance(2);
  const res = await api.get();
  t.equal(res.status, 401);
  t.same(res.json, { error: 'JWT validation failed: JWT is expired' });
  matchesSchema(t, 'sailpoint/gateway-error.json', res.json);
  t.equal((await sailpoint(server.url, await getToken(server.url, CLIENTS.admin)).get()).status, 200, 'a new token works');
});

t.test('tampered, foreign, unsigned and malformed tokens are refused with 401', async (t) => {
  const server = await startServer(t);
  const token = await getToken(server.url, CLIENTS.helpdesk);
  const [header, payload, signature] = token.split('.');
  const promoted = Buffer.from(JSON.stringify({ ...claimsOf(token), authorities: ['ORG_ADMIN'] })).toString('base64url');
  const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
  const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
  const other = await startServer(t, { sailpoint: { jwtSecret: 'another-server' } });
  const foreign = await getToken(other.url, CLIENTS.helpdesk);
  const cases: Array<[string, Record<string, string>, string]> = [
    ['no Authorization header', {}, 'JWT is required'],
    ['a Basic credential', { authorization: 'Basic dXNlcjpwYXNz' }, 'JWT is required'],
    ['Bearer without a token', { authorization: 'Bearer ' }, 'JWT is required'],
    ['a changed signature', { authorization: `Bearer ${header}.${payload}.${flipped}` }, 'JWT validation failed: JWT signature does not match'],
    ['a changed payload', { authorization: `Bearer ${header}.${promoted}.${signature}` }, 'JWT validation failed: JWT signature does not match'],
    ['another server\'s token', { authorization: `Bearer ${foreign}` }, 'JWT validation failed: JWT signature does not match'],
    ['alg none', { authorization: `Bearer ${unsigned}` }, 'JWT validation failed: JWT signature does not match'],
    ['not a JWT', { authorization: 'Bearer not-a-jwt' }, 'JWT validation failed: JWT is malformed'],
  ];
  for (const [name, headers, error] of cases) {
    const res = await http(`${server.url}/beta/sources/${SOURCE_ID}/attribute-sync-config`, { headers });
    t.equal(res.status, 401, `${name}: 401`);
    t.same(res.json, { error }, `${name}: ${error}`);
    matchesSchema(t, 'sailpoint/gateway-error.json', res.json, `${name}: {error} shape`);
    t.match(res.headers.get('slpt-request-id'), REQUEST_ID);
  }
  t.equal((await sailpoint(server.url, `${header}.${payload}.${signature}`).get()).status, 200, 'the untouched token still works');
});

t.test('a configured jwtSecret makes tokens valid across servers (restarts)', async (t) => {
  const first = await startServer(t, { sailpoint: { jwtSecret: 'shared-secret' } });
  const second = await startServer(t, { sailpoint: { jwtSecret: 'shared-secret' } });
  const token = await getToken(first.url, CLIENTS.admin);
  t.equal((await sailpoint(second.url, token).get()).status, 200);
});

t.test('token endpoint errors are OAuth-shaped', async (t) => {
  const server = await startServer(t);
  const post = (body?: BodyInit, query = '', headers: Record<string, string> = {}) =>
    http(`${server.url}/oauth/token${query}`, { method: 'POST', body, headers });
  const form = (fields: Record<string, string>) => new URLSearchParams(fields);
  const cases: Array<[string, () => ReturnType<typeof post>, number, string, RegExp]> = [
    ['no parameters at all', () => post(), 401, 'invalid_client', /Full authentication is required/],
    ['no client_secret', () => post(form({ grant_type: 'client_credentials', client_id: 'someone' })), 401, 'invalid_client', /Full authentication/],
    ['an empty client_secret', () => post(form({ ...credentials, client_secret: '' })), 401, 'invalid_client', /Full authentication/],
    ['no client_id (multipart)', () => post(multipart({ grant_type: 'client_credentials', client_secret: 'x' })), 401, 'invalid_client', /Full authentication/],
    ['a seeded client with a wrong secret', () => post(form({ ...credentials, client_secret: 'wrong' })), 401, 'invalid_client', /Bad client credentials/],
    ['no grant_type', () => post(form({ client_id: CLIENTS.admin.id, client_secret: CLIENTS.admin.secret })), 400, 'invalid_request', /Missing grant type/],
    ['grant_type=password', () => post(form({ ...credentials, grant_type: 'password' })), 400, 'unsupported_grant_type', /Unsupported grant type: password/],
    ['grant_type=refresh_token (query)', () => post(undefined, `?${form({ ...credentials, grant_type: 'refresh_token' })}`), 400, 'unsupported_grant_type', /refresh_token/],
    ['a repeated client_id', () => post(undefined, `?${form(credentials)}&client_id=again`), 400, 'invalid_request', /client_id' must be string/],
    ['a JSON body', () => post(JSON.stringify(credentials), '', { 'content-type': 'application/json' }), 415, 'invalid_request', /multipart\/form-data/],
    ['a text body', () => post('grant_type=client_credentials', '', { 'content-type': 'text/plain' }), 415, 'invalid_request', /Unsupported Media Type/],
  ];
  for (const [name, request, status, error, description] of cases) {
    const res = await request();
    t.equal(res.status, status, `${name}: ${status}`);
    matchesSchema(t, 'sailpoint/oauth-error.json', res.json, `${name}: OAuth error shape`);
    t.equal(res.json?.error, error, `${name}: ${error}`);
    t.match(res.json?.error_description, description, `${name}: description`);
    t.match(res.headers.get('slpt-request-id'), REQUEST_ID, `${name}: SLPT-Request-ID`);
    t.equal(res.headers.get('cache-control'), 'no-store', `${name}: not cached`);
  }
  const wrongMethod = await http(`${server.url}/oauth/token`);
  t.equal(wrongMethod.status, 404, 'GET /oauth/token is not a route');
  matchesSchema(t, 'sailpoint/error-response-dto.json', wrongMethod.json);
});

t.test('open mode: any client id with a secret is an org admin in a tenant derived from the client id', async (t) => {
  const server = await startServer(t);
  const first = claimsOf(await getToken(server.url, { id: 'my-ci-client', secret: 'anything' }));
  const second = claimsOf(await getToken(server.url, { id: 'my-ci-client', secret: 'something else' }));
  const other = claimsOf(await getToken(server.url, { id: 'another-client', secret: 'anything' }));
  t.same(first.authorities, ['ORG_ADMIN']);
  t.same(first.scope, ['sp:scopes:all']);
  t.match(first.tenant_id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  t.equal(second.tenant_id, first.tenant_id, 'the same client id, the same tenant');
  t.not(other.tenant_id, first.tenant_id, 'another client id, another tenant');
  t.not(first.tenant_id, TENANT_1);
  const restarted = await startServer(t);
  t.equal(claimsOf(await getToken(restarted.url, { id: 'my-ci-client', secret: 'x' })).tenant_id, first.tenant_id, 'stable across servers');
});

t.test('strict mode: only seeded clients get tokens', async (t) => {
  const server = await startServer(t, { auth: 'strict' });
  const unknown = await http(`${server.url}/oauth/token`, { method: 'POST', body: tokenForm('my-ci-client', 'anything') });
  t.equal(unknown.status, 401);
  t.same(unknown.json, { error: 'invalid_client', error_description: 'Bad client credentials' });
  const seeded = await http(`${server.url}/oauth/token`, { method: 'POST', body: tokenForm(CLIENTS.admin.id, CLIENTS.admin.secret) });
  t.equal(seeded.status, 200);
  const wrong = await http(`${server.url}/oauth/token`, { method: 'POST', body: tokenForm(CLIENTS.admin.id, 'wrong') });
  t.equal(wrong.status, 401);
});

t.test('client secrets and tokens never reach the logs', async (t) => {
  const server = await startServer(t);
  const secrets = [CLIENTS.admin.secret, 'open-mode-secret-123', 'query-string-secret-456'];
  const tokens: string[] = [];
  const viaMultipart = await http(`${server.url}/oauth/token`, { method: 'POST', body: multipart(credentials) });
  const viaForm = await http(`${server.url}/oauth/token`, { method: 'POST', body: tokenForm('open-client', 'open-mode-secret-123') });
  const viaQuery = await http(`${server.url}/oauth/token?${tokenForm('query-client', 'query-string-secret-456')}`, { method: 'POST' });
  const refused = await http(`${server.url}/oauth/token?${tokenForm(CLIENTS.admin.id, 'wrong-secret-789')}`, { method: 'POST' });
  t.equal(refused.status, 401);
  secrets.push('wrong-secret-789');
  for (const res of [viaMultipart, viaForm, viaQuery]) {
    t.equal(res.status, 200);
    tokens.push(res.json.access_token);
  }
  for (const token of tokens) {
    await sailpoint(server.url, token).get();
    await sailpoint(server.url, `${token}x`).get();
  }
  const logs = server.logs();
  t.match(logs, /\/oauth\/token\?/, 'the query-string request was logged');
  t.match(logs, /client_secret=%5Bredacted%5D/, 'with its secret redacted');
  for (const secret of secrets) t.notOk(logs.includes(secret), `secret ${secret.slice(0, 6)}… is not in the logs`);
  for (const token of tokens) {
    t.notOk(logs.includes(token.split('.')[2]), 'no token signature in the logs');
    t.notOk(logs.includes(token.split('.')[1]), 'no token payload in the logs');
  }
  t.notMatch(logs, /Bearer/i);
});

t.test('a correctly signed token without SailPoint\'s claims is refused', async (t) => {
  const server = await startServer(t, { sailpoint: { jwtSecret: 'known-secret' } });
  const sign = createSigner({ key: 'known-secret', algorithm: 'HS256', expiresIn: 60_000 });
  const claims = { tenant_id: TENANT_1, client_id: 'c', authorities: ['ORG_ADMIN'], scope: ['sp:scopes:all'], jti: 'j' };
  const cases: Array<[string, Record<string, unknown>]> = [
    ['no tenant_id', { ...claims, tenant_id: undefined }],
    ['scope as a string', { ...claims, scope: 'sp:scopes:all' }],
    ['authorities with a number', { ...claims, authorities: [1] }],
  ];
  for (const [name, payload] of cases) {
    const res = await sailpoint(server.url, sign(payload)).get();
    t.equal(res.status, 401, `${name}: 401`);
    t.same(res.json, { error: 'JWT validation failed: JWT claims are invalid' }, name);
  }
  t.equal((await sailpoint(server.url, sign(claims)).get()).status, 200, 'with the claims it is accepted');
});
