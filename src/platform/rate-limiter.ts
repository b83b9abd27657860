import type { Clock } from './clock';
import type { RateLimitRule } from '../config';
import type { Vendor } from './vendors';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  periodSeconds: number;
  /** Whole seconds until the window resets (at least 1), what both vendors' clients sleep for. */
  resetSeconds: number;
}

// Fixed windows aligned to the clock ("calendar aligned", as Datadog documents X-RateLimit-Period).
// Counters live in memory: a restart or a reset starts every window afresh. Windows read the server
// clock, so moving it through the control API moves them too.
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly clock: Clock) {}

  take(key: string, rule: RateLimitRule): RateLimitDecision {
    const periodMs = rule.periodSeconds * 1000;
    const now = this.clock.nowMs();
    const start = now - (now % periodMs);
    let window = this.windows.get(key);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.windows.set(key, window);
    }
    const allowed = window.count < rule.limit;
    if (allowed) window.count += 1;
    return {
      allowed,
      limit: rule.limit,
      remaining: Math.max(0, rule.limit - window.count),
      periodSeconds: rule.periodSeconds,
      resetSeconds: Math.max(1, Math.ceil((start + periodMs - now) / 1000)),
    };
  }

  /** Forget counters, all of them or those whose key starts with a prefix (one org or tenant). */
  clear(prefix?: string): void {
    if (prefix === undefined) return this.windows.clear();
    for (const key of this.windows.keys()) if (key.startsWith(prefix)) this.windows.delete(key);
  }
}

/**
 * The limits in force, per vendor and group. The rules are the config's own objects, which the vendor
 * plugins read on every request, so a change made here (PUT /__admin/rate-limits) applies at once; it is
 * made in place for the same reason. A full reset puts the configured values back.
 */
export class RateLimitSettings {
  private readonly configured: Record<string, Record<string, RateLimitRule>>;

  constructor(readonly rules: Readonly<Record<Vendor, Readonly<Record<string, RateLimitRule>>>>) {
    this.configured = structuredClone(rules);
  }

  /** Changes the given fields of the given rules; unknown vendors and groups are the caller's to reject. */
  update(changes: Partial<Record<Vendor, Record<string, Partial<RateLimitRule>>>>): void {
    for (const [vendor, groups] of Object.entries(changes)) {
      for (const [group, rule] of Object.entries(groups ?? {})) Object.assign(this.rules[vendor as Vendor][group], rule);
    }
  }

  restore(): void {
    for (const [vendor, groups] of Object.entries(this.configured)) {
      for (const [group, rule] of Object.entries(groups)) Object.assign(this.rules[vendor as Vendor][group], rule);
    }
  }
}
