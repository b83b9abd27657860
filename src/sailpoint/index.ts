// The SailPoint vendor contract: Identity Security Cloud's source attribute sync config and the OAuth token
// endpoint every client needs first, as the app, the platform and the control API see it.
import type { VendorContract } from '../platform/vendor';
import { ownsPath } from '../platform/vendor-scope';
import { SAILPOINT_MIGRATIONS } from './store/migrations';
import { SailpointSourceStore } from './store/sources';
import { sailpointErrorResponse } from './errors';
import { AttrSyncConfigModel } from './model';
import { SailpointClients } from './clients';
import { SAILPOINT_PREFIXES, SAILPOINT_RATE_LIMIT_GROUP, sailpointNoRoute, sailpointRoutes, sailpointScopeOf } from './routes';
import { sailpointSeedProblems, type SailpointSeed } from './seed';
import { sailpointState, type SailpointTenantState } from './state';
import { TokenService } from './tokens';

const identity = { name: 'sailpoint' as const, scope: { name: 'tenant', collection: 'tenants' } };

export const sailpoint: VendorContract<SailpointTenantState, 'sailpoint'> = {
  ...identity,
  // SailPoint's API sits at the root of the tenant's API host: the token endpoint, the versioned prefixes
  // and the unversioned /sources/v1 (the official SDK appends them to its base URL).
  rateLimitGroups: [SAILPOINT_RATE_LIMIT_GROUP],
  prefixes: SAILPOINT_PREFIXES,
  credentials: { headers: [], fields: ['client_secret', 'access_token'] },
  cors: {
    allowedHeaders: ['Authorization', 'X-SailPoint-Experimental', 'X-SailPoint-SDK'],
    exposedHeaders: ['Retry-After', 'SLPT-Request-ID'],
  },
  seedSchema: 'sailpoint/seed.json',
  seedProblems: (seed) => sailpointSeedProblems(seed as SailpointSeed),
  stateSchema: 'sailpoint/state.json',
  migrations: SAILPOINT_MIGRATIONS,
  errorResponse: sailpointErrorResponse,
  create({ auth, settings, db, clock, rateLimits, seed }) {
    const sailpointSeed = seed as SailpointSeed;
    const model = new AttrSyncConfigModel(
      new SailpointSourceStore(db), clock, sailpointSeed.sources, sailpointSeed.tenants.map((t) => t.tenant_id),
    );
    const clients = new SailpointClients(sailpointSeed, auth);
    const tokens = new TokenService(clock, { secret: settings.jwtSecret, ttlSeconds: settings.tokenTtlSeconds });
    return {
      routes: (app) => sailpointRoutes(app, { vendorName: identity.name, model, clients, tokens, rateLimits }),
      scopeOf: sailpointScopeOf(clients),
      noRoute: sailpointNoRoute,
      state: sailpointState(model),
      heldCredentials: () => [...sailpointSeed.clients.map((c) => c.client_secret), tokens.signingKey],
      rateLimits: { [SAILPOINT_RATE_LIMIT_GROUP]: settings.rateLimit },
      // Verified tokens are in fast-jwt's LRU (VERIFIED_TOKEN_CACHE_SIZE, tokens.ts), whose size it does not tell.
      sizes: () => ({ known_tenant_cache: model.knownTenants }),
      documents: [{
        path: '/openapi/sailpoint.json',
        title: 'SailPoint Identity Security Cloud source attribute sync config (syncmock)',
        description:
          'The SailPoint API as emulated by syncmock. Get a token from /oauth/token with client credentials (HTTP Basic, ' +
          'the request body or the query string), or paste one as a bearer token.',
        includes: (route) => ownsPath(sailpoint, route.url),
        securitySchemes: (origin) => ({
          userAuth: {
            type: 'oauth2',
            description: 'OAuth2 client credentials; the token endpoint takes client_id and client_secret as HTTP Basic or in the body.',
            flows: { clientCredentials: { tokenUrl: `${origin}/oauth/token`, scopes: { 'sp:scopes:all': 'all scopes' } } },
          },
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from /oauth/token' },
          clientBasicAuth: { type: 'http', scheme: 'basic', description: 'At /oauth/token: client_id as user name, client_secret as password' },
        }),
        security: [{ userAuth: [] }, { bearerAuth: [] }] as Array<Record<string, string[]>>,
        public: /^\/oauth\//,
      }],
    };
  },
  connection(seed, baseUrl) {
    // The first seeded ORG_ADMIN client.
    const admin = (seed as SailpointSeed).clients.find((c) => c.authorities.includes('ORG_ADMIN'));
    return { baseUrl, clientId: admin?.client_id, clientSecret: admin?.client_secret, tokenUrl: `${baseUrl}/oauth/token` };
  },
};
