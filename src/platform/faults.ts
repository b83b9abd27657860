// Fault injection: rules that make matching requests fail with a status, wait, or lose their connection.
// The engine knows no vendor: a status becomes the Problem for that status, raised inside the vendor's
// plugin, so the vendor's own error handler gives it that vendor's wire shape.
import { randomInt } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from './clock';
import { ClientFault, problemForStatus } from './errors';
import { newUuid } from './ids';
import { compilePathPattern, type PathPattern } from './path-pattern';
import { routedPath } from './routed-path';
import type { Scope } from './vendor';

export interface FaultSpec {
  vendor?: string;
  /** The org or tenant (needs `vendor`). */
  scopeId?: string;
  /** Upper case. */
  method?: string;
  /** A glob over the URL path as the router reads it (routed-path.ts), so every spelling of a route matches. */
  path?: string;
  /** Answer with this status in the vendor's error shape... */
  status?: number;
  message?: string;
  /** ...telling the client to retry after this many seconds (the vendor's retry header). */
  retryAfterSeconds?: number;
  /**
   * Wait this long first (then answer for real, or with `status`, or drop). Real time, so a client's own
   * timeout can fire; the control API's schema bounds it, so a forgotten rule cannot hang a suite.
   */
  delayMs?: number;
  /** Close the connection without an answer. */
  drop?: boolean;
  /** Apply to the next N matches only. */
  times?: number;
  /** Chance a match applies, drawn from a PRNG seeded with `seed`, so a run repeats. */
  probability?: number;
  seed?: number;
}

export interface FaultRule extends Readonly<FaultSpec> {
  readonly id: string;
  readonly seed: number;
  readonly createdAt: string;
  /** How many requests it has been applied to. */
  readonly hits: number;
}

/** What the journal records about a fault applied to a request. */
export interface AppliedFault {
  id: string;
  status?: number;
  delay_ms?: number;
  drop?: true;
  /** The rule was removed while its delay held the request, which then went on without the rest of it. */
  released?: true;
}

/**
 * Rules held at most: every vendor request is matched against them. Beyond it, rules whose `times` are used
 * up (they can never apply again) make room; live ones are never dropped, so a rule more is refused (409).
 */
export const MAX_FAULT_RULES = 1000;

interface LiveRule extends FaultRule {
  hits: number;
  pathRe?: PathPattern;
  random(): number;
  /** Aborted when the rule is removed: the requests its delay holds go on at once (made on first use). */
  release?: AbortController;
}

export class FaultEngine {
  private rules: LiveRule[] = [];
  private readonly shutdown = new AbortController();

  constructor(private readonly clock: Clock) {}

  /** Adds a rule after the existing ones (the first that applies wins). Throws InvalidInput on a bad path. */
  add(spec: FaultSpec): FaultRule {
    // Used-up rules leave as every rule does (removeWhere): the requests their delay still holds go on.
    if (this.rules.length >= MAX_FAULT_RULES) this.removeWhere(usedUp);
    if (this.rules.length >= MAX_FAULT_RULES) {
      throw new ClientFault(`At most ${MAX_FAULT_RULES} fault rules may be held, and that many can still apply: remove some (DELETE /__admin/faults)`, 409);
    }
    const seed = spec.seed ?? randomInt(2 ** 32);
    const rule: LiveRule = {
      ...spec,
      id: newUuid(),
      seed,
      createdAt: this.clock.isoNow(),
      hits: 0,
      pathRe: spec.path === undefined ? undefined : compilePathPattern(spec.path, 'path'),
      random: mulberry32(seed),
    };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return [...this.rules];
  }

  get(id: string): FaultRule | undefined {
    return this.rules.find((r) => r.id === id);
  }

  /** Removes a rule; the requests its delay holds go on at once, as if it had not matched. */
  remove(id: string): boolean {
    return this.removeWhere((r) => r.id === id) > 0;
  }

  /** Removes every rule, or those aimed at one org or tenant, releasing the requests they hold. */
  clear(scope?: Scope): void {
    this.removeWhere((r) => scope === undefined || (r.vendor === scope.vendor && r.scopeId === scope.id));
  }

  /** The one way a rule leaves: removed, cleared, reset or made room for; it releases what its delay holds. */
  private removeWhere(removed: (rule: LiveRule) => boolean): number {
    const kept: LiveRule[] = [];
    for (const rule of this.rules) {
      if (removed(rule)) rule.release?.abort();
      else kept.push(rule);
    }
    const count = this.rules.length - kept.length;
    this.rules = kept;
    return count;
  }

  /** Delays end at once when the server shuts down, so a close is not held up by a sleeping request. */
  cancelDelays(): void {
    this.shutdown.abort();
  }

  /**
   * The preValidation hook a vendor plugin installs (through instrumentVendor). A callback hook: without
   * rules (nearly always) it costs no promise; a matching rule goes through apply().
   */
  readonly hook = (request: FastifyRequest, reply: FastifyReply, done: (err?: FastifyError) => void): void => {
    const tag = request.vendorTag;
    const rule = tag && this.rules.length > 0 ? this.pick(tag.vendor, tag.scopeOf(request), request.method, routedPath(request.url)) : undefined;
    if (!rule) return done();
    this.apply(rule, request, reply).then(() => done(), done);
  };

  private async apply(rule: LiveRule, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    request.fault = {
      id: rule.id,
      ...(rule.status !== undefined && { status: rule.status }),
      ...(rule.delayMs !== undefined && { delay_ms: rule.delayMs }),
      ...(rule.drop && { drop: true }),
    };
    if (rule.delayMs && !(await this.wait(rule))) {
      // Released: the rule is gone, and so is the rest of what it would have done.
      request.fault = { id: rule.id, delay_ms: rule.delayMs, released: true };
      return;
    }
    if (rule.drop) {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (rule.status !== undefined) {
      throw problemForStatus(rule.status, rule.message ?? STATUS_CODES[rule.status] ?? 'Injected fault', rule.retryAfterSeconds);
    }
  }

  private pick(vendor: string, scopeId: string | undefined, method: string, path: string): LiveRule | undefined {
    for (const rule of this.rules) {
      if (usedUp(rule)) continue;
      if (rule.vendor !== undefined && rule.vendor !== vendor) continue;
      if (rule.scopeId !== undefined && rule.scopeId !== scopeId) continue;
      if (rule.method !== undefined && rule.method !== method) continue;
      if (rule.pathRe && !rule.pathRe.test(path)) continue;
      if (rule.probability !== undefined && rule.probability < 1 && rule.random() >= rule.probability) continue;
      rule.hits += 1;
      return rule;
    }
    return undefined;
  }

  /** Waits out the rule's delay; false when the rule was removed meanwhile (the request is released). */
  private async wait(rule: LiveRule): Promise<boolean> {
    rule.release ??= new AbortController();
    const release = rule.release.signal;
    try {
      await sleep(rule.delayMs as number, undefined, { signal: AbortSignal.any([this.shutdown.signal, release]) });
    } catch {
      // Cut short by a shutdown (answer now) or by the rule's removal.
    }
    return !release.aborted;
  }
}

/** Whether a rule's `times` are used up: it never applies again. */
export const usedUp = (rule: FaultRule): boolean => rule.times !== undefined && rule.hits >= rule.times;

/** A small seeded PRNG (mulberry32): uniform in [0, 1), the same sequence for the same seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
