// SailPoint's API clients, which the token endpoint authenticates: seeded ones with their tenant, rights and
// secret, and in open mode any other (an org admin in a tenant of its own). No HTTP here, and no tokens:
// routes.ts hands the token request's parameters and Authorization header in, tokens.ts signs the grant.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthMode } from '../config';
import type { AuthorizationCredentials } from '../platform/authorization';
import { TokenRequestRejected, shown } from '../platform/errors';
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

/** A client that is not in the seed data (open mode): an org admin with every scope. */
const OPEN_MODE_AUTHORITIES = ['ORG_ADMIN'];
const OPEN_MODE_SCOPE = ['sp:scopes:all'];
const DEFAULT_POD = 'syncmock';

/** A SHA-256 digest in hex: how ids made from a client's are derived, so the client's own is never stored. */
export const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

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
