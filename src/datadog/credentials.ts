// Stands in for the call Datadog makes to Google, Okta, CrowdStrike, SentinelOne or Entra ID to check
// credentials. The rule is deterministic and documented in README: a missing or empty `secrets` object is
// invalid, and so is any string value inside it (at any depth) that starts with "invalid", whatever its
// case. A source that takes no secrets (Entra ID) is valid when none are given. A test can force the
// outcome of the next checks instead (control API).
import { needsNoSecrets } from './integration-types';

export type CredentialOutcome = 'valid' | 'invalid';

export class CredentialCheck {
  private readonly forced: CredentialOutcome[] = [];

  /** The next check (and the ones after it, in order) answers this, whatever the secrets. */
  forceNext(outcome: CredentialOutcome, times = 1): void {
    for (let i = 0; i < times; i++) this.forced.push(outcome);
  }

  pending(): CredentialOutcome[] {
    return [...this.forced];
  }

  clear(): void {
    this.forced.length = 0;
  }

  check(integrationType: string, secrets: Record<string, unknown> | null | undefined): CredentialOutcome {
    const forced = this.forced.shift();
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
