// The seed document (data/seed.json, or --seed-data): one part per vendor, each checked against the
// vendor's own seed schema (compiled at build time: scripts/schema-validators.mjs).
import fs from 'node:fs';
import { validator } from './schemas';
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
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new SeedDataError(`invalid seed data ${file}: / must be object`);
  for (const vendor of vendors) {
    if (!(vendor.name in doc)) throw new SeedDataError(`invalid seed data ${file}: / must have required property '${vendor.name}'`);
    const validate = validator(vendor.seedSchema);
    if (!validate((doc as SeedData)[vendor.name])) {
      const e = validate.errors?.[0];
      throw new SeedDataError(`invalid seed data ${file}: /${vendor.name}${e?.instancePath ?? ''} ${e?.message ?? ''}`.trim());
    }
  }
  return doc as SeedData;
}
