// A client's contract against what syncmock serves. Both sides become the same thing: operations (method,
// path, parameters, body, answers) whose bodies are shapes (object, array, map, union, string with or
// without an enum, …), the client's from its models (contract.ts), syncmock's from the JSON Schemas of its
// OpenAPI documents. Operations pair up by method and path; shapes compare field by field, following union
// variants by their discriminating constant. Every difference is reported with where it is, in words.
import type { ClientContract, Model, TypeRef } from './contract';

export type Shape =
  | { kind: 'any' }
  | { kind: 'string'; format?: string; enum?: string[]; nullable?: boolean }
  | { kind: 'number' | 'integer' | 'boolean'; nullable?: boolean }
  | { kind: 'array'; items: Shape; nullable?: boolean }
  | { kind: 'map'; values: Shape }
  | { kind: 'object'; fields: Record<string, { shape: Shape; required: boolean }>; partial?: boolean; name?: string; nullable?: boolean }
  | { kind: 'union'; variants: Shape[] };

/** One operation as either side describes it. */
export interface ShapedOperation {
  method: string;
  path: string;
  /** By `<in> <name>`, header names in lower case. */
  params: Record<string, { shape: Shape; required: boolean }>;
  body?: { required: boolean; content: Record<string, Shape> };
  /** Status → body (null: none). */
  responses: Record<string, Shape | null>;
  /** The client reads any 2xx alike and models no error: only the success answer is compared. */
  successOnly?: boolean;
}

export type DifferenceKind =
  | 'operation missing' | 'operation extra'
  | 'parameter missing' | 'parameter extra'
  | 'status missing' | 'status extra'
  | 'path'
  | 'body missing' | 'body extra' | 'content type missing'
  | 'field missing' | 'field extra'
  | 'required' | 'nullable' | 'type'
  | 'enum member missing' | 'enum member extra'
  | 'variant missing' | 'variant extra';

/** One way syncmock differs from a client. `client` and `syncmock` say what each has there. */
export interface Difference {
  kind: DifferenceKind;
  where: string;
  client?: string;
  syncmock?: string;
}

// ---- the client's side ----

