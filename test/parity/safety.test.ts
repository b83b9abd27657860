// Safe against a real account: --plan sends nothing; read-only unless --allow-writes; whatever a run
// created is deleted (and the SailPoint source restored) after a failure or an interruption; no credential
// reaches the output, a report or a recording; usage errors say what is wrong and send nothing.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import t from 'tap';
import { admin } from '../control/admin';
import { PREFIX } from '../datadog/dd';
import { startServer, type TestServer } from '../helpers';
import { seedConfig } from '../sailpoint/sp';
import {
  MARKERS, filesUnder, parity, parityConfigsOn, readReport, sourceAttributes, spawnParity, vendorArgs, vendorEnv, vendorStandIn,
} from './fixtures';

let vendor: TestServer;
let syncmock: TestServer;
t.before(async () => {
  vendor = await vendorStandIn(t);
  syncmock = await startServer(t);
});
t.beforeEach(async () => {
  for (const server of [vendor, syncmock]) await admin(server.url)('POST', '/reset');
});

const journal = async (server: TestServer): Promise<Array<{ method: string; path: string }>> =>
  (await admin(server.url)('GET', '/requests')).json.requests;
/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
const args = (...more: string[]): string[] => [...vendorArgs(vendor), '--syncmock-url', syncmock.url, ...more];

t.test('--plan lists every request, credentials redacted, and sends nothing to either side', async (t) => {
  const run = await parity(args('--plan', '--allow-writes'), vendorEnv(vendor));
  t.equal(run.code, 0);
  t.same(await journal(vendor), [], 'the vendor got nothing');
  t.same(await journal(syncmock), [], 'syncmock got nothing');
  for (const id of ['datadog.no-keys', 'datadog.create', 'datadog.delete', 'sailpoint.token', 'sailpoint.put-toggle', 'sailpoint.put-toggle-back']) {
    t.match(run.stdout, new RegExp(`^${id.replace('.', '\\.')} `, 'm'), `${id} is listed`);
  }
  t.match(run.stdout, `  GET ${vendor.url}${PREFIX}\n`);
  t.match(run.stdout, '  dd-api-key: [redacted]\n  dd-application-key: [redacted]');
  t.match(run.stdout, '  body: grant_type=client_credentials&client_id=[redacted]&client_secret=[redacted]');
  t.match(run.stdout, '"secrets":{"api_token":"[redacted]"}');
  t.match(run.stdout, `  PATCH ${vendor.url}${PREFIX}/{{config_id}}`, 'values from earlier answers stay placeholders');
  t.match(run.stdout, '  body: the config read by sailpoint.get-source, its first attribute\'s enabled flipped');
  t.notMatch(run.stdout, /skipped/, 'with --allow-writes every step would be sent');

  const readOnly = await parity(args('--plan'), vendorEnv(vendor));
  t.match(readOnly.stdout, /^datadog\.create  create an Okta config \[write\] \(skipped: a write: sent only with --allow-writes\)$/m);
  t.same(await journal(vendor), []);
});

t.test('a Datadog bearer token replaces the key pair (shown by --plan: today\'s syncmock does not take bearer tokens)', async (t) => {
  const bearer = 'PARITY-MARKER-ddpat-bearer-41aa';
  const env: NodeJS.ProcessEnv = { ...vendorEnv(vendor), DD_BEARER_TOKEN: bearer };
  delete env.DD_API_KEY;
  delete env.DD_APP_KEY;
  const run = await parity(args('--plan', '--only', 'datadog'), env);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, '  authorization: Bearer [redacted]');
  t.notMatch(run.stdout, 'dd-api-key');
  t.notMatch(run.stdout, bearer);
});

t.test('read-only by default: the vendor gets reads, the token request and credential validation only', async (t) => {
  const run = await parity(args(), vendorEnv(vendor));
  t.equal(run.code, 0, 'exit 0', { stdout: run.stdout });
  const writes = (await journal(vendor)).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
  t.same([...new Set(writes)].sort(), [`POST ${PREFIX}/validate`, 'POST /oauth/token']);
  t.same(await sourceAttributes(vendor), seedConfig().attributes);
});

