// --record writes the vendor's side of every exchange, scrubbed; a recording made from one instance replays
// green against the same configuration and red against a different one, exactly where they differ. And the
// recorded contracts in test/contracts/: each replayed against a fresh in-process syncmock must be green at
// every step. That folder holds only its README until someone contributes a recording (its README says how).
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { replayRecording } from '../../src/parity/command';
import { readRecording } from '../../src/parity/recording';
import { admin } from '../control/admin';
import { startServer, type TestServer } from '../helpers';
import { repoRoot } from '../spawn';
import { filesUnder, parity, readReport, vendorArgs, vendorEnv, vendorStandIn } from './fixtures';

let vendor: TestServer;
let syncmock: TestServer;
let recording: string;
t.before(async () => {
  vendor = await vendorStandIn(t); // 2026-06
  syncmock = await startServer(t, { datadog: { revision: '2026-08' } });
  recording = path.join(t.testdirName, 'recording');
  const run = await parity([...vendorArgs(vendor), '--syncmock-url', syncmock.url, '--datadog-revision', '2026-06', '--allow-writes', '--record', recording],
    vendorEnv(vendor));
  if (run.code !== 0) throw new Error(`recording run failed: ${run.stdout}${run.stderr}`);
});

const differing = (steps: Array<{ id: string; verdict: string; differences: Array<{ what: string }> }>) =>
  Object.fromEntries(steps.filter((s) => s.verdict !== 'same').map((s) => [s.id, s.differences.map((d) => d.what)]));

t.test('a recording: one file per exchange, the vendor\'s answers scrubbed, requests as templates', async (t) => {
  const files = fs.readdirSync(recording).sort();
  t.equal(files.length, 23);
  t.equal(files[0], '001-datadog.no-keys.json');
  t.equal(files[22], 'recording.json');
  const read = readRecording(recording); // checks every file against schemas/parity/
  t.match(read.meta, { format: 'syncmock-parity-recording/1', replay: { datadog_revision: '2026-06' } });
  t.same(read.meta.vendors, { datadog: new URL(vendor.url).host, sailpoint: new URL(vendor.url).host });

  const exchange = (step: string) => read.exchanges.find((e) => e.step === step);
  t.same(exchange('datadog.create')?.request.json, {
    data: {
      type: 'integration_config',
      attributes: { domain: '{{okta_domain}}', integration_type: 'OKTA', name: 'syncmock-parity-{{run}}', secrets: { api_token: '{{okta_api_token}}' }, settings: {} },
    },
  });
  t.match(exchange('datadog.create')?.response, {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-name': 'integration_config_write' },
    json: { data: { id: '<uuid>', type: 'integration_config', attributes: { name: '[scrubbed]', domain: '[scrubbed]', integration_type: 'OKTA', state: 'valid', created_at: '<timestamp>', settings: {} } } },
  });
  t.same(exchange('datadog.get-unknown')?.response.json, { errors: ['not_found(Integration config with ID {{unknown_id}} not found)'] });
  t.match(exchange('sailpoint.token')?.response.json, { access_token: '<jwt>', token_type: 'bearer', tenant_id: '<uuid>', org: '[scrubbed]' });
  t.same(exchange('sailpoint.token')?.request.form, { grant_type: 'client_credentials', client_id: '{{sail_client_id}}', client_secret: '{{sail_client_secret}}' });
  t.match(exchange('sailpoint.get-source')?.response.json, {
    source: { type: 'SOURCE', id: '<hex-id>', name: '[scrubbed]' },
    attributes: [{ name: 'email', displayName: 'Email', enabled: true, target: 'mail' }],
  });
  t.same((exchange('sailpoint.put-change-target')?.response.json as { causes: Array<{ text: string }> }).causes.map((c) => c.text),
    ['Field \'attributes.0.target\' of attribute \'email\' cannot be changed from \'mail\' to \'syncmock-parity-{{run}}\': only \'enabled\' is mutable']);
  t.match(exchange('sailpoint.put-toggle')?.request.json, { source: { id: '{{sailpoint_source_id}}', name: '{{sailpoint_source_name}}' } });
  t.notMatch(filesUnder(recording).map((f) => f.text).join('\n'), /HR Active Directory|dev-parity\.okta\.com|58eb06a4/,
    'the source\'s name, the Okta domain and the tenant id are not in it');
});

