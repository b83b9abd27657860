// The schemas as data: every file compiles with its `$ref`s resolved, shared parts are written once, the
// control API's markers reach through `$ref`s, the closed reading closes what it should, and the runtime
// lists come from the schemas.
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import t from 'tap';
import { ControlSchemas } from '../../src/control/schemas';
import { INTEGRATION_TYPES, secretlessTypes, takesNoSecrets } from '../../src/datadog/integration-types';
import { DATADOG_REVISIONS, type DatadogRevision } from '../../src/datadog/revision';
import { revisionSchema } from '../../src/datadog/revision-schemas';
import { problemFromError } from '../../src/platform/errors';
import { closed } from '../../src/platform/closed-schema';
import { enumValues, ref, schema, schemasDir, sharedSchemaFiles } from '../../src/platform/schemas';
import { AJV_OPTIONS } from '../../src/platform/validators';
import { VENDORS } from '../../src/vendors';

const files = fs.readdirSync(schemasDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.split(path.sep).join('/'));

const controlSchemas = new ControlSchemas(VENDORS);
/** A file as the server uses it: the control API's with the registry's vendors filled in. */
const served = (file: string) => (file.startsWith('control/') ? controlSchemas.get(file.slice('control/'.length)) : schema(file));

t.test('every schema compiles, strictly, with every $ref resolved, open and closed alike', async (t) => {
  for (const variant of ['as written', 'closed'] as const) {
    const ajv = new Ajv(AJV_OPTIONS);
    addFormats(ajv);
    const shared = controlSchemas.shared();
    ajv.addSchema([...(variant === 'closed' ? shared.closed() : shared).list]);
    const read = variant === 'closed' ? closed : <T>(s: T) => s;
    // config.json is compiled at build time (scripts/schema-validators.mjs), with its own x- vocabulary.
    for (const file of files.filter((f) => f !== 'config.json')) {
      const s = served(file);
      t.doesNotThrow(() => (s.$id === undefined ? ajv.compile(read(s)) : ajv.getSchema(s.$id as string)), `${file} (${variant})`);
    }
  }
});

t.test('a shared schema is a file whose $id is its path', async (t) => {
  const shared = sharedSchemaFiles();
  t.ok(['datadog/defs.json', 'sailpoint/defs.json', 'control/defs.json'].every((f) => shared.includes(f)), 'the three files of $defs');
  for (const file of shared) t.equal(schema(file).$id, `/${file}`, `${file} has its path as $id`);
  t.same(ref('datadog/error-response.json'), { $ref: '/datadog/error-response.json' });
  t.throws(() => ref('datadog/list-query.json'), /has no \$id/, 'only shared schemas are referred to');
});

t.test('the control API\'s markers are filled in from the registry, through $refs too', async (t) => {
  const names = VENDORS.map((v) => v.name);
  const vendor = (schema('control/defs.json').$defs as Record<string, Record<string, unknown>>).Vendor;
  t.equal(vendor.enum, undefined, 'control/defs.json names no vendor');
  const expanded = controlSchemas.shared().get('/control/defs.json').$defs as Record<string, Record<string, unknown>>;
  t.same(expanded.Vendor.enum, names, 'the registry fills the names in');
  t.notOk(Object.keys(expanded.Vendor).some((k) => k.startsWith('x-')), 'and the marker is gone');
  const ajv = new Ajv(AJV_OPTIONS);
  addFormats(ajv);
  ajv.addSchema([...controlSchemas.shared().list]);
  const faultRequest = ajv.compile(controlSchemas.get('fault-rule-request.json'));
  t.ok(faultRequest({ vendor: names[0], status: 500 }), 'a vendor of the registry is a vendor');
  t.notOk(faultRequest({ vendor: 'nobody', status: 500 }), 'another name is not');
  const faults = ajv.compile(controlSchemas.get('faults-response.json'));
  const rule = { id: 'x', seed: 1, hits: 0, remaining: null, created_at: '2026-05-01T12:00:00Z' };
  const scope = VENDORS[0].scope.name;
  t.ok(faults({ faults: [{ ...rule, vendor: names[0], [scope]: 'some-id' }] }), 'a listed rule has its scope field, through the $ref to fault-rule.json');
  t.notOk(faults({ faults: [{ ...rule, vendor: 'nobody' }] }), 'and only the registry\'s vendors');
});

