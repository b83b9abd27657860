// Runs programmatic.node-test.mjs with plain `node --test`, outside tap, against the built package: the
// way a project that depends on syncmock would use it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import t from 'tap';

t.test('startSyncmock works from a plain node:test file importing "syncmock"', async (t) => {
  const root = path.resolve(__dirname, '..', '..');
  const env = { ...process.env };
  // tap's TypeScript loader and coverage hooks are for tap's own processes, not this one.
  delete env.NODE_OPTIONS;
  delete env.NODE_V8_COVERAGE;
  const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', 'test/e2e/programmatic.node-test.mjs'], {
    cwd: root, env, encoding: 'utf8', timeout: 90_000,
  });
  t.equal(run.status, 0, 'node --test exits 0', { stdout: run.stdout, stderr: run.stderr });
  t.match(run.stdout, /^# pass 3$/m, 'all three tests ran and passed');
  t.match(run.stdout, /^# fail 0$/m);
});
