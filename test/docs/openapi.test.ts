import nodeHttp from 'node:http';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { RouteOptions } from 'fastify';
import t, { type Test } from 'tap';
import { documentOf, type OpenApiDocument } from '../../src/docs/openapi';
import { DATADOG_REVISIONS, routeRevision } from '../../src/datadog/revision';
import { CONTROL_PREFIX } from '../../src/control/routes';
import { OPENAPI_PREFIX, UI_PREFIX } from '../../src/docs/openapi';
import { ownsPath } from '../../src/platform/vendor-scope';
import { VENDORS } from '../../src/vendors';
import { http, startRecordingRoutes, startServer } from '../helpers';

/** The API surfaces with a document each (Datadog's is the default revision's). */
const DOCUMENTED_SURFACES = ['datadog', 'sailpoint', 'control'] as const;
type DocumentedSurface = (typeof DOCUMENTED_SURFACES)[number];

/** The document a route path belongs in by its surface; 'docs' for Swagger UI's own. */
function surfaceName(path: string): string {
  const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  if (under(CONTROL_PREFIX)) return 'control';
  if (under(OPENAPI_PREFIX) || under(UI_PREFIX)) return 'docs';
  return VENDORS.find((v) => ownsPath(v, path))?.name ?? 'none';
}

const DATADOG = '/api/v2/security_monitoring/configuration/integration_config';

/** The OpenAPI path of a route: `{param}` and no trailing slash (a prefix's '/' answers both ways). */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/(.)\/$/, '$1');

async function fetchDocuments(url: string): Promise<Record<DocumentedSurface, OpenApiDocument>> {
  const docs = {} as Record<DocumentedSurface, OpenApiDocument>;
  for (const surface of DOCUMENTED_SURFACES) {
    const res = await http(`${url}/openapi/${surface}.json`);
    if (res.status !== 200) throw new Error(`GET /openapi/${surface}.json answered ${res.status}`);
    docs[surface] = res.json;
  }
  return docs;
}

t.test('each document is a valid OpenAPI 3.1 document served as JSON', async (t) => {
  const server = await startServer(t);
  for (const surface of DOCUMENTED_SURFACES) {
    const res = await http(`${server.url}/openapi/${surface}.json`);
    t.equal(res.status, 200, surface);
    t.match(res.headers.get('content-type'), /^application\/json/);
    t.equal(res.json.openapi, '3.1.0');
    t.same(res.json.servers, [{ url: server.url, description: 'this syncmock server' }], 'the server entry is this server');
    // validate() dereferences in place: give it a copy.
    await t.resolves(SwaggerParser.validate(structuredClone(res.json)), `${surface} document validates`);
  }  for (const revision of DATADOG_REVISIONS) {
    const res = await http(`${server.url}/openapi/datadog-${revision}.json`);
    t.equal(res.status, 200, revision);
    await t.resolves(SwaggerParser.validate(structuredClone(res.json)), `the Datadog ${revision} document validates`);
  }
});

t.test('shared schemas are components the documents refer to, named, and every $ref resolves', async (t) => {
  for (const rejectUnknownFields of [false, true]) {
    const server = await startServer(t, { rejectUnknownFields });
    for (const name of [...DATADOG_REVISIONS.map((r) => `datadog-${r}`), 'sailpoint', 'control']) {
      const doc = (await http(`${server.url}/openapi/${name}.json`)).json as OpenApiDocument;
      await t.resolves(SwaggerParser.validate(structuredClone(doc)), `${name} validates (rejectUnknownFields: ${rejectUnknownFields})`);
      const refs = new Set<string>();
      const walk = (node: unknown): void => {
        if (node === null || typeof node !== 'object') return;
        const ref = (node as { $ref?: unknown }).$ref;
        if (typeof ref === 'string') refs.add(ref);
        Object.values(node).forEach(walk);
      };
      walk(doc);
      const components = doc.components?.schemas ?? {};
      const dangling = [...refs].filter((ref) => !(ref.startsWith('#/components/schemas/') && ref.slice('#/components/schemas/'.length) in components));
      t.same(dangling, [], `${name}: every $ref names a component`);
      t.same(Object.keys(components).filter((c) => !refs.has(`#/components/schemas/${c}`)), [], `${name}: every component is referred to`);
      t.notOk(Object.keys(components).some((c) => c.startsWith('def-')), `${name}: components are named, not numbered`);
    }
  }
  const server = await startServer(t);
  const dd = (await http(`${server.url}/openapi/datadog-2026-08.json`)).json as OpenApiDocument;
  for (const c of ['datadog-IntegrationType', 'datadog-OktaSecrets', 'APIErrorResponse', 'SecurityMonitoringIntegrationConfigResponse']) {
    t.ok(c in (dd.components?.schemas ?? {}), `the 2026-08 document has ${c}`);
  }
  const control = (await http(`${server.url}/openapi/control.json`)).json as OpenApiDocument;
  t.same((control.components?.schemas?.['control-Vendor'] as { enum?: unknown }).enum, VENDORS.map((v) => v.name), 'the vendor names come from the registry');
});

