// A reset is a barrier: a request the emulated APIs admitted before a reset (full, or of its org or tenant)
// or a state import that covers it may not change state afterwards, nor land in the journal the reset began.
// Such a request was waiting while the reset ran: held by a delay fault, or its body still arriving. A
// suite that resets between cases would otherwise see the previous case's write appear in the next one.
// Every vendor request notes the barrier's tick when it arrives; a reset moves the tick on and remembers
// when it covered what. Handlers run synchronously (better-sqlite3), so a request that passes the check just
// before its handler cannot be overtaken halfway through its write.
import { Problem } from './errors';
import type { Scope } from './vendor';

/**
 * How many scoped resets are remembered one by one. Beyond that the oldest is forgotten, and every request
 * admitted before it counts as overtaken by a reset of its scope, whatever its scope: a bound that can only
 * refuse too much (a request in flight across ten thousand scoped resets), never let a stale write through.
 */
export const MAX_REMEMBERED_SCOPED_RESETS = 10_000;

const keyOf = (vendor: string, scopeId: string): string => `${vendor}\u0000${scopeId}`;

/**
 * The answer to a request a reset overtook: 409, not a 5xx, because both vendors' clients retry 5xx answers
 * (and 429) on their own, and a retry would make the write land after the reset after all.
 */
export class OvertakenByReset extends Problem {
  readonly status = 409;
  constructor() {
    super('The mock was reset while this request waited (POST /__admin/reset or /__admin/state): nothing was changed', [
      'The mock was reset while this request waited (POST /__admin/reset or /__admin/state): nothing was changed',
    ]);
  }
}

export class ResetBarrier {
  private tick = 0;
  private fullAt = 0;
  /** Scoped resets by scope, oldest first (a Map keeps insertion order; a repeated reset moves to the end). */
  private readonly scopedAt = new Map<string, number>();
  /** The tick of the newest scoped reset forgotten for the bound. */
  private forgottenAt = 0;

  /** What a request notes when it arrives. */
  now(): number {
    return this.tick;
  }

  /** A reset of everything (or a state import of everything) happens now. */
  resetAll(): void {
    this.fullAt = ++this.tick;
    this.scopedAt.clear();
    this.forgottenAt = 0;
  }

  /** A reset (or an import) of one org or tenant happens now. */
  resetScope(scope: Scope): void {
    const key = keyOf(scope.vendor, scope.id);
    this.scopedAt.delete(key);
    this.scopedAt.set(key, ++this.tick);
    if (this.scopedAt.size > MAX_REMEMBERED_SCOPED_RESETS) {
      const [oldest, at] = this.scopedAt.entries().next().value as [string, number];
      this.scopedAt.delete(oldest);
      this.forgottenAt = at;
    }
  }

  /** Whether a reset covering the request's scope came after it arrived (`admittedAt`, from now()). */
  overtook(admittedAt: number, vendor: string, scopeId: string | undefined): boolean {
    if (this.fullAt > admittedAt || this.forgottenAt > admittedAt) return true;
    if (scopeId === undefined || this.scopedAt.size === 0) return false;
    return (this.scopedAt.get(keyOf(vendor, scopeId)) ?? 0) > admittedAt;
  }

  /** How many scoped resets are remembered (bounded by MAX_REMEMBERED_SCOPED_RESETS). */
  get remembered(): number {
    return this.scopedAt.size;
  }
}
