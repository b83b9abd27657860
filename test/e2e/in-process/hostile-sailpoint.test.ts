// Thousands of hostile requests over HTTP against the SailPoint routes (fast-check, fixed seed): the token
// endpoint in every encoding, GET and PUT attribute-sync-config in every API version (and /sources/v1) with
// hostile tokens, headers, ids and bodies. Never a 5xx, every error in one of SailPoint's documented shapes
// (ErrorResponseDto, the gateway's {error}, 429's {message}, OAuth's {error, error_description}), a refusal
// leaves every table unchanged.
import fc from 'fast-check';
import t from 'tap';
import { http, schemaValidator } from '../../helpers';
import { startServerWithStore } from '../../store-reader';
import {
  HostileHarness, assertProperty, hostileContentType, hostileExtraHeaders, hostileHeaderValue, hostileId, hostileJsonBody,
  hostileQuery, hostileString, type Expectations,
} from '../hostile';
import { SAILPOINT_ADMIN, SAILPOINT_SOURCE_ID, SAILPOINT_VERSIONS, attrSyncPath, sailpointHeaders, sailpointToken } from '../surfaces';

const RUNS = Number(process.env.SYNCMOCK_FUZZ_RUNS ?? 300);
const OTHER_SEEDED_SOURCE = '2c9180835d191a86015d28455b4a2329';

/** Any of SailPoint's documented error shapes (schemas/sailpoint/). */
function sailpointErrorShape(): Expectations['errorBody'] {
  const shapes = ['error-response-dto', 'gateway-error', 'rate-limit-response', 'oauth-error'].map((name) => schemaValidator(`sailpoint/${name}.json`));
  return (body) => (shapes.some((validate) => validate(body)) ? undefined : `matches none of SailPoint's error shapes: ${JSON.stringify(body)?.slice(0, 200)}`);
}

const multipart = (fields: Array<[string, string]>, boundary: string, close: boolean): string =>
  fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') + (close ? `--${boundary}--\r\n` : '');

