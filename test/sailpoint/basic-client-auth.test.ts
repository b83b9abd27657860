// HTTP Basic client authentication at POST /oauth/token (RFC 6749 §2.3.1), sent the way Swagger UI's
// Authorize dialog, Postman and golang.org/x/oauth2 send it; Basic and parameters together; wrong secrets;
// open and strict mode; and the sail CLI's split request (grant_type in the query, the client in the body).
// Malformed Basic values and other schemes: test/e2e/in-process/authorization-bad-input.test.ts.
import t from 'tap';
import { tenantIdForClient } from '../../src/sailpoint/clients';
import { http, matchesSchema, startServer, type TestServer } from '../helpers';
import { CLIENTS, TENANT_1, TENANT_2, claimsOf, sailpoint } from './sp';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const token = (server: TestServer, authorization: string | undefined, body?: BodyInit, query = '') =>
  http(`${server.url}/oauth/token${query}`, { method: 'POST', headers: authorization ? { authorization } : {}, body });
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

t.test('Swagger UI\'s and Postman\'s token requests: Basic, with grant_type (and scope) in the body', async (t) => {
  const server = await startServer(t);
  const swaggerUi = await http(`${server.url}/oauth/token`, {
    method: 'POST',
    // What its Authorize dialog sends for the clientCredentials flow (swagger-ui-bundle.js, authorizeApplication).
    headers: { authorization: basic(CLIENTS.admin.id, CLIENTS.admin.secret), 'content-type': 'application/x-www-form-urlencoded', 'x-requested-with': 'XMLHttpRequest' },
    body: 'grant_type=client_credentials&scope=sp%3Ascopes%3Aall',
  });
  t.equal(swaggerUi.status, 200, 'Swagger UI');
  matchesSchema(t, 'sailpoint/token-response.json', swaggerUi.json);
  t.equal(swaggerUi.json.tenant_id, TENANT_1);
  t.equal((await sailpoint(server.url, swaggerUi.json.access_token).get()).status, 200, 'the token works');

  const postmanForm = await token(server, basic(CLIENTS.admin2.id, CLIENTS.admin2.secret), form({ grant_type: 'client_credentials' }));
  t.equal(postmanForm.status, 200, 'Postman, x-www-form-urlencoded');
  t.equal(claimsOf(postmanForm.json.access_token).tenant_id, TENANT_2, 'the Basic client\'s tenant');
  const multipart = new FormData();
  multipart.set('grant_type', 'client_credentials');
  t.equal((await token(server, basic(CLIENTS.helpdesk.id, CLIENTS.helpdesk.secret), multipart)).status, 200, 'multipart/form-data');
  t.equal((await token(server, basic(CLIENTS.admin.id, CLIENTS.admin.secret), undefined, '?grant_type=client_credentials')).status, 200, 'grant_type in the query');
  t.equal((await token(server, `bAsIc   ${basic(CLIENTS.admin.id, CLIENTS.admin.secret).slice(6)}`, form({ grant_type: 'client_credentials' }))).status, 200,
    'the scheme in any case, with extra spaces');
});

t.test('Basic and parameters: the same client is fine, different ones are 400 invalid_request', async (t) => {
  const server = await startServer(t);
  const auth = basic(CLIENTS.admin.id, CLIENTS.admin.secret);
  const agreeing = await token(server, auth, form({ grant_type: 'client_credentials', client_id: CLIENTS.admin.id, client_secret: CLIENTS.admin.secret }));
  t.equal(agreeing.status, 200, 'both, agreeing');
  const cases: Array<[string, BodyInit | undefined, string]> = [
    ['another client_id in the body', form({ grant_type: 'client_credentials', client_id: CLIENTS.helpdesk.id }), ''],
    ['another client_secret in the body', form({ grant_type: 'client_credentials', client_secret: 'something-else' }), ''],
    ['another client_secret in the query', form({ grant_type: 'client_credentials' }), `?client_secret=${CLIENTS.helpdesk.secret}`],
  ];
  for (const [name, body, query] of cases) {
    const res = await token(server, auth, body, query);
    t.equal(res.status, 400, `${name}: 400`);
    matchesSchema(t, 'sailpoint/oauth-error.json', res.json);
    t.same(res.json, { error: 'invalid_request', error_description: 'The client credentials in the Authorization header and in the request parameters differ' });
    t.equal(res.headers.get('www-authenticate'), null, `${name}: not an authentication failure`);
  }
});

t.test('a wrong secret in Basic is 401 invalid_client with a Basic challenge; open and strict mode as for body credentials', async (t) => {
  const server = await startServer(t);
  const wrong = await token(server, basic(CLIENTS.admin.id, 'wrong-secret'), form({ grant_type: 'client_credentials' }));
  t.equal(wrong.status, 401);
  t.same(wrong.json, { error: 'invalid_client', error_description: 'Bad client credentials' });
  t.equal(wrong.headers.get('www-authenticate'), 'Basic realm="SailPoint"');
  const noSecret = await token(server, basic(CLIENTS.admin.id, ''), form({ grant_type: 'client_credentials' }));
  t.equal(noSecret.status, 401);
  t.match(noSecret.json.error_description, /Full authentication is required/);
  const noGrant = await token(server, basic(CLIENTS.admin.id, CLIENTS.admin.secret), form({}));
  t.same([noGrant.status, noGrant.json.error], [400, 'invalid_request'], 'the client is authenticated first, then the grant is read');

  // Split at the first colon; taken as sent, not form-decoded (what Swagger UI and Postman send).
  const open = await token(server, basic('ci+client%41', 'se:cr:et'), form({ grant_type: 'client_credentials' }));
  t.equal(open.status, 200, 'open mode: any client with a secret');
  t.equal(claimsOf(open.json.access_token).tenant_id, tenantIdForClient('ci+client%41'), 'the id as sent, up to the first colon');

  const strict = await startServer(t, { auth: 'strict' });
  t.equal((await token(strict, basic('ci-client', 'anything'), form({ grant_type: 'client_credentials' }))).status, 401, 'strict: unknown client');
  t.equal((await token(strict, basic(CLIENTS.admin.id, CLIENTS.admin.secret), form({ grant_type: 'client_credentials' }))).status, 200, 'strict: seeded client');
});

t.test('the sail CLI\'s PAT mode: grant_type in the query, client_id and client_secret in a form body', async (t) => {
  const server = await startServer(t);
  const res = await token(server, undefined, form({ client_id: CLIENTS.admin.id, client_secret: CLIENTS.admin.secret }), '?grant_type=client_credentials');
  t.equal(res.status, 200);
  t.equal((await sailpoint(server.url, res.json.access_token).get()).status, 200);
});
