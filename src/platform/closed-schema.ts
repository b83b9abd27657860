// Reading a schema closed: a pure transform of schema data, in a file of its own because the build also
// uses it (scripts/schema-validators.mjs compiles the seed schemas closed).
type SchemaObject = Record<string, unknown>;

const isObject = (value: unknown): value is SchemaObject => value !== null && typeof value === 'object' && !Array.isArray(value);

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs'] as const;
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;
const SUBSCHEMAS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else'] as const;
const closedCache = { shown: new WeakMap<object, unknown>(), hidden: new WeakMap<object, unknown>() };

/**
 * The schema with every object that lists its `properties` closed to others: the stricter reading that
 * state documents get, and request bodies under --reject-unknown-fields (the vendors' models allow more).
 * Left open: objects that say `additionalProperties` themselves (free-form settings), and objects composed
 * with allOf/anyOf/oneOf, whose properties sit in the branches (which are closed instead). Inside a
 * `writeOnly` object (credentials) the names are checked with `propertyNames`, whose error does not repeat
 * the name: a key there may be a credential pasted in the wrong place. The same input gives the same
 * object, so it is compiled once.
 */
export const closed = <T>(input: T): T => closedIn(input, false);

function closedIn<T>(input: T, insideWriteOnly: boolean): T {
  if (!isObject(input)) return input;
  const hidden = insideWriteOnly || input.writeOnly === true;
  const cache = hidden ? closedCache.hidden : closedCache.shown;
  const known = cache.get(input);
  if (known) return known as T;
  const sub = <S>(schema: S): S => closedIn(schema, hidden);
  const copy: SchemaObject = { ...input };
  for (const key of SUBSCHEMA_MAPS) {
    const map = input[key];
    if (isObject(map)) copy[key] = Object.fromEntries(Object.entries(map).map(([name, schema]) => [name, sub(schema)]));
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = input[key];
    if (Array.isArray(list)) copy[key] = list.map(sub);
  }
  for (const key of SUBSCHEMAS) if (input[key] !== undefined) copy[key] = sub(input[key]);
  const composed = SUBSCHEMA_LISTS.some((key) => key in input);
  if (isObject(input.properties) && input.additionalProperties === undefined && !composed) {
    if (hidden) copy.propertyNames = { enum: Object.keys(input.properties) };
    else copy.additionalProperties = false;
  }
  cache.set(input, copy);
  return copy as T;
}
