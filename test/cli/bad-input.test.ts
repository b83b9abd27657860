// Bad input to the built command line: a one-line error saying what and where, exit code 2, and a stack
// trace only at --log-level debug.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import t, { type Test } from 'tap';
import { runCli as run } from '../spawn';

/** Exit 2, nothing on stdout, exactly one line on stderr, no stack. */
function badInput(t: Test, result: ReturnType<typeof run>, pattern: RegExp): void {
  t.equal(result.code, 2, 'exit code 2', result);
  t.equal(result.stdout, '', 'nothing on stdout');
  t.equal(result.stderr.split('\n').filter(Boolean).length, 1, 'one line on stderr', { stderr: result.stderr });
  t.match(result.stderr, pattern);
  t.notMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

t.test('an unknown flag', async (t) => {
  badInput(t, run(['--nope']), /^syncmock: Unknown option '--nope' \(see syncmock --help\)$/m);
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
