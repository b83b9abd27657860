// SailPoint's OAuth side: which client gets which token (client registry), and the access tokens
// themselves (HS256 JWTs whose expiry reads the server clock). No HTTP here: routes.ts extracts the
// parameters and the Authorization header and calls these.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthMode } from '../config';
import type { AuthorizationCredentials } from '../platform/authorization';
import type { Clock } from '../platform/clock';
import { Forbidden, TokenRequestRejected, Unauthenticated, shown } from '../platform/errors';
import { newUuid } from '../platform/ids';
import type { SailpointSeed, SeedSailpointClient, SeedSailpointTenant } from './seed';

/** Who is calling, from a verified access token; the tenant owns all state the call sees. */
export interface SailpointCaller {
  tenantId: string;
  clientId: string;
  authorities: string[];
  scope: string[];
}

/** What a client is granted: its tenant (with the tenant's org and pod) and its rights. */
export interface ClientGrant extends SailpointCaller {
  org: string;
  pod: string;
}

export interface TokenParameters {
  grant_type?: string;
  client_id?: string;
  client_secret?: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
  tenant_id: string;
  internal: boolean;
  pod: string;
  org: string;
  identity_id: string;
  user_name: string;
  strong_auth: boolean;
  strong_auth_supported: boolean;
  enabled: boolean;
  jti: string;
}

/** A client that is not in the seed data (open mode): an org admin with every scope. */
const OPEN_MODE_AUTHORITIES = ['ORG_ADMIN'];
const OPEN_MODE_SCOPE = ['sp:scopes:all'];
const DEFAULT_POD = 'syncmock';

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The tenant of a client id that is not in the seed data: a digest shaped like SailPoint's tenant ids (a
 * UUID), so the same client id always gets the same tenant and the id itself is never stored.
 */