t.test('hostile requests to the SailPoint routes', async (t) => {
  const { server, store } = await startServerWithStore(t, {
    logLevel: 'warn',
    sailpoint: { rateLimit: { limit: 1_000_000, periodSeconds: 10 } },
  });
  const token = await sailpointToken(server.url);
  const errorBody = sailpointErrorShape();
  const tokenShape = schemaValidator('sailpoint/token-response.json');
  const configShape = schemaValidator('sailpoint/attr-sync-source-config-response.json');
  const current = await http(`${server.url}${attrSyncPath()}`, { headers: sailpointHeaders(token) });
  t.equal(current.status, 200, 'the seeded source reads');
  // Both seed tenants exist before the fuzz starts (see REGISTRIES in hostile.ts).
  const secondTenant = await http(`${server.url}${attrSyncPath()}`, { headers: sailpointHeaders(await sailpointToken(server.url, 'syncmock-org-admin-2', 'syncmock-org-admin-2-secret')) });
  t.equal(secondTenant.status, 200, 'the second tenant reads');
  const harness = new HostileHarness(server.url, store);
  t.teardown(() => harness.close());

  // The token endpoint: the three encodings the vendor accepts, JSON, and garbage; fields hostile or right.
  const field = (right: string) => fc.oneof({ weight: 3, arbitrary: fc.constant(right) }, { weight: 2, arbitrary: hostileString });
  const fields = fc.tuple(field('client_credentials'), field(SAILPOINT_ADMIN.clientId), field(SAILPOINT_ADMIN.clientSecret),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom('grant_type', 'client_id', 'client_secret', 'scope', '__proto__'), hostileString), hostileString), { maxLength: 2 }))
    .map(([grant, id, secret, extra]): Array<[string, string]> => [['grant_type', grant], ['client_id', id], ['client_secret', secret], ...extra]);
  const tokenRequest = fc.record({
    fields,
    encoding: fc.constantFrom('urlencoded', 'multipart', 'multipart-unclosed', 'query', 'json', 'raw'),
    raw: fc.string({ maxLength: 200 }),
    contentType: hostileContentType,
    extra: hostileExtraHeaders,
  }).map(({ fields: f, encoding, raw, contentType, extra }) => {
    const form = new URLSearchParams(f).toString();
    switch (encoding) {
      case 'urlencoded': return { url: '/oauth/token', headers: { ...extra, 'content-type': 'application/x-www-form-urlencoded' }, payload: form };
      case 'multipart':
      case 'multipart-unclosed':
        return { url: '/oauth/token', headers: { ...extra, 'content-type': 'multipart/form-data; boundary=xYzZY' }, payload: multipart(f, 'xYzZY', encoding === 'multipart') };
      case 'query': return { url: `/oauth/token?${form}`, headers: extra, payload: undefined };
      case 'json': return { url: '/oauth/token', headers: { ...extra, 'content-type': 'application/json' }, payload: JSON.stringify(Object.fromEntries(f)) };
      default: return { url: '/oauth/token', headers: { ...extra, 'content-type': contentType }, payload: raw };
    }
  });
  const tokenExpect: Expectations = {
    errorBody,
    successBody: (body) => (tokenShape(body) ? undefined : `does not match sailpoint/token-response.json: ${JSON.stringify(tokenShape.errors)}`),
  };
  await assertProperty(t, 'POST /oauth/token', fc.asyncProperty(tokenRequest, async (r) => {
    await harness.check({ method: 'POST', url: r.url, headers: r.headers, payload: r.payload }, tokenExpect);
  }), RUNS, harness);

  // GET and PUT attribute-sync-config: mostly a good token and header (so bodies are judged), else hostile.
  const authorization = fc.oneof(
    { weight: 6, arbitrary: fc.constant(`Bearer ${token}`) },
    { weight: 1, arbitrary: fc.constantFrom('', 'Bearer', `Bearer ${token}x`, `Bearer ${token.split('.').slice(0, 2).join('.')}.`, `bearer  ${token}`, `Basic ${token}`) },
    { weight: 1, arbitrary: hostileHeaderValue },
  );
  const experimental = fc.oneof({ weight: 6, arbitrary: fc.constant('true') }, { weight: 1, arbitrary: hostileHeaderValue });
  const configExpect: Expectations = {
    errorBody,
    successBody: (body) => (configShape(body) ? undefined : `does not match the config schema: ${JSON.stringify(configShape.errors)}`),
  };
  const pathOf = (id: string, version: string) => (version === 'sources/v1' ? `/sources/v1/${id}/attribute-sync-config` : attrSyncPath(id, version));
  for (const method of ['GET', 'PUT'] as const) {
    const request = fc.record({
      version: fc.constantFrom(...SAILPOINT_VERSIONS, 'sources/v1'),
      id: hostileId([SAILPOINT_SOURCE_ID, SAILPOINT_SOURCE_ID, OTHER_SEEDED_SOURCE]),
      query: hostileQuery(['limit', 'offset'], ['1', '-1']),
      authorization,
      experimental,
      extra: hostileExtraHeaders,
      contentType: hostileContentType,
      body: method === 'PUT' ? hostileJsonBody(current.json) : fc.constant(undefined),
    });
    await assertProperty(t, `${method} attribute-sync-config`, fc.asyncProperty(request, async (r) => {
      const headers: Record<string, string> = { ...r.extra, authorization: r.authorization, 'x-sailpoint-experimental': r.experimental };
      if (method === 'PUT') headers['content-type'] = r.contentType;
      await harness.check({ method, url: `${pathOf(r.id, r.version)}${r.query}`, headers, payload: r.body }, configExpect);
    }), RUNS, harness);
  }

  t.comment(`${harness.requests} requests in all`);
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was not polluted');
  t.equal((await http(`${server.url}/__admin/health`)).status, 200, 'healthy afterwards');
  const after = await http(`${server.url}${attrSyncPath()}`, { headers: sailpointHeaders(await sailpointToken(server.url)) });
  t.equal(after.status, 200, 'and still serving');
  t.notMatch(server.logs(), /"level":50/, 'no error was logged');
});
