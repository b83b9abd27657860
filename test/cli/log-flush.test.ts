// Log lines are written asynchronously (off the request path); none may be lost when the process ends,
// whether by a signal or by a fatal error. The test stops reading the server's stdout during a burst of
// requests, so the pipe fills and most lines are still in the logger's buffer when the end comes; it
// reads again only once the end has begun.
import path from 'node:path';
import t from 'tap';
import { listening, runCli, type CliRun } from '../e2e/cli';

const REQUESTS = 600;

/** The burst with the server's stdout unread, then `end`, then reading again a moment later. */
async function burstThenEnd(r: CliRun, url: string, end: () => void): Promise<void> {
  r.child.stdout!.pause();
  await burst(url);
  end();
  await new Promise((resolve) => setTimeout(resolve, 300));
  r.child.stdout!.resume();
}

async function burst(url: string): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 50 }, async () => {
    while (next < REQUESTS) {
      next += 1;
      const res = await fetch(`${url}/__admin/health`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`health answered ${res.status}`);
    }
  }));
}

const completed = (r: CliRun) => r.stdout().split('\n').filter((l) => l.includes('"msg":"request completed"')).length;

t.test('SIGTERM right after a burst of requests: every request line is written, then the shutdown', async (t) => {
  const r = runCli(['--port', '0', '--db', ':memory:', '--log-level', 'info']);
  const url = await listening(r);
  await burstThenEnd(r, url, () => r.child.kill('SIGTERM'));
  t.equal(await r.exit, 0);
  t.equal(completed(r), REQUESTS, 'one line per request, none lost');
  const last = r.stdout().trim().split('\n').pop() as string;
  t.match(JSON.parse(last), { msg: 'shutting down', signal: 'SIGTERM' }, 'the shutdown line is the last, whole');
});

t.test('a fatal error right after a burst of requests: every request line is written, then the error', async (t) => {
  const r = runCli(['--port', '0', '--db', ':memory:', '--log-level', 'info'], {
    NODE_OPTIONS: `--require ${path.join(__dirname, 'fatal-on-sigwinch.cjs')}`,
  });
  const url = await listening(r);
  await burstThenEnd(r, url, () => r.child.kill('SIGWINCH'));
  t.equal(await r.exit, 1, 'a fatal error ends the process with 1');
  t.equal(completed(r), REQUESTS, 'one line per request, none lost');
  const last = JSON.parse(r.stdout().trim().split('\n').pop() as string);
  t.match(last, { level: 50, msg: 'shutting down after an error', err: { message: 'a fatal error for the test' } }, 'the error line is the last, whole');
});
