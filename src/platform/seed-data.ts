// The seed document (data/seed.json, or --seed-data): one part per vendor, each checked against the
// vendor's own seed schema read closed, like state documents: a misspelt optional field is an error, not
// silently ignored (compiled at build time: scripts/schema-validators.mjs).
import { readJsonFile } from './json-scan';
import { ruleOf } from './errors';
import { validator } from './validators';
import type { VendorContract } from './vendor';

/** Each vendor's part, by vendor name. */
export type SeedData = Record<string, unknown>;

export class SeedDataError extends Error {}

export function loadSeedData(file: string, vendors: readonly VendorContract[]): SeedData {
  let doc: unknown;
  try {
    doc = readJsonFile(file);
  } catch (err) {
    throw new SeedDataError(`cannot read the seed data ${file}: ${(err as Error).message}`);
  }
  const invalid = (problem: string) => new SeedDataError(`invalid seed data ${file}: ${problem}`);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('/ must be object');
  const unknown = Object.keys(doc).find((name) => !vendors.some((v) => v.name === name));
  if (unknown !== undefined) throw invalid(`/ must NOT have additional properties (${unknown})`);
  const seed = doc as SeedData;
  for (const vendor of vendors) {
    if (!(vendor.name in seed)) throw invalid(`/ must have required property '${vendor.name}'`);
    const validate = validator(vendor.seedSchema);
    if (!validate(seed[vendor.name])) {
      const e = validate.errors?.[0];
      const extra = e?.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
      const rule = (e && ruleOf(e)) ?? '';
      throw invalid(`/${vendor.name}${e?.instancePath ?? ''} ${rule}${extra}`.trim());
    }
  }
  const problems = vendors.flatMap((v) => v.seedProblems(seed[v.name]));
  if (problems.length > 0) throw invalid(problems[0]);
  return seed;
}
