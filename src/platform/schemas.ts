// The JSON Schemas in schemas/, as data. A file that other schemas or several routes refer to carries an
// `$id`, its path from schemas/ with a leading slash ("/control/error.json"), and is registered once
// (Fastify's addSchema, every ajv that checks a document); everything else refers to it, or into its
// `$defs`, by that path: `{"$ref": "/<vendor>/defs.json#/$defs/Name"}`. The other files are used where they
// are named. TypeScript types for all of them are generated at build time (scripts/schema-types.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from './paths';

export const schemasDir = path.join(packageRoot, 'schemas');

export type SchemaObject = Record<string, unknown>;

const cache = new Map<string, SchemaObject>();

/**
 * A JSON Schema from schemas/ (e.g. "control/clock-request.json"). The same object is handed out each time,
 * so Fastify compiles it once and the OpenAPI documents show it as written.
 */
export function schema(relativePath: string): SchemaObject {
  let loaded = cache.get(relativePath);
  if (!loaded) {
    loaded = JSON.parse(fs.readFileSync(path.join(schemasDir, relativePath), 'utf8')) as SchemaObject;
    if (loaded.$id !== undefined && loaded.$id !== `/${relativePath}`) {
      throw new Error(`schemas/${relativePath}: its $id must be "/${relativePath}", got ${JSON.stringify(loaded.$id)}`);
    }
    cache.set(relativePath, loaded);
  }
  return loaded;
}

let allFiles: string[] | undefined;
let sharedFiles: string[] | undefined;

/** Every schema file, as a path from schemas/ with forward slashes, sorted. */
function schemaFiles(): readonly string[] {
  allFiles ??= fs.readdirSync(schemasDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
  return allFiles;
}

/** Every file with an `$id` (a path from schemas/), to register wherever schemas are compiled. */
export function sharedSchemaFiles(): readonly string[] {
  sharedFiles ??= schemaFiles().filter((file) => schema(file).$id !== undefined);
  return sharedFiles;
}

/** The control API's schema files (schemas/control/). */
export const controlSchemaFiles = (): readonly string[] => schemaFiles().filter((file) => file.startsWith('control/'));

/** A reference to a shared schema: `ref('control/error.json')`. Throws if it has no `$id`. */
export function ref(relativePath: string): { $ref: string } {
  const target = schema(relativePath);
  if (target.$id === undefined) throw new Error(`schemas/${relativePath} has no $id: only shared schemas are referred to`);
  return { $ref: target.$id as string };
}

export const isObject = (value: unknown): value is SchemaObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Every value an enum schema allows, through `$ref`s within `document` (e.g. "#/$defs/X") and anyOf branches. */
export function enumValues(document: SchemaObject, pointer: string): unknown[] {
  const node = pointer.replace(/^#\//, '').split('/')
    .reduce<unknown>((at, token) => (at as SchemaObject)?.[token.replace(/~1/g, '/').replace(/~0/g, '~')], document);
  if (!isObject(node)) throw new Error(`${String(document.$id)}${pointer} is not a schema`);
  if (typeof node.$ref === 'string') return enumValues(document, node.$ref);
  if (Array.isArray(node.enum)) return node.enum;
  return ((node.anyOf ?? []) as SchemaObject[]).flatMap((_branch, i) => enumValues(document, `${pointer}/anyOf/${i}`));
}
