// What one org may hold (ORG_BOUNDS, src/datadog/model.ts; README, Limits): generated sequences of creates,
// patches and state imports near both bounds never leave the org over one; each write that would pass one is
// refused (400 in the writer's shape) and leaves every table as it was, and each that would not is taken.
import t from 'tap';
import fc from 'fast-check';
import { ORG_BOUNDS } from '../../src/datadog/model';
import { admin } from '../control/admin';
import { startServerWithStore, type StoreReader } from '../store-reader';
import { datadog } from './dd';

const ORG = 'syncmock-org-1';
const DD = { apiKey: 'syncmock-api-key', appKey: 'syncmock-app-key' };

interface Usage { configs: number; storedBytes: number }

const usageOf = (store: StoreReader): Usage => store.query(
  `SELECT COUNT(*) AS configs, COALESCE(SUM(octet_length(settings)), 0) + COALESCE(SUM(octet_length(secrets)), 0) AS storedBytes
   FROM dd_integration_configs WHERE org_id = ?`, ORG)[0] as Usage;
/** What a config adds to the usage as the store keeps it (JSON text, UTF-8). */
const bytesOf = (settings: unknown, secrets: unknown) => Buffer.byteLength(JSON.stringify(settings)) + Buffer.byteLength(JSON.stringify(secrets));
const within = (u: Usage) => u.configs <= ORG_BOUNDS.configs && u.storedBytes <= ORG_BOUNDS.storedBytes;

const SECRETS = { admin_email: 'bounds@example.com' };
// Settings of about `size` bytes; a non-ASCII letter now and then, so bytes and characters differ.
const settingsOf = (size: number, wide: boolean) => ({ blob: (wide ? 'é' : 'x').repeat(wide ? Math.floor(size / 2) : size) });
const size = fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 200_000, max: 600_000 }),
  fc.integer({ min: ORG_BOUNDS.storedBytes - 2_000, max: ORG_BOUNDS.storedBytes - 400 }));

type Op =
  | { kind: 'create'; size: number; wide: boolean }
  | { kind: 'patch'; pick: number; size: number; wide: boolean }
  | { kind: 'import'; mode: 'merge' | 'replace'; count: number; size: number; keep: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), size, wide: fc.boolean() }),
  fc.record({ kind: fc.constant('patch' as const), pick: fc.nat(), size, wide: fc.boolean() }),
  // Many small configs, up to either side of the count bound; or a few large ones.
  fc.oneof(
    fc.record({ kind: fc.constant('import' as const), mode: fc.constantFrom('merge' as const, 'replace' as const),
      count: fc.integer({ min: ORG_BOUNDS.configs - 3, max: ORG_BOUNDS.configs + 1 }), size: fc.constant(8), keep: fc.boolean() }),
    fc.record({ kind: fc.constant('import' as const), mode: fc.constantFrom('merge' as const, 'replace' as const),
      count: fc.integer({ min: 1, max: 3 }), size: fc.integer({ min: 100_000, max: 300_000 }), keep: fc.boolean() }),
  ),
);

