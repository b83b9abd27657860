// What a parity step is: one request, written once with `{{name}}` placeholders, that each target (the
// vendor, syncmock, or a recording) fills in with its own values (credentials, the ids it handed out).
// Writing requests as templates is what lets a recording be replayed later against another server.
import { datadog } from '../datadog';
import { REDACTED } from '../platform/redaction';
import { sailpoint } from '../sailpoint';

/** The vendors parity compares, by their contracts' names. */
export const PARITY_VENDORS = [datadog.name, sailpoint.name] as const;
export type VendorName = (typeof PARITY_VENDORS)[number];

/** How a request is authenticated; each target turns it into its own headers. */
export type Auth = 'none' | VendorName;

export interface RequestTemplate {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** From the vendor's base URL, e.g. `/api/v2/…/integration_config/{{config_id}}`. */
  path: string;
  query?: Record<string, string>;
  auth: Auth;
  /** Headers that are not credentials (credentials come from `auth`). */
  headers?: Record<string, string>;
  json?: unknown;
  /** An application/x-www-form-urlencoded body. */
  form?: Record<string, string>;
}

/** What a target answered. Header names are lower case. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** The body as received ('' when empty). */
  text: string;
  /** The body parsed, when it is JSON. */
  json?: unknown;
}

/** How to take back what a write step may have done on a target; run at the end, whatever happened. */
export type Undo =
  | { key: string; request: RequestTemplate }
  | {
    key: string;
    /** List, pick what this run created, delete each (for creates whose id may never have arrived). */
    sweep: { list: RequestTemplate; pick: (body: unknown, vars: Vars) => string[]; remove: (id: string) => RequestTemplate };
  };

export interface Step {
  id: string;
  vendor: VendorName;
  title: string;
  /** Would change state on the vendor if it succeeded: sent only with --allow-writes. */
  write: boolean;
  request: RequestTemplate;
  /** Values taken from a 2xx answer into the target's variables: name → dotted path in the body. */
  capture?: Record<string, string>;
  /** Captured values that are credentials: scrubbed from everything written. */
  secretCapture?: string[];
  /** After the vendor answers 2xx, give syncmock the same state, so the same request means the same there. */
  mirror?: 'sailpoint-source';
  /** Registered before sending; dropped when this step is refused (4xx: nothing changed). */
  undo?: Undo;
  /** A 2xx answer means the undo registered under this key is no longer needed. */
  settles?: string;
  /** Why this configuration cannot run the step (e.g. no source credentials given). */
  unavailable?: string;
  /** Why the step cannot run at this point of the run (an earlier answer it builds on is missing). */
  blocked?: string;
  /** For --plan: how the body is made when it is built from an earlier answer. */
  note?: string;
}

/** A target's values for the placeholders, and which of them are credentials. */
export class Vars {
  private readonly values = new Map<string, string>();
  private readonly secretNames = new Set<string>();

  constructor(values: Record<string, string | undefined> = {}, secrets: Record<string, string | undefined> = {}) {
    for (const [name, value] of Object.entries(values)) if (value !== undefined) this.set(name, value);
    for (const [name, value] of Object.entries(secrets)) if (value !== undefined) this.set(name, value, true);
  }

  set(name: string, value: string, secret = false): void {
    this.values.set(name, value);
    if (secret) this.secretNames.add(name);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** Values that are not credentials, longest first (so a value inside another is replaced after it). */
  plain(): Array<[string, string]> {
    return [...this.values].filter(([name, value]) => !this.secretNames.has(name) && value.length >= 3)
      .sort((a, b) => b[1].length - a[1].length);
  }

  secrets(): string[] {
    return [...this.secretNames].map((name) => this.values.get(name) as string);
  }

  /** A copy where every credential reads `[redacted]` (what --plan shows). */
  redacted(): Vars {
    const copy = new Vars();
    for (const [name, value] of this.values) copy.set(name, this.secretNames.has(name) ? REDACTED : value, this.secretNames.has(name));
    return copy;
  }
}

const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;

/** Every placeholder name a template uses, including those of its auth headers. */
export function placeholdersOf(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(PLACEHOLDER)) found.add(m[1]);
  else if (Array.isArray(value)) value.forEach((v) => placeholdersOf(v, found));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => placeholdersOf(v, found));
  return found;
}

/** Fills in every placeholder the vars know; unknown ones stay as written (what --plan shows for captures). */
export function fill<T>(value: T, vars: Vars): T {
  if (typeof value === 'string') return value.replace(PLACEHOLDER, (whole, name: string) => vars.get(name) ?? whole) as T;
  if (Array.isArray(value)) return value.map((v) => fill(v, vars)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)])) as T;
  }
  return value;
}

/** The value at a dotted path (`data.id`, `attributes.0.name`), when it is a string. */
export function stringAt(body: unknown, dotted: string): string | undefined {
  let node: unknown = body;
  for (const key of dotted.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'string' ? node : undefined;
}
