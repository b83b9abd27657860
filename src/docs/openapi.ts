// OpenAPI documents built from the route schemas, one per surface, and Swagger UI at /docs offering them.
// @fastify/swagger collects every route into one document; each surface's document is that one, cut down
// to the paths surfaceOf() gives the surface, with the surface's own title and security schemes.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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

const OPENAPI_PATH = (surface: DocumentedSurface): string => `/openapi/${surface}.json`;

/**
 * Registers @fastify/swagger (first, so its onRoute hook sees every route registered after it), the
 * document routes and Swagger UI. Both are hidden from the documents.
 */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: { openapi: '3.1.0', info: { title: 'syncmock', version } },
    // A plugin's '/' route answers at its prefix with and without the slash; the vendors' paths have none.
    transform: ({ schema, url }) => ({ schema, url: url.length > 1 ? url.replace(/\/$/, '') : url }),
  });
  const cut = new Map<DocumentedSurface, OpenApiDocument>();
  for (const surface of DOCUMENTED_SURFACES) {
    app.get(OPENAPI_PATH(surface), { schema: { hide: true } }, async (request) => {
      let doc = cut.get(surface);
      if (!doc) {
        doc = surfaceDocument(app.swagger() as unknown as OpenApiDocument, surface);
        cut.set(surface, doc);
      }
      return withServer(doc, surface, originOf(request, app));
    });
  }
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: {
      urls: DOCUMENTED_SURFACES.map((surface) => ({ name: SURFACES[surface].title, url: OPENAPI_PATH(surface) })),
      deepLinking: true,
    },
  });
}

/** The whole document cut down to one surface's paths, tags and security. */
export function surfaceDocument(full: OpenApiDocument, surface: DocumentedSurface): OpenApiDocument {
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
    info: { title: spec.title, version, description: spec.description },
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
