import { createHash } from 'node:crypto';
import type { AuthMode } from '../config';
import { Forbidden } from '../platform/errors';
import type { DatadogPermission, SeedDatadogOrg } from './seed';

export const ALL_PERMISSIONS: readonly DatadogPermission[] = ['integrations_read', 'manage_integrations'];

export interface DatadogCaller {
  orgId: string;
  permissions: ReadonlySet<DatadogPermission>;
}

/**
 * Who is calling, from DD-API-KEY and DD-APPLICATION-KEY. Keys from the seed data map to their org and
 * permissions in both modes. In open mode any other non-empty pair is accepted with every permission, and
 * each API key is an org of its own, so test suites with different keys never see each other's data.
 */
export class DatadogAuth {
  private readonly apiKeys = new Map<string, string>();
  private readonly appKeys = new Map<string, { orgId: string; permissions: ReadonlySet<DatadogPermission> }>();
  /**
   * Orgs of open-mode API keys already seen: hashing the key on every request was a measurable share of a
   * GET's cost. In memory only (the store still sees digests); bounded, so a client cycling keys cannot grow it.
   */
  private readonly openOrgs = new Map<string, string>();

  constructor(orgs: SeedDatadogOrg[], private readonly mode: AuthMode) {
    for (const org of orgs) {
      for (const key of org.api_keys) this.apiKeys.set(key, org.org_id);
      for (const app of org.application_keys) this.appKeys.set(app.key, { orgId: org.org_id, permissions: new Set(app.permissions) });
    }
  }

  /** The org an API key's calls belong to; undefined for a key strict mode refuses. */
  orgOf(apiKey: string): string | undefined {
    return this.apiKeys.get(apiKey) ?? (this.mode === 'open' ? orgIdForApiKey(apiKey) : undefined);
  }

  identify(apiKey: string | undefined, appKey: string | undefined): DatadogCaller {
    if (!apiKey) throw new Forbidden('API key required', ['API key required']);
    if (!appKey) throw new Forbidden('Forbidden', ['Forbidden: the DD-APPLICATION-KEY header is required']);
    const registeredOrg = this.apiKeys.get(apiKey);
    const registeredApp = this.appKeys.get(appKey);
    if (this.mode === 'strict') {
      if (!registeredOrg) throw new Forbidden('Forbidden', ['Forbidden: unknown API key']);
      if (!registeredApp) throw new Forbidden('Forbidden', ['Forbidden: unknown application key']);
    }
    const orgId = registeredOrg ?? this.openOrg(apiKey);
    if (registeredApp && registeredApp.orgId !== orgId) {
      throw new Forbidden('Forbidden', ['Forbidden: the application key does not belong to the API key\'s organization']);
    }
    return { orgId, permissions: registeredApp?.permissions ?? ALL };
  }

  private openOrg(apiKey: string): string {
    let orgId = this.openOrgs.get(apiKey);
    if (orgId === undefined) {
      if (this.openOrgs.size >= 10_000) this.openOrgs.clear();
      orgId = orgIdForApiKey(apiKey);
      this.openOrgs.set(apiKey, orgId);
    }
    return orgId;
  }
}

const ALL: ReadonlySet<DatadogPermission> = new Set(ALL_PERMISSIONS);

/** The org of an API key that is not in the seed data (open mode). A digest, so the key itself is never stored. */
export function orgIdForApiKey(apiKey: string): string {
  return `org-${createHash('sha256').update(apiKey).digest('hex').slice(0, 16)}`;
}

export function requirePermission(caller: DatadogCaller, permission: DatadogPermission): void {
  if (!caller.permissions.has(permission)) {
    throw new Forbidden('Forbidden', [`Forbidden: the application key lacks the '${permission}' permission`]);
  }
}
