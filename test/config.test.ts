// Settings from flags, environment variables and programmatic options: the control API's, CORS, mistakes.
import t from 'tap';
import { ConfigError, configFromCommandLine, defaultConfig, helpText, resolveConfig } from '../src/config';

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

t.test('the configuration is the server\'s own frozen copy, not the caller\'s objects', async (t) => {
  const rule = { limit: 5, periodSeconds: 10 };
  const config = resolveConfig({ datadog: { rateLimits: { integration_config_read: rule } }, sailpoint: { rateLimit: rule } });
  rule.limit = 1;
  t.equal(config.datadog.rateLimits.integration_config_read.limit, 5, 'a later change to the caller\'s object is not seen');
  t.throws(() => { (config.sailpoint.rateLimit as { limit: number }).limit = 2; }, TypeError, 'read-only: the control API changes runtime objects, never the config');
  t.same(config.datadog.rateLimits.integration_config_write, { limit: 500, periodSeconds: 60 }, 'groups not given keep their defaults');
  t.same(resolveConfig({ datadog: { rateLimits: { integration_config_read: { limit: 7 } } } }).datadog.rateLimits.integration_config_read,
    { limit: 7, periodSeconds: 60 }, 'a rule given in part keeps the rest of its default');
});

t.test('CORS is on for any origin and off for the control API by default', async (t) => {
  t.same(defaultConfig().cors, { origins: ['*'], admin: false });
});

t.test('--cors-origin takes a comma-separated list, normalised as browsers send origins', async (t) => {
  const { config } = configFromCommandLine(['--cors-origin', 'http://localhost:5173, https://App.Example.com/'], {});
  t.same(config.cors.origins, ['http://localhost:5173', 'https://app.example.com']);
  t.same(configFromCommandLine(['--cors-origin', 'http://a.test,*'], {}).config.cors.origins, ['*'], '* anywhere means any origin');
  t.same(configFromCommandLine([], { SYNCMOCK_CORS_ORIGIN: 'http://env.test:8000' }).config.cors.origins, ['http://env.test:8000'], 'from the environment');
  t.same(
    configFromCommandLine(['--cors-origin', 'http://flag.test'], { SYNCMOCK_CORS_ORIGIN: 'http://env.test' }).config.cors.origins,
    ['http://flag.test'], 'the flag wins over the environment',
  );
  for (const bad of ['localhost:5173', 'http://a.test/path', 'http://a.test?x=1', ' , ', 'file:///tmp']) {
    t.throws(() => configFromCommandLine(['--cors-origin', bad], {}), /--cors-origin/, `rejects "${bad}"`);
  }
  t.throws(() => configFromCommandLine(['--cors-origin', 'http://a.test/x'], {}), /--cors-origin: "http:\/\/a.test\/x" is not an origin/);
  t.throws(() => configFromCommandLine([], { SYNCMOCK_CORS_ORIGIN: 'nope' }), /SYNCMOCK_CORS_ORIGIN: "nope" is not an origin/, 'names the variable');
});

t.test('--admin-cors is a switch; its variable takes true/false', async (t) => {
  t.equal(configFromCommandLine(['--admin-cors'], {}).config.cors.admin, true);
  t.equal(configFromCommandLine([], { SYNCMOCK_ADMIN_CORS: 'true' }).config.cors.admin, true);
  t.equal(configFromCommandLine([], { SYNCMOCK_ADMIN_CORS: '0' }).config.cors.admin, false);
  t.throws(() => configFromCommandLine([], { SYNCMOCK_ADMIN_CORS: 'maybe' }), /SYNCMOCK_ADMIN_CORS must be true or false, got "maybe"/);
  t.throws(() => configFromCommandLine(['--admin-cors=false'], {}), /--admin-cors takes no value/);
});

t.test('command-line mistakes read as one short line', async (t) => {
  t.throws(() => configFromCommandLine(['--nope'], {}), { message: "Unknown option '--nope'" });
  t.throws(() => configFromCommandLine(['--port'], {}), { message: '--port needs a value' });
  t.throws(() => configFromCommandLine(['8080'], {}), { message: 'unexpected argument "8080": every setting is a --flag' });
});

t.test('programmatic CORS options are merged over the defaults and checked', async (t) => {
  t.same(resolveConfig({ cors: { admin: true } }).cors, { origins: ['*'], admin: true });
  t.same(resolveConfig({ cors: { origins: ['http://localhost:3000/'] } }).cors.origins, ['http://localhost:3000']);
  t.throws(() => resolveConfig({ cors: { origins: ['not an origin'] } }), /cors.origins: "not an origin" is not an origin/);
});
