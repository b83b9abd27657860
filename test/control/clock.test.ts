// GET/POST /__admin/clock: freeze, advance, real; timestamps follow.
import fc from 'fast-check';
import t from 'tap';
import { matchesSchema, startServer } from '../helpers';
import { datadog, seedCreateBody } from '../datadog/dd';
import { admin } from './admin';
import { FUZZ_SEED, edgyTime } from '../e2e/random';
import { Clock } from '../../src/platform/clock';
import { LATEST_TIME_MS, isMockTime } from '../../src/platform/mock-time';

t.test('freeze, advance and release the server clock; timestamps read it', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const dd = datadog(server.url);
  const initial = await call('GET', '/clock');
  t.equal(initial.status, 200);
  matchesSchema(t, 'control/clock.json', initial.json);
  t.equal(initial.json.frozen, false);

  const frozen = await call('POST', '/clock', { freeze_at: '2026-05-01T12:00:00Z' });
  t.equal(frozen.status, 200);
  matchesSchema(t, 'control/clock.json', frozen.json);
  t.same(frozen.json, { now: '2026-05-01T12:00:00.000Z', frozen: true, offset_seconds: 0 });
  const created = (await dd.call('POST', '', seedCreateBody())).json.data;
  t.equal(created.attributes.created_at, '2026-05-01T12:00:00Z');

  const advanced = await call('POST', '/clock', { advance_seconds: 90 });
  t.equal(advanced.json.now, '2026-05-01T12:01:30.000Z');
  const patched = await dd.call('PATCH', `/${created.id}`, { data: { type: 'integration_config', attributes: { name: 'later' } } });
  t.equal(patched.json.data.attributes.modified_at, '2026-05-01T12:01:30Z');
  t.equal(patched.json.data.attributes.created_at, '2026-05-01T12:00:00Z');
  const journal = (await call('GET', '/requests?limit=1')).json.requests[0];
  t.equal(journal.time, '2026-05-01T12:01:30.000Z', 'the journal reads it too');

  const real = await call('POST', '/clock', { real: true });
  t.same({ frozen: real.json.frozen, offset: real.json.offset_seconds }, { frozen: false, offset: 0 });
  const running = await call('POST', '/clock', { advance_seconds: 3600 });
  t.equal(running.json.offset_seconds, 3600, 'a running clock moves ahead by an offset');
  t.equal((await call('GET', '/clock')).json.offset_seconds, 3600);
});

t.test('a bad clock document is 400 naming the field, and the clock is unchanged', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  await call('POST', '/clock', { freeze_at: '2026-05-01T12:00:00Z' });
  for (const [body, message] of [
    [{}, /Give exactly one of freeze_at, advance_seconds and real \(got none\)/],
    [{ freeze_at: '2026-05-01T12:00:00Z', advance_seconds: 1 }, /\(got freeze_at and advance_seconds\)/],
    [{ freeze_at: 'yesterday' }, /Field 'freeze_at' must be an RFC 3339 time/],
    [{ freeze_at: '2026-05-01 12:00' }, /Field 'freeze_at' must be an RFC 3339 time/],
    [{ freeze_at: '2026-06-30T23:59:60Z' }, /without a leap second/],
    [{ freeze_at: '1969-12-31T23:59:59Z' }, /from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z/],
    [{ freeze_at: '9999-12-31T23:59:59-01:00' }, /from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z/],
    [{ advance_seconds: -5 }, /Field 'advance_seconds' must be >= 0/],
    [{ advance_seconds: '5' }, /Field 'advance_seconds' must be number/],
    [{ real: false }, /Field 'real' must be equal to constant/],
    [{ rewind: true }, /Field 'rewind' is not allowed/],
  ] as const) {
    const res = await call('POST', '/clock', body);
    t.equal(res.status, 400, JSON.stringify(body));
    matchesSchema(t, 'control/error.json', res.json);
    t.match(res.json.message, message);
  }
  t.same((await call('GET', '/clock')).json, { now: '2026-05-01T12:00:00.000Z', frozen: true, offset_seconds: 0 });
});

