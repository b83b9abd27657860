// The seed document (data/seed.json, or --seed-data): one part per vendor, each checked against the
// vendor's own seed schema.
import fs from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { SharedSchemas, ref, schema, sharedSchemaFiles } from './schemas';
import type { VendorContract } from './vendor';

/** Each vendor's part, by vendor name. */
export type SeedData = Record<string, unknown>;

export class SeedDataError extends Error {}

const validators = new WeakMap<readonly VendorContract[], ValidateFunction>();

/**
 * Read closed, like state documents: a misspelt optional field is an error, not silently ignored. Compiled
 * once per registry: every server of a test run checks its seed.
 */
function seedValidator(vendors: readonly VendorContract[]): ValidateFunction {
  let validate = validators.get(vendors);
  if (!validate) {
    validate = new SharedSchemas(sharedSchemaFiles().map(schema)).closed().validator({
      type: 'object',
      required: vendors.map((v) => v.name),
      additionalProperties: false,
      properties: Object.fromEntries(vendors.map((v) => [v.name, ref(v.seedSchema)])),
    });
    validators.set(vendors, validate);
  }
  return validate;
}

export function loadSeedData(file: string, vendors: readonly VendorContract[]): SeedData {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SeedDataError(`cannot read the seed data ${file}: ${(err as Error).message}`);
  }
  const validate = seedValidator(vendors);
  if (!validate(doc)) {
    const e = validate.errors?.[0];
    const extra = e?.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
    throw new SeedDataError(`invalid seed data ${file}: ${e?.instancePath || '/'} ${e?.message ?? ''}${extra}`.trim());
  }
  const seed = doc as SeedData;
  const problems = vendors.flatMap((v) => v.seedProblems(seed[v.name]));
  if (problems.length > 0) throw new SeedDataError(`invalid seed data ${file}: ${problems[0]}`);
  return seed;
}
