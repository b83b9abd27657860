// X-RateLimit-* on every authenticated response, 429 past the limit, per org and operation group.
import t from 'tap';
import { matchesSchema, startServer } from '../helpers';
import { datadog, seedCreateBody } from './dd';

const HEADERS = ['x-ratelimit-limit', 'x-ratelimit-period', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-name'];

t.test('headers count down, then 429 with the same headers until the window resets', async (t) => {
  const server = await startServer(t, { datadog: { rateLimits: { integration_config_read: { limit: 3, periodSeconds: 60 } } } });
  server.context.clock.freeze(new Date('2026-05-01T12:00:10Z'));
  const dd = datadog(server.url);
  for (let i = 1; i <= 3; i++) {
    const res = await dd.call('GET');
    t.equal(res.status, 200);
    for (const h of HEADERS) t.ok(res.headers.get(h), `${h} present`);
    t.equal(res.headers.get('x-ratelimit-limit'), '3');
    t.equal(res.headers.get('x-ratelimit-period'), '60');
    t.equal(res.headers.get('x-ratelimit-remaining'), String(3 - i));
    t.equal(res.headers.get('x-ratelimit-reset'), '50', 'seconds until the calendar-aligned window ends');
    t.equal(res.headers.get('x-ratelimit-name'), 'security_monitoring_integration_config_read');
  }
  const limited = await dd.call('GET', '/11111111-2222-3333-4444-555555555555');
  t.equal(limited.status, 429, 'get shares the read group with list');
  matchesSchema(t, 'datadog/error-response.json', limited.json);
  t.same(limited.json, { errors: ['Too many requests'] });
  t.equal(limited.headers.get('x-ratelimit-remaining'), '0');
  t.equal(limited.headers.get('x-ratelimit-reset'), '50');
  t.equal((await dd.call('POST', '', seedCreateBody())).status, 200, 'the write group has its own budget');
  t.equal((await datadog(server.url, 'another-org').call('GET')).status, 200, 'another org has its own budget');
  server.context.clock.advance(50);
  const after = await dd.call('GET');
  t.equal(after.status, 200, 'a new window');
  t.equal(after.headers.get('x-ratelimit-remaining'), '2');
});

t.test('a 429 comes before the permission and body checks', async (t) => {
  const server = await startServer(t, { datadog: { rateLimits: { integration_config_write: { limit: 1, periodSeconds: 10 } } } });
  const dd = datadog(server.url);
  t.equal((await dd.call('POST', '', { nonsense: true })).status, 400);
  t.equal((await dd.call('POST', '', { nonsense: true })).status, 429);
});

t.test('the rate limit counts before the permission: a 403 for a missing permission carries the headers, and past the limit it is a 429', async (t) => {
  const server = await startServer(t, { datadog: { rateLimits: { integration_config_write: { limit: 2, periodSeconds: 10 } } } });
  const readOnly = datadog(server.url, 'syncmock-api-key', 'syncmock-read-only-app-key');
  const first = await readOnly.call('POST', '', { nonsense: true });
  t.equal(first.status, 403, 'a read-only key may not write');
  t.equal(first.headers.get('x-ratelimit-remaining'), '1', 'and the refused write counted');
  t.equal(first.headers.get('x-ratelimit-name'), 'security_monitoring_integration_config_write');
  t.equal((await readOnly.call('POST', '', { nonsense: true })).status, 403);
  const third = await readOnly.call('POST', '', { nonsense: true });
  t.equal(third.status, 429, 'past the limit the rate limit answers before the permission');
  t.equal(third.headers.get('x-ratelimit-remaining'), '0');
  const full = datadog(server.url, 'syncmock-api-key', 'syncmock-app-key');
  t.equal((await full.call('POST', '', { nonsense: true })).status, 429, 'the window is the org\'s, whichever key of it writes');
});