export function tenantIdForClient(clientId: string): string {
  const h = digest(`tenant:${clientId}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function sameSecret(a: string, b: string): boolean {
  // Compared as digests: equal lengths for timingSafeEqual, and no early exit on the first differing byte.
  return timingSafeEqual(Buffer.from(digest(a), 'hex'), Buffer.from(digest(b), 'hex'));
}

/**
 * The API clients. Seeded clients (data/seed.json) get their tenant, authorities and scope in both modes
 * and must present their secret. In open mode any other client id with a non-empty secret is accepted as
 * ORG_ADMIN with sp:scopes:all in a tenant of its own; in strict mode it is refused.
 */
export class SailpointClients {
  private readonly clients: Map<string, SeedSailpointClient>;
  private readonly tenants: Map<string, SeedSailpointTenant>;

  constructor(seed: SailpointSeed, private readonly mode: AuthMode) {
    this.clients = new Map(seed.clients.map((c) => [c.client_id, c]));
    this.tenants = new Map(seed.tenants.map((t) => [t.tenant_id, t]));
  }

  /**
   * The client credentials grant. The client is authenticated before the grant type is looked at, as
   * OAuth servers do, so a request without credentials is a 401 whatever else it holds. The client's id and
   * secret come as HTTP Basic (`authorization`, what Swagger UI and Postman send) or as parameters; when both
   * carry them they must agree (400 invalid_request). Basic that cannot be read, or another scheme, is a 401.
   */
  grant(params: TokenParameters, authorization: AuthorizationCredentials = { scheme: 'none' }): ClientGrant {
    const { clientId, secret } = clientCredentials(params, authorization);
    const { grant_type: grantType } = params;
    if (!clientId || !secret) {
      throw new TokenRequestRejected(401, 'invalid_client', 'Full authentication is required to access this resource');
    }
    const client = this.authenticate(clientId, secret);
    if (!grantType) throw new TokenRequestRejected(400, 'invalid_request', 'Missing grant type');
    if (grantType !== 'client_credentials') {
      throw new TokenRequestRejected(400, 'unsupported_grant_type', `Unsupported grant type: ${shown(grantType)}`);
    }
    return client;
  }

  /**
   * The tenant a client id belongs to, whether or not its request succeeds (so the journal files a refused
   * token request under it); undefined for a client strict mode does not know.
   */
  tenantOf(clientId: string): string | undefined {
    const seeded = this.clients.get(clientId);
    if (seeded) return seeded.tenant_id;
    return this.mode === 'open' ? tenantIdForClient(clientId) : undefined;
  }

  private authenticate(clientId: string, secret: string): ClientGrant {
    const seeded = this.clients.get(clientId);
    if (seeded) {
      if (!sameSecret(secret, seeded.client_secret)) throw badCredentials();
      const tenant = this.tenants.get(seeded.tenant_id);
      return {
        tenantId: seeded.tenant_id,
        clientId,
        authorities: [...seeded.authorities],
        scope: [...seeded.scope],
        org: tenant?.org ?? 'syncmock',
        pod: tenant?.pod ?? DEFAULT_POD,
      };
    }
    if (this.mode === 'strict') throw badCredentials();
    const tenantId = tenantIdForClient(clientId);
    return {
      tenantId,
      clientId,
      authorities: [...OPEN_MODE_AUTHORITIES],
      scope: [...OPEN_MODE_SCOPE],
      org: `syncmock-${tenantId.slice(0, 8)}`,
      pod: DEFAULT_POD,
    };
  }
}

const badCredentials = (): TokenRequestRejected => new TokenRequestRejected(401, 'invalid_client', 'Bad client credentials');

/**
 * The client's id and secret, from Basic or the parameters. Basic is taken as sent, not form-decoded: Swagger
 * UI and Postman send it raw, and SailPoint's "Full authentication is required" wording is that of Spring
 * Security's Basic filter, which does not decode either.
 */
function clientCredentials(params: TokenParameters, authorization: AuthorizationCredentials): { clientId?: string; secret?: string } {
  switch (authorization.scheme) {
    case 'none':
      return { clientId: params.client_id, secret: params.client_secret };
    case 'basic': {
      const { user: clientId, password: secret } = authorization;
      const disagree = (given: string | undefined, basic: string) => given !== undefined && given !== basic;
      if (disagree(params.client_id, clientId) || disagree(params.client_secret, secret)) {
        throw new TokenRequestRejected(400, 'invalid_request', 'The client credentials in the Authorization header and in the request parameters differ');
      }
      return { clientId, secret };
    }
    case 'bearer':
      throw new TokenRequestRejected(401, 'invalid_client', 'Unsupported client authentication: use HTTP Basic, or client_id and client_secret parameters');
    case 'malformed':
      throw new TokenRequestRejected(401, 'invalid_client', `Bad client credentials: ${authorization.problem}`);
  }
}

export interface TokenServiceOptions {
  /** HS256 key; random per start when not configured, so tokens do not outlive the process. */
  secret?: string;
  ttlSeconds: number;
}

const REQUIRED_CLAIMS = ['tenant_id', 'client_id', 'authorities', 'scope', 'exp', 'jti'];
/** Verified tokens remembered at most (fast-jwt's default, said here because it is a bound). */
export const VERIFIED_TOKEN_CACHE_SIZE = 1000;

// fast-jwt is loaded with the first token issued or checked: loading it was a tenth of a start
// (`npm run bench`, cold start), and many runs never see a SailPoint call.
let loadedJwt: typeof import('fast-jwt') | undefined;
const fastJwt = (): typeof import('fast-jwt') => (loadedJwt ??= require('fast-jwt') as typeof import('fast-jwt'));

/** Access tokens: issued from a grant, verified from an Authorization header. Time is the server clock. */
export class TokenService {
  private readonly key: string;
  /**
   * One verifier for the service's life (building one per request cost more than the rest of a GET).
   * fast-jwt fixes "now" when a verifier is made, while the server clock moves: expiry is checked against
   * the clock in authenticate() instead, hence ignoreExpiration. Its cache of verified tokens is an LRU of
   * VERIFIED_TOKEN_CACHE_SIZE (mnemonist's, inside fast-jwt), so a client that takes a token per test does
   * not grow it.
   */
  private verifier?: (token: string) => Record<string, unknown>;

  constructor(private readonly clock: Clock, private readonly options: TokenServiceOptions) {
    this.key = options.secret ?? randomBytes(32).toString('hex');
  }

  private verify(token: string): Record<string, unknown> {
    this.verifier ??= fastJwt().createVerifier({ key: this.key, algorithms: ['HS256'], requiredClaims: REQUIRED_CLAIMS, ignoreExpiration: true, cache: VERIFIED_TOKEN_CACHE_SIZE });
    return this.verifier(token);
  }

  issue(grant: ClientGrant): TokenResponse {
    const jti = newUuid();
    const identityId = digest(`identity:${grant.tenantId}:${grant.clientId}`).slice(0, 32);
    const common = {
      tenant_id: grant.tenantId,
      internal: false,
      pod: grant.pod,
      org: grant.org,
      identity_id: identityId,
      user_name: grant.clientId,
      strong_auth: false,
      strong_auth_supported: false,
    };
    // A signer per token: fast-jwt takes "now" as a creation option, and now is the server clock.
    const sign = fastJwt().createSigner({
      key: this.key,
      algorithm: 'HS256',
      clockTimestamp: this.clock.nowMs(),
      expiresIn: this.options.ttlSeconds * 1000,
      jti,
    });
    const accessToken = sign({ ...common, authorities: grant.authorities, client_id: grant.clientId, scope: grant.scope });
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: this.options.ttlSeconds,
      scope: grant.scope.join(' '),
      ...common,
      enabled: true,
      jti,
    };
  }

  /** The caller behind `Authorization: Bearer <jwt>`; 401 with the gateway's wording otherwise. */
  authenticate(authorization: AuthorizationCredentials): SailpointCaller {
    if (authorization.scheme !== 'bearer') throw new Unauthenticated('JWT is required');
    let claims: Record<string, unknown>;
    try {
      claims = this.verify(authorization.token);
    } catch (err) {
      throw new Unauthenticated(`JWT validation failed: ${verificationFailure(err)}`);
    }
    if (typeof claims.exp !== 'number') throw new Unauthenticated('JWT validation failed: JWT claims are invalid');
    if (claims.exp * 1000 <= this.clock.nowMs()) throw new Unauthenticated('JWT validation failed: JWT is expired');
    const { tenant_id: tenantId, client_id: clientId, authorities, scope } = claims;
    if (typeof tenantId !== 'string' || typeof clientId !== 'string' || !isStringArray(authorities) || !isStringArray(scope)) {
      throw new Unauthenticated('JWT validation failed: JWT claims are invalid');
    }
    return { tenantId, clientId, authorities, scope };
  }
}

function verificationFailure(err: unknown): string {
  const { TokenError } = fastJwt();
  const code = err instanceof TokenError ? err.code : undefined;
  switch (code) {
    case TokenError.codes.invalidSignature:
    case TokenError.codes.invalidAlgorithm:
    case TokenError.codes.missingSignature:
      return 'JWT signature does not match';
    case TokenError.codes.missingRequiredClaim:
      return 'JWT claims are invalid';
    default:
      return 'JWT is malformed';
  }
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

export type Access = 'read' | 'manage';

/**
 * SailPoint's two gates for the attribute sync config operations: a user level (authority) and a scope,
 * each needing one match. PUT (manage): ORG_ADMIN and sp:scopes:all or :manage. GET (read): ORG_ADMIN or
 * HELPDESK and sp:scopes:all, :read or :manage.
 */
const REQUIREMENTS: Record<Access, { authorities: string[]; scopes: string[] }> = {
  manage: { authorities: ['ORG_ADMIN'], scopes: ['sp:scopes:all', 'idn:attr-sync-source-config:manage'] },
  read: {
    authorities: ['ORG_ADMIN', 'HELPDESK'],
    scopes: ['sp:scopes:all', 'idn:attr-sync-source-config:read', 'idn:attr-sync-source-config:manage'],
  },
};

export function requireAccess(caller: SailpointCaller, access: Access): void {
  const need = REQUIREMENTS[access];
  const causes: string[] = [];
  if (!need.authorities.some((a) => caller.authorities.includes(a))) {
    causes.push(`The token's authorities [${caller.authorities.join(', ')}] include none of ${need.authorities.join(', ')}`);
  }
  if (!need.scopes.some((s) => caller.scope.includes(s))) {
    causes.push(`The token's scope [${caller.scope.join(', ')}] includes none of ${need.scopes.join(', ')}`);
  }
  if (causes.length > 0) throw new Forbidden('Forbidden', causes);
}
