// Runs steps against two targets: each request goes to the vendor first, then to syncmock, and the answers
// are compared. Whatever happens (a difference, a failure, an interruption), everything a write step may
// have changed is taken back at the end, on both sides.
import { compareAnswers, errorTexts, type Difference } from './compare';
import { NAME_PREFIX, type RunState, type StepFactory } from './scenario';
import type { Scrubber } from './scrub';
import { stringAt, type Answer, type RequestTemplate, type Step, type Undo, type VendorName } from './step';
import { isAttrSyncConfig, type SideName, type Target } from './targets';

export type Verdict = 'same' | 'different' | 'skipped' | 'error';

export interface SideReport {
  status?: number;
  /** Why there is no answer. */
  error?: string;
  /** Error texts, normalised. */
  texts: string[];
  ms: number;
}

export interface StepResult {
  id: string;
  vendor: VendorName;
  title: string;
  write: boolean;
  method: RequestTemplate['method'];
  path: string;
  verdict: Verdict;
  /** Why skipped, or what failed. */
  reason?: string;
  vendorSide?: SideReport;
  syncmockSide?: SideReport;
  differences: Difference[];
}

export interface CleanupResult {
  side: SideName;
  action: string;
  ok: boolean;
  detail: string;
}

export interface RunResult {
  steps: StepResult[];
  cleanup: CleanupResult[];
  interrupted: boolean;
}

export interface RunOptions {
  steps: StepFactory[];
  vendor: Target;
  syncmock: Target;
  allowWrites: boolean;
  /** Aborted on Ctrl-C: no further request is sent, the one in flight is abandoned, cleanup still runs. */
  signal: AbortSignal;
  scrub: Scrubber;
  /** Called with the vendor's answer to every step sent (the recorder). */
  onExchange?: (step: Step, answer: Answer) => void;
  /** Called after every step (progress; tests use it to fail a run halfway). */
  onStep?: (result: StepResult) => void | Promise<void>;
}

interface Outcome {
  answer?: Answer;
  error?: string;
  ms: number;
}

interface Registered {
  undo: Undo;
  vendor: VendorName;
  /** The step that registered it: only its own refusal means there is nothing to undo. */
  by: string;
}

const is2xx = (answer: Answer): boolean => answer.status >= 200 && answer.status < 300;

class Run {
  readonly state: RunState = {};
  /** Per target, what to take back at the end, by key, with the vendor it is on and the step that registered it. */
  private readonly undos = new Map<Target, Map<string, Registered>>();
  private readonly results: StepResult[] = [];

  constructor(private readonly options: RunOptions) {}

  async execute(): Promise<RunResult> {
    const { signal } = this.options;
    let cleanup: CleanupResult[] = [];
    try {
      for (const factory of this.options.steps) {
        if (signal.aborted) break;
        const result = await this.runStep(factory(this.state));
        this.results.push(result);
        await this.options.onStep?.(result);
      }
    } finally {
      cleanup = await this.cleanup();
    }
    return { steps: this.results, cleanup, interrupted: signal.aborted };
  }

  private async runStep(step: Step): Promise<StepResult> {
    const result: StepResult = {
      id: step.id, vendor: step.vendor, title: step.title, write: step.write, method: step.request.method, path: step.request.path,
      verdict: 'skipped', differences: [],
    };
    const skipReason = step.unavailable ?? (step.write && !this.options.allowWrites ? 'a write: sent only with --allow-writes' : step.blocked)
      ?? this.missing(step);
    if (skipReason !== undefined) return { ...result, reason: skipReason };

    const { vendor, syncmock } = this.options;
    const v = await this.send(vendor, step);
    result.vendorSide = this.sideReport(step, vendor, v);
    if (!v.answer) return { ...result, verdict: 'error', reason: `the vendor did not answer: ${v.error}` };
    this.options.onExchange?.(step, v.answer);
    if (step.mirror && is2xx(v.answer)) {
      const problem = await this.mirror(step, v.answer);
      if (problem) return { ...result, verdict: 'error', reason: problem };
    }
    const s = await this.send(syncmock, step);
    result.syncmockSide = this.sideReport(step, syncmock, s);
    if (!s.answer) return { ...result, verdict: 'error', reason: `syncmock did not answer: ${s.error}` };
    const differences = compareAnswers(step.vendor, { answer: v.answer, vars: vendor.vars }, { answer: s.answer, vars: syncmock.vars }, this.options.scrub);
    return { ...result, differences, verdict: differences.length === 0 ? 'same' : 'different' };
  }

  /** A placeholder a live target cannot fill (an earlier step's answer did not give it). */
  private missing(step: Step): string | undefined {
    for (const target of [this.options.vendor, this.options.syncmock]) {
      if (target.recorded) continue;
      const lacking = [...target.placeholders(step.request)].filter((name) => target.vars.get(name) === undefined);
      if (lacking.length > 0) return `needs ${lacking.map((n) => `{{${n}}}`).join(', ')}, which no earlier answer from the ${target.side} gave`;
    }
    return undefined;
  }

