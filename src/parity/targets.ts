// The two sides of a parity run. A live target sends over HTTP with Node's own fetch, adding its own
// credentials; a recorded one (recording.ts) answers from files.
import type { AttrSyncConfig } from './scenario';
import { fill, placeholdersOf, type Answer, type RequestTemplate, type Step, type VendorName, type Vars } from './step';

export type SideName = 'vendor' | 'syncmock';

export interface Target {
  side: SideName;
  /** Answers come from a recording: nothing is captured there and nothing needs undoing. */
  recorded: boolean;
  vars: Vars;
  /** Placeholders the request needs filled on this target, its credentials included. */
  placeholders(request: RequestTemplate): Set<string>;
  send(step: Step, request: RequestTemplate, signal: AbortSignal): Promise<Answer>;
  /** Gives this target the state the vendor answered with (syncmock only). */
  mirror(kind: NonNullable<Step['mirror']>, vendorJson: unknown, signal: AbortSignal): Promise<void>;
}

/** A request that got no answer: refused connection, timeout, interrupted. */
export class TransportError extends Error {}

export interface LiveTargetOptions {
  side: SideName;
  baseUrls: Partial<Record<VendorName, string>>;
  /** Credentials and the run's values. Datadog: dd_api_key + dd_app_key, or dd_bearer_token. */
  vars: Vars;
  /** Headers added to every request to a vendor (e.g. X-Syncmock-Datadog-Revision). */
  headers?: Partial<Record<VendorName, Record<string, string>>>;
  /** syncmock's control API, where the vendor's state is copied to. */
  admin?: { url: string; token?: string };
  timeoutMs: number;
}

export class LiveTarget implements Target {
  readonly side: SideName;
  readonly recorded = false;
  readonly vars: Vars;

  constructor(private readonly options: LiveTargetOptions) {
    this.side = options.side;
    this.vars = options.vars;
  }

  /** Credentials as placeholders: filled only when sent, shown `[redacted]` by --plan. */
  private authHeaders(auth: RequestTemplate['auth']): Record<string, string> {
    if (auth === 'sailpoint') return { authorization: 'Bearer {{sail_token}}' };
    if (auth !== 'datadog') return {};
    // A bearer token (OAuth or personal/service access token) when given, as the vendor's AuthZ allows.
    if (this.vars.get('dd_bearer_token') !== undefined) return { authorization: 'Bearer {{dd_bearer_token}}' };
    return { 'dd-api-key': '{{dd_api_key}}', 'dd-application-key': '{{dd_app_key}}' };
  }

  placeholders(request: RequestTemplate): Set<string> {
    return placeholdersOf([request, this.authHeaders(request.auth)]);
  }

  baseUrl(vendor: VendorName): string {
    const base = this.options.baseUrls[vendor];
    if (base === undefined) throw new Error(`no ${vendor} URL for the ${this.side}`);
    return base;
  }

  /** The request as it would go out, filled with these vars (--plan passes redacted ones). */
  prepare(vendor: VendorName, request: RequestTemplate, vars: Vars = this.vars): { url: string; init: RequestInit & { headers: Record<string, string> } } {
    const url = new URL(`${this.baseUrl(vendor).replace(/\/+$/, '')}${fill(request.path, vars)}`);
    for (const [name, value] of Object.entries(fill(request.query ?? {}, vars))) url.searchParams.set(name, value);
    const headers: Record<string, string> = {
      accept: 'application/json', ...this.options.headers?.[vendor], ...request.headers, ...fill(this.authHeaders(request.auth), vars),
    };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(fill(request.json, vars));
    } else if (request.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(fill(request.form, vars)).toString();
    }
    return { url: url.toString(), init: { method: request.method, headers, body, redirect: 'manual' } };
  }

  async send(step: Step, request: RequestTemplate, signal: AbortSignal): Promise<Answer> {
    const { url, init } = this.prepare(step.vendor, request);
    return this.fetch(url, init, signal);
  }

  private async fetch(url: string, init: RequestInit, signal: AbortSignal): Promise<Answer> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.any([signal, timeout]) });
      text = await res.text();
    } catch (err) {
      if (timeout.aborted) throw new TransportError(`no answer within ${this.options.timeoutMs / 1000} s`);
      if (signal.aborted) throw new TransportError('interrupted');
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new TransportError(cause?.code ?? cause?.message ?? (err as Error).message);
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => { headers[name] = value; });
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers, text, json };
  }

  /** Copies the vendor's source config into syncmock's tenant through the control API (merge import). */
  async mirror(kind: NonNullable<Step['mirror']>, vendorJson: unknown, signal: AbortSignal): Promise<void> {
    const { admin } = this.options;
    const tenant = this.vars.get('sail_tenant_id');
    if (kind !== 'sailpoint-source' || !admin) throw new Error(`the ${this.side} cannot be given the vendor's state`);
    if (tenant === undefined) throw new Error('syncmock\'s token answer had no tenant_id, so the source cannot be copied into its tenant');
    const config = vendorJson as AttrSyncConfig;
    const source = {
      id: this.vars.get('sailpoint_source_id'),
      name: this.vars.get('sailpoint_source_name'),
      attributes: config.attributes.map(({ name, displayName, enabled, target }) => ({ name, displayName, enabled, target })),
    };
    const answer = await this.fetch(`${admin.url}/__admin/state?mode=merge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(admin.token !== undefined && { authorization: `Bearer ${admin.token}` }) },
      body: JSON.stringify({ sailpoint: { tenants: { [tenant]: { sources: [source] } } } }),
    }, signal);
    if (answer.status !== 200) throw new Error(`syncmock's control API refused the copy of the source: ${answer.status} ${answer.text.slice(0, 300)}`);
  }
}

/** Whether the vendor's answer is an attribute sync config this tool can build on. */
export function isAttrSyncConfig(json: unknown): json is AttrSyncConfig {
  const attributes = (json as { attributes?: unknown } | null)?.attributes;
  return Array.isArray(attributes) && attributes.every((a) => a !== null && typeof a === 'object'
    && typeof a.name === 'string' && typeof a.displayName === 'string' && typeof a.enabled === 'boolean' && typeof a.target === 'string');
}
