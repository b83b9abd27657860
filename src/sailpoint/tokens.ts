// SailPoint's access tokens: HS256 JWTs issued from a client's grant, whose expiry reads the server clock,
// and verified from an Authorization header. No HTTP here: routes.ts calls these.
import { randomBytes } from 'node:crypto';
import type { AuthorizationCredentials } from '../platform/authorization';
import type { Clock } from '../platform/clock';
import { Unauthenticated } from '../platform/errors';
import { newUuid } from '../platform/ids';
import { digest, type ClientGrant, type SailpointCaller } from './clients';

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

  /** The HS256 key, for the redaction to hide wherever it occurs (never shown). */
  get signingKey(): string {
    return this.key;
  }
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
