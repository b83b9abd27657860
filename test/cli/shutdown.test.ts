// The built CLI: flags and env, exit code 2 for bad input, clean shutdown on SIGTERM and SIGINT.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { listening, runCli as run } from '../e2e/cli';

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
