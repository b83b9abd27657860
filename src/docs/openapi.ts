// OpenAPI documents built from the route schemas, and Swagger UI at /docs offering them. Each vendor (and the
// control API) declares its documents: which routes each holds, its title and security schemes. One
// @fastify/swagger collector per distinct route set gathers the routes; a document is its collector's
// output cut down to its paths, built on first request (most servers never serve one).
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { allowCors, type CorsPolicy } from '../platform/cors';
import { hostCheck, type AllowedHosts } from '../platform/host-check';
import type { VendorDocument } from '../platform/vendor';
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
 * Registers the collectors (@fastify/swagger at the root, first, so their onRoute hooks see every route
 * registered after them), then the document routes and Swagger UI, each under its prefix in a scope of its
 * own (docsScope). Both are hidden from the documents.
 */
export async function registerDocs(app: FastifyInstance, documents: readonly VendorDocument[], scope: DocsScope): Promise<void> {
  // Routes that declare their own security (per-operation scopes, a token endpoint's Basic) need the schemes
  // they name known to the collector; each served document then gets its own.
  const securitySchemes = Object.assign({}, ...documents.map((doc) => doc.securitySchemes('')));
  const openapi = { openapi: '3.1.0', info: { title: 'syncmock', version }, components: { securitySchemes } };
  // The shared schemas (src/platform/schemas.ts) become components named by their title, or for a file of
  // $defs by its folder ("control"; each def then "control-Vendor"), not "def-0", "def-1", ….
  const refResolver = {
    buildLocalReference: (json: Record<string, unknown>, _baseUri: unknown, _fragment: string, i: number): string => {
      if (typeof json.title === 'string' && /^[\w.-]+$/.test(json.title)) return json.title;
      return typeof json.$id === 'string' ? json.$id.replace(/^\//, '').replace(/(\/defs)?\.json$/, '').replace(/\//g, '.') : `def-${i}`;
    },
  };
  // Documents that hold the same routes (the same `includes`) share a collector.
  const collectors = new Map<VendorDocument['includes'], string>();
  for (const doc of documents) {
    if (collectors.has(doc.includes)) continue;
    // The first under @fastify/swagger's own name, which @fastify/swagger-ui's /docs/json reads.
    const decorator = collectors.size === 0 ? 'swagger' : `swaggerCollector${collectors.size}`;
    collectors.set(doc.includes, decorator);
    await app.register(swagger, {
      openapi,
      refResolver,
      decorator,
      transform: ({ schema, url, route }) => {
        // @fastify/swagger marks every body required; a route whose body may be left out says so here.
        const marked = route.config?.bodyOptional ? { ...schema, [BODY_OPTIONAL]: true } : schema;
        return { schema: doc.includes({ url: trimSlash(url), constraints: route.constraints }) ? marked : { ...marked, hide: true }, url: trimSlash(url) };
      },
    });
  }
  const decorated = app as unknown as Record<string, () => unknown>;
  const cut = new Map<string, OpenApiDocument>();
  await docsScope(app, OPENAPI_PREFIX, scope, async (openapi) => {
    for (const doc of documents) {
      if (!doc.path.startsWith(`${OPENAPI_PREFIX}/`)) throw new Error(`the document ${doc.path} must be served under ${OPENAPI_PREFIX}/`);
      openapi.get(doc.path, { schema: { hide: true } }, async (request) => {
        let document = cut.get(doc.path);
        if (!document) {
          document = documentOf(decorated[collectors.get(doc.includes) as string]() as OpenApiDocument, doc);
          cut.set(doc.path, document);
        }
        // The origin the caller reached this server at, so "Try it out" calls go back to it; only a Host that
        // passed the allow-list (platform/host-check.ts) is repeated, never one the check was told to skip.
        const hostChecked = !scope.allowedHosts.any;
        return withServer(document, doc, hostChecked && request.host ? `${request.protocol}://${request.host}` : app.listeningOrigin);
      });
    }
  });
  await docsScope(app, UI_PREFIX, scope, async (ui) => {
    await ui.register(swaggerUi, {
      routePrefix: UI_PREFIX,
      uiConfig: {
        urls: documents.filter((doc) => doc.listed !== false).map((doc) => ({ name: doc.title, url: doc.path })),
        deepLinking: true,
      },
    });
  });
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
 * The routes' scope has no prefix of its own, so they are registered at their full paths (Swagger UI answers
 * `/docs` with and without its slash only so); a prefixed scope beside it answers what no route serves.
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
export function documentOf(full: OpenApiDocument, doc: VendorDocument): OpenApiDocument {
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

function withServer(document: OpenApiDocument, doc: VendorDocument, origin: string): OpenApiDocument {
  return {
    ...document,
    servers: [{ url: origin, description: 'this syncmock server' }],
    components: { ...document.components, securitySchemes: doc.securitySchemes(origin) },
  };
}
