// syncmock parity against two syncmocks that differ on purpose: the report lists exactly the planted
// differences, and two identical ones show none. One stand-in vendor (revision 2026-06) and one syncmock
// (started at 2026-08; --datadog-revision picks the revision per request) serve every test, reset between.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { admin } from '../control/admin';
import { PREFIX } from '../datadog/dd';
import { startServer, type TestServer } from '../helpers';
import { MARKERS, differencesOf, parity, readReport, spawnParity, vendorArgs, vendorEnv, vendorStandIn } from './fixtures';

const DATADOG_STEPS = [
  'datadog.no-keys', 'datadog.list', 'datadog.list-unknown-filter', 'datadog.get-unknown', 'datadog.validate-invalid-credentials',
  'datadog.create-invalid-credentials', 'datadog.create', 'datadog.get', 'datadog.patch', 'datadog.patch-without-type',
  'datadog.validate', 'datadog.delete', 'datadog.get-deleted',
];
const SAILPOINT_STEPS = [
  'sailpoint.no-token', 'sailpoint.token-wrong-secret', 'sailpoint.token', 'sailpoint.get-source', 'sailpoint.get-unknown-source',
  'sailpoint.put-change-target', 'sailpoint.put-v2024-without-experimental', 'sailpoint.put-toggle', 'sailpoint.put-toggle-back',
];

let vendor: TestServer;
let syncmock: TestServer;
t.before(async () => {
  vendor = await vendorStandIn(t);
  syncmock = await startServer(t, { datadog: { revision: '2026-08' } });
});
t.beforeEach(async () => {
  for (const server of [vendor, syncmock]) await admin(server.url)('POST', '/reset');
});
/** syncmock answering as 2026-06, like the stand-in. */
const same = (): string[] => ['--syncmock-url', syncmock.url, '--datadog-revision', '2026-06'];

t.test('two identical instances: every step is sent, every answer is the same, exit 0', async (t) => {
  const reports = t.testdir();
  const run = await parity([...vendorArgs(vendor), ...same(), '--allow-writes', '--report', reports], vendorEnv(vendor));
  t.equal(run.code, 0, 'exit 0', { stdout: run.stdout });
  const report = readReport(reports);
  t.same(report.steps.map((s) => s.id), [...DATADOG_STEPS, ...SAILPOINT_STEPS], 'the whole scenario, in order');
  t.same(report.steps.filter((s) => s.verdict !== 'same').map((s) => s.id), [], 'no false positive');
  t.same(report.summary, { steps: 22, same: 22, different: 0, skipped: 0, errors: 0, cleanupFailed: 0, interrupted: false });
  t.match(report.steps.find((s) => s.id === 'datadog.patch-without-type'), { vendorSide: { status: 200 }, syncmockSide: { status: 200 } });
  t.match(run.stdout, /22 steps: 22 same, 0 different, 0 skipped, 0 failed\./);
  t.match(run.stdout, /^datadog\.no-keys +403 +403 +same$/m, 'the table: step, vendor, syncmock, verdict');
  t.same(report.cleanup.filter((c) => !c.ok), [], 'the end-of-run sweep found nothing left and failed nowhere');

  const junit = fs.readFileSync(path.join(reports, 'parity.junit.xml'), 'utf8');
  t.match(junit, /<testsuites name="syncmock parity" tests="22" failures="0" errors="0" skipped="0">/);
  t.equal(junit.match(/<testcase /g)?.length, 22);
});

t.test('revision 2026-06 as the vendor, 2026-08 as syncmock: exactly the two real differences of the scenario', async (t) => {
  const reports = t.testdir();
  const run = await parity([...vendorArgs(vendor), '--syncmock-url', syncmock.url, '--allow-writes', '--report', reports], vendorEnv(vendor));
  t.equal(run.code, 1, 'a difference exits 1');
  const report = readReport(reports);
  t.same(differencesOf(report), {
    'datadog.list-unknown-filter': ['error text'],
    'datadog.patch-without-type': ['status'],
  });
  const filter = report.steps.find((s) => s.id === 'datadog.list-unknown-filter');
  t.same(filter?.differences, [{
    what: 'error text',
    detail: 'vendor ["input_validation_error(Field \'filter[integration_type]\' must be one of: GOOGLE_WORKSPACE, OKTA, ENTRA_ID)"], ' +
      'syncmock ["input_validation_error(Field \'filter[integration_type]\' must be one of: GOOGLE_WORKSPACE, OKTA, ENTRA_ID, CROWDSTRIKE, SENTINELONE)"]',
  }]);
  const patch = report.steps.find((s) => s.id === 'datadog.patch-without-type');
  t.same(patch?.differences, [{ what: 'status', detail: 'vendor 200, syncmock 400' }]);
  t.same(patch?.syncmockSide?.texts, ['input_validation_error(Field \'data.attributes.integration_type\' is required)']);
  t.match(run.stdout, /syncmock said: \["input_validation_error\(Field 'data\.attributes\.integration_type' is required\)"\]/);
  t.match(run.stdout, /22 steps: 20 same, 2 different, 0 skipped, 0 failed\./);
  t.match(run.stdout, /syncmock http:\/\/127\.0\.0\.1:\d+ \(Datadog revision 2026-08\)/, 'the revision read from the server\'s health');

  const junit = fs.readFileSync(path.join(reports, 'parity.junit.xml'), 'utf8');
  t.match(junit, /tests="22" failures="2" errors="0" skipped="0"/);
  t.match(junit, /name="datadog\.patch-without-type: [^"]*" time="[\d.]+">\s*<failure message="1 difference\(s\) from the vendor" type="difference">status: vendor 200, syncmock 400<\/failure>/);
});

