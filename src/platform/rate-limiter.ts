// Rate limits per vendor, group and scope (org or tenant), in fixed windows aligned to the clock ("calendar
// aligned", as vendors document their rate-limit periods). Counters live in memory: a restart or a reset starts
// every window afresh. Windows read the server clock, so moving it through the control API moves them too.
import type { ConfigRateLimitRule } from '../generated/schema-types';
import type { Clock } from './clock';
import type { Scope } from './vendor';

/** A limit per window, as the configuration writes it (schemas/config.json). */
export type RateLimitRule = ConfigRateLimitRule;

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  periodSeconds: number;
  /** Whole seconds until the window resets (at least 1), what both vendors' clients sleep for. */
  resetSeconds: number;
}

// Keys join vendor and scope id, and group and the caller's own part, with a character no id contains.
const SEP = '\u0000';
const scopeKey = (vendor: string, scopeId: string): string => `${vendor}${SEP}${scopeId}`;

interface Window {
  start: number;
  count: number;
}

/**
 * The limits in force and their counters. Each vendor declares its groups and their configured rules;
 * the control API changes them at run time (PUT /__admin/rate-limits) and a full reset restores them.
 */
export class RateLimits {
  /** Per scope, so forgetting one org's or tenant's counters (a scoped reset) is one delete. */
  private readonly windows = new Map<string, Map<string, Window>>();
  private readonly rules: Record<string, Record<string, RateLimitRule>> = {};
  private readonly configured: Record<string, Record<string, RateLimitRule>> = {};

  constructor(private readonly clock: Clock) {}

  /** A vendor's groups with their configured rules. */
  define(vendor: string, rules: Record<string, RateLimitRule>): void {
    this.configured[vendor] = structuredClone(rules);
    this.rules[vendor] = structuredClone(rules);
  }

  /** The rules in force, per vendor and group. */
  view(): Readonly<Record<string, Readonly<Record<string, Readonly<RateLimitRule>>>>> {
    return this.rules;
  }

  /**
   * Counts one request of a scope against a group's rule. `caller` narrows the counter within the scope
   * (a vendor that counts per client and API version, say).
   */
  take(vendor: string, scopeId: string, group: string, caller = ''): RateLimitDecision {
    const rule = this.rules[vendor][group];
    const scope = scopeKey(vendor, scopeId);
    let windows = this.windows.get(scope);
    if (windows === undefined) {
      windows = new Map();
      this.windows.set(scope, windows);
    }
    const key = `${group}${SEP}${caller}`;
    const periodMs = rule.periodSeconds * 1000;
    const now = this.clock.nowMs();
    const start = now - (now % periodMs);
    let window = windows.get(key);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      windows.set(key, window);
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

  /** Changes the given fields of the given rules (checked by the caller's schema); counters start afresh. */
  update(changes: Record<string, Record<string, Partial<RateLimitRule>>>): void {
    for (const [vendor, groups] of Object.entries(changes)) {
      for (const [group, rule] of Object.entries(groups)) Object.assign(this.rules[vendor][group], rule);
    }
    this.windows.clear();
  }

  /** The configured rules again, and no counters. */
  restore(): void {
    for (const [vendor, rules] of Object.entries(this.configured)) this.rules[vendor] = structuredClone(rules);
    this.windows.clear();
  }

  /** Forgets counters: all of them, or one org's or tenant's. */
  clear(scope?: Scope): void {
    if (scope === undefined) this.windows.clear();
    else this.windows.delete(scopeKey(scope.vendor, scope.id));
  }
}