/** A record's own entry: wire names such as `constructor` are not the prototype's. */
const own = <T>(record: Record<string, T>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

const PRIMITIVES: Record<string, Shape> = {
  string: { kind: 'string' }, boolean: { kind: 'boolean' }, any: { kind: 'any' }, Date: { kind: 'string', format: 'date-time' },
};

/** A client type as a shape, its models, enums and unions resolved. */
export function clientShape(contract: ClientContract, type: TypeRef, format?: string, seen: string[] = []): Shape {
  if (type === 'number') return { kind: /^int(32|64)$/.test(format ?? '') ? 'integer' : 'number' };
  const primitive = own(PRIMITIVES, type);
  if (primitive) return format && type === 'string' ? { kind: 'string', format } : primitive;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { kind: 'array', items: clientShape(contract, array[1], undefined, seen) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return { kind: 'map', values: clientShape(contract, map[1], undefined, seen) };
  if (seen.includes(type)) throw new Error(`${contract.client}: ${type} contains itself (${seen.join(' > ')})`);
  const enumMembers = own(contract.enums, type);
  if (enumMembers) return { kind: 'string', enum: [...enumMembers] };
  const variants = own(contract.unions, type);
  if (variants) return { kind: 'union', variants: variants.map((v) => clientShape(contract, v, undefined, [...seen, type])) };
  const model: Model | undefined = own(contract.models, type);
  if (!model) throw new Error(`${contract.client}: the type ${type} is not in its contract`);
  const fields: Record<string, { shape: Shape; required: boolean }> = {};
  for (const [name, f] of Object.entries(model.fields)) {
    const shape = clientShape(contract, f.type, f.format, [...seen, type]);
    fields[name] = { shape: f.nullable ? { ...shape, nullable: true } as Shape : shape, required: f.required };
  }
  return { kind: 'object', fields, name: type, ...(model.partial ? { partial: true } : {}) };
}

/** The client's operations, their types as shapes. */
export function clientOperations(contract: ClientContract): ShapedOperation[] {
  return Object.values(contract.operations).map((op) => ({
    method: op.method,
    path: op.path,
    params: Object.fromEntries(Object.entries(op.params).map(([key, p]) => [key, { shape: clientShape(contract, p.type.replace(/ \| null$/, '')), required: p.required }])),
    ...(op.body ? { body: { required: op.body.required, content: { [op.body.contentType]: clientShape(contract, op.body.type) } } } : {}),
    responses: Object.fromEntries(Object.entries(op.responses).map(([status, t]) => [status, t === null ? null : clientShape(contract, t)])),
    ...('2xx' in op.responses ? { successOnly: true } : {}),
  }));
}

// ---- syncmock's side ----

type Schema = Record<string, unknown>;

/** `{"type": "null"}`: a variant that makes its union nullable, never a shape of its own once unions are read. */
const NULL: Shape = { kind: 'string', enum: [], nullable: true };
const isNull = (s: Shape) => s === NULL;

export interface OpenApiDocument {
  paths: Record<string, Record<string, {
    parameters?: Array<{ in: string; name: string; required?: boolean; schema?: Schema }>;
    requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
    responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  }>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** The operations of one of syncmock's OpenAPI documents, their schemas as shapes. */
export function documentOperations(doc: OpenApiDocument): ShapedOperation[] {
  const out: ShapedOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item).filter(([m]) => METHODS.includes(m))) {
      const jsonOf = (content?: Record<string, { schema?: Schema }>) => content?.['application/json']?.schema;
      out.push({
        method: method.toUpperCase(),
        path,
        params: Object.fromEntries((op.parameters ?? []).map((p) => [`${p.in} ${p.in === 'header' ? p.name.toLowerCase() : p.name}`,
          { shape: schemaShape(doc, p.schema ?? {}), required: p.required === true }])),
        ...(op.requestBody ? {
          body: {
            required: op.requestBody.required === true,
            content: Object.fromEntries(Object.entries(op.requestBody.content ?? {}).map(([type, media]) => [type, schemaShape(doc, media.schema ?? {})])),
          },
        } : {}),
        responses: Object.fromEntries(Object.entries(op.responses ?? {}).map(([status, r]) => {
          const schema = jsonOf(r.content);
          return [status, schema ? schemaShape(doc, schema) : null];
        })),
      });
    }
  }
  return out;
}

function resolve(doc: OpenApiDocument, schema: Schema, depth: number): Schema {
  if (typeof schema.$ref !== 'string') return schema;
  if (depth > 50) throw new Error(`a $ref cycle at ${schema.$ref}`);
  const target = schema.$ref.replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  if (!target || typeof target !== 'object') throw new Error(`an unresolved $ref ${schema.$ref}`);
  const { $ref: _ref, ...rest } = schema;
  return resolve(doc, { ...(target as Schema), ...rest }, depth + 1);
}