t.test('the integration types are listed once, and the code reads them from there', async (t) => {
  const lists: Array<[string, unknown[]]> = [];
  const walk = (file: string, node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const values = (node as { enum?: unknown }).enum;
    if (Array.isArray(values) && values.some((v) => INTEGRATION_TYPES.includes(v as never))) lists.push([file, values]);
    Object.values(node).forEach((child) => walk(file, child));
  };
  for (const file of files) walk(file, schema(file));
  t.same(lists, [['datadog/defs.json', ['GOOGLE_WORKSPACE', 'OKTA', 'ENTRA_ID']], ['datadog/defs.json', ['CROWDSTRIKE', 'SENTINELONE']]],
    'one list (2026-06\'s types, then those 2026-08 added); everything else refers to it (a 2026-08 branch names its own type with const)');
  t.same(INTEGRATION_TYPES, ['GOOGLE_WORKSPACE', 'OKTA', 'ENTRA_ID', 'CROWDSTRIKE', 'SENTINELONE']);
  t.same(enumValues(schema('datadog/defs.json'), '#/$defs/IntegrationType2026_06'), ['GOOGLE_WORKSPACE', 'OKTA', 'ENTRA_ID']);
});

t.test('which sources take no secrets is written once, in each revision\'s request schemas, and the code reads it there', async (t) => {
  type Attributes = { properties?: Record<string, unknown>; oneOf?: Array<{ properties: Record<string, { const?: string }> }> };
  const withoutSecrets = (revision: DatadogRevision, file: string) => {
    const attributes = (revisionSchema(revision, file) as any).properties.data.properties.attributes as Attributes;
    if (attributes.oneOf === undefined) return 'secrets' in (attributes.properties ?? {}) ? [] : ['every type'];
    return attributes.oneOf.filter((b) => !('secrets' in b.properties)).map((b) => b.properties.integration_type.const);
  };
  for (const revision of DATADOG_REVISIONS) {
    for (const body of ['integration-config-create-request.json', 'integration-config-update-request.json', 'integration-credentials-validate-request.json']) {
      t.same(withoutSecrets(revision, body), secretlessTypes(revision), `${revision} ${body}: the same types take no secrets`);
    }
  }
  t.same(secretlessTypes('2026-06'), [], '2026-06: every type takes secrets (the seed contract)');
  t.same(secretlessTypes('2026-08'), ['ENTRA_ID'], '2026-08: Entra ID takes none');
  t.ok(takesNoSecrets('ENTRA_ID') && !INTEGRATION_TYPES.some((type) => type !== 'ENTRA_ID' && takesNoSecrets(type)), 'what the credential check and activate ask');
});

t.test('the Datadog revisions are --datadog-revision\'s, and a recording\'s replay names one of them', async (t) => {
  t.same(DATADOG_REVISIONS, ['2026-06', '2026-08']);
  t.same(enumValues(schema('parity/recording.json'), '#/properties/replay/properties/datadog_revision'), DATADOG_REVISIONS,
    'the recording format lists the same (a format of its own, checked here)');
});

t.test('closed() shuts objects that list their properties, and only those', async (t) => {
  const input = {
    type: 'object',
    properties: {
      listed: { type: 'object', properties: { a: { type: 'string' } } },
      open: { type: 'object', additionalProperties: true, properties: { a: { type: 'string' } } },
      free: { type: 'object' },
      tagged: { type: 'object', properties: { kind: { type: 'string' } }, oneOf: [{ properties: { kind: { const: 'x' }, x: {} } }] },
      list: { type: 'array', items: { type: 'object', properties: { b: {} } } },
    },
  };
  const out = closed(input) as any;
  t.equal(out.additionalProperties, false, 'the root');
  t.equal(out.properties.listed.additionalProperties, false, 'a nested object');
  t.equal(out.properties.open.additionalProperties, true, 'one that says it is open stays open');
  t.equal(out.properties.free.additionalProperties, undefined, 'a free-form object stays free');
  t.equal(out.properties.tagged.additionalProperties, undefined, 'a composed object is left to its branches...');
  t.equal(out.properties.tagged.oneOf[0].additionalProperties, false, '...which are closed');
  t.equal(out.properties.list.items.additionalProperties, false, 'array items');
  t.equal((input.properties.listed as Record<string, unknown>).additionalProperties, undefined, 'the input is not changed');
  t.equal(closed(input), out, 'the same input gives the same object');
});

t.test('closed() checks the names inside a writeOnly object (credentials) with propertyNames, so no error repeats one', async (t) => {
  const input = {
    type: 'object',
    properties: {
      secrets: {
        type: 'object', writeOnly: true, properties: { token: { type: 'string' }, inner: { type: 'object', properties: { a: {} } } },
      },
    },
  };
  const out = closed(input) as any;
  t.same(out.properties.secrets.propertyNames, { enum: ['token', 'inner'] });
  t.equal(out.properties.secrets.additionalProperties, undefined);
  t.same(out.properties.secrets.properties.inner.propertyNames, { enum: ['a'] }, 'and inside it');
  const ajv = new Ajv(AJV_OPTIONS);
  const validate = ajv.compile(out);
  t.notOk(validate({ secrets: { token: 'x', sk_live_123: 'y' } }));
  const problem = problemFromError({ validation: validate.errors, message: 'invalid' });
  t.same(problem.details, ["Field 'secrets' has a field that is not allowed (not named here: it is inside credentials)"], 'the 400 does not name the key');
});
