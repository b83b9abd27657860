// The JSON Schemas in schemas/, as data. A file that other schemas or several routes refer to carries an
// `$id`, its path from schemas/ with a leading slash ("/control/error.json"), and is registered once
// (Fastify's addSchema, every ajv that checks a document); everything else refers to it, or into its
// `$defs`, by that path: `{"$ref": "/<vendor>/defs.json#/$defs/Name"}`. The other files are used where they
// are named. TypeScript types for all of them are generated at build time (scripts/schema-types.mjs).
import fs from 'node:fs';
import path from 'node:path';
import type Ajv from 'ajv';
import type { Options, ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifySchemaCompiler, FastifyServerOptions } from 'fastify';
import type {} from '@fastify/swagger';
import { SEED_VALIDATORS } from '../generated/seed-validators';
import ajvOptions from './ajv-options.json';
import { closed } from './closed-schema';
import { useMockTime } from './mock-time';
import { FIRST_PROBLEM_ONLY, MAX_PROBLEMS, type ValidationError } from './errors';
import { packageRoot } from './paths';

// ajv, its formats and Fastify's validator compiler are loaded when first needed: a
// start needs none of them (what it checks is compiled at build time, a route's schemas on first use), and
// loading them was a measurable part of a start (`npm run bench`, cold start).
const load = {
  ajv: () => (require('ajv') as typeof import('ajv')).default,
  addFormats: () => (require('ajv-formats') as typeof import('ajv-formats')).default,
  fastifyCompiler: () => (require('@fastify/ajv-compiler') as typeof import('@fastify/ajv-compiler')).default,
};

export const schemasDir = path.join(packageRoot, 'schemas');

export type SchemaObject = Record<string, unknown>;

/**
 * How bodies are checked, by Fastify and wherever else a document is: as sent, no coercion ("yes" is not a
 * boolean, "1" is not a number), nothing dropped, stopping at the first problem (bounded() says how the
 * others are found). `discriminator`: a schema may pick a oneOf branch by a tag field, as OpenAPI's
 * discriminator does.
 */
export const AJV_OPTIONS: Readonly<Options> = ajvOptions;

/** The same, reporting every problem: only for documents small enough (bounded()). */
const DETAILED_OPTIONS: Readonly<Options> = { ...AJV_OPTIONS, allErrors: true };

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

let sharedFiles: string[] | undefined;

/** Every file with an `$id` (a path from schemas/), to register wherever schemas are compiled. */
export function sharedSchemaFiles(): readonly string[] {
  sharedFiles ??= fs.readdirSync(schemasDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.split(path.sep).join('/'))
    .sort()
    .filter((file) => schema(file).$id !== undefined);
  return sharedFiles;
}

/** A reference to a shared schema: `ref('control/error.json')`. Throws if it has no `$id`. */
export function ref(relativePath: string): { $ref: string } {
  const target = schema(relativePath);
  if (target.$id === undefined) throw new Error(`schemas/${relativePath} has no $id: only shared schemas are referred to`);
  return { $ref: target.$id as string };
}

