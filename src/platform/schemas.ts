import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { packageRoot } from './paths';

export const schemasDir = path.join(packageRoot, 'schemas');

const cache = new Map<string, object>();

/**
 * A JSON Schema from schemas/ (e.g. "control/error.json"). The same object is handed out each
 * time, so Fastify compiles it once and the OpenAPI documents show it as written.
 */
export function schema(relativePath: string): Record<string, unknown> {
  let loaded = cache.get(relativePath);
  if (!loaded) {
    loaded = JSON.parse(fs.readFileSync(path.join(schemasDir, relativePath), 'utf8')) as object;
    cache.set(relativePath, loaded);
  }
  return loaded as Record<string, unknown>;
}

/** A validator for a schema file, for documents that do not arrive as a request body (files read at start). */
export function validator(relativePath: string): ValidateFunction {
  return validatorFor(schema(relativePath));
}

/** A validator for a schema built in code, whose `$ref`s name schema files (e.g. "<vendor>/seed.json"). */
export function validatorFor(root: object, refs: readonly string[] = []): ValidateFunction {
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  for (const ref of refs) ajv.addSchema(schema(ref), ref);
  return ajv.compile(root);
}