/** A JSON Schema (OpenAPI 3.1) as a shape: $ref, allOf, oneOf and anyOf resolved; a parent's properties go into each variant. */
export function schemaShape(doc: OpenApiDocument, input: Schema, depth = 0): Shape {
  const schema = resolve(doc, input, depth);
  const variantsOf = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...rest } = schema;
    return schemaShape(doc, (allOf as Schema[]).map((s) => resolve(doc, s, depth + 1)).reduce(merge, rest), depth + 1);
  }
  if (variantsOf) {
    const { oneOf: _o, anyOf: _a, discriminator: _d, ...parent } = schema;
    const variants = variantsOf.map((v) => schemaShape(doc, merge(parent, resolve(doc, v, depth + 1)), depth + 1));
    const nullable = variants.some(isNull);
    const rest = variants.filter((v) => !isNull(v));
    // Enums split over variants (IntegrationType: 2026-06's types, then 2026-08's) accept their union.
    if (rest.every((v) => v.kind === 'string' && v.enum && !v.format)) {
      return { kind: 'string', enum: [...new Set(rest.flatMap((v) => (v as { enum: string[] }).enum))], ...(nullable ? { nullable } : {}) };
    }
    if (rest.length === 1) return nullable && rest[0].kind !== 'map' && rest[0].kind !== 'union' && rest[0].kind !== 'any' ? { ...rest[0], nullable } : rest[0];
    return { kind: 'union', variants: rest };
  }
  const types = (Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type]) as string[];
  const nullable = types.includes('null') || schema.nullable === true;
  const type = types.filter((t) => t !== 'null')[0];
  const values = 'const' in schema ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : undefined;
  const enumOf = values?.filter((v): v is string => typeof v === 'string');
  const flag = nullable ? { nullable: true } : {};
  if (type === 'null') return NULL;
  if (enumOf && (type === undefined || type === 'string')) return { kind: 'string', enum: enumOf, ...flag };
  if (type === 'string') return { kind: 'string', ...(typeof schema.format === 'string' ? { format: schema.format } : {}), ...flag };
  if (type === 'number' || type === 'integer' || type === 'boolean') return { kind: type, ...flag };
  if (type === 'array') return { kind: 'array', items: schemaShape(doc, (schema.items ?? {}) as Schema, depth + 1), ...flag };
  // An object that names no field is free-form (settings, additionalProperties); a required field it does
  // not describe is a field of any type.
  const required = new Set((schema.required ?? []) as string[]);
  const properties = { ...Object.fromEntries([...required].map((name) => [name, {}])), ...(schema.properties as Record<string, Schema> | undefined) };
  if (type === 'object' || schema.properties) {
    if (Object.keys(properties).length === 0) {
      const extra = schema.additionalProperties;
      return { kind: 'map', values: extra && typeof extra === 'object' ? schemaShape(doc, extra as Schema, depth + 1) : { kind: 'any' } };
    }
    return {
      kind: 'object',
      fields: Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, { shape: schemaShape(doc, s, depth + 1), required: required.has(name) }])),
      ...(typeof schema.title === 'string' ? { name: schema.title } : {}),
      ...flag,
    };
  }
  return { kind: 'any' };
}

/** Two schemas as one: properties and required lists joined, other keywords from `b` where both have them. */
function merge(a: Schema, b: Schema): Schema {
  const properties = { ...(a.properties as object | undefined), ...(b.properties as object | undefined) };
  const required = [...new Set([...((a.required ?? []) as string[]), ...((b.required ?? []) as string[])])];
  return { ...a, ...b, ...(Object.keys(properties).length ? { properties } : {}), ...(required.length ? { required } : {}) };
}

// ---- comparing ----

/** A shape in a few words, for a difference's `client` and `syncmock`. */
export function describe(shape: Shape | null): string {
  if (shape === null) return 'no body';
  const nul = 'nullable' in shape && shape.nullable ? ' or null' : '';
  switch (shape.kind) {
    case 'string':
      return `${shape.enum ? `one of ${shape.enum.join(', ')}` : `string${shape.format ? ` (${shape.format})` : ''}`}${nul}`;
    case 'array':
      return `array of ${describe(shape.items)}${nul}`;
    case 'map':
      return shape.values.kind === 'any' ? 'free-form object' : `map of ${describe(shape.values)}`;
    case 'object':
      return `object${shape.name ? ` ${shape.name}` : ''}${nul}`;
    case 'union':
      return `one of ${shape.variants.length} variants`;
    default:
      return `${shape.kind}${nul}`;
  }
}

