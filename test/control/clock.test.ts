// GET/POST /__admin/clock: freeze, advance, real; timestamps follow.
import t from 'tap';
import { matchesSchema, startServer } from '../helpers';
import { datadog, seedCreateBody } from '../datadog/dd';
import { admin } from './admin';

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
    [{ freeze_at: 'yesterday' }, /Field 'freeze_at' must match format "date-time"/],
    [{ freeze_at: '2026-05-01 12:00' }, /Field 'freeze_at' must match format/],
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