const isObject = (value: unknown): value is SchemaObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Every value an enum schema allows, through `$ref`s within `document` (e.g. "#/$defs/X") and anyOf branches. */
export function enumValues(document: SchemaObject, pointer: string): unknown[] {
  const node = pointer.replace(/^#\//, '').split('/')
    .reduce<unknown>((at, token) => (at as SchemaObject)?.[token.replace(/~1/g, '/').replace(/~0/g, '~')], document);
  if (!isObject(node)) throw new Error(`${String(document.$id)}${pointer} is not a schema`);
  if (typeof node.$ref === 'string') return enumValues(document, node.$ref);
  if (Array.isArray(node.enum)) return node.enum;
  return ((node.anyOf ?? []) as SchemaObject[]).flatMap((_branch, i) => enumValues(document, `${pointer}/anyOf/${i}`));
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

type ValidatorFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>;
/** What a validator compiler gets from Fastify (@fastify/ajv-compiler's own types say an ajv schema). */
type RouteSchemaDef = Parameters<FastifySchemaCompiler<unknown>>[0];

/** @fastify/ajv-compiler's pool: an ajv per set of shared schemas and options. */
type CompilerPool = ReturnType<ReturnType<typeof load.fastifyCompiler>>;
/**
 * One per process, like the serializers below: it keeps an ajv per set of shared schemas and options, so
 * every server of a test run with the same schemas shares the compiled validators.
 */
let pool: CompilerPool | undefined;

/**
 * Fastify's own validator compiler (@fastify/ajv-compiler, the same ajv options), compiling a route's schema
 * the first time the route checks a request instead of when the route is added: compiling every route's
 * schemas was most of a start's time (`npm run bench`, cold start), and most routes of a server are never
 * called (a vendor with API revisions has each route once per revision). A schema that does not compile would fail its
 * route's first request instead of the start: the tests compile every schema file
 * (test/platform/schemas.test.ts) and call every route. Each route's validator is bounded(): the detailed
 * one, from a second compiler with allErrors, is compiled the first time the route refuses a small body.
 */
export function lazyValidators(): ValidatorFactory {
  // Fastify hands its options (AJV_OPTIONS as customOptions, from app.ts) through to the pool.
  type PoolOptions = { customOptions: Options };
  const factory = (externalSchemas: Parameters<CompilerPool>[0], options: PoolOptions) => {
    type Compile = (route: RouteSchemaDef) => ValidateFunction;
    let verdict: Compile | undefined;
    let detailed: Compile | undefined;
    const compiler = (customOptions: Options): Compile => {
      pool ??= load.fastifyCompiler()();
      return pool(externalSchemas, { ...options, customOptions, onCreate: useMockTime } as Parameters<CompilerPool>[1]) as unknown as Compile;
    };
    return (route: RouteSchemaDef) => bounded(
      () => (verdict ??= compiler(options.customOptions))(route),
      () => (detailed ??= compiler({ ...options.customOptions, ...DETAILED_OPTIONS }))(route),
    );
  };
  return factory as unknown as ValidatorFactory;
}

type SerializerFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildSerializer']>;

/**
 * Fastify's serializer compiler: V8's JSON.stringify for every answer. Not fast-json-stringify, Fastify's
 * default: on every supported Node line V8 writes these bodies at least as fast (measured per body: one
 * config 360 vs 575 ns on Node 26, equal on 22 and 24; a list of 100 configs 28 vs 72–90 µs on 26, 47–50
 * vs 81–105 µs on 22 and 24), and a compiled serializer cost each route's first answer a compile (ajv and
 * fast-json-stringify loaded, the first health answer of every start). What fast-json-stringify also did, drop
 * a field its schema lacks, no answer needs: every body is built field by field from the model (the vendors'
 * wire builders), and the tests check the answers against their schemas read closed (a field a schema does
 * not list fails them).
 */
export function serializers(): SerializerFactory {
  return () => () => JSON.stringify;
}

/**
 * Registers the shared schemas on the app, before any route. With `rejectUnknownFields`
 * (--reject-unknown-fields) they are registered closed, and so is the body schema of every route that takes
 * JSON (the default; a route that declares `consumes`, a token endpoint's form fields, keeps its reading:
 * RFC 6749 §3.2 has token endpoints ignore parameters they do not know).
 */
export function registerSharedSchemas(app: FastifyInstance, shared: SharedSchemas, rejectUnknownFields: boolean): void {
  for (const s of (rejectUnknownFields ? shared.closed() : shared).list) app.addSchema(s);
  if (!rejectUnknownFields) return;
  app.addHook('onRoute', (route) => {
    if (route.schema?.body !== undefined && route.schema.consumes === undefined) route.schema = { ...route.schema, body: closed(route.schema.body) };
  });
}