t.test('the documents list every route syncmock serves, each in the right one', async (t) => {
  const { url, routes } = await startRecordingRoutes(t, { logLevel: 'silent' });
  const docs: Record<string, OpenApiDocument> = { ...(await fetchDocuments(url)) };
  for (const revision of DATADOG_REVISIONS) docs[`datadog-${revision}`] = (await http(`${url}/openapi/datadog-${revision}.json`)).json;
  // Where a route belongs: its surface's document, and for Datadog the document of the route's revision.
  const documentFor = (surface: string, route: RouteOptions) =>
    (surface === 'datadog' ? `datadog-${routeRevision(route)}` : surface);
  const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
  const served = new Map<string, Set<string>>();
  for (const route of routes) {
    // Hidden: Swagger UI's files, the documents themselves, CORS preflight, catch-all 404s.
    if ((route.schema as { hide?: boolean } | undefined)?.hide) continue;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const path = openApiPath(route.url);
      const surface = surfaceName(path);
      t.not(surface, 'docs', `${key(method, path)} is an API route, not part of the docs`);
      t.not(surface, 'none', `${key(method, path)} belongs to a vendor or the control API`);
      if (surface === 'docs') continue;
      const doc = documentFor(surface, route);
      if (!served.has(doc)) served.set(doc, new Set());
      served.get(doc)!.add(key(method, path));
    }
  }
  t.ok(served.get('datadog-2026-06')?.has(`POST ${DATADOG}`), 'routes were recorded (Datadog create is one)');
  t.ok(served.get('datadog-2026-08')?.has(`POST ${DATADOG}/{integration_type}/activate`), 'activate is a 2026-08 route');
  t.ok(served.get('control')?.has('GET /__admin/health'), 'routes were recorded (health is one)');
  t.same(Object.keys(docs.datadog.paths), Object.keys(docs['datadog-2026-06'].paths), 'datadog.json is the default revision\'s');

  for (const [name, doc] of Object.entries(docs)) {
    if (name === 'datadog') continue;
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => key(m, path))));
    t.same([...documented].sort(), [...(served.get(name) ?? [])].sort(), `${name} documents exactly the routes it serves`);
  }
});

t.test('operations carry their ids, and each document only its own tags', async (t) => {
  const server = await startServer(t);
  const docs = await fetchDocuments(server.url);
  const ops = Object.values(docs.datadog.paths).flatMap((item) => Object.values(item));
  t.ok(ops.length >= 7, 'the seven Datadog operations');
  t.ok(ops.every((op) => typeof op.operationId === 'string'), 'each with an operationId');
  t.ok(ops.some((op) => op.operationId === 'CreateSecurityMonitoringIntegrationConfig'));
  for (const surface of DOCUMENTED_SURFACES) {
    const used = new Set(Object.values(docs[surface].paths).flatMap((item) => Object.values(item).flatMap((op) => op.tags ?? [])));
    t.same(docs[surface].tags?.map((tag) => tag.name), [...used].sort(), `${surface} lists exactly the tags it uses`);
    const ids = Object.values(docs[surface].paths).flatMap((item) => Object.values(item).map((op) => op.operationId)).filter(Boolean);
    t.equal(new Set(ids).size, ids.length, `${surface} operationIds are unique`);
  }
});

