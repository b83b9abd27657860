// Validators over the schemas (schemas.ts): ajv with the options every check uses, bounded in the work a
// refused document can cost, for documents that are not request bodies and for the shared schemas one
// server registers (Fastify's own compilers are fastify-compilers.ts).
import type Ajv from 'ajv';
import type { Options, ValidateFunction } from 'ajv';
import { SEED_VALIDATORS } from '../generated/seed-validators';
import ajvOptions from './ajv-options.json';
import { closed } from './closed-schema';
import { FIRST_PROBLEM_ONLY, MAX_PROBLEMS, type ValidationError } from './errors';
import { isObject, schema, sharedSchemaFiles, type SchemaObject } from './schemas';
import { useMockTime } from './mock-time';

// ajv and its formats are loaded when first needed: a start needs neither (what it checks is compiled at
// build time, a route's schemas on first use), and loading them was a measurable part of a start
// (`npm run bench`, cold start).
const load = {
  ajv: () => (require('ajv') as typeof import('ajv')).default,
  addFormats: () => (require('ajv-formats') as typeof import('ajv-formats')).default,
};

/**
 * How bodies are checked, by Fastify and wherever else a document is: as sent, no coercion ("yes" is not a
 * boolean, "1" is not a number), nothing dropped, stopping at the first problem (bounded() says how the
 * others are found). `discriminator`: a schema may pick a oneOf branch by a tag field, as OpenAPI's
 * discriminator does.
 */
export const AJV_OPTIONS: Readonly<Options> = ajvOptions;

/** The same, reporting every problem: only for documents small enough (bounded()). */
export const DETAILED_OPTIONS: Readonly<Options> = { ...AJV_OPTIONS, allErrors: true };

/**
 * A document with at most this many values (each object, array, string, number, boolean and null counts
 * once) has its problems listed, up to MAX_PROBLEMS; a larger one its first problem.
 */
export const DETAILED_MAX_VALUES = 1000;

/** Errors a detailed check hands on: what MAX_PROBLEMS problems are described from, with room for those dropped or merged in the telling. */
export const MAX_VALIDATION_ERRORS = 2 * MAX_PROBLEMS + 1;

/** How many values `data` holds, or `limit + 1` once it is seen to hold more. */
export function valuesUpTo(data: unknown, limit: number): number {
  let count = 0;
  const pending: unknown[] = [data];
  while (pending.length > 0) {
    const value = pending.pop();
    count++;
    if (value === null || typeof value !== 'object') continue;
    // Arrays by index: for…in lists every index as a string first.
    const children = Array.isArray(value) ? value : Object.values(value);
    if (count + pending.length + children.length > limit) return limit + 1;
    for (const child of children) pending.push(child);
  }
  return count;
}

/**
 * A validator whose work is linear in the document. ajv's allErrors mode, which lists every problem, does
 * work per error (1.4 million of them in 1 MiB of `{}` items, several per value) and its documentation
 * warns against it on untrusted input, and ajv has no maxErrors; so `verdict` (ajv stopping at its first
 * error) decides, and only a document it refuses that holds at most DETAILED_MAX_VALUES values is checked
 * again by `detailed` (allErrors) to list its problems, at most MAX_VALIDATION_ERRORS of them. A larger
 * one is refused with its first problem and a line saying the rest went unchecked. Each is compiled
 * when first needed.
 */
export function bounded(verdict: () => ValidateFunction, detailed: () => ValidateFunction): ValidateFunction {
  let decide: ValidateFunction | undefined;
  let list: ValidateFunction | undefined;
  const validate = (data: unknown): boolean => {
    decide ??= verdict();
    if (decide(data) as boolean) {
      validate.errors = null;
      return true;
    }
    const values = valuesUpTo(data, DETAILED_MAX_VALUES);
    if (values > DETAILED_MAX_VALUES) {
      const first = decide.errors?.[0];
      const note: ValidationError = { keyword: FIRST_PROBLEM_ONLY, instancePath: '', params: { values: DETAILED_MAX_VALUES } };
      validate.errors = [...(first ? [first] : []), note] as ValidateFunction['errors'];
      return false;
    }
    list ??= detailed();
    list(data);
    validate.errors = (list.errors ?? decide.errors ?? []).slice(0, MAX_VALIDATION_ERRORS);
    return false;
  };
  validate.errors = null as ValidateFunction['errors'];
  return validate as unknown as ValidateFunction;
}

