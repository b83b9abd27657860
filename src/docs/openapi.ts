// OpenAPI documents built from the route schemas, one per surface, and Swagger UI at /docs offering them.
// @fastify/swagger collects every route into one document; each surface's document is that one, cut down
// to the paths surfaceOf() gives the surface, with the surface's own title and security schemes. Datadog's
// routes exist once per API revision (same paths, other schemas), so each revision gets a collector of its
// own and a document of its own; /openapi/datadog.json is the server's default revision.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DATADOG_REVISIONS, type DatadogRevision } from '../config';
import { routeRevision } from '../datadog/revision';
import { DOCUMENTED_SURFACES, surfaceOf, type DocumentedSurface } from '../platform/surfaces';
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

interface SurfaceDocument {
  title: string;
  description: string;
  securitySchemes: (origin: string) => Record<string, unknown>;
  security: Array<Record<string, string[]>>;
  /** Operations that need no credentials: the token endpoint itself. */
  public?: RegExp;
}

const SURFACES: Record<DocumentedSurface, SurfaceDocument> = {
  datadog: {
    title: 'Datadog Cloud SIEM entity context sync configurations (syncmock)',
    description: 'The Datadog API as emulated by syncmock. Every call needs both DD-API-KEY and DD-APPLICATION-KEY.',
    securitySchemes: () => ({
      apiKeyAuth: { type: 'apiKey', in: 'header', name: 'DD-API-KEY', description: 'Datadog API key' },
      appKeyAuth: { type: 'apiKey', in: 'header', name: 'DD-APPLICATION-KEY', description: 'Datadog application key' },
    }),
    security: [{ apiKeyAuth: [], appKeyAuth: [] }],
  },
  sailpoint: {
    title: 'SailPoint Identity Security Cloud source attribute sync config (syncmock)',
    description:
      'The SailPoint API as emulated by syncmock. Get a token from /oauth/token with client credentials (sent in the ' +
      'request body), or paste one as a bearer token.',
    securitySchemes: (origin) => ({
      userAuth: {
        type: 'oauth2',
        description: 'OAuth2 client credentials; the token endpoint reads client_id and client_secret from the body.',
        flows: { clientCredentials: { tokenUrl: `${origin}/oauth/token`, scopes: { 'sp:scopes:all': 'all scopes' } } },
      },
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from /oauth/token' },
    }),
    security: [{ userAuth: [] }, { bearerAuth: [] }],
    public: /^\/oauth\//,
  },
  control: {
    title: 'syncmock control API',
    description: 'Everything that is not the emulated vendors: health, reset, request journal, faults, rate limits, clock, state.',
    securitySchemes: () => ({}),
    security: [],
  },
};

/** A document the server serves: a surface, and for Datadog the revision it describes. */
interface Served {
  path: string;
  surface: DocumentedSurface;
  revision?: DatadogRevision;
}

/** Swagger UI shows each document's description: every one links the dashboard of the same server. */
const DASHBOARD_LINK = 'Live dashboard of this server (state, request journal, faults): [/__admin/ui](/__admin/ui)';

const REVISION_DECORATOR = (revision: DatadogRevision) => `swaggerDatadog${revision.replace('-', '_')}`;

// A plugin's '/' route answers at its prefix with and without the slash; the vendors' paths have none.
const trimSlash = (url: string) => (url.length > 1 ? url.replace(/\/$/, '') : url);

/**
 * Registers the collectors (@fastify/swagger, first, so their onRoute hooks see every route registered
 * after them), the document routes and Swagger UI. Both are hidden from the documents.
 */
export async function registerDocs(app: FastifyInstance, defaultRevision: DatadogRevision): Promise<void> {
  const openapi = { openapi: '3.1.0', info: { title: 'syncmock', version } };
  // Everything but the revision-bound Datadog routes...
  await app.register(swagger, {
    openapi,
    transform: ({ schema, url, route }) => ({ schema: routeRevision(route) === undefined ? schema : { ...schema, hide: true }, url: trimSlash(url) }),
  });
  // ...and those, one revision at a time.
  for (const revision of DATADOG_REVISIONS) {
    await app.register(swagger, {
      openapi,
      decorator: REVISION_DECORATOR(revision),
      transform: ({ schema, url, route }) => ({ schema: routeRevision(route) === revision ? schema : { ...schema, hide: true }, url: trimSlash(url) }),
    });
  }
  const served: Served[] = [
    { path: '/openapi/datadog.json', surface: 'datadog', revision: defaultRevision },
    ...DATADOG_REVISIONS.map((revision): Served => ({ path: `/openapi/datadog-${revision}.json`, surface: 'datadog', revision })),
    { path: '/openapi/sailpoint.json', surface: 'sailpoint' },
    { path: '/openapi/control.json', surface: 'control' },
  ];
  const decorated = app as unknown as Record<string, () => unknown>;
  const cut = new Map<string, OpenApiDocument>();
  for (const doc of served) {
    app.get(doc.path, { schema: { hide: true } }, async (request) => {
      let document = cut.get(doc.path);
      if (!document) {
        const full = (doc.revision === undefined ? app.swagger() : decorated[REVISION_DECORATOR(doc.revision)]()) as OpenApiDocument;
        document = surfaceDocument(full, doc.surface, doc.revision);
        cut.set(doc.path, document);
      }
      return withServer(document, doc.surface, originOf(request, app));
    });
  }
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: {
      urls: served.slice(1).map((doc) => ({ name: titleOf(doc.surface, doc.revision), url: doc.path })),
      deepLinking: true,
    },
  });
}

const titleOf = (surface: DocumentedSurface, revision?: DatadogRevision): string =>
  revision === undefined ? SURFACES[surface].title : `${SURFACES[surface].title}, revision ${revision}`;

/** The whole document cut down to one surface's paths, tags and security. */
export function surfaceDocument(full: OpenApiDocument, surface: DocumentedSurface, revision?: DatadogRevision): OpenApiDocument {
  const spec = SURFACES[surface];
  const paths: OpenApiDocument['paths'] = {};
  const tags = new Set<string>();
  for (const [path, item] of Object.entries(full.paths ?? {})) {
    if (surfaceOf(path) !== surface) continue;
    paths[path] = Object.fromEntries(
      Object.entries(item).map(([method, op]) => {
        for (const tag of op.tags ?? []) tags.add(tag);
        return [method, spec.public?.test(path) && op.security === undefined ? { ...op, security: [] } : op];
      }),
    );
  }
  return {
    openapi: full.openapi,
    info: { title: titleOf(surface, revision), version, description: `${spec.description}\n\n${DASHBOARD_LINK}` },
    paths,
    components: { ...full.components },
    security: spec.security,
    tags: [...tags].sort().map((name) => ({ name })),
  };
}

function withServer(doc: OpenApiDocument, surface: DocumentedSurface, origin: string): OpenApiDocument {
  return {
    ...doc,
    servers: [{ url: origin, description: 'this syncmock server' }],
    components: { ...doc.components, securitySchemes: SURFACES[surface].securitySchemes(origin) },
  };
}

/** The origin the caller reached this server at, so "Try it out" calls go back to it. */
function originOf(request: FastifyRequest, app: FastifyInstance): string {
  return request.host ? `${request.protocol}://${request.host}` : app.listeningOrigin;
}
