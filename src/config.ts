// The one configuration: schemas/config.json declares every setting with its type, bounds, default, flag,
// environment variable and help text; flags, the environment and startSyncmock() options are all checked
// against it by ajv, and an error names the option the way the user gave it (--port, PORT, or port).
// Defaults are filled in before the check. The result is frozen: what changes at run time (rate limits, clock, faults) lives in the runtime objects.
import { parseArgs } from 'node:util';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import { originOf } from './config-formats';
import { validate as generatedValidator } from './generated/config-validator';
import type { Config } from './generated/schema-types';
import { packageRoot } from './platform/paths';
import { schema } from './platform/schemas';

/** Every setting, as schemas/config.json declares it (the type is generated from it; the schema checks it). */
export type SyncmockConfig = Config;
export type AuthMode = SyncmockConfig['auth'];
export type LogLevel = SyncmockConfig['logLevel'];
export type LogFormat = SyncmockConfig['logFormat'];

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };
/** What startSyncmock() takes: any part of the configuration; the rest keeps its default. */
export type SyncmockOptions = DeepPartial<SyncmockConfig>;

export class ConfigError extends Error {}

interface SchemaNode {
  type?: string;
  enum?: string[];
  format?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  $ref?: string;
  'x-flag'?: string;
  'x-env'?: string;
  'x-field'?: string;
  'x-shown-default'?: string;
}

const CONFIG_SCHEMA = schema('config.json') as unknown as SchemaNode & { $defs: Record<string, SchemaNode> };

/** One setting that has a flag and an environment variable. */
export interface Option {
  flag: string;
  env: string;
  help: string;
  /** Where it sits in the configuration, e.g. ['datadog', 'revision']. */
  path: string[];
  kind: 'integer' | 'number' | 'boolean' | 'list' | 'string';
  /** The default as --help shows it. */
  shownDefault: string;
}

const resolveRef = (node: SchemaNode): SchemaNode =>
  node.$ref ? { ...CONFIG_SCHEMA.$defs[node.$ref.replace('#/$defs/', '')], ...node } : node;

function collectOptions(node: SchemaNode, at: string[]): Option[] {
  const options: Option[] = [];
  for (const [key, raw] of Object.entries(node.properties ?? {})) {
    const child = resolveRef(raw);
    if (child['x-flag'] && child['x-env']) {
      const field = child['x-field'];
      const leaf = field ? (child.properties?.[field] as SchemaNode) : child;
      const value = field ? (child.default as Record<string, unknown>)[field] : child.default;
      options.push({
        flag: child['x-flag'],
        env: child['x-env'],
        help: child.description ?? '',
        path: field ? [...at, key, field] : [...at, key],
        kind: leaf.type === 'integer' || leaf.type === 'number' || leaf.type === 'boolean' ? leaf.type : leaf.type === 'array' ? 'list' : 'string',
        shownDefault: child['x-shown-default'] ?? (Array.isArray(value) ? value.join(',') : String(value)),
      });
    }
    if (child.properties && !child['x-field']) options.push(...collectOptions(child, [...at, key]));
  }
  return options;
}

/** Every setting with a flag, in the order --help lists them. */
export const OPTIONS: readonly Option[] = collectOptions(CONFIG_SCHEMA, []);

/** Compiled at build time (scripts/schema-validators.mjs): the first problem, with the schema node it is about. */
const validateConfig = generatedValidator as unknown as ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** The defaults the schema declares, nested objects filled in from their properties' defaults. */
function defaultsOf(raw: SchemaNode): unknown {
  const node = resolveRef(raw);
  if (!node.properties) return node.default;
  const fromProperties: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node.properties)) {
    const value = defaultsOf(child);
    if (value !== undefined) fromProperties[key] = value;
  }
  if (node.default === undefined && Object.keys(fromProperties).length === 0) return undefined;
  return merge(fromProperties, (node.default ?? {}) as Record<string, unknown>);
}

const DEFAULTS = { ...(defaultsOf(CONFIG_SCHEMA) as Record<string, unknown>), seedData: path.join(packageRoot, 'data', 'seed.json') };

/** The defaults: what an empty configuration becomes. */
export function defaultConfig(): SyncmockConfig {
  return resolveConfig({});
}

/** Programmatic options over the defaults, checked against the schema. Throws ConfigError naming the option. */
export function resolveConfig(options: SyncmockOptions = {}, labels: ReadonlyMap<string, string> = new Map()): SyncmockConfig {
  const config = merge(structuredClone(DEFAULTS), structuredClone(options) as Record<string, unknown>);
  if (!validateConfig(config)) throw new ConfigError(describe((validateConfig.errors as ErrorObject[])[0], labels));
  const checked = config as unknown as SyncmockConfig;
  // Origins as browsers send them (lower-case host, no trailing slash); any * means any origin.
  checked.cors.origins = checked.cors.origins.includes('*') ? ['*'] : checked.cors.origins.map((o) => originOf(o) as string);
  return deepFreeze(checked);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Plain objects merge key by key; anything else (arrays included) replaces; undefined is no value. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(value) && isPlainObject(current) ? merge(current, value) : value;
  }
  return out;
}