/** What tells a union's variant apart: its required fields that admit one value (`integration_type=OKTA`). */
function tag(shape: Shape): string | undefined {
  if (shape.kind !== 'object') return undefined;
  const parts = Object.entries(shape.fields)
    .filter(([, f]) => f.required && f.shape.kind === 'string' && f.shape.enum?.length === 1)
    .map(([name, f]) => `${name}=${(f.shape as { enum: string[] }).enum[0]}`);
  return parts.length ? parts.sort().join(',') : undefined;
}

/** The place of a field under `where` (a body's root ends with a colon). */
const child = (where: string, name: string) => (where.endsWith(':') ? `${where} ${name}` : `${where}.${name}`);

/** Every difference between a client's shape and syncmock's at `where`. */
export function compareShapes(client: Shape, served: Shape, where: string, out: Difference[]): void {
  if (client.kind === 'any') return; // the client takes anything here
  const nullable = (s: Shape) => 'nullable' in s && s.nullable === true;
  if (client.kind !== served.kind) {
    out.push({ kind: 'type', where, client: describe(client), syncmock: describe(served) });
    return;
  }
  if (nullable(client) !== nullable(served)) {
    out.push({ kind: 'nullable', where, client: nullable(client) ? 'nullable' : 'not nullable', syncmock: nullable(served) ? 'nullable' : 'not nullable' });
  }
  switch (client.kind) {
    case 'string': {
      const s = served as typeof client;
      if ((client.format ?? '') !== (s.format ?? '') && client.format !== undefined) {
        out.push({ kind: 'type', where, client: describe(client), syncmock: describe(s) });
      }
      if (client.enum && s.enum) {
        for (const m of client.enum.filter((x) => !s.enum?.includes(x))) out.push({ kind: 'enum member missing', where, client: m });
        for (const m of s.enum.filter((x) => !client.enum?.includes(x))) out.push({ kind: 'enum member extra', where, syncmock: m });
      } else if (client.enum || s.enum) {
        out.push({ kind: 'type', where, client: describe(client), syncmock: describe(s) });
      }
      return;
    }
    case 'array':
      compareShapes(client.items, (served as typeof client).items, `${where}[]`, out);
      return;
    case 'map':
      compareShapes(client.values, (served as typeof client).values, `${where}{}`, out);
      return;
    case 'object': {
      const s = served as typeof client;
      for (const [name, f] of Object.entries(client.fields)) {
        const at = child(where, name);
        const other = own(s.fields, name);
        if (!other) {
          out.push({ kind: 'field missing', where: at, client: `${describe(f.shape)}, ${f.required ? 'required' : 'optional'}` });
          continue;
        }
        if (f.required !== other.required) out.push({ kind: 'required', where: at, client: f.required ? 'required' : 'optional', syncmock: other.required ? 'required' : 'optional' });
        compareShapes(f.shape, other.shape, at, out);
      }
      if (client.partial) return;
      for (const [name, f] of Object.entries(s.fields)) {
        if (!Object.hasOwn(client.fields, name)) out.push({ kind: 'field extra', where: child(where, name), syncmock: `${describe(f.shape)}, ${f.required ? 'required' : 'optional'}` });
      }
      return;
    }
    case 'union': {
      const s = served as typeof client;
      const label = (v: Shape, i: number) => tag(v) ?? (v.kind === 'object' && v.name) ?? `variant ${i + 1}`;
      const theirs = new Map(s.variants.map((v, i) => [label(v, i), v]));
      const ours = new Map(client.variants.map((v, i) => [label(v, i), v]));
      for (const [name, v] of ours) {
        const other = theirs.get(name);
        if (other) compareShapes(v, other, `${where}(${name})`, out);
        else out.push({ kind: 'variant missing', where: `${where}(${name})`, client: describe(v) });
      }
      for (const [name, v] of theirs) if (!ours.has(name)) out.push({ kind: 'variant extra', where: `${where}(${name})`, syncmock: describe(v) });
      return;
    }
    default:
  }
}

