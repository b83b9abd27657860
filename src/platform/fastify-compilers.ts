// Fastify's compilers: route validators compiled on a route's first use and bounded (validators.ts), answers
// written by JSON.stringify, and the shared schemas registered on the app.
import type { Options, ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifySchemaCompiler, FastifyServerOptions } from 'fastify';
import type {} from '@fastify/swagger';
import { closed } from './closed-schema';
import { DETAILED_OPTIONS, bounded, type SharedSchemas } from './validators';
import { useMockTime } from './mock-time';

// Fastify's validator compiler is loaded when a route first checks a request (validators.ts says why).
const load = {
  fastifyCompiler: () => (require('@fastify/ajv-compiler') as typeof import('@fastify/ajv-compiler')).default,
};

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
