// What a run prints and writes: a table (step, vendor, syncmock, verdict) with every difference under it, a
// JSON report and a JUnit XML report (for CI test views). Everything goes through the scrubber.
import fs from 'node:fs';
import path from 'node:path';
import { version } from '../version';
import type { RunResult, SideReport, StepResult } from './runner';
import type { Scrubber } from './scrub';

export interface Summary {
  steps: number;
  same: number;
  different: number;
  skipped: number;
  errors: number;
  cleanupFailed: number;
  interrupted: boolean;
}

export function summarise(run: RunResult): Summary {
  const count = (verdict: StepResult['verdict']) => run.steps.filter((s) => s.verdict === verdict).length;
  return {
    steps: run.steps.length, same: count('same'), different: count('different'), skipped: count('skipped'), errors: count('error'),
    cleanupFailed: run.cleanup.filter((c) => !c.ok).length, interrupted: run.interrupted,
  };
}

/** Clean: nothing differed, nothing failed, everything was undone, and the run was not cut short. */
export const passed = (s: Summary): boolean => s.different === 0 && s.errors === 0 && s.cleanupFailed === 0 && !s.interrupted;

const cell = (side: SideReport | undefined): string => (side === undefined ? '-' : side.status !== undefined ? String(side.status) : 'no answer');
const verdictText = (r: StepResult): string =>
  r.verdict === 'different' ? 'DIFFERENT' : r.verdict === 'error' ? 'ERROR' : r.verdict === 'skipped' ? `skipped: ${r.reason}` : 'same';

export function table(run: RunResult, scrub: Scrubber): string {
  const rows = [['step', 'vendor', 'syncmock', 'verdict'], ...run.steps.map((r) => [r.id, cell(r.vendorSide), cell(r.syncmockSide), verdictText(r)])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) => row.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ').trimEnd());
  for (const r of run.steps.filter((s) => s.verdict === 'different' || s.verdict === 'error')) {
    lines.push('', `${r.id}: ${r.title} (${r.method} ${r.path})`);
    if (r.reason) lines.push(`  ! ${r.reason}`);
    for (const d of r.differences) lines.push(`  - ${d.what}: ${d.detail}`);
    // With a different status the texts are not compared, but they say what each side objected to.
    if (r.differences.some((d) => d.what === 'status')) {
      for (const [side, report] of [['vendor', r.vendorSide], ['syncmock', r.syncmockSide]] as const) {
        if (report && report.texts.length > 0) lines.push(`    ${side} said: ${JSON.stringify(report.texts)}`);
      }
    }
  }
  if (run.cleanup.length > 0) lines.push('');
  for (const c of run.cleanup) lines.push(`cleanup on the ${c.side}: ${c.action}: ${c.ok ? 'done' : 'FAILED'} (${c.detail})`);
  const s = summarise(run);
  lines.push('', `${s.steps} steps: ${s.same} same, ${s.different} different, ${s.skipped} skipped, ${s.errors} failed` +
    `${s.cleanupFailed > 0 ? `; ${s.cleanupFailed} cleanup actions FAILED` : ''}${s.interrupted ? '; interrupted' : ''}.`);
  return `${scrub.text(lines.join('\n'))}\n`;
}

export interface ReportContext {
  mode: 'live' | 'replay';
  startedAt: Date;
  vendor: Record<string, string>;
  syncmock: string;
}

function jsonReport(run: RunResult, context: ReportContext, scrub: Scrubber): string {
  const doc = {
    tool: 'syncmock parity', syncmock_version: version, mode: context.mode,
    started_at: context.startedAt.toISOString(), finished_at: new Date().toISOString(),
    vendor: context.vendor, syncmock: context.syncmock,
    summary: summarise(run), steps: run.steps, cleanup: run.cleanup,
  };
  return `${JSON.stringify(scrub.deep(doc), null, 2)}\n`;
}

// A JUnit writer is a few lines of XML escaping; the npm packages for it (junit-report-builder and the like)
// pull in an XML builder and date libraries for what this file does in one function.
const xml = (text: string): string =>
  text.replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, '') // characters XML 1.0 cannot carry
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

function junitReport(run: RunResult, scrub: Scrubber): string {
  // Scrubbed before escaping: an escaped credential would no longer match.
  const x = (text: string): string => xml(scrub.text(text));
  const seconds = (r: StepResult) => (((r.vendorSide?.ms ?? 0) + (r.syncmockSide?.ms ?? 0)) / 1000).toFixed(3);
  const suites = [...new Set(run.steps.map((r) => r.vendor))].map((vendor) => {
    const steps = run.steps.filter((r) => r.vendor === vendor);
    const n = (verdict: StepResult['verdict']) => steps.filter((r) => r.verdict === verdict).length;
    const cases = steps.map((r) => {
      const open = `    <testcase classname="syncmock.parity.${vendor}" name="${x(`${r.id}: ${r.title}`)}" time="${seconds(r)}"`;
      if (r.verdict === 'same') return `${open}/>`;
      const body = r.verdict === 'skipped'
        ? `<skipped message="${x(r.reason ?? '')}"/>`
        : r.verdict === 'error'
          ? `<error message="${x(r.reason ?? '')}"/>`
          : `<failure message="${x(`${r.differences.length} difference(s) from the vendor`)}" type="difference">` +
            `${x(r.differences.map((d) => `${d.what}: ${d.detail}`).join('\n'))}</failure>`;
      return `${open}>\n      ${body}\n    </testcase>`;
    });
    return `  <testsuite name="${vendor}" tests="${steps.length}" failures="${n('different')}" errors="${n('error')}" skipped="${n('skipped')}">\n` +
      `${cases.join('\n')}\n  </testsuite>`;
  });
  const s = summarise(run);
  return scrub.text(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="syncmock parity" tests="${s.steps}" ` +
    `failures="${s.different}" errors="${s.errors}" skipped="${s.skipped}">\n${suites.join('\n')}\n</testsuites>\n`);
}

/** Writes <dir>/parity.json and <dir>/parity.junit.xml; returns their paths. */
export function writeReports(dir: string, run: RunResult, context: ReportContext, scrub: Scrubber): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: Array<[string, string]> = [
    [path.join(dir, 'parity.json'), jsonReport(run, context, scrub)],
    [path.join(dir, 'parity.junit.xml'), junitReport(run, scrub)],
  ];
  for (const [file, content] of files) fs.writeFileSync(file, content);
  return files.map(([file]) => file);
}
