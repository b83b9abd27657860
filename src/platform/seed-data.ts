// The seed document (data/seed.json, or --seed-data): one part per vendor, each checked against the
// vendor's own seed schema.
import fs from 'node:fs';
import { validatorFor } from './schemas';
import type { VendorContract } from './vendor';

/** Each vendor's part, by vendor name. */
export type SeedData = Record<string, unknown>;

export class SeedDataError extends Error {}

export function loadSeedData(file: string, vendors: readonly VendorContract[]): SeedData {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SeedDataError(`cannot read the seed data ${file}: ${(err as Error).message}`);
  }
  const validate = validatorFor({
    type: 'object',
    required: vendors.map((v) => v.name),
    properties: Object.fromEntries(vendors.map((v) => [v.name, { $ref: v.seedSchema }])),
  }, vendors.map((v) => v.seedSchema));
  if (!validate(doc)) {
    const e = validate.errors?.[0];
    throw new SeedDataError(`invalid seed data ${file}: ${e?.instancePath || '/'} ${e?.message ?? ''}`.trim());
  }
  return doc as SeedData;
}
