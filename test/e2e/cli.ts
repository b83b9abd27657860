// The built CLI as a child process, for tests that need a real process: signals, SIGKILL, its own output.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../../src/platform/paths';

export const CLI = path.join(packageRoot, 'dist', 'src', 'cli.js');

export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** The exit code, or null when a signal ended it. */
  exit: Promise<number | null>;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { err += d; });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** The base URL from the start line, once the server listens. */
export async function listening(r: CliRun): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const m = /datadog (http:\/\/[^/\s]+)/.exec(r.stdout());
    if (m) return m[1];
    if (r.child.exitCode !== null) break;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`no start line; stderr: ${r.stderr()}`);
}