function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** One ajv error in the words of the option it is about. */
function describe(e: ErrorObject, labels: ReadonlyMap<string, string>): string {
  const segments = e.instancePath.split('/').slice(1).filter((s) => !/^\d+$/.test(s));
  const at = segments.join('.');
  const name = labels.get(at) ?? at;
  const node = e.parentSchema as SchemaNode;
  const got = typeof e.data === 'string' ? `"${e.data}"` : JSON.stringify(e.data);
  switch (e.keyword) {
    case 'additionalProperties':
      return `Unknown option '${[at, String(e.params.additionalProperty)].filter(Boolean).join('.')}'`;
    case 'type':
      return e.params.type === 'integer' ? `${name} must be a whole number, got ${got}` : `${name} must be ${e.params.type as string}, got ${got}`;
    case 'minimum':
    case 'maximum':
      return `${name} must be between ${node.minimum} and ${node.maximum}, got ${got}`;
    case 'enum':
      return `${name} must be one of ${(node.enum ?? []).join(', ')}, got ${got}`;
    case 'format':
      if (e.params.format === 'origin') return `${name}: ${got} is not an origin (scheme://host[:port]) or *`;
      if (e.params.format === 'allowed-host') return `${name}: ${got} is not a host name (without port), .domain or *`;
      return `${name} must not be empty`;
    case 'minItems':
      return `${name} must list at least one origin or *`;
    case 'required':
      return `${[name, String(e.params.missingProperty)].filter(Boolean).join('.')} is required`;
    default:
      return `${name || 'the configuration'} ${e.message ?? 'is invalid'}`;
  }
}

export interface ParsedCommandLine {
  config: SyncmockConfig;
  help: boolean;
  version: boolean;
}

/** Flags win over environment variables, which win over defaults. Throws ConfigError on anything wrong. */
export function configFromCommandLine(argv: string[], env: NodeJS.ProcessEnv): ParsedCommandLine {
  const flags: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' }, version: { type: 'boolean' } };
  for (const o of OPTIONS) flags[o.flag] = { type: o.kind === 'boolean' ? 'boolean' : 'string' };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: flags, strict: true, allowPositionals: false });
  } catch (err) {
    throw new ConfigError(describeParseError(err as NodeJS.ErrnoException, argv));
  }
  const options: Record<string, unknown> = {};
  const labels = new Map<string, string>();
  for (const o of OPTIONS) {
    const fromEnv = env[o.env];
    const fromFlag = parsed.values[o.flag];
    const [raw, label] = fromFlag !== undefined ? [String(fromFlag), `--${o.flag}`] : [fromEnv, o.env];
    if (raw === undefined || raw === '') continue;
    setAt(options, o.path, fromText(raw, o.kind, label));
    labels.set(o.path.join('.'), label);
  }
  return { config: resolveConfig(options as SyncmockOptions, labels), help: parsed.values.help === true, version: parsed.values.version === true };
}

/** A flag's or variable's text as the value its setting takes; the schema checks it afterwards. */
function fromText(raw: string, kind: Option['kind'], label: string): unknown {
  switch (kind) {
    case 'integer':
      if (!/^\d+$/.test(raw)) throw new ConfigError(`${label} must be a whole number, got "${raw}"`);
      return Number(raw);
    case 'number':
      if (!/^\d+(\.\d+)?$/.test(raw)) throw new ConfigError(`${label} must be a number, got "${raw}"`);
      return Number(raw);
    case 'boolean': {
      const value = raw.toLowerCase();
      if (['true', '1', 'yes'].includes(value)) return true;
      if (['false', '0', 'no'].includes(value)) return false;
      throw new ConfigError(`${label} must be true or false, got "${raw}"`);
    }
    case 'list':
      return raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    default:
      return raw;
  }
}

function setAt(target: Record<string, unknown>, at: string[], value: unknown): void {
  let node = target;
  for (const key of at.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[at[at.length - 1]] = value;
}

// node:util's messages are long and suggest `--` positionals, which syncmock has none of: say it in one line.
function describeParseError(err: NodeJS.ErrnoException, argv: string[]): string {
  const option = /'(-[^' ]*)/.exec(err.message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown option '${option ?? ''}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return OPTIONS.some((o) => o.kind === 'boolean' && option === `--${o.flag}`)
        ? `${option} takes no value (use the environment variable for false)`
        : `${option ?? 'a flag'} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${argv.find((a) => !a.startsWith('-')) ?? ''}": every setting is a --flag`;
    default:
      return err.message;
  }
}

export function helpText(): string {
  const rows = OPTIONS.map((o) => `  --${o.flag.padEnd(22)} ${o.env.padEnd(31)} ${o.help} (default: ${o.shownDefault})`);
  return ['Usage: syncmock [options]', '', '  flag                     environment variable', ...rows,
    '  --help                   show this text', '  --version                print the version', ''].join('\n');
}
