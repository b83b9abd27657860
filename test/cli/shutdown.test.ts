// The built CLI: flags and env, exit code 2 for bad input, clean shutdown on SIGTERM and SIGINT.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { listening, runCli as run } from '../e2e/cli';
import { builtCli, startProcess } from '../spawn';

for (const [name, args, env, message] of [
  ['an unknown flag', ['--nope'], {}, /Unknown option '--nope'/],
  ['a bad port', ['--port', 'eighty'], {}, /--port must be a whole number/],
  ['a port out of range', ['--port', '70000'], {}, /--port must be between 0 and 65535/],
  ['a bad auth mode', ['--auth', 'loose'], {}, /--auth must be one of open, strict/],
  ['a bad env value', [], { SYNCMOCK_LOG_LEVEL: 'loud' }, /SYNCMOCK_LOG_LEVEL must be one of/],
] as const) {
  t.test(`${name}: one clear line, exit code 2`, async (t) => {
    const r = run([...args], { ...env });
    t.equal(await r.exit, 2);
    t.match(r.stderr(), message);
    t.equal(r.stderr().trim().split('\n').length, 1, 'one line, no stack');
  });
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  t.test(`${signal}: finishes, closes the database, exits 0`, async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-cli-'));
    t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
    const db = path.join(dir, 'cli.db');
    const r = run(['--port', '0', '--log-level', 'info'], { SYNCMOCK_DB: db });
    const url = await listening(r);
    const res = await fetch(`${url}/__admin/health`);
    t.equal(res.status, 200);
    t.same((await res.json()).db, 'file');
    r.child.kill(signal);
    t.equal(await r.exit, 0);
    t.match(r.stdout(), /shutting down/);
    t.notOk(fs.existsSync(`${db}-wal`) && fs.statSync(`${db}-wal`).size > 0, 'the WAL was checkpointed on close');
  });
}

t.test('SIGTERM with half-sent requests open: they close at once, a complete request is answered, exit 0 within 5 s', async (t) => {
  const r = run(['--port', '0', '--log-level', 'warn', '--db', ':memory:']);
  const url = await listening(r);
  const { port } = new URL(url);
  const prefix = '/api/v2/security_monitoring/configuration/integration_config';
  const keys = { 'dd-api-key': 'shutdown-api-key', 'dd-application-key': 'shutdown-app-key' };
  // A complete request still being answered at the signal: held by an injected delay.
  const fault = await fetch(`${url}/__admin/faults`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ vendor: 'datadog', delay_ms: 4000, times: 1 }),
  });
  t.equal(fault.status, 201);
  const inFlight = fetch(`${url}${prefix}`, { headers: keys }).then((res) => res.status, (err: Error) => `failed: ${err.message}`);
  const open = (text: string) => new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      socket.write(text);
      resolve(socket);
    });
    socket.on('error', reject).resume(); // read what comes, so the close is seen
  });
  const sockets = {
    'a half-sent body': await open(`POST ${prefix} HTTP/1.1\r\nHost: 127.0.0.1\r\nDD-API-KEY: k\r\nDD-APPLICATION-KEY: a\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"da`),
    'half-sent headers': await open(`GET ${prefix} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Part: one\r\n`),
    'an idle kept-alive connection': await open('GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
  };
  await new Promise((resolve) => setTimeout(resolve, 300)); // the server has read all of it
  const signalled = Date.now();
  const closed = Object.entries(sockets).map(([name, socket]) => new Promise<[string, number]>((resolve) => {
    socket.on('close', () => resolve([name, Date.now() - signalled]));
  }));
  r.child.kill('SIGTERM');
  const code = await r.exit;
  const exitMs = Date.now() - signalled;
  t.equal(code, 0, 'exit code 0');
  t.ok(exitMs < 5000, `exited within 5 s (${exitMs} ms)`);
  t.equal(await inFlight, 200, 'the complete request was answered');
  for (const [name, ms] of await Promise.all(closed)) {
    t.ok(ms < 1000, `${name}: closed at once (${ms} ms)`);
    t.comment(`${name}: closed ${ms} ms after SIGTERM`);
  }
  t.comment(`SIGTERM to exit: ${exitMs} ms`);
  t.notMatch(r.stderr(), /killed by timeout|error/i, 'no timeout, no error');
});

// A terminal that goes away (its window closed; here script(1), which holds the terminal, is killed): the
// process gets SIGHUP and its standard output answers EIO. It used to shut down to its last log line and
// then retry that write every 100 ms for ever, holding its port.
for (const [when, requests] of [['idle', 0], ['right after requests', 20]] as const) {
  t.test(`the terminal closes under a running syncmock (${when}): it exits`, async (t) => {
    const term = startProcess(t, 'script', ['-qefc', [process.execPath, builtCli, '--port', '0', '--db', ':memory:', '--log-level', 'info'].join(' '), '/dev/null'], /listening on http:\/\/127\.0\.0\.1:\d+/);
    const started = await term;
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(started.line)?.[0] as string;
    for (let i = 0; i < requests; i++) await fetch(`${url}/__admin/health`);
    const server = Number(fs.readFileSync(`/proc/${started.child.pid}/task/${started.child.pid}/children`, 'utf8').trim().split(' ')[0]);
    t.ok(server > 0, 'syncmock runs as the terminal\'s child');
    started.child.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (alive(server) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    t.notOk(alive(server), 'syncmock has exited');
    if (alive(server)) process.kill(server, 'SIGKILL');
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A process that has exited but is not yet reaped (its parent was killed) is a zombie: it has ended.
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
