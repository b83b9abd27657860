// Rate limits per vendor, group and scope (org or tenant), in fixed windows aligned to the clock ("calendar
// aligned", as vendors document their rate-limit periods). Counters live in memory: a restart or a reset starts
// every window afresh. Windows read the server clock, so moving it through the control API moves them too.
// A window is forgotten once it has ended, so a client that uses a new key per test (open auth mode) does not
// grow memory; a window still running is forgotten only past MAX_RATE_LIMIT_WINDOWS (a frozen clock ends no
// window), the least recently used first: its count starts again, the price of a bound that holds whatever the
// clock does.
// A rule is a limit per window, as the configuration writes it (ConfigRateLimitRule, schemas/config.json).
import type { ConfigRateLimitRule } from '../generated/schema-types';
import type { Clock } from './clock';
import type { Scope } from './vendor';

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
  end: number;
  count: number;
}

/**
 * Ended windows are swept out once the number held has doubled since the last sweep (and is at least this),
 * or once every window held at the last sweep has ended: what is held stays within twice the live windows
 * (or this many), at an amortised constant cost per request. Not a library cache: toad-cache's LRU evicts
 * live entries at its bound and its expiry reads Date.now, not the server clock.
 */
export const RATE_LIMIT_SWEEP_MIN = 1024;

/** The most windows held, running or not; as many as the caches of orgs and tenants hold. */
export const MAX_RATE_LIMIT_WINDOWS = 10_000;

/**
 * The limits in force and their counters. Each vendor declares its groups and their configured rules;
 * the control API changes them at run time (PUT /__admin/rate-limits) and a full reset restores them.
 */
export class RateLimits {
  /** Per scope, so forgetting one org's or tenant's counters (a scoped reset) is one delete. */
  private readonly windows = new Map<string, Map<string, Window>>();
  private readonly rules: Record<string, Record<string, ConfigRateLimitRule>> = {};
  private readonly configured: Record<string, Record<string, ConfigRateLimitRule>> = {};
  /** Every window held, once, least recently used first (Map order: a window used again moves to the end). */
  private readonly recent = new Map<string, { scope: string; windows: Map<string, Window>; key: string }>();
  private sweepAtSize = RATE_LIMIT_SWEEP_MIN;
  private sweepAtMs = Infinity;

  constructor(private readonly clock: Clock) {}

  /** How many windows are held (the bounded-state tests read it). */
  get size(): number {
    return this.recent.size;
  }

  /** A vendor's groups with their configured rules. */
  define(vendor: string, rules: Record<string, ConfigRateLimitRule>): void {
    this.configured[vendor] = structuredClone(rules);
    this.rules[vendor] = structuredClone(rules);
  }

  /** The rules in force, per vendor and group. */
  view(): Readonly<Record<string, Readonly<Record<string, Readonly<ConfigRateLimitRule>>>>> {
    return this.rules;
  }

  /**
   * Counts one request of a scope against a group's rule. `caller` narrows the counter within the scope
   * (a vendor that counts per client and API version, say).
   */
  take(vendor: string, scopeId: string, group: string, caller = ''): RateLimitDecision {
    const rule = this.rules[vendor][group];
    const now = this.clock.nowMs();
    if (this.recent.size >= this.sweepAtSize || now >= this.sweepAtMs) this.sweep(now);
    const scope = scopeKey(vendor, scopeId);
    let windows = this.windows.get(scope);
    if (windows === undefined) {
      windows = new Map();
      this.windows.set(scope, windows);
    }
    const key = `${group}${SEP}${caller}`;
    const periodMs = rule.periodSeconds * 1000;
    const start = now - (now % periodMs);
    let window = windows.get(key);
    if (!window || window.start !== start) {
      if (!window && this.recent.size >= MAX_RATE_LIMIT_WINDOWS) {
        this.makeRoom();
        this.windows.set(scope, windows); // making room drops scopes left empty, this one included
      }
      window = { start, end: start + periodMs, count: 0 };
      windows.set(key, window);
      if (this.sweepAtMs === Infinity) this.sweepAtMs = window.end;
    }
    const full = `${scope}${SEP}${key}`;
    const used = this.recent.get(full) ?? { scope, windows, key };
    this.recent.delete(full);
    this.recent.set(full, used);
    const allowed = window.count < rule.limit;
    if (allowed) window.count += 1;
    return {
      allowed,
      limit: rule.limit,
      remaining: Math.max(0, rule.limit - window.count),
      periodSeconds: rule.periodSeconds,
      resetSeconds: Math.max(1, Math.ceil((window.end - now) / 1000)),
    };
  }

  /**
   * At the bound, the least recently used window goes, running or not: constant work per new window. (The
   * sweep has already taken the ended ones whenever they could be many: held doubled, or all had ended.)
   */
  private makeRoom(): void {
    for (const [full, { scope, windows, key }] of this.recent) {
      if (this.recent.size < MAX_RATE_LIMIT_WINDOWS) break;
      windows.delete(key);
      if (windows.size === 0) this.windows.delete(scope);
      this.recent.delete(full);
    }
  }

  /** Forgets every window that has ended (or starts after now: the clock was moved back, so it is never reused). */
  private sweep(now: number): void {
    let latestEnd = -Infinity;
    for (const [scope, windows] of this.windows) {
      for (const [key, window] of windows) {
        if (now >= window.end || now < window.start) {
          windows.delete(key);
          this.recent.delete(`${scope}${SEP}${key}`);
        } else if (window.end > latestEnd) latestEnd = window.end;
      }
      if (windows.size === 0) this.windows.delete(scope);
    }
    this.sweepAtSize = Math.max(RATE_LIMIT_SWEEP_MIN, 2 * this.recent.size);
    this.sweepAtMs = this.recent.size === 0 ? Infinity : latestEnd;
  }

  private forgetAll(): void {
    this.windows.clear();
    this.recent.clear();
    this.sweepAtSize = RATE_LIMIT_SWEEP_MIN;
    this.sweepAtMs = Infinity;
  }

  /** Changes the given fields of the given rules (checked by the caller's schema); counters start afresh. */
  update(changes: Record<string, Record<string, Partial<ConfigRateLimitRule>>>): void {
    for (const [vendor, groups] of Object.entries(changes)) {
      for (const [group, rule] of Object.entries(groups)) Object.assign(this.rules[vendor][group], rule);
    }
    this.forgetAll();
  }

  /** The configured rules again, and no counters. */
  restore(): void {
    for (const [vendor, rules] of Object.entries(this.configured)) this.rules[vendor] = structuredClone(rules);
    this.forgetAll();
  }

  /** Forgets counters: all of them, or one org's or tenant's. */
  clear(scope?: Scope): void {
    if (scope === undefined) return this.forgetAll();
    const key = scopeKey(scope.vendor, scope.id);
    const windows = this.windows.get(key);
    if (windows === undefined) return;
    for (const windowKey of windows.keys()) this.recent.delete(`${key}${SEP}${windowKey}`);
    this.windows.delete(key);
  }
}