t.test('replayed against the same configuration: green', async (t) => {
  const { run } = await replayRecording(recording); // in-process, at the recording's revision
  t.equal(run.steps.length, 22);
  t.same(differing(run.steps), {});
  t.same(run.cleanup, [], 'a replay leaves nothing to clean up on the recording');
});

t.test('replayed against a different configuration: red exactly where it differs', async (t) => {
  await admin(syncmock.url)('POST', '/reset');
  const { run } = await replayRecording(recording, { syncmockUrl: syncmock.url }); // 2026-06 recording, header sent
  t.same(differing(run.steps), {}, 'the recording\'s revision is sent as X-Syncmock-Datadog-Revision');
  await admin(syncmock.url)('POST', '/reset');
  const other = await replayRecording(recording, { syncmockUrl: syncmock.url, datadogRevision: '2026-08' });
  t.same(differing(other.run.steps), {
    'datadog.list-unknown-filter': ['error text'],
    'datadog.patch-without-type': ['status'],
  });
});

t.test('the command line: --replay exits 0 when green and 1 when red, and writes the reports', async (t) => {
  const reports = t.testdir();
  await admin(syncmock.url)('POST', '/reset');
  const green = await parity(['--replay', recording, '--syncmock-url', syncmock.url], {});
  t.equal(green.code, 0, 'green', { stdout: green.stdout });
  const red = await parity(['--replay', recording, '--syncmock-url', syncmock.url, '--datadog-revision', '2026-08', '--report', reports], {});
  t.equal(red.code, 1);
  t.match(readReport(reports), { summary: { steps: 22, different: 2 }, mode: 'replay' });
});

t.test('a changed recorded answer makes that step, and only that one, red', async (t) => {
  const copy = t.testdir();
  fs.cpSync(recording, copy, { recursive: true });
  const file = path.join(copy, '018-sailpoint.get-unknown-source.json');
  const exchange = JSON.parse(fs.readFileSync(file, 'utf8'));
  exchange.response.json.causes[0].text = 'Source {{unknown_source_id}} does not exist';
  fs.writeFileSync(file, JSON.stringify(exchange));
  await admin(syncmock.url)('POST', '/reset');
  const { run } = await replayRecording(copy, { syncmockUrl: syncmock.url });
  t.same(differing(run.steps), { 'sailpoint.get-unknown-source': ['error text'] });
});

t.test('what is not a recording is refused, saying which file and why', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{}, /no recording\.json, so this is not a recording/],
    [{ 'recording.json': '{"format":"other"}' }, /recording\.json: \/ must have required property 'recorded_at'/],
    [{ 'recording.json': fs.readFileSync(path.join(recording, 'recording.json'), 'utf8') }, /the recording holds no exchange/],
    [{ 'recording.json': fs.readFileSync(path.join(recording, 'recording.json'), 'utf8'), 'notes.txt': 'x' }, /notes\.txt: not a recording file \(NNN-<step>\.json\)/],
    [{ 'recording.json': fs.readFileSync(path.join(recording, 'recording.json'), 'utf8'), '001-datadog.list.json': '{"step":"datadog.list"}' }, /001-datadog\.list\.json: \/ must have required property 'vendor'/],
  ];
  for (const [content, message] of cases) {
    const dir = t.testdir(content);
    const run = await parity(['--replay', dir], {});
    t.equal(run.code, 2);
    t.match(run.stderr, message);
  }
});

const contracts = path.join(repoRoot, 'test', 'contracts');
const entries = fs.readdirSync(contracts, { withFileTypes: true });

t.test('test/contracts holds its README and recording folders, nothing else', async (t) => {
  t.ok(fs.existsSync(path.join(contracts, 'README.md')), 'README.md says how to add a recording');
  t.same(entries.filter((e) => !e.isDirectory() && e.name !== 'README.md').map((e) => e.name), []);
});

for (const entry of entries.filter((e) => e.isDirectory())) {
  t.test(`recorded contract test/contracts/${entry.name}`, async (t) => {
    const { run } = await replayRecording(path.join(contracts, entry.name));
    t.ok(run.steps.length > 0, 'it holds exchanges');
    for (const step of run.steps) {
      t.equal(step.verdict, 'same', `${step.id}: ${step.title}`, { differences: step.differences, reason: step.reason });
    }
  });
}
