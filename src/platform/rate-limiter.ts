import type { Clock } from './clock';
import type { RateLimitRule } from '../config';

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