/** A path with its parameters unnamed, so `{id}` and `{source_id}` route alike. */
const route = (op: { method: string; path: string }) => `${op.method} ${op.path.replace(/\{[^}]+\}/g, '{}')}`;

/**
 * Every difference between a client's operations and the ones syncmock serves in a document: operations
 * routed or not, their parameters, body and answers. `vendor` starts every `where`.
 */
export function compareOperations(vendor: string, client: ShapedOperation[], served: ShapedOperation[]): Difference[] {
  const out: Difference[] = [];
  const byRoute = new Map(served.map((op) => [route(op), op]));
  const paired = new Set<ShapedOperation>();
  for (const op of client) {
    const at = `${vendor} ${op.method} ${op.path}`;
    const other = byRoute.get(route(op));
    if (!other) {
      out.push({ kind: 'operation missing', where: at, client: `${op.method} ${op.path}` });
      continue;
    }
    paired.add(other);
    if (other.path !== op.path) out.push({ kind: 'path', where: at, client: op.path, syncmock: other.path });
    for (const [key, p] of Object.entries(op.params)) {
      const theirs = own(other.params, key);
      if (!theirs) {
        out.push({ kind: 'parameter missing', where: `${at} ${key}`, client: `${describe(p.shape)}, ${p.required ? 'required' : 'optional'}` });
        continue;
      }
      if (p.required !== theirs.required) out.push({ kind: 'required', where: `${at} ${key}`, client: p.required ? 'sent always' : 'optional', syncmock: theirs.required ? 'required' : 'optional' });
      compareShapes(p.shape, theirs.shape, `${at} ${key}`, out);
    }
    for (const [key, p] of Object.entries(other.params)) {
      if (!Object.hasOwn(op.params, key)) out.push({ kind: 'parameter extra', where: `${at} ${key}`, syncmock: `${describe(p.shape)}, ${p.required ? 'required' : 'optional'}` });
    }
    if (op.body) {
      const where = `${at} request body`;
      if (!other.body) out.push({ kind: 'body missing', where, client: Object.keys(op.body.content).join(', ') });
      else {
        if (op.body.required !== other.body.required) out.push({ kind: 'required', where, client: op.body.required ? 'required' : 'optional', syncmock: other.body.required ? 'required' : 'optional' });
        for (const [type, shape] of Object.entries(op.body.content)) {
          const theirs = own(other.body.content, type);
          if (theirs) compareShapes(shape, theirs, `${where}:`, out);
          else out.push({ kind: 'content type missing', where, client: type, syncmock: Object.keys(other.body.content).join(', ') });
        }
      }
    } else if (other.body) out.push({ kind: 'body extra', where: `${at} request body`, syncmock: Object.keys(other.body.content).join(', ') });
    const successes = Object.keys(other.responses).filter((s) => /^2/.test(s));
    for (const [status, shape] of Object.entries(op.responses)) {
      const statuses = status === '2xx' ? successes : [status];
      if (statuses.length === 0 || !statuses.every((s) => Object.hasOwn(other.responses, s))) {
        out.push({ kind: 'status missing', where: `${at} response ${status}`, client: describe(shape) });
        continue;
      }
      for (const s of statuses) {
        const theirs = other.responses[s];
        const where = `${at} response ${s}`;
        if (shape === null || theirs === null) {
          if (shape !== theirs) out.push({ kind: 'type', where, client: describe(shape), syncmock: describe(theirs) });
        } else compareShapes(shape, theirs, `${where}:`, out);
      }
    }
    if (!op.successOnly) {
      for (const status of Object.keys(other.responses)) {
        if (!Object.hasOwn(op.responses, status)) out.push({ kind: 'status extra', where: `${at} response ${status}`, syncmock: describe(other.responses[status]) });
      }
    }
  }
  for (const op of served) {
    if (!paired.has(op)) out.push({ kind: 'operation extra', where: `${vendor} ${op.method} ${op.path}`, syncmock: `${op.method} ${op.path}` });
  }
  return out;
}
