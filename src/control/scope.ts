// Which org or tenant a control call is aimed at. Users know their API key better than the org id open
// mode derives from it, so `api_key` is accepted wherever `org` is; it is resolved, never kept or echoed
// (and the logger redacts it from URLs).
import type { DatadogAuth } from '../datadog/auth';
import { InvalidInput } from '../platform/errors';
import type { Scope } from '../platform/vendors';

export interface ScopeParams {
  org?: string;
  tenant?: string;
  api_key?: string;
}

export function scopeFrom(params: ScopeParams, auth: DatadogAuth): Scope | undefined {
  const given = (['org', 'tenant', 'api_key'] as const).filter((k) => params[k] !== undefined);
  if (given.length > 1) throw new InvalidInput(`Give only one of org, tenant and api_key (got ${given.join(' and ')})`);
  if (params.org !== undefined) return { vendor: 'datadog', id: params.org };
  if (params.tenant !== undefined) return { vendor: 'sailpoint', id: params.tenant };
  if (params.api_key !== undefined) {
    const org = auth.orgOf(params.api_key);
    if (org === undefined) throw new InvalidInput("Field 'api_key' is not an API key of the seed data, the only ones strict auth accepts");
    return { vendor: 'datadog', id: org };
  }
  return undefined;
}
