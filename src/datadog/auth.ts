import { createHash } from 'node:crypto';
import { LruMap } from 'toad-cache';
import type { AuthMode } from '../config';
import type { AuthorizationCredentials } from '../platform/authorization';
import { Forbidden } from '../platform/errors';
import { PermissionDenied } from './errors';
import type { DatadogPermission, SeedDatadogOrg } from './seed';

export const ALL_PERMISSIONS: readonly DatadogPermission[] = ['integrations_read', 'manage_integrations'];

/** Open-mode keys and tokens whose org the cache remembers at most. */
export const OPEN_ORGS_CACHE_SIZE = 10_000;

/** How the caller proved who it is; names the credential in a 403 for a missing permission or scope. */
export type DatadogCredential = 'application key' | 'access token';

export interface DatadogCaller {
  orgId: string;
  /** Application key permissions, or access token scopes (the same names in Datadog). */
  permissions: ReadonlySet<string>;
  credential: DatadogCredential;
}

/** What a request carried that may identify it: its Authorization header, read, and its two key headers. */
export interface DatadogCredentials {
  authorization: AuthorizationCredentials;
  apiKey?: string;
  appKey?: string;
}

interface Grant {
  orgId: string;
  permissions: ReadonlySet<string>;
}

/**
 * Personal (`ddpat_`) and service (`ddsat_`) access tokens may come as DD-APPLICATION-KEY, and then Datadog
 * authenticates with the token only: DD-API-KEY "is optional and its value is not evaluated".
 */
const ACCESS_TOKEN_IN_APP_KEY = /^dd[ps]at_/;

/**
 * Who is calling. Three ways in, as the spec's `security` (key pair or AuthZ) and Datadog's access token
 * documentation allow:
 * - `Authorization: Bearer <token>`: an OAuth access token, a personal (`ddpat_…`) or a service (`ddsat_…`)
 *   access token. When present it decides, whatever key headers come with it (clients send every method
 *   they are configured with, DD_API_KEY from the environment included); a malformed one is a 403.
 * - `DD-APPLICATION-KEY: ddpat_…|ddsat_…`: the token alone; DD-API-KEY is not looked at.
 * - `DD-API-KEY` and `DD-APPLICATION-KEY`.
 * Keys and tokens from the seed data map to their org and rights in both modes. In open mode any other
 * non-empty key pair or token is accepted with every permission, and each API key and each token is an org
 * of its own, so test suites with different credentials never see each other's data.
 */
export class DatadogAuth {
  private readonly apiKeys = new Map<string, string>();
  private readonly appKeys = new Map<string, Grant>();
  private readonly tokens = new Map<string, Grant>();
  /**
   * Orgs of open-mode API keys and tokens already seen: hashing the key on every request was a measurable
   * share of a GET's cost. In memory only (the store still sees digests); the least recently used key is
   * forgotten beyond the bound, so a client cycling keys cannot grow it and a key in use stays.
   */
  private readonly openOrgs = new LruMap<string>(OPEN_ORGS_CACHE_SIZE);

  constructor(orgs: SeedDatadogOrg[], private readonly mode: AuthMode) {
    for (const org of orgs) {
      for (const key of org.api_keys) this.apiKeys.set(key, org.org_id);
      for (const app of org.application_keys) this.appKeys.set(app.key, { orgId: org.org_id, permissions: new Set(app.permissions) });
      for (const token of org.access_tokens ?? []) this.tokens.set(token.token, { orgId: org.org_id, permissions: new Set(token.scopes) });
    }
  }

  /** How many open-mode keys and tokens the cache holds (the bounded-state tests read it). */
  get cachedOpenOrgs(): number {
    return this.openOrgs.size;
  }

  /** The org an API key's (or an access token's) calls belong to; undefined for one strict mode refuses. */
  orgOf(credential: string): string | undefined {
    return this.apiKeys.get(credential) ?? this.tokens.get(credential)?.orgId ?? (this.mode === 'open' ? orgIdForApiKey(credential) : undefined);
  }

  identify({ authorization, apiKey, appKey }: DatadogCredentials): DatadogCaller {
    switch (authorization.scheme) {
      case 'bearer':
        return this.byToken(authorization.token);
      case 'basic':
        throw badAuthorization('the authorization scheme is not supported');
      case 'malformed':
        throw badAuthorization(authorization.problem);
    }
    if (appKey !== undefined && ACCESS_TOKEN_IN_APP_KEY.test(appKey)) return this.byToken(appKey);
    return this.byKeyPair(apiKey, appKey);
  }

  private byToken(token: string): DatadogCaller {
    const registered = this.tokens.get(token);
    if (registered) return { ...registered, credential: 'access token' };
    if (this.mode === 'strict') throw new PermissionDenied('unknown access token');
    return { orgId: this.openOrg(token), permissions: ALL, credential: 'access token' };
  }

  private byKeyPair(apiKey: string | undefined, appKey: string | undefined): DatadogCaller {
    if (!apiKey) throw new Forbidden('API key required', ['API key required']);
    if (!appKey) throw new PermissionDenied('the DD-APPLICATION-KEY header is required');
    const registeredOrg = this.apiKeys.get(apiKey);
    const registeredApp = this.appKeys.get(appKey);
    if (this.mode === 'strict') {
      if (!registeredOrg) throw new PermissionDenied('unknown API key');
      if (!registeredApp) throw new PermissionDenied('unknown application key');
    }
    const orgId = registeredOrg ?? this.openOrg(apiKey);
    if (registeredApp && registeredApp.orgId !== orgId) {
      throw new PermissionDenied('the application key does not belong to the API key\'s organization');
    }
    return { orgId, permissions: registeredApp?.permissions ?? ALL, credential: 'application key' };
  }

  private openOrg(credential: string): string {
    let orgId = this.openOrgs.get(credential);
    if (orgId === undefined) {
      orgId = orgIdForApiKey(credential);
      this.openOrgs.set(credential, orgId);
    }
    return orgId;
  }
}

const ALL: ReadonlySet<string> = new Set(ALL_PERMISSIONS);

const badAuthorization = (problem: string): PermissionDenied =>
  new PermissionDenied(`${problem}; send Authorization: Bearer <access token>, or DD-API-KEY and DD-APPLICATION-KEY`);

/**
 * The org of an API key or access token that is not in the seed data (open mode). A digest, so the
 * credential itself is never stored.
 */
export function orgIdForApiKey(credential: string): string {
  return `org-${createHash('sha256').update(credential).digest('hex').slice(0, 16)}`;
}

export function requirePermission(caller: DatadogCaller, permission: DatadogPermission): void {
  if (!caller.permissions.has(permission)) {
    const what = caller.credential === 'access token' ? 'scope' : 'permission';
    throw new PermissionDenied(`the ${caller.credential} lacks the '${permission}' ${what}`);
  }
}