/** A fresh ajv that checks as Fastify does, with the given shared schemas registered (compiled when first referred to). */
function ajvWith(shared: readonly SchemaObject[], options: Readonly<Options>): Ajv {
  const ajv = new (load.ajv())(options);
  load.addFormats()(ajv);
  useMockTime(ajv);
  ajv.addSchema([...shared]);
  return ajv;
}

/** The two ajvs a bounded() validator compiles in, made when first needed. */
class AjvPair {
  private verdict?: Ajv;
  private detailed?: Ajv;

  constructor(private readonly shared: () => readonly SchemaObject[]) {}

  validator(root: () => SchemaObject): ValidateFunction {
    return bounded(
      () => compileIn((this.verdict ??= ajvWith(this.shared(), AJV_OPTIONS)), root()),
      () => compileIn((this.detailed ??= ajvWith(this.shared(), DETAILED_OPTIONS)), root()),
    );
  }
}

const fileAjvs = new AjvPair(() => sharedSchemaFiles().map(schema));

const precompiled = SEED_VALIDATORS as unknown as Record<string, ValidateFunction | undefined>;

/**
 * A validator for a schema file, for a document that does not arrive as a request body (files read at
 * start, recordings), with the shared schemas as written: compiled at build time for those every start
 * checks (scripts/schema-validators.mjs), else in one ajv per process.
 */
export function validator(relativePath: string): ValidateFunction {
  return precompiled[relativePath] ?? fileAjvs.validator(() => schema(relativePath));
}

/** A shared schema is fetched by its `$id` (ajv holds it already); anything else is compiled. */
function compileIn(ajv: Ajv, root: SchemaObject): ValidateFunction {
  const id = root.$id as string | undefined;
  return id === undefined ? ajv.compile(root) : (ajv.getSchema(id) as ValidateFunction);
}

/**
 * The shared schemas as one server uses them: the files, with the parts that depend on the vendor registry
 * filled in by whoever builds it (the control API's markers). Fastify registers them; documents checked
 * against them, and the serializers of responses that refer to them, use the same objects.
 */
export class SharedSchemas {
  private readonly ajvs = new AjvPair(() => this.list);

  constructor(readonly list: readonly SchemaObject[]) {}

  /** The same schemas read closed (see closed()). */
  closed(): SharedSchemas {
    return new SharedSchemas(this.list.map(closed));
  }

  /** By `$id`. */
  get(id: string): SchemaObject {
    const found = this.list.find((s) => s.$id === id);
    if (!found) throw new Error(`no shared schema ${id}`);
    return found;
  }

  /** A validator for a document (a state document, say), compiled over these shared schemas when first used. */
  validator(root: SchemaObject): ValidateFunction {
    return this.ajvs.validator(() => root);
  }

  /** The shared schemas `node` refers to, directly or through one another, by `$id`. */
  referencedBy(node: unknown, found: Record<string, SchemaObject> = {}): Record<string, SchemaObject> {
    if (Array.isArray(node)) node.forEach((item) => this.referencedBy(item, found));
    if (!isObject(node)) return found;
    const id = typeof node.$ref === 'string' ? node.$ref.split('#')[0] : '';
    if (id !== '' && !(id in found)) {
      found[id] = this.get(id);
      this.referencedBy(found[id], found);
    }
    for (const value of Object.values(node)) this.referencedBy(value, found);
    return found;
  }
}
