// OpenAPI documents built from the route schemas, and Swagger UI at /docs offering them. Each vendor (and the
// control API) declares its documents: which routes each holds, its title and security schemes. A hook at the
// root records every route as it is added; the documents, @fastify/swagger and Swagger UI are built on the
// first docs request, in an instance of their own (most servers never serve one, and loading them was a
// measurable part of every start: `npm run bench`, cold start).
import type { StaticDocumentSpec } from '@fastify/swagger';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { allowCors, type CorsPolicy } from '../platform/cors';
import { DeferredApp } from '../platform/deferred-app';
import { hostCheck, type AllowedHosts } from '../platform/host-check';
import type { ApiDocument } from '../platform/vendor';
import { version } from '../version';

/** The parts of an OpenAPI 3.1 document this module reads or writes. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: Array<{ url: string; description?: string }>;
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  security?: Array<Record<string, string[]>>;
  tags?: Array<{ name: string }>;
}

interface Operation {
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  [key: string]: unknown;
}

/** The mark a route's schema carries to the documents when its body may be left out (config.bodyOptional). */
const BODY_OPTIONAL = 'x-body-optional';

/** Where the OpenAPI documents and Swagger UI are served. */
export const OPENAPI_PREFIX = '/openapi';
export const UI_PREFIX = '/docs';

/** Swagger UI shows each document's description: every one links the dashboard of the same server. */
const DASHBOARD_LINK = 'Live dashboard of this server (state, request journal, faults): [/__admin/ui](/__admin/ui)';

// A plugin's '/' route answers at its prefix with and without the slash; the vendors' paths have none.
const trimSlash = (url: string) => (url.length > 1 ? url.replace(/\/$/, '') : url);

/**
 * Records every route added after it (at the root, first, so it sees them all), then registers the document
 * routes and Swagger UI, each under its prefix in a scope of its own (docsScope), hidden from the documents.
 */
export async function registerDocs(app: FastifyInstance, documents: readonly ApiDocument[], scope: DocsScope): Promise<void> {
  // The options object every onRoute hook gets and the route keeps: hooks after this one (a scope's
  // constraints, security, closed schemas) still show in it.
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  // Documents that hold the same routes (the same `includes`) share a collector.
  const collectors = new Map<ApiDocument['includes'], string>();
  for (const doc of documents) {
    if (!doc.path.startsWith(`${OPENAPI_PREFIX}/`)) throw new Error(`the document ${doc.path} must be served under ${OPENAPI_PREFIX}/`);
    // The first under @fastify/swagger's own name, which @fastify/swagger-ui's /docs/json reads.
    if (!collectors.has(doc.includes)) collectors.set(doc.includes, collectors.size === 0 ? 'swagger' : `swaggerCollector${collectors.size}`);
  }
  // Read only, never routed to: the collectors over the server's routes.
  const collected = new DeferredApp((instance) => collect(instance, { shared: app.getSchemas(), routes, documents, collectors }));
  // Swagger UI's page, its files and /docs/json: the first collector's document, as @fastify/swagger-ui reads it.
  const ui = new DeferredApp(async (instance) => {
    const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([import('@fastify/swagger'), import('@fastify/swagger-ui')]);
    // Its types take a 2.0 or 3.0 document in static mode; it serves whatever it is given.
    const document = (await collected.instance()).swagger() as unknown as StaticDocumentSpec['document'];
    await instance.register(swagger, { mode: 'static', specification: { document } });
    await instance.register(swaggerUi, {
      routePrefix: UI_PREFIX,
      uiConfig: {
        urls: documents.filter((doc) => doc.listed !== false).map((doc) => ({ name: doc.title, url: doc.path })),
        deepLinking: true,
      },
    });
  });
  const cut = new Map<string, OpenApiDocument>();
  await docsScope(app, OPENAPI_PREFIX, scope, async (openapi) => {
    for (const doc of documents) {
      openapi.get(doc.path, { schema: { hide: true } }, async (request) => {
        let document = cut.get(doc.path);
        if (!document) {
          const collector = (await collected.instance()) as unknown as Record<string, () => unknown>;
          document = documentOf(collector[collectors.get(doc.includes) as string]() as OpenApiDocument, doc);
          cut.set(doc.path, document);
        }
        // The origin the caller reached this server at, so "Try it out" calls go back to it; only a Host that
        // passed the allow-list (platform/host-check.ts) is repeated, never one the check was told to skip.
        const hostChecked = !scope.allowedHosts.any;
        return withServer(document, doc, hostChecked && request.host ? `${request.protocol}://${request.host}` : app.listeningOrigin);
      });
    }
  });
  await docsScope(app, UI_PREFIX, scope, async (docs) => {
    const answer = ui.answer(scope.notFound);
    docs.get(UI_PREFIX, { schema: { hide: true } }, answer);
    docs.get(`${UI_PREFIX}/*`, { schema: { hide: true } }, answer);
  });
}