t.test('security: Datadog key headers or a bearer token, SailPoint client credentials or bearer, nothing on the control API', async (t) => {
  const server = await startServer(t);
  const docs = await fetchDocuments(server.url);
  t.same(Object.keys(docs.datadog.components?.securitySchemes ?? {}), ['apiKeyAuth', 'appKeyAuth', 'AuthZ'], 'Datadog\'s own scheme names, no other surface\'s');
  t.match(docs.datadog.components?.securitySchemes, {
    apiKeyAuth: { type: 'apiKey', in: 'header', name: 'DD-API-KEY' },
    appKeyAuth: { type: 'apiKey', in: 'header', name: 'DD-APPLICATION-KEY' },
    AuthZ: { type: 'http', scheme: 'bearer' },
  });
  t.same(docs.datadog.security, [{ apiKeyAuth: [], appKeyAuth: [] }, { AuthZ: [] }], 'both keys, or a bearer token');
  // Each operation as in Datadog's spec: the key pair, or AuthZ with the operation's scope.
  const scopes = Object.values(docs.datadog.paths).flatMap((item) => Object.entries(item).map(([method, op]) => [method, op.operationId, op.security]));
  t.ok(scopes.length >= 7);
  for (const [method, id, security] of scopes) {
    const scope = method === 'get' || /^Validate/.test(String(id)) ? 'integrations_read' : 'manage_integrations';
    t.same(security, [{ apiKeyAuth: [], appKeyAuth: [] }, { AuthZ: [scope] }], `${id}: ${scope}`);
  }
  t.same(Object.keys(docs.sailpoint.components?.securitySchemes ?? {}), ['userAuth', 'bearerAuth', 'clientBasicAuth']);
  t.match(docs.sailpoint.components?.securitySchemes, {
    userAuth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: `${server.url}/oauth/token` } } },
    bearerAuth: { type: 'http', scheme: 'bearer' },
    clientBasicAuth: { type: 'http', scheme: 'basic' },
  });
  t.same(docs.sailpoint.security, [{ userAuth: [] }, { bearerAuth: [] }]);
  t.same(docs.sailpoint.paths['/oauth/token'].post.security, [{}, { clientBasicAuth: [] }], 'the token endpoint: Basic, or credentials in the body');
  t.same(docs.control.security, []);
  t.same(docs.control.components?.securitySchemes, {});
});

t.test('the server entry follows the Host the document was fetched through', async (t) => {
  const server = await startServer(t, { allowedHosts: ['syncmock.test'] });
  // fetch() will not send a Host of its own choosing; node:http will, as a reverse proxy would.
  const body = await new Promise<string>((resolve, reject) => {
    nodeHttp.get(`${server.url}/openapi/datadog.json`, { headers: { host: 'syncmock.test:9999' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve(text));
    }).on('error', reject);
  });
  t.same(JSON.parse(body).servers, [{ url: 'http://syncmock.test:9999', description: 'this syncmock server' }]);
});

t.test('a document keeps its collector\'s paths and the schemas they refer to, and leaves public operations without security', async (t) => {
  const op = (tag: string) => ({ tags: [tag], responses: { 200: { description: 'OK' } } });
  const full: OpenApiDocument = {
    openapi: '3.1.0',
    info: { title: 'all', version: '1' },
    paths: {
      '/oauth/token': { post: { ...op('SailPoint OAuth'), requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Shared' } } } } } },
      '/beta/sources/{id}/attribute-sync-config': { put: op('SailPoint Sources') },
    },
    components: {
      schemas: { Shared: { type: 'object', properties: { inner: { $ref: '#/components/schemas/Inner' } } }, Inner: { type: 'string' }, Unused: { type: 'string' } },
    },
  };
  const doc = documentOf(full, {
    path: '/openapi/x.json', title: 'X', description: 'x', includes: () => true, securitySchemes: () => ({}), security: [{ userAuth: [] }], public: /^\/oauth\//,
  });
  t.same(Object.keys(doc.paths), ['/oauth/token', '/beta/sources/{id}/attribute-sync-config']);
  t.same(doc.paths['/oauth/token'].post.security, [], 'no token needed to get a token');
  t.equal(doc.paths['/beta/sources/{id}/attribute-sync-config'].put.security, undefined, 'the document-level security applies');
  t.same(doc.tags, [{ name: 'SailPoint OAuth' }, { name: 'SailPoint Sources' }]);
  t.same(Object.keys(doc.components?.schemas ?? {}), ['Shared', 'Inner'], 'the schemas its paths refer to, directly or through another; no others');
  t.same(doc.security, [{ userAuth: [] }]);
});

t.test('Swagger UI at /docs offers the documents: each Datadog revision, SailPoint, control', async (t) => {
  const server = await startServer(t);
  const page = await http(`${server.url}/docs`);
  t.equal(page.status, 200);
  t.match(page.headers.get('content-type'), /^text\/html/);
  t.match(page.text, /<div id="swagger-ui">/);
  const init = await http(`${server.url}/docs/static/swagger-initializer.js`);
  t.equal(init.status, 200);
  const offered = [...DATADOG_REVISIONS.map((r) => `datadog-${r}`), 'sailpoint', 'control'];
  for (const doc of offered) t.match(init.text, `/openapi/${doc}.json`, `offers the ${doc} document`);
  const bundle = await http(`${server.url}/docs/static/swagger-ui-bundle.js`);
  t.equal(bundle.status, 200, 'the UI assets are served');
});