t.test('an exception halfway still deletes the Datadog config the run created', async (t) => {
  const run = await parity(args('--allow-writes', '--only', 'datadog'), vendorEnv(vendor), {
    onStep: async (result) => {
      if (result.id !== 'datadog.patch') return;
      t.match(await parityConfigsOn(vendor), [/^syncmock-parity-[0-9a-f]{8}-renamed$/], 'created and renamed on the vendor');
      throw new Error('boom halfway');
    },
  });
  t.equal(run.code, 1);
  t.match(run.stderr, 'syncmock parity: failed: boom halfway');
  t.same(await parityConfigsOn(vendor), [], 'nothing named syncmock-parity-… is left on the vendor');
  t.same(await parityConfigsOn(syncmock), [], 'nor on syncmock');
  const methods = (await journal(vendor)).map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, '{id}')}`);
  t.ok(methods.includes(`DELETE ${PREFIX}/{id}`), 'the cleanup deleted it');
});

t.test('Ctrl-C after the SailPoint toggle: nothing more is sent, the source is flipped back, exit 130', async (t) => {
  const controller = new AbortController();
  const reports = t.testdir();
  let stepsSeen = 0;
  const run = await parity(args('--allow-writes', '--report', reports), vendorEnv(vendor), {
    signal: controller.signal,
    onStep: async (result) => {
      stepsSeen += 1;
      if (result.id !== 'sailpoint.put-toggle') return;
      const flipped = seedConfig().attributes;
      flipped[0].enabled = !flipped[0].enabled;
      t.same(await sourceAttributes(vendor), flipped, 'flipped on the vendor');
      controller.abort();
    },
  });
  t.equal(run.code, 130);
  t.same(await sourceAttributes(vendor), seedConfig().attributes, 'flipped back by the cleanup');
  const report = readReport(reports);
  t.equal(report.steps.length, stepsSeen, 'no step after the interruption');
  t.notOk(report.steps.some((s) => s.id === 'sailpoint.put-toggle-back'));
  t.equal(report.summary.interrupted, true);
  t.ok(report.cleanup.some((c) => c.side === 'vendor' && c.action === 'find what this run created (datadog-configs)' && c.ok && c.detail === 'nothing left'),
    'the Datadog sweep ran on the vendor and found nothing left');
  t.ok(report.cleanup.some((c) => c.side === 'vendor' && c.action === 'restore sailpoint-source' && c.ok), 'the vendor\'s source restored');
  t.match(run.stdout, /cleanup on the vendor: restore sailpoint-source: done \(PUT answered 200\)/);
  t.match(run.stdout, /^21 steps: 21 same, 0 different, 0 skipped, 0 failed; interrupted\.$/m);
});

t.test('Ctrl-C while a request is in flight: nothing more is sent, the created config is deleted, exit 130', async (t) => {
  // The vendor holds the PATCH (the step after the create and the get) long enough to interrupt it.
  t.equal((await admin(vendor.url)('POST', '/faults', { vendor: 'datadog', method: 'PATCH', delay_ms: 2000 })).status, 201);
  const { child, output, exited } = spawnParity(t, [...vendorArgs(vendor), '--only', 'datadog', '--allow-writes', '--syncmock-url', syncmock.url],
    vendorEnv(vendor));
  await new Promise<void>((resolve) => {
    child.stderr.on('data', () => { if (/datadog\.get 200\/200 same/.test(output.stderr)) resolve(); });
  });
  t.match(await parityConfigsOn(vendor), [/^syncmock-parity-[0-9a-f]{8}$/], 'the run created a config on the vendor');
  child.kill('SIGINT');
  t.equal(await exited, 130);
  t.match(output.stderr, 'syncmock parity: interrupted; sending nothing more and taking back what this run changed');
  t.same(await parityConfigsOn(vendor), [], 'deleted by the cleanup');
  t.match(output.stdout, /^cleanup on the vendor: delete [0-9a-f-]{36}: done \(DELETE answered 204\)$/m);
  t.notMatch(output.stdout, /^datadog\.(validate|delete|get-deleted) /m, 'no step after the interruption');
});

t.test('a delete whose answer never arrives: the end-of-run sweep finds the config by its name and deletes it', async (t) => {
  const dropped = await admin(vendor.url)('POST', '/faults', { vendor: 'datadog', method: 'DELETE', drop: true, times: 1 });
  t.equal(dropped.status, 201);
  const reports = t.testdir();
  const run = await parity(args('--allow-writes', '--only', 'datadog', '--report', reports), vendorEnv(vendor));
  t.equal(run.code, 1, 'a step without an answer is a failure');
  const report = readReport(reports);
  t.match(report.steps.find((s) => s.id === 'datadog.delete'), { verdict: 'error', reason: /^the vendor did not answer: / });
  t.ok(report.cleanup.some((c) => c.side === 'vendor' && /^delete [0-9a-f-]{36}$/.test(c.action) && c.ok), 'deleted by the sweep');
  t.same(await parityConfigsOn(vendor), []);
});

t.test('a create the vendor accepted is deleted even when a later create is refused', async (t) => {
  const outcome = (o: string, times: number) => admin(vendor.url)('POST', '/datadog/credential-outcome', { outcome: o, times, api_key: MARKERS.DD_API_KEY });
  // validate-invalid-credentials and create-invalid-credentials pass on the vendor (so the latter creates a
  // config), then the lifecycle's create is refused.
  t.equal((await outcome('valid', 2)).status, 200);
  t.equal((await outcome('invalid', 1)).status, 200);
  const reports = t.testdir();
  const run = await parity(args('--allow-writes', '--only', 'datadog', '--report', reports), vendorEnv(vendor));
  t.equal(run.code, 1);
  const report = readReport(reports);
  t.match(report.steps.find((s) => s.id === 'datadog.create-invalid-credentials'), { vendorSide: { status: 200 }, syncmockSide: { status: 400 } });
  t.match(report.steps.find((s) => s.id === 'datadog.create'), { vendorSide: { status: 400 }, syncmockSide: { status: 200 } });
  t.ok(report.cleanup.some((c) => c.side === 'vendor' && /^delete [0-9a-f-]{36}$/.test(c.action) && c.ok), 'the accepted one was deleted');
  t.same(await parityConfigsOn(vendor), []);
  t.same(await parityConfigsOn(syncmock), [], 'and syncmock\'s create was deleted on its side');
});

t.test('a syncmock side that stops answering: each step says so, and the vendor is still cleaned up', async (t) => {
  const reports = t.testdir();
  const run = await parity(args('--allow-writes', '--only', 'datadog', '--report', reports), vendorEnv(vendor), {
    onStep: async (result) => {
      if (result.id === 'datadog.create') await admin(syncmock.url)('POST', '/faults', { vendor: 'datadog', drop: true });
    },
  });
  t.equal(run.code, 1);
  const report = readReport(reports);
  t.match(report.steps.find((s) => s.id === 'datadog.get'), { verdict: 'error', reason: /^syncmock did not answer: / });
  t.same(await parityConfigsOn(vendor), [], 'the vendor\'s steps ran to the delete; the sweep found nothing more');
  t.ok(report.cleanup.some((c) => c.side === 'syncmock' && !c.ok), 'the syncmock side\'s cleanup failure is reported');
});

t.test('no credential reaches stdout, stderr, a report or a recording, even when the vendor echoes one', async (t) => {
  // The vendor echoes the API key in an error text.
  await admin(vendor.url)('POST', '/faults', { vendor: 'datadog', method: 'GET', path: PREFIX, status: 400, times: 1, message: `bad key ${MARKERS.DD_API_KEY}` });
  const dir = t.testdir();
  const outputs: string[] = [];
  const collect = (r: { stdout: string; stderr: string }) => outputs.push(r.stdout, r.stderr);
  const live = await parity(args('--allow-writes', '--report', path.join(dir, 'live'), '--record', path.join(dir, 'recording')), vendorEnv(vendor));
  collect(live);
  t.equal(live.code, 1, 'the echoed error is a difference');
  t.match(readReport(path.join(dir, 'live')).steps.find((s) => s.id === 'datadog.list')?.vendorSide?.texts, ['bad key [redacted]']);
  collect(await parity(['--replay', path.join(dir, 'recording'), '--syncmock-url', syncmock.url, '--report', path.join(dir, 'replay')], {}));
  collect(await parity(args('--plan', '--allow-writes'), vendorEnv(vendor)));
  collect(await parity(args('--allow-writes', '--datadog-url', `http://127.0.0.1:${await closedPort()}`), vendorEnv(vendor))); // no vendor there
  const unwritable = path.join(dir, 'file');
  fs.writeFileSync(unwritable, '');
  collect(await parity(args('--report', path.join(unwritable, 'reports')), vendorEnv(vendor))); // a report folder that cannot be made

  const written = filesUnder(dir).filter((f) => f.file !== unwritable);
  t.ok(written.length >= 26, `reports and recording files written (${written.length})`);
  const everything = [...outputs, ...written.map((f) => f.text)].join('\n');
  t.match(everything, /failed: ENOTDIR/, 'the unexpected failure is reported');
  t.match(everything, /the vendor did not answer: ECONNREFUSED/);
  for (const [name, marker] of Object.entries(MARKERS)) t.notOk(everything.includes(marker), `${name} appears nowhere`);
  t.notMatch(everything, /eyJ[\w-]+\.[\w-]+\./, 'no access token appears anywhere');
  t.notMatch(everything, /syncmock-org-admin-secret|syncmock-app-key/, 'nor syncmock\'s own credentials');
});