/**
 * One @fastify/swagger collector per distinct route set, and the server's routes replayed onto them: what
 * @fastify/swagger reads of each (method, URL, schema, config, constraints), nothing compiled, with a handler
 * that is never called (nothing is routed here). Each collector's transform keeps the routes its documents
 * include.
 */
async function collect(instance: FastifyInstance, from: {
  shared: Record<string, unknown>;
  routes: readonly RouteOptions[];
  documents: readonly ApiDocument[];
  collectors: ReadonlyMap<ApiDocument['includes'], string>;
}): Promise<void> {
  const { default: swagger } = await import('@fastify/swagger');
  instance.setValidatorCompiler(() => () => true);
  instance.setSerializerCompiler(() => JSON.stringify);
  // The shared schemas the routes refer to by $id, as the server registered them (closed with
  // --reject-unknown-fields), so the components are what the server checks.
  for (const shared of Object.values(from.shared)) instance.addSchema(shared);
  // Routes declared with a constraint of the server's (a vendor's API revision) are held apart by it here too.
  const names = new Set(from.routes.flatMap((route) => Object.keys(route.constraints ?? {})));
  for (const name of names) {
    if (name === 'host' || name === 'version') continue;
    instance.addConstraintStrategy({
      name,
      storage: () => {
        const byValue = new Map<unknown, unknown>();
        return { get: (value) => (byValue.get(value) ?? null) as never, set: (value, store) => void byValue.set(value, store) };
      },
      deriveConstraint: () => undefined,
    });
  }
  // Routes that declare their own security (per-operation scopes, a token endpoint's Basic) need the schemes
  // they name known to the collector; each served document then gets its own.
  const securitySchemes = Object.assign({}, ...from.documents.map((doc) => doc.securitySchemes('')));
  const openapi = { openapi: '3.1.0', info: { title: 'syncmock', version }, components: { securitySchemes } };
  // The shared schemas (src/platform/schemas.ts) become components named by their title, or for a file of
  // $defs by its folder ("control"; each def then "control-Vendor"), not "def-0", "def-1", ….
  const refResolver = {
    buildLocalReference: (json: Record<string, unknown>, _baseUri: unknown, _fragment: string, i: number): string => {
      if (typeof json.title === 'string' && /^[\w.-]+$/.test(json.title)) return json.title;
      return typeof json.$id === 'string' ? json.$id.replace(/^\//, '').replace(/(\/defs)?\.json$/, '').replace(/\//g, '.') : `def-${i}`;
    },
  };
  for (const [includes, decorator] of from.collectors) {
    await instance.register(swagger, {
      openapi,
      refResolver,
      decorator,
      transform: ({ schema, url, route }) => {
        // @fastify/swagger marks every body required; a route whose body may be left out says so here.
        const marked = route.config?.bodyOptional ? { ...schema, [BODY_OPTIONAL]: true } : schema;
        return { schema: includes({ url: trimSlash(url), constraints: route.constraints }) ? marked : { ...marked, hide: true }, url: trimSlash(url) };
      },
    });
  }
  // What the documents leave out anyway (hidden routes, HEAD) is not replayed: the docs' own routes among them.
  await instance.register(async (replayed) => {
    for (const { method, url, schema, config, constraints } of from.routes) {
      if (method === 'HEAD' || (schema as { hide?: boolean } | undefined)?.hide) continue;
      replayed.route({ method, url, schema, config, constraints, exposeHeadRoute: false, handler: neverRouted });
    }
  });
}

function neverRouted(): never {
  throw new Error('the docs\' collectors route nothing');
}

/** What the docs' scopes check and answer besides their routes. */
export interface DocsScope {
  allowedHosts: AllowedHosts;
  cors: CorsPolicy;
  /** The answer to a path under a docs prefix that no route serves. */
  notFound: (request: FastifyRequest, reply: FastifyReply) => void;
}

/**
 * A prefix of the docs, in scopes of their own: the router gives them the requests under the prefix, routes
 * and not-found answers alike, and they pass the Host check (DNS rebinding) before anything else and get CORS.
 * The routes' scope has no prefix of its own, so they are registered at their full paths (the documents'
 * paths, Swagger UI's as the docs instance serves them); a prefixed scope beside it answers what no route serves.
 */
async function docsScope(app: FastifyInstance, prefix: string, scope: DocsScope, routes: FastifyPluginAsync): Promise<void> {
  const guard = (docs: FastifyInstance): void => {
    docs.addHook('onRequest', hostCheck(scope.allowedHosts));
    allowCors(docs, scope.cors);
  };
  await app.register(async (docs) => {
    guard(docs);
    docs.setNotFoundHandler(scope.notFound);
  }, { prefix });
  await app.register(async (docs) => {
    guard(docs);
    await routes(docs, {});
  });
}

/** A collector's document with the document's title, security and tags, and the components its paths refer to. */
export function documentOf(full: OpenApiDocument, doc: ApiDocument): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const tags = new Set<string>();
  for (const [path, item] of Object.entries(full.paths ?? {})) {
    paths[path] = Object.fromEntries(
      Object.entries(item).map(([method, op]) => {
        for (const tag of op.tags ?? []) tags.add(tag);
        const { [BODY_OPTIONAL]: optional, ...rest } = op;
        const read = optional ? { ...rest, requestBody: { ...(rest.requestBody as object), required: false } } : op;
        return [method, doc.public?.test(path) && read.security === undefined ? { ...read, security: [] } : read];
      }),
    );
  }
  return {
    openapi: full.openapi,
    info: { title: doc.title, version, description: `${doc.description}\n\n${DASHBOARD_LINK}` },
    paths,
    components: { ...full.components, schemas: referencedSchemas(paths, full.components?.schemas ?? {}) },
    security: doc.security,
    tags: [...tags].sort().map((name) => ({ name })),
  };
}

/** The component schemas `paths` refer to, directly or through other components. */
function referencedSchemas(paths: OpenApiDocument['paths'], schemas: Record<string, unknown>): Record<string, unknown> {
  const kept = new Set<string>();
  const pending: unknown[] = [paths];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    const name = /^#\/components\/schemas\/([^/]+)/.exec(String((node as { $ref?: unknown }).$ref))?.[1];
    if (name !== undefined && !kept.has(name) && name in schemas) {
      kept.add(name);
      pending.push(schemas[name]);
    }
    pending.push(...Object.values(node));
  }
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => kept.has(name)));
}

function withServer(document: OpenApiDocument, doc: ApiDocument, origin: string): OpenApiDocument {
  return {
    ...document,
    servers: [{ url: origin, description: 'this syncmock server' }],
    components: { ...document.components, securitySchemes: doc.securitySchemes(origin) },
  };
}
