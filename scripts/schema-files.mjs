// What the build scripts that generate code from schemas/ share: where things are, and the schema files.
import fs from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');
export const schemasDir = path.join(root, 'schemas');
/** Where generated TypeScript goes (gitignored; npm run build writes it before tsc). */
export const generatedDir = path.join(root, 'src', 'generated');

/** Every schema file, as its path from schemas/ with forward slashes, sorted. */
export const files = fs.readdirSync(schemasDir, { recursive: true })
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.split(path.sep).join('/'))
  .sort();

/** A schema file's JSON. */
export const read = (file) => JSON.parse(fs.readFileSync(path.join(schemasDir, file), 'utf8'));
