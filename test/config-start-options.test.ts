// Issue 15, defect 5: startSyncmock() checks its options as the CLI checks flags. A rate-limit period of 0
// (rate limiting silently off, X-RateLimit-Reset: NaN) and a token lifetime of 0 or less are refused, with
// an error naming the option, and no server is left listening.
import t from 'tap';
import { startSyncmock, type StartOptions } from '../src/index';

/** Starts with options the types may not allow (as from JavaScript or JSON); closes a server that should not have started. */
async function refused(options: unknown): Promise<Error | undefined> {
  try {
    const server = await startSyncmock({ logLevel: 'silent', ...(options as StartOptions) });
    await server.close();
    return undefined;
  } catch (err) {
    return err as Error;
  }
}

t.test('a rate-limit period of 0 is refused, naming the option', async (t) => {
  const cases: Array<[string, unknown]> = [
    ['datadog.rateLimits.integration_config_read.periodSeconds', { datadog: { rateLimits: { integration_config_read: { limit: 1, periodSeconds: 0 } } } }],
    ['datadog.rateLimits.integration_config_write.periodSeconds', { datadog: { rateLimits: { integration_config_write: { limit: 5, periodSeconds: -10 } } } }],
    ['sailpoint.rateLimit.periodSeconds', { sailpoint: { rateLimit: { limit: 100, periodSeconds: 0 } } }],
  ];
  for (const [option, options] of cases) {
    const err = await refused(options);
    t.ok(err, `${option}: startSyncmock rejects`);
    t.match(err?.message, /periodSeconds/, `${option}: the error names the option`, { message: err?.message });
  }
});

t.test('a token lifetime of 0 or less is refused, naming the option, as --sailpoint-token-ttl is', async (t) => {
  for (const ttl of [-60, 0]) {
    const err = await refused({ sailpoint: { tokenTtlSeconds: ttl } });
    t.ok(err, `tokenTtlSeconds ${ttl}: startSyncmock rejects`);
    t.match(err?.message, /tokenTtlSeconds/, `tokenTtlSeconds ${ttl}: the error names the option`, { message: err?.message });
  }
});

t.test('the same options within range start a server', async (t) => {
  const err = await refused({
    datadog: { rateLimits: { integration_config_read: { limit: 1, periodSeconds: 1 } } },
    sailpoint: { tokenTtlSeconds: 1, rateLimit: { limit: 1, periodSeconds: 1 } },
  });
  t.equal(err, undefined, 'started (and closed)');
});
