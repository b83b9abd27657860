// The seed document (--seed-data) is checked whole before anything starts: closed, like state documents
// (a misspelt field is an error), and with every id, key and name given once. A mistake is a SeedDataError
// naming the field (the CLI's exit code 2), never a database error at start.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import { startSyncmock } from '../../src/index';
import { loadSeedData, SeedDataError } from '../../src/platform/seed-data';
import { packageRoot } from '../../src/platform/paths';
import { VENDORS } from '../../src/vendors';
import { runCli } from '../spawn';
import { FUZZ_SEED, edgyTime } from '../e2e/random';
import { toRfc3339 } from '../../src/platform/clock';

const shipped = () => JSON.parse(fs.readFileSync(path.join(packageRoot, 'data', 'seed.json'), 'utf8'));

t.test('each mistake is refused, naming where it is', async (t) => {
  const dir = t.testdir();
  const cases: Array<[string, (seed: any) => void, RegExp]> = [
    ['a misspelt optional field', (s) => { s.datadog.orgs[0].acess_tokens = []; }, /\/datadog\/orgs\/0 must NOT have additional properties \(acess_tokens\)/],
    ['an unknown vendor part', (s) => { s.github = {}; }, /additional properties \(github\)/],
    ['a config id twice in an org', (s) => { s.datadog.orgs[0].integration_configs.push({ ...s.datadog.orgs[0].integration_configs[0] }); },
      /Field 'datadog\.orgs\.0\.integration_configs\.1\.id' repeats a config id \(11111111-2222-3333-4444-555555555555\) already given at 'datadog\.orgs\.0\.integration_configs\.0\.id'/],
    ['an org twice', (s) => { s.datadog.orgs.push({ ...s.datadog.orgs[1], api_keys: [], application_keys: [], access_tokens: [] }); }, /datadog\.orgs\.2\.org_id' repeats an org \(syncmock-org-2\)/],
    ['an API key in two orgs', (s) => { s.datadog.orgs[1].api_keys.push('syncmock-api-key'); }, /datadog\.orgs\.1\.api_keys\.1' repeats an API key already given at 'datadog\.orgs\.0\.api_keys\.0'$/m],
    ['a source twice', (s) => { s.sailpoint.sources.push(s.sailpoint.sources[0]); }, /sailpoint\.sources\.2\.id' repeats a source/],
    ['an attribute twice in a source', (s) => { s.sailpoint.sources[1].attributes.push(s.sailpoint.sources[1].attributes[0]); }, /sailpoint\.sources\.1\.attributes\.2\.name' repeats an attribute \(email\)/],
    ['a client twice', (s) => { s.sailpoint.clients.push(s.sailpoint.clients[0]); }, /sailpoint\.clients\.4\.client_id' repeats a client/],
  ];
  for (const [name, change, message] of cases) {
    const seed = shipped();
    change(seed);
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify(seed));
    const err = (() => { try { loadSeedData(file, VENDORS); } catch (e) { return e; } return undefined; })();
    t.ok(err instanceof SeedDataError, `${name}: refused`);
    t.match((err as Error | undefined)?.message, message, `${name}: the message names the field`);
  }
  t.notMatch((() => { try { loadSeedData(path.join(dir, 'an-API-key-in-two-orgs.json'), VENDORS); } catch (e) { return (e as Error).message; } return ''; })(),
    /syncmock-api-key/, 'a repeated credential is not repeated in the message');
  t.ok(loadSeedData(path.join(packageRoot, 'data', 'seed.json'), VENDORS), 'the shipped seed data loads');
});

t.test('the CLI exits 2 with one line, before touching the database', async (t) => {
  const dir = t.testdir();
  const seed = shipped();
  seed.datadog.orgs[0].integration_configs.push({ ...seed.datadog.orgs[0].integration_configs[0] });
  const file = path.join(dir, 'seed.json');
  fs.writeFileSync(file, JSON.stringify(seed));
  const db = path.join(dir, 'syncmock.db');
  const run = runCli(['--port', '0', '--db', db, '--seed-data', file]);
  t.equal(run.code, 2);
  t.match(run.stderr, /^syncmock: invalid seed data .*repeats a config id.*\(--seed-data\/SYNCMOCK_SEED_DATA\)\n$/);
  t.notOk(fs.existsSync(db), 'no database was created');
});

t.test('a seed data or seed state file that is not JSON is refused by rule and byte, not by quoting it', async (t) => {
  const dir = t.testdir();
  const secret = 'SeedSecretZq7XvK2m';
  const broken = [
    `{"sailpoint":{"clients":[{"client_secret":${secret}}]}}`, `{"sailpoint":{"clients":[{"client_secret":"${secret}`,
    `{"sailpoint":{"clients":[{"client_secret":"${secret}\\q"}]}}`, `{"sailpoint":{"clients":[{"client_secret":"${secret}",}]}}`,
  ];
  for (const [i, text] of broken.entries()) {
    const file = path.join(dir, `broken-${i}.json`);
    fs.writeFileSync(file, text);
    const seedData = (() => { try { loadSeedData(file, VENDORS); } catch (e) { return (e as Error).message; } return ''; })();
    t.match(seedData, /^cannot read the seed data .*: not JSON: [a-z ',\\]+ at byte \d+$/, `seed data ${i}: rule and byte`);
    t.notMatch(seedData, secret.slice(0, 6), `seed data ${i}: the file is not quoted`);
    const state = await startSyncmock({ seedState: file, logLevel: 'silent' }).then(() => '', (e: Error) => e.message);
    t.match(state, /^cannot load the seed state .*: not JSON: .* at byte \d+$/, `seed state ${i}: rule and byte`);
    t.notMatch(state, secret.slice(0, 6), `seed state ${i}: the file is not quoted`);
  }
  const latin1 = path.join(dir, 'latin1.json');
  fs.writeFileSync(latin1, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]));
  t.match((() => { try { loadSeedData(latin1, VENDORS); } catch (e) { return (e as Error).message; } return ''; })(), /not UTF-8 at byte 2$/, 'not UTF-8: where');
});

t.test('generated: a seed time is one the mock can stamp and give back, or a SeedDataError naming the field', async (t) => {
  const dir = t.testdir();
  const file = path.join(dir, 'time.json');
  let loaded = 0;
  fc.assert(fc.property(edgyTime(), (time) => {
    const seed = shipped();
    seed.datadog.orgs[0].integration_configs[0].created_at = time;
    fs.writeFileSync(file, JSON.stringify(seed));
    try {
      loadSeedData(file, VENDORS);
    } catch (err) {
      if (!(err instanceof SeedDataError) || !/integration_configs\/0\/created_at must be an RFC 3339 time/.test(err.message)) throw err;
      return;
    }
    loaded++;
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(toRfc3339(Date.parse(time)))) throw new Error(`${time} loads but stamps oddly`);
  }), { seed: FUZZ_SEED, numRuns: 60 });
  t.ok(loaded > 0, `${loaded} loaded`);
});
