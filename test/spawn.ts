// Running syncmock as a separate process, the way a user or CI starts it.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..');
export const builtCli = path.join(repoRoot, 'dist', 'src', 'cli.js');

/** The environment for a child: without tap's loaders and coverage hooks, which are for tap's own processes. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  delete env.NODE_V8_COVERAGE;
  return env;
}

/** Runs the built CLI to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [builtCli, ...args], { env: childEnv(env), encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface Started {
  child: ChildProcess;
  /** The first stdout line matching the pattern. */
  line: string;
  /** Resolves with the exit code (or signal name) once the process has ended, with everything it wrote. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * Spawns a command and waits for a stdout line matching `ready`. Rejects with what the process wrote if it
 * exits first, so a failed start shows why. Killed with SIGKILL at test teardown, with whatever it started.
 */
export function startProcess(
  t: { teardown(fn: () => unknown): void },
  command: string, args: string[], ready: RegExp, options: SpawnOptions = {},
): Promise<Started> {
  // A process group of its own, killed whole at teardown: a command that starts the server as its child
  // (script(1) for a terminal) left that child running after the test when only the command was killed.
  const child = spawn(command, args, { env: childEnv(), ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  t.teardown(() => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const line = stdout.split('\n').find((l) => ready.test(l));
      if (line !== undefined) resolve({ child, line, exited });
    });
    void exited.then(({ code, signal }) => reject(new Error(`exited (${code ?? signal}) before ${ready}: ${stdout}${stderr}`)));
  });
}