// Generated: times around every edge of what the mock accepts (platform/mock-time.ts), at each entry that takes
// one: the clock, a state import, the seed data (test/platform/seed-data.test.ts). Each is taken or a 400 in the
// control shape that changes nothing, never a 500; a time taken is one every later call can stamp, export
// and import back.
t.test('generated: every time is taken or refused with a 400, never a 500, and what is taken round-trips', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const dd = datadog(server.url, 'clock-edges');
  await call('POST', '/clock', { freeze_at: '2026-05-01T12:00:00Z' }); // so that reading it twice gives the same text
  let taken = 0;
  await fc.assert(fc.asyncProperty(edgyTime(), fc.constantFrom('freeze', 'import'), async (time, where) => {
    const before = JSON.stringify([(await call('GET', '/clock')).json, (await call('GET', '/state')).json]);
    const res = where === 'freeze' ? await call('POST', '/clock', { freeze_at: time })
      : await call('POST', '/state', { datadog: { orgs: { o1: { integration_configs: [
        { id: '11111111-2222-3333-4444-555555555501', integration_type: 'OKTA', domain: 'd', created_at: time, modified_at: time }] } } } });
    if (res.status === 400) {
      matchesSchema(t, 'control/error.json', res.json, `${where} ${time}: the control shape`);
      if (where === 'freeze' && !/must be an RFC 3339 time .* without a leap second/.test(res.json.message)) throw new Error(res.json.message);
      const after = JSON.stringify([(await call('GET', '/clock')).json, (await call('GET', '/state')).json]);
      if (after !== before) throw new Error(`${where} ${time}: a 400 changed something`);
      return;
    }
    if (res.status !== 200) throw new Error(`${where} ${time}: ${res.status} ${res.text}`);
    taken++;
    const created = await dd.call('POST', '', seedCreateBody());
    if (created.status !== 200) throw new Error(`after ${where} ${time}: a create is ${created.status}`);
    const exported = (await call('GET', '/state')).json;
    const again = await call('POST', '/state', exported);
    if (again.status !== 200) throw new Error(`after ${where} ${time}: the export does not import back: ${again.text}`);
    t.same((await call('GET', '/state')).json, exported);
  }), { seed: FUZZ_SEED, numRuns: 40 });
  t.ok(taken > 0, `${taken} of the times were taken`);
  await call('POST', '/clock', { real: true });
});

t.test('generated: advancing never takes the clock past 9999-12-31T23:59:59Z', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  await call('POST', '/clock', { freeze_at: '9990-01-01T00:00:00Z' });
  await fc.assert(fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(0, 1, 315360000), fc.integer({ min: 0, max: 315360000 })), { maxLength: 6 }), async (steps) => {
    for (const advance_seconds of steps) {
      const before = (await call('GET', '/clock')).json;
      const res = await call('POST', '/clock', { advance_seconds });
      if (res.status === 400) {
        t.match(res.json.message, /would move the clock past 9999-12-31T23:59:59Z/);
        t.same((await call('GET', '/clock')).json, before, 'unchanged');
      } else if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
      if (!/^\d{4}-/.test((await call('GET', '/clock')).json.now)) throw new Error('past year 9999');
    }
    const created = await datadog(server.url, 'late').call('POST', '', seedCreateBody());
    if (created.status !== 200) throw new Error(`a create at the end of time: ${created.status}`);
  }), { seed: FUZZ_SEED, numRuns: 10 });
});

t.test('generated: a running clock moved near the end of time stops at 9999-12-31T23:59:59Z as real time passes', async (t) => {
  const realNow = Date.now;
  t.teardown(() => { Date.now = realNow; });
  fc.assert(fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10 * 365 * 86_400_000 }), (beforeEndMs, elapsedMs) => {
    Date.now = realNow;
    const clock = new Clock();
    clock.advance((LATEST_TIME_MS - beforeEndMs - realNow()) / 1000);
    const started = realNow();
    Date.now = () => started + elapsedMs;
    if (clock.nowMs() > LATEST_TIME_MS) throw new Error(`${clock.now().toISOString()}: past the latest time`);
    if (!isMockTime(clock.isoNow())) throw new Error(`${clock.isoNow()} is not a time an import takes`);
    clock.advance(0);
  }), { seed: FUZZ_SEED, numRuns: 200 });
  t.pass('never past it, and every stamp is one a state import takes back');
});
