// The one typed configuration object. Every setting has a flag, an environment variable and a default,
// declared once in OPTIONS: the CLI parser, `--help` and the programmatic API all read that table.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { packageRoot } from './platform/paths';

export type AuthMode = 'open' | 'strict';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface RateLimitRule {
  limit: number;
  periodSeconds: number;
}

/** Datadog rate limits are per org and per operation group, like the vendor's `X-RateLimit-Name`. */
export const DATADOG_RATE_LIMIT_GROUPS = ['integration_config_read', 'integration_config_write', 'integration_config_validate'] as const;
export type DatadogRateLimitGroup = (typeof DATADOG_RATE_LIMIT_GROUPS)[number];

/**
 * The Datadog API contracts served: 2026-06 is the seed documents' (three integration types, free-form
 * secrets), 2026-08 the current published spec (per-type schemas, Entra ID endpoints). One server serves
 * both; the default is picked here and a request may pick the other (X-Syncmock-Datadog-Revision).
 */
export const DATADOG_REVISIONS = ['2026-06', '2026-08'] as const;
export type DatadogRevision = (typeof DATADOG_REVISIONS)[number];

export interface SyncmockConfig {
  host: string;
  port: number;
  /** SQLite file path, or `:memory:`. */
  db: string;
  logLevel: LogLevel;
  auth: AuthMode;
  /** The seed document: keys, clients, tenants, sources, example configs. */
  seedData: string;
  /** A state document (GET /__admin/state) loaded at start and again by every reset. */
  seedState?: string;
  /** Requests the journal keeps (the oldest go first); 0 turns it off. */
  journalSize: number;
  /** When set, every /__admin call but health needs `Authorization: Bearer <token>`. */
  adminToken?: string;
  datadog: {
    /** The revision a request gets when it does not name one. */
    revision: DatadogRevision;
    /** Seconds a new config stays `initializing` before it reads as `valid`. */
    stateDelaySeconds: number;
    rateLimits: Record<DatadogRateLimitGroup, RateLimitRule>;
  };
  cors: {
    /** Origins allowed to call the emulated APIs from a browser; `['*']` is any origin. */
    origins: string[];
    /** Whether the control API (/__admin) answers cross-origin requests too. */
    admin: boolean;
  };
  sailpoint: {
    /** HS256 key for access tokens; random per start when unset. */
    jwtSecret?: string;
    tokenTtlSeconds: number;
    /** Per client_id per API version (SailPoint's documented 100 per 10 s). */
    rateLimit: RateLimitRule;
  };
}

export class ConfigError extends Error {}

export function defaultConfig(): SyncmockConfig {
  return {
    host: '127.0.0.1',
    port: 8080,
    db: path.join('data', 'syncmock.db'),
    logLevel: 'info',
    auth: 'open',
    seedData: path.join(packageRoot, 'data', 'seed.json'),
    journalSize: 1000,
    datadog: {
      revision: '2026-06',
      stateDelaySeconds: 0,
      rateLimits: {
        integration_config_read: { limit: 1000, periodSeconds: 60 },
        integration_config_write: { limit: 500, periodSeconds: 60 },
        integration_config_validate: { limit: 300, periodSeconds: 60 },
      },
    },
    cors: { origins: ['*'], admin: false },
    sailpoint: {
      tokenTtlSeconds: 749,
      rateLimit: { limit: 100, periodSeconds: 10 },
    },
  };
}

type Setter = (config: SyncmockConfig, raw: string, name: string) => void;

