// The control API's settings: --journal-size, --admin-token, --seed and their environment variables.
import t from 'tap';
import { ConfigError, configFromCommandLine, helpText, resolveConfig } from '../src/config';

t.test('flags and environment variables for the journal, the admin token and the seed state', async (t) => {
  const fromFlags = configFromCommandLine(['--journal-size', '50', '--admin-token', 'tok', '--seed', 'scenario.json'], {}).config;
  t.match(fromFlags, { journalSize: 50, adminToken: 'tok', seedState: 'scenario.json' });
  const fromEnv = configFromCommandLine([], { SYNCMOCK_JOURNAL_SIZE: '0', SYNCMOCK_ADMIN_TOKEN: 'env-tok', SYNCMOCK_SEED: 's.json' }).config;
  t.match(fromEnv, { journalSize: 0, adminToken: 'env-tok', seedState: 's.json' });
  const defaults = configFromCommandLine([], {}).config;
  t.equal(defaults.journalSize, 1000);
  t.equal(defaults.adminToken, undefined);
  t.equal(defaults.seedState, undefined);
  const negative = (() => { try { configFromCommandLine(['--journal-size=-1'], {}); } catch (e) { return e; } })();
  t.ok(negative instanceof ConfigError, 'a bad value is a ConfigError (the CLI exits 2)');
  t.match((negative as Error).message, /--journal-size must be a whole number/);
  t.throws(() => configFromCommandLine(['--journal-size', '100001'], {}), /between 0 and 100000/);
  t.throws(() => configFromCommandLine(['--admin-token', ' '], {}), /must not be empty/);
  t.throws(() => resolveConfig({ journalSize: 1.5 }), /journalSize/);
  for (const flag of ['--journal-size', '--admin-token', '--seed ']) t.match(helpText(), flag);
});

t.test('rate-limit rules are the server\'s own copies, not the caller\'s objects', async (t) => {
  const rule = { limit: 5, periodSeconds: 10 };
  const config = resolveConfig({ datadog: { rateLimits: { integration_config_read: rule } as never }, sailpoint: { rateLimit: rule } });
  config.datadog.rateLimits.integration_config_read.limit = 1;
  config.sailpoint.rateLimit.limit = 2;
  t.same(rule, { limit: 5, periodSeconds: 10 });
});
