// GET/PUT /__admin/rate-limits: read and change limits at runtime, so a test reaches the 429 path.
import t from 'tap';
import { matchesSchema, startServer } from '../helpers';
import { datadog, seedCreateBody } from '../datadog/dd';
import { admin } from './admin';

t.test('GET shows the configured limits per vendor and group', async (t) => {
  const server = await startServer(t, { sailpoint: { rateLimit: { limit: 50, periodSeconds: 10 } } });
  const res = await admin(server.url)('GET', '/rate-limits');
  t.equal(res.status, 200);
  matchesSchema(t, 'control/rate-limits.json', res.json);
  t.same(res.json, {
    datadog: {
      integration_config_read: { limit: 1000, period_seconds: 60 },
      integration_config_write: { limit: 500, period_seconds: 60 },
      integration_config_validate: { limit: 300, period_seconds: 60 },
    },
    sailpoint: { api: { limit: 50, period_seconds: 10 } },
  });
});

t.test('PUT lowers a limit: the next calls count from zero and the one past it is 429', async (t) => {
  const server = await startServer(t);
  server.context.clock.freeze(new Date('2026-05-01T12:00:00Z'));
  const call = admin(server.url);
  const dd = datadog(server.url);
  await dd.call('POST', '', seedCreateBody());
  const res = await call('PUT', '/rate-limits', { datadog: { integration_config_write: { limit: 2, period_seconds: 3600 } } });
  t.equal(res.status, 200);
  matchesSchema(t, 'control/rate-limits.json', res.json);
  t.same(res.json.datadog.integration_config_write, { limit: 2, period_seconds: 3600 });
  t.same(res.json.datadog.integration_config_read, { limit: 1000, period_seconds: 60 }, 'other groups unchanged');

  t.equal((await dd.call('POST', '', seedCreateBody())).status, 200);
  t.equal((await dd.call('POST', '', seedCreateBody())).status, 200);
  const limited = await dd.call('POST', '', seedCreateBody());
  t.equal(limited.status, 429);
  matchesSchema(t, 'datadog/error-response.json', limited.json);
  t.equal(limited.headers.get('x-ratelimit-limit'), '2');
  t.equal(limited.headers.get('x-ratelimit-period'), '3600');
  t.equal(limited.headers.get('x-ratelimit-reset'), '3600', 'a frozen clock at the window start');
  t.equal((await dd.call('GET')).status, 200, 'reads have their own budget');

  const partial = await call('PUT', '/rate-limits', { datadog: { integration_config_write: { limit: 5 } } });
  t.same(partial.json.datadog.integration_config_write, { limit: 5, period_seconds: 3600 }, 'fields not given keep their value');
  t.equal((await dd.call('POST', '', seedCreateBody())).status, 200, 'counters started afresh');
  await call('PUT', '/rate-limits', { sailpoint: { api: { limit: 3 } } });
  t.same((await call('GET', '/rate-limits')).json.sailpoint.api, { limit: 3, period_seconds: 10 });

});

t.test('a bad PUT is 400 naming the field and changes nothing', async (t) => {
  const server = await startServer(t);
  const call = admin(server.url);
  const before = (await call('GET', '/rate-limits')).json;
  for (const [body, message] of [
    [{ datadog: { integration_config_write: { limit: 0 } } }, /Field 'datadog.integration_config_write.limit' must be >= 1/],
    [{ datadog: { integration_config_write: { period_seconds: 1.5 } } }, /Field 'datadog.integration_config_write.period_seconds' must be integer/],
    [{ datadog: { integration_config_delete: { limit: 1 } } }, /Field 'datadog.integration_config_delete' is not allowed/],
    [{ datadog: { integration_config_write: {} } }, /Field 'datadog.integration_config_write' must NOT have fewer than 1 properties/],
    [{ github: {} }, /Field 'github' is not allowed/],
    [{ datadog: { integration_config_read: { limit: 2 }, integration_config_write: { limit: -1 } } }, /limit' must be >= 1/],
  ] as const) {
    const res = await call('PUT', '/rate-limits', body);
    t.equal(res.status, 400, JSON.stringify(body));
    matchesSchema(t, 'control/error.json', res.json);
    t.match(res.json.message, message);
  }
  t.same((await call('GET', '/rate-limits')).json, before, 'nothing changed');
});