interface OptionSpec {
  flag: string;
  /** A switch: `--flag` alone sets it; its environment variable takes true/false/1/0. */
  boolean?: true;
  env: string;
  help: string;
  set: Setter;
  show: (config: SyncmockConfig) => string;
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(raw: string, name: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function oneOf<T extends string>(raw: string, name: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function bool(raw: string, name: string): boolean {
  const value = raw.toLowerCase();
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** A comma-separated list of origins (scheme://host[:port]) or `*`, normalised as browsers send them. */
function originList(raw: string, name: string): string[] {
  const entries = raw.split(',').map((o) => o.trim()).filter((o) => o !== '');
  if (entries.length === 0) throw new ConfigError(`${name} must list at least one origin or *`);
  if (entries.includes('*')) return ['*'];
  return entries.map((entry) => {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || url.origin === 'null' || url.pathname !== '/' || url.search !== '' || url.hash !== '') {
      throw new ConfigError(`${name}: "${entry}" is not an origin (scheme://host[:port]) or *`);
    }
    return url.origin;
  });
}

function nonEmpty(raw: string, name: string): string {
  if (raw.trim() === '') throw new ConfigError(`${name} must not be empty`);
  return raw;
}

export const OPTIONS: OptionSpec[] = [
  { flag: 'port', env: 'PORT', help: 'TCP port to listen on (0 picks a free one)',
    set: (c, r, n) => { c.port = integer(r, n, 0, 65535); }, show: (c) => String(c.port) },
  { flag: 'host', env: 'HOST', help: 'address to bind',
    set: (c, r, n) => { c.host = nonEmpty(r, n); }, show: (c) => c.host },
  { flag: 'db', env: 'SYNCMOCK_DB', help: 'SQLite database file, or :memory:',
    set: (c, r, n) => { c.db = nonEmpty(r, n); }, show: (c) => c.db },
  { flag: 'log-level', env: 'SYNCMOCK_LOG_LEVEL', help: `log level (${LOG_LEVELS.join('|')})`,
    set: (c, r, n) => { c.logLevel = oneOf(r, n, LOG_LEVELS); }, show: (c) => c.logLevel },
  { flag: 'auth', env: 'SYNCMOCK_AUTH', help: 'open: any key or client is accepted; strict: only those in the seed data',
    set: (c, r, n) => { c.auth = oneOf(r, n, ['open', 'strict'] as const); }, show: (c) => c.auth },
  { flag: 'cors-origin', env: 'SYNCMOCK_CORS_ORIGIN', help: 'origins allowed to call the emulated APIs from a browser (comma-separated, or *)',
    set: (c, r, n) => { c.cors.origins = originList(r, n); }, show: (c) => c.cors.origins.join(',') },
  { flag: 'admin-cors', env: 'SYNCMOCK_ADMIN_CORS', boolean: true, help: 'let those origins call the control API (/__admin) too',
    set: (c, r, n) => { c.cors.admin = bool(r, n); }, show: (c) => String(c.cors.admin) },
  { flag: 'seed-data', env: 'SYNCMOCK_SEED_DATA', help: 'seed document (keys, clients, tenants, sources)',
    set: (c, r, n) => { c.seedData = nonEmpty(r, n); }, show: () => 'data/seed.json' },
  { flag: 'seed', env: 'SYNCMOCK_SEED', help: 'state document to load at start and on every reset (see POST /__admin/state)',
    set: (c, r, n) => { c.seedState = nonEmpty(r, n); }, show: () => 'none' },
  { flag: 'journal-size', env: 'SYNCMOCK_JOURNAL_SIZE', help: 'requests the journal keeps (0 turns it off)',
    set: (c, r, n) => { c.journalSize = integer(r, n, 0, 100_000); }, show: (c) => String(c.journalSize) },
  { flag: 'admin-token', env: 'SYNCMOCK_ADMIN_TOKEN', help: 'bearer token every /__admin call but health must carry',
    set: (c, r, n) => { c.adminToken = nonEmpty(r, n); }, show: () => 'none' },
  { flag: 'datadog-state-delay', env: 'SYNCMOCK_DATADOG_STATE_DELAY', help: 'seconds a new Datadog config stays "initializing"',
    set: (c, r, n) => { c.datadog.stateDelaySeconds = integer(r, n, 0, 86400); }, show: (c) => String(c.datadog.stateDelaySeconds) },
  { flag: 'datadog-revision', env: 'SYNCMOCK_DATADOG_REVISION', help: `default Datadog API revision (${DATADOG_REVISIONS.join('|')})`,
    set: (c, r, n) => { c.datadog.revision = oneOf(r, n, DATADOG_REVISIONS); }, show: (c) => c.datadog.revision },
  { flag: 'sailpoint-jwt-secret', env: 'SYNCMOCK_SAILPOINT_JWT_SECRET', help: 'HS256 key for SailPoint tokens',
    set: (c, r, n) => { c.sailpoint.jwtSecret = nonEmpty(r, n); }, show: () => 'random per start' },
  { flag: 'sailpoint-token-ttl', env: 'SYNCMOCK_SAILPOINT_TOKEN_TTL', help: 'SailPoint access token lifetime in seconds',
    set: (c, r, n) => { c.sailpoint.tokenTtlSeconds = integer(r, n, 1, 86400 * 365); }, show: (c) => String(c.sailpoint.tokenTtlSeconds) },
  { flag: 'sailpoint-rate-limit', env: 'SYNCMOCK_SAILPOINT_RATE_LIMIT', help: 'SailPoint requests per client_id per API version per window',
    set: (c, r, n) => { c.sailpoint.rateLimit.limit = integer(r, n, 1, 1_000_000); }, show: (c) => String(c.sailpoint.rateLimit.limit) },
];

export interface ParsedCommandLine {
  config: SyncmockConfig;
  help: boolean;
  version: boolean;
}

/** Flags win over environment variables, which win over defaults. Throws ConfigError on anything wrong. */
export function configFromCommandLine(argv: string[], env: NodeJS.ProcessEnv): ParsedCommandLine {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' }, version: { type: 'boolean' } };
  for (const o of OPTIONS) options[o.flag] = { type: o.boolean ? 'boolean' : 'string' };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (err) {
    throw new ConfigError(describeParseError(err as NodeJS.ErrnoException, argv));
  }
  const config = defaultConfig();
  for (const o of OPTIONS) {
    const fromEnv = env[o.env];
    if (fromEnv !== undefined && fromEnv !== '') o.set(config, fromEnv, o.env);
    const fromFlag = parsed.values[o.flag];
    if (fromFlag !== undefined) o.set(config, String(fromFlag), `--${o.flag}`);
  }
  return { config, help: parsed.values.help === true, version: parsed.values.version === true };
}

// node:util's messages are long and suggest `--` positionals, which syncmock has none of: say it in one line.
function describeParseError(err: NodeJS.ErrnoException, argv: string[]): string {
  const option = /'(-[^' ]*)/.exec(err.message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown option '${option ?? ''}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return OPTIONS.some((o) => o.boolean && option === `--${o.flag}`)
        ? `${option} takes no value (use the environment variable for false)`
        : `${option ?? 'a flag'} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${argv.find((a) => !a.startsWith('-')) ?? ''}": every setting is a --flag`;
    default:
      return err.message;
  }
}

export function helpText(): string {
  const defaults = defaultConfig();
  const rows = OPTIONS.map((o) => `  --${o.flag.padEnd(22)} ${o.env.padEnd(31)} ${o.help} (default: ${o.show(defaults)})`);
  return ['Usage: syncmock [options]', '', '  flag                     environment variable', ...rows,
    '  --help                   show this text', '  --version                print the version', ''].join('\n');
}

export type SyncmockOptions = Partial<Omit<SyncmockConfig, 'datadog' | 'sailpoint' | 'cors'>> & {
  datadog?: Partial<SyncmockConfig['datadog']>;
  cors?: Partial<SyncmockConfig['cors']>;
  sailpoint?: Partial<SyncmockConfig['sailpoint']>;
};

/** Programmatic options over the defaults, checked the same way as flags. */
export function resolveConfig(options: SyncmockOptions = {}): SyncmockConfig {
  const base = defaultConfig();
  const config: SyncmockConfig = {
    ...base,
    ...options,
    datadog: { ...base.datadog, ...options.datadog, rateLimits: { ...base.datadog.rateLimits, ...options.datadog?.rateLimits } },
    sailpoint: { ...base.sailpoint, ...options.sailpoint },
    cors: { ...base.cors, ...options.cors },
  };
  // Rate-limit rules change at runtime (PUT /__admin/rate-limits changes them in place): own copies, not
  // the caller's objects.
  for (const group of DATADOG_RATE_LIMIT_GROUPS) config.datadog.rateLimits[group] = { ...config.datadog.rateLimits[group] };
  config.sailpoint.rateLimit = { ...config.sailpoint.rateLimit };
  config.cors.origins = originList(config.cors.origins.join(','), 'cors.origins');
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) throw new ConfigError(`port must be between 0 and 65535, got ${config.port}`);
  oneOf(config.auth, 'auth', ['open', 'strict'] as const);
  oneOf(config.logLevel, 'logLevel', LOG_LEVELS);
  oneOf(config.datadog.revision, 'datadog.revision', DATADOG_REVISIONS);
  if (!Number.isInteger(config.journalSize) || config.journalSize < 0 || config.journalSize > 100_000) {
    throw new ConfigError(`journalSize must be between 0 and 100000, got ${config.journalSize}`);
  }
  return config;
}