t.test('usage errors say what is wrong, exit 2 and send nothing', async (t) => {
  const env = vendorEnv(vendor);
  const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
    [[], {}, /no vendor to check: set DD_API_KEY and DD_APP_KEY \(or DD_BEARER_TOKEN\)/],
    [['--only', 'datadog'], { DD_API_KEY: 'x' }, /Datadog needs DD_API_KEY and DD_APP_KEY, or DD_BEARER_TOKEN/],
    [['--only', 'okta'], env, /--only must be one of datadog, sailpoint, got "okta"/],
    [['--only', 'sailpoint'], { ...env, SAIL_CLIENT_SECRET: '' }, /SailPoint needs SAIL_CLIENT_SECRET/],
    [['--only', 'sailpoint'], env, /SailPoint needs --sailpoint-source-id/],
    [['--datadog-okta-domain', 'dev.okta.com'], { DD_API_KEY: 'a', DD_APP_KEY: 'b' }, /--datadog-okta-domain and DD_PARITY_OKTA_API_TOKEN go together/],
    [[], { DD_API_KEY: 'a', DD_APP_KEY: 'b', DD_SITE: 'https://evil.example/x' }, /DD_SITE must be a Datadog site/],
    [['--syncmock-url', 'ftp://x'], env, /--syncmock-url must be an http\(s\) URL/],
    [['--datadog-url', 'http://user:pw@127.0.0.1:1'], env, /--datadog-url must not carry credentials/],
    [['--replay', '/tmp', '--allow-writes'], {}, /--replay sends the recorded requests to syncmock only; --allow-writes does not apply/],
    [['--timeout', '0'], env, /--timeout must be a whole number of seconds from 1 to 600/],
    [['--nope'], env, /Unknown option '--nope'/],
  ];
  for (const [argv, environment, message] of cases) {
    const run = await parity(argv, environment);
    t.equal(run.code, 2, argv.join(' ') || '(no flags)');
    t.match(run.stderr, message);
    t.match(run.stderr, /\(see syncmock parity --help\)\n$/);
  }
  const full = t.testdir({ 'recording.json': '{}' });
  const refused = await parity(args('--record', full), env);
  t.equal(refused.code, 2);
  t.match(refused.stderr, `--record ${full}: the folder is not empty; give a new or empty one`);
  const help = await parity(['--help'], {});
  t.equal(help.code, 0);
  t.match(help.stdout, /^Usage: syncmock parity \[options\]/);
  t.same(await journal(vendor), [], 'nothing was sent by any of them');
  t.same(await journal(syncmock), []);
});
