// /__admin/datadog/credential-outcome: force the next Datadog credential check(s), for one org or any.
import t from 'tap';
import { orgIdForApiKey } from '../../src/datadog/auth';
import { matchesSchema, startServer } from '../helpers';
import { datadog, seedCreateBody, seedValidateBody } from '../datadog/dd';
import { admin } from './admin';

t.test('forced outcomes apply to the next checks, in order, then the documented rule again', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const dd = datadog(server.url);
  const res = await call('POST', '/datadog/credential-outcome', { outcome: 'invalid', times: 2 });
  t.equal(res.status, 200);
  matchesSchema(t, 'datadog/control/credential-outcome.json', res.json);
  t.same(res.json, { org: null, pending: ['invalid', 'invalid'] });

  const rejected = await dd.call('POST', '', seedCreateBody());
  t.equal(rejected.status, 400, 'good secrets, forced invalid');
  t.match(rejected.json.errors[0], /rejected the credentials/);
  t.equal((await dd.call('POST', '/validate', seedValidateBody())).status, 400);
  t.equal((await dd.call('POST', '/validate', seedValidateBody())).status, 200, 'back to the rule');

  await call('POST', '/datadog/credential-outcome', { outcome: 'valid' });
  const invalidSecrets = seedValidateBody();
  invalidSecrets.data.attributes.secrets = { admin_email: 'invalid-user@example.com' };
  t.equal((await dd.call('POST', '/validate', invalidSecrets)).status, 200, 'bad secrets, forced valid');
  t.equal((await dd.call('POST', '/validate', invalidSecrets)).status, 400);
});

t.test('an outcome forced for one org (org or api_key) is not taken by another', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const a = datadog(server.url, 'outcome-key-a');
  const b = datadog(server.url, 'outcome-key-b');
  const forced = await call('POST', '/datadog/credential-outcome', { api_key: 'outcome-key-a', outcome: 'invalid' });
  t.same(forced.json, { org: orgIdForApiKey('outcome-key-a'), pending: ['invalid'] });
  t.notOk(forced.text.includes('outcome-key-a'));
  t.equal((await b.call('POST', '', seedCreateBody())).status, 200, 'B checks by the rule');
  t.equal((await a.call('POST', '', seedCreateBody())).status, 400, 'A takes its forced outcome');

  await call('POST', '/datadog/credential-outcome', { org: orgIdForApiKey('outcome-key-a'), outcome: 'invalid', times: 3 });
  await call('POST', '/datadog/credential-outcome', { outcome: 'valid' });
  const pending = await call('GET', '/datadog/credential-outcome?api_key=outcome-key-a');
  t.same(pending.json.pending, ['invalid', 'invalid', 'invalid', 'valid'], 'the org\'s own first, then those for any org');
  const cleared = await call('DELETE', '/datadog/credential-outcome?api_key=outcome-key-a');
  t.same(cleared.json.pending, ['valid'], 'DELETE with an org clears its own');
  t.same((await call('DELETE', '/datadog/credential-outcome')).json, { org: null, pending: [] });
});

t.test('a bad credential-outcome call is 400 and forces nothing', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  for (const [body, message] of [
    [{ outcome: 'maybe' }, /Field 'outcome' must be one of: valid, invalid/],
    [{}, /Field 'outcome' is required/],
    [{ outcome: 'invalid', times: 0 }, /Field 'times' must be >= 1/],
    [{ outcome: 'invalid', tenant: 't' }, /Field 'tenant' is not allowed/],
    [{ outcome: 'invalid', org: 'a', api_key: 'b' }, /Give only one of/],
  ] as const) {
    const res = await call('POST', '/datadog/credential-outcome', body);
    t.equal(res.status, 400, JSON.stringify(body));
    matchesSchema(t, 'control/error.json', res.json);
    t.match(res.json.message, message);
  }
  t.equal((await call('GET', '/datadog/credential-outcome?tenant=x')).status, 400);
  t.same((await call('GET', '/datadog/credential-outcome')).json.pending, []);
});