t.test('without --syncmock-url, syncmock is started in-process for the run', async (t) => {
  const run = await parity([...vendorArgs(vendor), '--only', 'datadog', '--allow-writes'], vendorEnv(vendor));
  t.equal(run.code, 0, 'an in-process syncmock at the default revision matches the stand-in', { stdout: run.stdout });
  t.match(run.stdout, /syncmock in-process http:\/\/127\.0\.0\.1:\d+ \(Datadog revision 2026-06\)/);
  t.match(run.stdout, /13 steps: 13 same/);
});

t.test('a fault that changes one status is the only difference', async (t) => {
  const faults = await admin(syncmock.url)('POST', '/faults', { vendor: 'datadog', method: 'GET', path: PREFIX, status: 503, times: 1 });
  t.equal(faults.status, 201);
  const sailpointFault = await admin(vendor.url)('POST', '/faults', { vendor: 'sailpoint', method: 'GET', path: '/beta/sources/*/attribute-sync-config', status: 500, times: 1 });
  t.equal(sailpointFault.status, 201);
  const reports = t.testdir();
  const run = await parity([...vendorArgs(vendor), ...same(), '--report', reports], vendorEnv(vendor));
  t.equal(run.code, 1);
  const report = readReport(reports);
  t.same(differencesOf(report), { 'datadog.list': ['status'], 'sailpoint.get-source': ['status'] },
    'the first authenticated list on syncmock, the first authenticated source read on the vendor');
  t.same(report.steps.find((s) => s.id === 'datadog.list')?.differences, [{ what: 'status', detail: 'vendor 200, syncmock 503' }]);
  t.same(report.steps.find((s) => s.id === 'sailpoint.get-source')?.differences, [{ what: 'status', detail: 'vendor 500, syncmock 200' }]);
  t.match(report.steps.filter((s) => s.id.startsWith('sailpoint.put')), Array(4).fill({ verdict: 'skipped' }),
    'read-only by default: the writes are skipped');
});

t.test('a forced credential outcome on the vendor shows as the one step it changes', async (t) => {
  const forced = await admin(vendor.url)('POST', '/datadog/credential-outcome', { outcome: 'valid', times: 1, api_key: MARKERS.DD_API_KEY });
  t.equal(forced.status, 200, forced.text);
  const reports = t.testdir();
  const run = await parity([...vendorArgs(vendor), '--only', 'datadog', ...same(), '--report', reports], vendorEnv(vendor));
  t.equal(run.code, 1);
  const report = readReport(reports);
  t.same(differencesOf(report), { 'datadog.validate-invalid-credentials': ['status'] });
  t.same(report.steps.map((s) => s.id), DATADOG_STEPS, '--only datadog');
  const write = 'a write: sent only with --allow-writes';
  const needsId = 'needs {{config_id}}, which no earlier answer from the vendor gave';
  t.same(report.steps.filter((s) => s.verdict === 'skipped').map((s) => [s.id, s.reason]), [
    ['datadog.create-invalid-credentials', write], ['datadog.create', write], ['datadog.get', needsId], ['datadog.patch', write],
    ['datadog.patch-without-type', write], ['datadog.validate', needsId], ['datadog.delete', write], ['datadog.get-deleted', needsId],
  ], 'read-only by default; the reads of the created config wait for it');
  t.match(report.steps.find((s) => s.id === 'datadog.validate-invalid-credentials'), {
    vendorSide: { status: 200, texts: [] },
    syncmockSide: { status: 400, texts: ['invalid_argument(The OKTA source rejected the credentials in \'data.attributes.secrets\')'] },
  });
});

t.test('without source credentials the lifecycle is skipped, saying why', async (t) => {
  const reports = t.testdir();
  const env = vendorEnv(vendor);
  delete env.DD_PARITY_OKTA_API_TOKEN;
  const args = vendorArgs(vendor).slice(0, 4); // no --datadog-okta-domain
  const run = await parity([...args, '--only', 'datadog', ...same(), '--allow-writes', '--report', reports], env);
  t.equal(run.code, 0, 'exit 0', { stdout: run.stdout });
  const report = readReport(reports);
  t.same(report.steps.filter((s) => s.verdict === 'skipped').map((s) => s.id), DATADOG_STEPS.slice(6));
  t.ok(report.steps.slice(6).every((s) => s.reason === 'needs source credentials: --datadog-okta-domain and DD_PARITY_OKTA_API_TOKEN'));
  t.equal(report.steps.find((s) => s.id === 'datadog.create-invalid-credentials')?.verdict, 'same', 'the write that needs no real credentials ran');
});

t.test('the built CLI: a difference exits 1 with the table on stdout; no vendor configured exits 2', async (t) => {
  const run = spawnParity(t, [...vendorArgs(vendor), '--only', 'datadog', '--syncmock-url', syncmock.url], vendorEnv(vendor));
  t.equal(await run.exited, 1, run.output.stderr);
  t.match(run.output.stdout, /^datadog\.list-unknown-filter +400 +400 +DIFFERENT$/m);
  t.match(run.output.stderr, /^ {2}datadog\.list-unknown-filter 400\/400 different$/m, 'progress on stderr');
  const usage = spawnParity(t, [], { DD_API_KEY: '', DD_APP_KEY: '', DD_BEARER_TOKEN: '', SAIL_BASE_URL: '', SAIL_CLIENT_ID: '', SAIL_CLIENT_SECRET: '' });
  t.equal(await usage.exited, 2);
  t.match(usage.output.stderr, /^syncmock parity: no vendor to check/);
});
