// The built command line, spawned: help, version, the start line, a clean stop on SIGTERM, and one-line
// errors with exit code 2 for bad input.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import t, { type Test } from 'tap';
import { OPTIONS, defaultConfig } from '../src/config';
import { version } from '../src/version';
import { http } from './helpers';
import { builtCli, childEnv, startProcess } from './spawn';

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [builtCli, ...args], { env: childEnv(env), encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exit 2, nothing on stdout, exactly one line on stderr, no stack. */
function badInput(t: Test, result: ReturnType<typeof run>, pattern: RegExp): void {
  t.equal(result.code, 2, 'exit code 2', result);
  t.equal(result.stdout, '', 'nothing on stdout');
  t.equal(result.stderr.split('\n').filter(Boolean).length, 1, 'one line on stderr', { stderr: result.stderr });
  t.match(result.stderr, pattern);
  t.notMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

t.test('--help lists every flag with its environment variable and default', async (t) => {
  const r = run(['--help']);
  t.equal(r.code, 0);
  const defaults = defaultConfig();
  for (const o of OPTIONS) {
    const line = r.stdout.split('\n').find((l) => l.trimStart().startsWith(`--${o.flag} `));
    t.ok(line, `--${o.flag} is listed`);
    t.match(line, ` ${o.env} `, `with ${o.env}`);
    t.match(line, `(default: ${o.show(defaults)})`, 'and its default');
  }
  t.match(r.stdout, /--cors-origin\s+SYNCMOCK_CORS_ORIGIN .*\(default: \*\)/);
  t.match(r.stdout, /--admin-cors\s+SYNCMOCK_ADMIN_CORS .*\(default: false\)/);
  t.match(r.stdout, /--version/);
});

t.test('--version prints the package version', async (t) => {
  const r = run(['--version']);
  t.equal(r.code, 0);
  t.equal(r.stdout, `${version}\n`);
});

t.test('starts with one line naming each vendor URL and the docs, and stops cleanly on SIGTERM', async (t) => {
  const started = await startProcess(t, process.execPath, [builtCli, '--port', '0', '--db', ':memory:'], /^syncmock /);
  const m = /^syncmock \S+ listening on (http:\/\/127\.0\.0\.1:\d+) · datadog (\S+) · sailpoint (\S+) \(token (\S+)\) · docs (\S+)$/.exec(started.line);
  t.ok(m, 'the start line', { line: started.line });
  const [, url, datadog, sailpoint, token, docs] = m ?? [];
  t.same([datadog, sailpoint, token, docs], [url, url, `${url}/oauth/token`, `${url}/docs`]);
  const page = await http(docs);
  t.equal(page.status, 200);
  t.match(page.headers.get('content-type'), /text\/html/);
  t.equal((await http(`${url}/__admin/health`)).status, 200);
  started.child.kill('SIGTERM');
  const end = await started.exited;
  t.equal(end.code, 0, 'exit 0 after SIGTERM', end);
  t.notMatch(end.stderr, /\S/, 'nothing on stderr');
});

t.test('an unknown flag', async (t) => {
  badInput(t, run(['--nope']), /^syncmock: unknown flag --nope \(see syncmock --help\)$/m);
});

t.test('a bad value names the flag or the variable', async (t) => {
  badInput(t, run(['--port', 'eighty']), /--port must be a whole number, got "eighty"/);
  badInput(t, run([], { PORT: '70000' }), /PORT must be between 0 and 65535, got 70000/);
});

t.test('a port in use', async (t) => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => blocker.close());
  const port = (blocker.address() as net.AddressInfo).port;
  badInput(t, run(['--port', String(port), '--db', ':memory:']), new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} .*already in use`));
});

t.test('an unwritable database path', async (t) => {
  const dir = t.testdir({ 'a-file': 'not a directory' });
  // A regular file where a directory should be: fails for root too, unlike a permission bit.
  const db = path.join(dir, 'a-file', 'syncmock.db');
  badInput(t, run(['--port', '0', '--db', db]), new RegExp(`database ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\(--db/SYNCMOCK_DB\\)`));
});

t.test('a corrupt database file', async (t) => {
  const dir = t.testdir({ 'corrupt.db': 'this is not an SQLite database, just text that is long enough to have a header' });
  const db = path.join(dir, 'corrupt.db');
  badInput(t, run(['--port', '0', '--db', db]), /cannot open the database .*corrupt\.db: file is not a database/);
  t.equal(fs.readFileSync(db, 'utf8').slice(0, 12), 'this is not ', 'the file is left as it was');

  const debug = run(['--port', '0', '--db', db, '--log-level', 'debug']);
  t.equal(debug.code, 2, 'still exit 2 at debug level');
  t.match(debug.stderr, /\n\s+at /, 'with the stack trace at debug level');
  t.match(debug.stderr, /syncmock: cannot open the database .*corrupt\.db: file is not a database/);
});
