// Stands in for the call Datadog makes to Google, Okta, CrowdStrike, SentinelOne or Entra ID to check
// credentials. The rule is deterministic and documented in README: a missing or empty `secrets` object is
// invalid, and so is any string value inside it (at any depth) that starts with "invalid", whatever its
// case. A source that takes no secrets (Entra ID) is valid when none are given. A test can force the
// outcome of the next checks instead (control API), for one org (so parallel suites with their own keys do
// not take each other's) or for whichever org checks next.
import { ClientFault } from '../platform/errors';
import { takesNoSecrets } from './integration-types';

export type CredentialOutcome = 'valid' | 'invalid';

/** Forced outcomes not tied to an org. */
const ANY_ORG = '';

/**
 * Outcomes pending at most, per org (the most one call may force), and orgs with outcomes of their own
 * pending at most. Forced outcomes are what a test asked for, so none is ever dropped: beyond these a call
 * is refused (409), and a consumed or cleared queue frees its room.
 */
export const MAX_PENDING_OUTCOMES = 1000;
export const MAX_FORCED_ORGS = 1000;

export class CredentialCheck {
  /** Only non-empty queues: the last outcome taken deletes its org's entry. */
  private readonly forced = new Map<string, CredentialOutcome[]>();

  /** How many orgs (and "any org") have outcomes pending (the bounded-state tests read it). */
  get size(): number {
    return this.forced.size;
  }

  /** The next check (and the ones after it, in order) answers this, whatever the secrets. */
  forceNext(outcome: CredentialOutcome, times = 1, orgId = ANY_ORG): void {
    const queue = this.forced.get(orgId) ?? [];
    const whose = orgId === ANY_ORG ? 'for any org' : `for org ${orgId}`;
    if (queue.length + times > MAX_PENDING_OUTCOMES) {
      throw new ClientFault(`At most ${MAX_PENDING_OUTCOMES} credential check outcomes may be pending ${whose}, and ${queue.length} are: ` +
        'let checks take them, or clear them (DELETE /__admin/datadog/credential-outcome)', 409);
    }
    if (queue.length === 0 && orgId !== ANY_ORG && this.forced.size - (this.forced.has(ANY_ORG) ? 1 : 0) >= MAX_FORCED_ORGS) {
      throw new ClientFault(`At most ${MAX_FORCED_ORGS} orgs may have credential check outcomes of their own pending: ` +
        'let checks take them, or clear them (DELETE /__admin/datadog/credential-outcome)', 409);
    }
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
    const forced = this.take(orgId) ?? this.take(ANY_ORG);
    if (forced) return forced;
    if (secrets == null && takesNoSecrets(integrationType)) return 'valid';
    if (!secrets || Object.keys(secrets).length === 0) return 'invalid';
    return hasInvalidMarker(secrets) ? 'invalid' : 'valid';
  }

  private take(orgId: string): CredentialOutcome | undefined {
    const queue = this.forced.get(orgId);
    if (queue === undefined) return undefined;
    const outcome = queue.shift();
    if (queue.length === 0) this.forced.delete(orgId);
    return outcome;
  }
}

function hasInvalidMarker(value: unknown): boolean {
  if (typeof value === 'string') return value.toLowerCase().startsWith('invalid');
  if (Array.isArray(value)) return value.some(hasInvalidMarker);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasInvalidMarker);
  return false;
}
