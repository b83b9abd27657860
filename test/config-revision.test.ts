// --datadog-revision / SYNCMOCK_DATADOG_REVISION / startSyncmock({ datadog: { revision } }).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import t from 'tap';
import { ConfigError, configFromCommandLine, helpText, resolveConfig } from '../src/config';

t.test('the default Datadog revision is 2026-06', async (t) => {
  t.equal(configFromCommandLine([], {}).config.datadog.revision, '2026-06');
  t.equal(resolveConfig().datadog.revision, '2026-06');
});

t.test('a flag or the environment picks 2026-08; the flag wins', async (t) => {
  t.equal(configFromCommandLine(['--datadog-revision', '2026-08'], {}).config.datadog.revision, '2026-08');
  t.equal(configFromCommandLine([], { SYNCMOCK_DATADOG_REVISION: '2026-08' }).config.datadog.revision, '2026-08');
  t.equal(configFromCommandLine(['--datadog-revision=2026-06'], { SYNCMOCK_DATADOG_REVISION: '2026-08' }).config.datadog.revision, '2026-06');
  t.equal(resolveConfig({ datadog: { revision: '2026-08' } }).datadog.revision, '2026-08');
});

t.test('an unknown revision is a clear ConfigError', async (t) => {
  t.throws(() => configFromCommandLine(['--datadog-revision', '2026-07'], {}), new ConfigError('--datadog-revision must be one of 2026-06, 2026-08, got "2026-07"'));
  t.throws(() => configFromCommandLine([], { SYNCMOCK_DATADOG_REVISION: 'latest' }), new ConfigError('SYNCMOCK_DATADOG_REVISION must be one of 2026-06, 2026-08, got "latest"'));
  t.throws(() => resolveConfig({ datadog: { revision: 'latest' as never } }), new ConfigError('datadog.revision must be one of 2026-06, 2026-08, got "latest"'));
});

t.test('--help lists the flag, its variable and its default', async (t) => {
  t.match(helpText(), /--datadog-revision\s+SYNCMOCK_DATADOG_REVISION\s+default Datadog API revision \(2026-06\|2026-08\) \(default: 2026-06\)/);
});

t.test('the CLI refuses an unknown revision with exit code 2', async (t) => {
  const cli = path.join(__dirname, '..', 'dist', 'src', 'cli.js');
  const run = spawnSync(process.execPath, [cli, '--datadog-revision', 'next'], { encoding: 'utf8', timeout: 20_000 });
  t.equal(run.status, 2);
  t.match(run.stderr, '--datadog-revision must be one of 2026-06, 2026-08, got "next"');
});