t.test('creates, patches and imports near the bounds never leave an org over one; refusals change nothing', async (t) => {
  const { server, store } = await startServerWithStore(t);
  const dd = datadog(server.url, DD.apiKey, DD.appKey);
  const control = admin(server.url);
  const seen = { refused: 0, taken: 0 };

  await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
    t.equal((await control('POST', '/reset', { org: ORG })).status, 200);
    for (const o of ops) {
      const before = usageOf(store);
      const snapshot = store.snapshot();
      const ids = (store.query('SELECT id FROM dd_integration_configs WHERE org_id = ? ORDER BY rowid', ORG) as Array<{ id: string }>).map((r) => r.id);
      let expected: Usage;
      let status: number;
      let errors: unknown;
      if (o.kind === 'create') {
        const settings = settingsOf(o.size, o.wide);
        expected = { configs: before.configs + 1, storedBytes: before.storedBytes + bytesOf(settings, SECRETS) };
        const res = await dd.call('POST', '', { data: { type: 'integration_config', attributes: { integration_type: 'GOOGLE_WORKSPACE', name: 'bounds', domain: 'x.com', settings, secrets: SECRETS } } });
        ({ status } = res);
        errors = res.json?.errors;
      } else if (o.kind === 'patch') {
        if (ids.length === 0) continue;
        const id = ids[o.pick % ids.length];
        const [row] = store.query('SELECT octet_length(settings) AS bytes FROM dd_integration_configs WHERE org_id = ? AND id = ?', ORG, id) as Array<{ bytes: number | null }>;
        const settings = settingsOf(o.size, o.wide);
        expected = { configs: before.configs, storedBytes: before.storedBytes - (row.bytes ?? 0) + Buffer.byteLength(JSON.stringify(settings)) };
        const res = await dd.call('PATCH', `/${id}`, { data: { type: 'integration_config', attributes: { settings } } });
        ({ status } = res);
        errors = res.json?.errors;
      } else {
        const settings = settingsOf(o.size, false);
        // keep: the first config overwrites one the org holds (merge: no new row).
        const configs = Array.from({ length: o.count }, (_, i) => ({
          id: o.keep && i === 0 && ids.length > 0 ? ids[0] : crypto.randomUUID(),
          integration_type: 'OKTA', domain: 'x.com', settings, secrets: { api_token: 'bounds-token' },
        }));
        const added = configs.reduce((sum) => sum + bytesOf(settings, { api_token: 'bounds-token' }), 0);
        if (o.mode === 'replace') expected = { configs: o.count, storedBytes: added };
        else {
          const overwritten = configs.filter((c) => ids.includes(c.id));
          const overwrittenBytes = overwritten.reduce((sum, c) => sum + ((store.query(
            'SELECT COALESCE(octet_length(settings), 0) + COALESCE(octet_length(secrets), 0) AS bytes FROM dd_integration_configs WHERE org_id = ? AND id = ?', ORG, c.id,
          )[0] as { bytes: number }).bytes), 0);
          expected = { configs: before.configs + o.count - overwritten.length, storedBytes: before.storedBytes - overwrittenBytes + added };
        }
        const body = { datadog: { orgs: { [ORG]: { integration_configs: configs } } } };
        if (JSON.stringify(body).length > 1024 * 1024) continue;
        const res = await control('POST', `/state?mode=${o.mode}`, body);
        ({ status } = res);
        errors = res.json?.message;
      }
      const after = usageOf(store);
      if (!within(after)) t.fail(`the org holds ${JSON.stringify(after)} after ${o.kind}`);
      if (within(expected)) {
        if (status !== 200) t.fail(`${o.kind} within the bounds was refused: ${status} ${JSON.stringify(errors)}`);
        else seen.taken++;
      } else {
        seen.refused++;
        if (status !== 400) t.fail(`${o.kind} past the bounds answered ${status}`);
        if (o.kind === 'import') {
          if (typeof errors !== 'string' || !errors.includes(`Org ${ORG}`)) t.fail(`the control error names no org: ${JSON.stringify(errors)}`);
        } else if (!Array.isArray(errors) || !/^invalid_argument\(The integration config cannot be stored: at most /.test(String(errors[0]))) {
          t.fail(`not Datadog's shape: ${JSON.stringify(errors)}`);
        }
        if (store.snapshot() !== snapshot) t.fail(`the refused ${o.kind} changed a table`);
      }
    }
  }), { seed: 24, numRuns: 25 });
  t.ok(seen.refused > 5 && seen.taken > 5, `both sides met (${JSON.stringify(seen)})`);
});

t.test('a refused first create registers no org', async (t) => {
  const { server, store } = await startServerWithStore(t);
  const res = await datadog(server.url, 'bounds-new-key').call('POST', '', {
    data: { type: 'integration_config', attributes: { integration_type: 'OKTA', domain: 'x.com', settings: { a: 'x'.repeat(ORG_BOUNDS.storedBytes) }, secrets: { k: 'v' } } },
  });
  // The body limit comes first at this size: either way, nothing is written.
  t.ok(res.status === 400 || res.status === 413, `refused (${res.status})`);
  const orgs = store.query('SELECT org_id FROM dd_orgs') as Array<{ org_id: string }>;
  t.equal(orgs.length, 2, 'only the seed\'s orgs');
});
