// Stands in for the call Datadog makes to Google, Okta, CrowdStrike, SentinelOne or Entra ID to check
// credentials. The rule is deterministic and documented in README: a missing or empty `secrets` object is
// invalid, and so is any string value inside it (at any depth) that starts with "invalid", whatever its
// case. A source that takes no secrets (Entra ID) is valid when none are given. A test can force the
// outcome of the next checks instead (control API), for one org (so parallel suites with their own keys do
// not take each other's) or for whichever org checks next.
import { needsNoSecrets } from './integration-types';

export type CredentialOutcome = 'valid' | 'invalid';

/** Forced outcomes not tied to an org. */
const ANY_ORG = '';

export class CredentialCheck {
  private readonly forced = new Map<string, CredentialOutcome[]>();

  /** The next check (and the ones after it, in order) answers this, whatever the secrets. */
  forceNext(outcome: CredentialOutcome, times = 1, orgId = ANY_ORG): void {
    const queue = this.forced.get(orgId) ?? [];
    for (let i = 0; i < times; i++) queue.push(outcome);
    this.forced.set(orgId, queue);
  }

  /** Outcomes still forced for an org (its own first, then those for any org), or for any org. */
  pending(orgId = ANY_ORG): CredentialOutcome[] {
    const own = orgId === ANY_ORG ? [] : (this.forced.get(orgId) ?? []);
    return [...own, ...(this.forced.get(ANY_ORG) ?? [])];
  }

  /** Forgets every forced outcome, or one org's own. */
  clear(orgId?: string): void {
    if (orgId === undefined) this.forced.clear();
    else this.forced.delete(orgId);
  }

  check(orgId: string, integrationType: string, secrets: Record<string, unknown> | null | undefined): CredentialOutcome {
    const forced = this.forced.get(orgId)?.shift() ?? this.forced.get(ANY_ORG)?.shift();
    if (forced) return forced;
    if (secrets == null && needsNoSecrets(integrationType)) return 'valid';
    if (!secrets || Object.keys(secrets).length === 0) return 'invalid';
    return hasInvalidMarker(secrets) ? 'invalid' : 'valid';
  }
}

function hasInvalidMarker(value: unknown): boolean {
  if (typeof value === 'string') return value.toLowerCase().startsWith('invalid');
  if (Array.isArray(value)) return value.some(hasInvalidMarker);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasInvalidMarker);
  return false;
}