  private async send(target: Target, step: Step): Promise<Outcome> {
    const undos = this.undosOf(target);
    // Registered before sending: an answer that never arrives may still have changed something.
    if (step.undo && !target.recorded && !undos.has(step.undo.key)) undos.set(step.undo.key, { undo: step.undo, vendor: step.vendor, by: step.id });
    const started = performance.now();
    try {
      const answer = await target.send(step, step.request, this.options.signal);
      if (!target.recorded) this.settle(target, step, answer);
      return { answer, ms: performance.now() - started };
    } catch (err) {
      return { error: this.options.scrub.text((err as Error).message), ms: performance.now() - started };
    }
  }

  private settle(target: Target, step: Step, answer: Answer): void {
    const undos = this.undosOf(target);
    if (is2xx(answer)) {
      for (const [name, path] of Object.entries(step.capture ?? {})) {
        const value = stringAt(answer.json, path);
        if (value !== undefined) target.vars.set(name, value, step.secretCapture?.includes(name));
      }
      if (step.settles) undos.delete(step.settles);
    } else if (answer.status >= 400 && answer.status < 500 && step.undo && undos.get(step.undo.key)?.by === step.id) {
      undos.delete(step.undo.key); // refused: this step changed nothing (an earlier one may have)
    }
  }

  /** The vendor's source becomes the run's, and syncmock gets the same one under the same id. */
  private async mirror(step: Step, answer: Answer): Promise<string | undefined> {
    if (!isAttrSyncConfig(answer.json)) return 'the vendor\'s answer is not an attribute sync config, so the steps that build on it cannot run';
    this.state.sourceConfig = answer.json;
    const name = stringAt(answer.json, 'source.name') ?? `${NAME_PREFIX}source`;
    for (const target of [this.options.vendor, this.options.syncmock]) target.vars.set('sailpoint_source_name', name);
    try {
      await this.options.syncmock.mirror(step.mirror as NonNullable<Step['mirror']>, answer.json, this.options.signal);
      return undefined;
    } catch (err) {
      return this.options.scrub.text(`could not give syncmock the vendor's source: ${(err as Error).message}`);
    }
  }

  private sideReport(step: Step, target: Target, outcome: Outcome): SideReport {
    const texts = outcome.answer && outcome.answer.status >= 400 ? errorTexts(step.vendor, outcome.answer, target.vars, this.options.scrub) : [];
    return { status: outcome.answer?.status, error: outcome.error, texts, ms: Math.round(outcome.ms) };
  }

  private undosOf(target: Target): Map<string, Registered> {
    let undos = this.undos.get(target);
    if (!undos) {
      undos = new Map();
      this.undos.set(target, undos);
    }
    return undos;
  }

  private async cleanup(): Promise<CleanupResult[]> {
    const results: CleanupResult[] = [];
    // Cleanup has a signal of its own: the first Ctrl-C stops the scenario, not the cleanup.
    const signal = new AbortController().signal;
    for (const [target, undos] of this.undos) {
      for (const { undo, vendor } of [...undos.values()].reverse()) {
        const report = (action: string, ok: boolean, detail: string) =>
          results.push({ side: target.side, action, ok, detail: this.options.scrub.text(detail) });
        const step = (request: RequestTemplate, id: string): Step => ({ id, vendor, title: id, write: true, request });
        try {
          if ('request' in undo) {
            const answer = await target.send(step(undo.request, `undo ${undo.key}`), undo.request, signal);
            report(`restore ${undo.key}`, is2xx(answer), `${undo.request.method} answered ${answer.status}`);
            continue;
          }
          const list = await target.send(step(undo.sweep.list, `list for ${undo.key}`), undo.sweep.list, signal);
          if (!is2xx(list)) {
            report(`find what this run created (${undo.key})`, false, `the list answered ${list.status}: look for names starting ${NAME_PREFIX}${target.vars.get('run')}`);
            continue;
          }
          const ids = undo.sweep.pick(list.json, target.vars);
          if (ids.length === 0) report(`find what this run created (${undo.key})`, true, 'nothing left');
          for (const id of ids) {
            const removal = undo.sweep.remove(id);
            const answer = await target.send(step(removal, `delete ${id}`), removal, signal);
            report(`delete ${id}`, is2xx(answer) || answer.status === 404, `${removal.method} answered ${answer.status}`);
          }
        } catch (err) {
          report(`undo ${undo.key}`, false, (err as Error).message);
        }
      }
    }
    return results;
  }
}

export function runSteps(options: RunOptions): Promise<RunResult> {
  return new Run(options).execute();
}
