// No machine here reaches the vendors, so a second syncmock stands in for the vendor. It gets marker
// credentials: a SailPoint client in its seed data (so a wrong secret is refused, as on the vendor) and a
// Datadog key pair (open auth mode accepts it). Every output is swept for the markers.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parityCommand } from '../../src/parity/command';
import type { StepResult } from '../../src/parity/runner';
import { startServer, type TestServer } from '../helpers';
import { SOURCE_ID, TENANT_1 } from '../sailpoint/sp';
import { builtCli, childEnv, repoRoot } from '../spawn';
import type { StartOptions } from '../../src/index';

export const MARKERS = {
  DD_API_KEY: 'PARITY-MARKER-dd-api-key-5b1e07',
  DD_APP_KEY: 'PARITY-MARKER-dd-app-key-9c44d2',
  SAIL_CLIENT_ID: 'PARITY-MARKER-sail-client-3f0a',
  SAIL_CLIENT_SECRET: 'PARITY-MARKER-sail-secret-e81c',
  DD_PARITY_OKTA_API_TOKEN: 'PARITY-MARKER-okta-token-77d0',
};

interface Tap {
  teardown(fn: () => unknown): void;
  ok(value: unknown, message?: string, extra?: object): void;
  testdir(content?: object): string;
}

/** A syncmock standing in for the vendor, with the marker SailPoint client in its seed data. */
export async function vendorStandIn(t: Tap, options: StartOptions = {}): Promise<TestServer> {
  const seed = JSON.parse(fs.readFileSync(path.join(repoRoot, 'data', 'seed.json'), 'utf8'));
  seed.sailpoint.clients.push({
    client_id: MARKERS.SAIL_CLIENT_ID, client_secret: MARKERS.SAIL_CLIENT_SECRET, tenant_id: TENANT_1,
    authorities: ['ORG_ADMIN'], scope: ['sp:scopes:all'],
  });
  const dir = t.testdir();
  fs.writeFileSync(path.join(dir, 'seed.json'), JSON.stringify(seed));
  return startServer(t, { seedData: path.join(dir, 'seed.json'), ...options });
}

/** The vendor side's environment, pointing at the stand-in. */
export function vendorEnv(vendor: TestServer, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...MARKERS, SAIL_BASE_URL: vendor.url, ...extra };
}

/** Flags that point the Datadog side at the stand-in and name the source and the Okta domain. */
export const vendorArgs = (vendor: TestServer): string[] =>
  ['--datadog-url', vendor.url, '--sailpoint-source-id', SOURCE_ID, '--datadog-okta-domain', 'dev-parity.okta.com'];

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `syncmock parity …` in this process. */
export async function parity(argv: string[], env: NodeJS.ProcessEnv,
  hooks: { signal?: AbortSignal; onStep?: (r: StepResult) => void | Promise<void> } = {}): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const code = await parityCommand(argv, env, {
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
    signal: hooks.signal ?? new AbortController().signal,
    onStep: hooks.onStep,
  });
  return { code, stdout, stderr };
}

export interface JsonReport {
  summary: { steps: number; same: number; different: number; skipped: number; errors: number; cleanupFailed: number; interrupted: boolean };
  steps: Array<StepResult>;
  cleanup: Array<{ side: string; action: string; ok: boolean; detail: string }>;
}

export const readReport = (dir: string): JsonReport => JSON.parse(fs.readFileSync(path.join(dir, 'parity.json'), 'utf8'));

/** step id → the kinds of difference found, for the steps that differed. */
export function differencesOf(report: JsonReport): Record<string, string[]> {
  return Object.fromEntries(report.steps.filter((s) => s.verdict !== 'same' && s.verdict !== 'skipped')
    .map((s) => [s.id, s.verdict === 'error' ? ['error'] : s.differences.map((d) => d.what)]));
}

/** Every file under a folder, read as text. */
export function filesUnder(dir: string): Array<{ file: string; text: string }> {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((name) => path.join(dir, name))
    .filter((file) => fs.statSync(file).isFile()).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
}

/** Configs on a server whose name this tool gave them (any org). */
export async function parityConfigsOn(server: TestServer): Promise<string[]> {
  const state = await (await fetch(`${server.url}/__admin/state`)).json() as {
    datadog: { orgs: Record<string, { integration_configs: Array<{ name: string }> }> };
  };
  return Object.values(state.datadog.orgs).flatMap((o) => o.integration_configs.map((c) => c.name)).filter((n) => n.startsWith('syncmock-parity-'));
}

/** The seeded source's attributes on a server, in the marker client's tenant. */
export async function sourceAttributes(server: TestServer): Promise<unknown> {
  const state = await (await fetch(`${server.url}/__admin/state`)).json() as {
    sailpoint: { tenants: Record<string, { sources: Array<{ id: string; attributes: unknown }> }> };
  };
  return state.sailpoint.tenants[TENANT_1].sources.find((s) => s.id === SOURCE_ID)?.attributes;
}

/** The CLI, asynchronously (a synchronous spawn would stop this process's servers from answering it). */
export function spawnParity(t: { teardown(fn: () => unknown): void }, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [builtCli, 'parity', ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (d: string) => { output.stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { output.stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, output, exited };
}
