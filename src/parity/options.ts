// `syncmock parity` flags and environment. The vendor side's credentials come only from the environment
// (flags show up in `ps`); there is no default credential of any kind.
import { parseArgs } from 'node:util';
import { DATADOG_REVISIONS, type DatadogRevision } from '../datadog/revision';
import { PARITY_VENDORS, type VendorName } from './step';

export class ParityUsageError extends Error {}

/** Every environment variable that holds a credential: scrubbed from anything written. */
export const CREDENTIAL_ENV = [
  'DD_API_KEY', 'DD_APP_KEY', 'DD_BEARER_TOKEN', 'SAIL_CLIENT_ID', 'SAIL_CLIENT_SECRET', 'DD_PARITY_OKTA_API_TOKEN', 'SYNCMOCK_ADMIN_TOKEN',
];

export interface DatadogVendor {
  baseUrl: string;
  auth: { apiKey: string; appKey: string } | { bearerToken: string };
  /** Real Okta credentials for the create → delete lifecycle. */
  okta?: { domain: string; apiToken: string };
}

export interface SailpointVendor {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  sourceId: string;
}

export interface ParityOptions {
  plan: boolean;
  allowWrites: boolean;
  reportDir?: string;
  recordDir?: string;
  replayDir?: string;
  /** A running syncmock; without it one is started in-process. */
  syncmockUrl?: string;
  datadogRevision?: DatadogRevision;
  /** For a syncmock URL whose control API is guarded. */
  adminToken?: string;
  timeoutMs: number;
  datadog?: DatadogVendor;
  sailpoint?: SailpointVendor;
}

export function parityHelp(): string {
  return `Usage: syncmock parity [options]

Runs a built-in scenario against the real vendor and against syncmock, sending each request to both, and
reports every difference in status, documented headers, body shape and error text. Exits 0 when there is
none, 1 on a difference or a failure, 2 on a usage error, 130 when interrupted.

Vendor side (environment only; a vendor is checked when its variables are set):
  DD_API_KEY, DD_APP_KEY      Datadog key pair (needs integrations_read; manage_integrations for writes)
  DD_BEARER_TOKEN             Datadog bearer token instead of the key pair (OAuth, ddpat_…/ddsat_…)
  DD_SITE                     Datadog site (default datadoghq.com; the API is https://api.<site>)
  SAIL_BASE_URL               SailPoint API base URL, e.g. https://acme.api.identitynow.com
  SAIL_CLIENT_ID, SAIL_CLIENT_SECRET   SailPoint client credentials (PAT or API client; ORG_ADMIN for writes)
  DD_PARITY_OKTA_API_TOKEN    with --datadog-okta-domain: a real Okta API token for the Datadog lifecycle
  SYNCMOCK_ADMIN_TOKEN        the control API token of a --syncmock-url server that has one

Options:
  --sailpoint-source-id ID    the SailPoint source to read (and, with --allow-writes, to flip one
                              attribute's enabled of and back); required for SailPoint
  --only datadog|sailpoint    check one vendor only
  --allow-writes              also send the steps that write: Datadog creates configs named
                              syncmock-parity-<run>… and deletes them; SailPoint flips enabled and back.
                              Everything is taken back at the end, also after a failure or Ctrl-C
  --datadog-okta-domain D     an Okta domain for the Datadog create → get → patch → validate → delete steps
  --plan                      list the requests without sending any
  --report DIR                write DIR/parity.json and DIR/parity.junit.xml
  --record DIR                write the vendor's answers, scrubbed, as a recording (see test/contracts/)
  --replay DIR                replay a recording against syncmock instead of calling the vendor
  --syncmock-url URL          compare with a running syncmock (default: one started in-process)
  --datadog-revision R        the Datadog revision syncmock answers with (${DATADOG_REVISIONS.join(', ')})
  --datadog-url URL           the Datadog API base URL instead of DD_SITE's (for a proxy, or for testing
                              this tool against another syncmock)
  --timeout SECONDS           per request (default 30)
  -h, --help
`;
}

const FLAGS = {
  plan: { type: 'boolean' },
  'allow-writes': { type: 'boolean' },
  report: { type: 'string' },
  record: { type: 'string' },
  replay: { type: 'string' },
  only: { type: 'string' },
  'syncmock-url': { type: 'string' },
  'datadog-revision': { type: 'string' },
  'datadog-url': { type: 'string' },
  'datadog-okta-domain': { type: 'string' },
  'sailpoint-source-id': { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function httpUrl(raw: string, name: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ParityUsageError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  if (!['http:', 'https:'].includes(url.protocol)) throw new ParityUsageError(`${name} must be an http(s) URL, got "${raw}"`);
  if (url.username !== '' || url.password !== '') throw new ParityUsageError(`${name} must not carry credentials; use the environment variables`);
  return raw.replace(/\/+$/, '');
}

const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;

/** Present and non-empty, or undefined. */
const given = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value);

function datadogVendor(flags: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): DatadogVendor {
  const apiKey = given(env.DD_API_KEY);
  const appKey = given(env.DD_APP_KEY);
  const bearerToken = given(env.DD_BEARER_TOKEN);
  if (bearerToken === undefined && (apiKey === undefined || appKey === undefined)) {
    throw new ParityUsageError('Datadog needs DD_API_KEY and DD_APP_KEY, or DD_BEARER_TOKEN');
  }
  const site = given(env.DD_SITE) ?? 'datadoghq.com';
  if (!HOST.test(site)) throw new ParityUsageError(`DD_SITE must be a Datadog site such as datadoghq.eu, got "${site}"`);
  const baseUrl = flags['datadog-url'] !== undefined ? httpUrl(flags['datadog-url'] as string, '--datadog-url') : `https://api.${site}`;
  const domain = flags['datadog-okta-domain'] as string | undefined;
  const oktaToken = given(env.DD_PARITY_OKTA_API_TOKEN);
  if ((domain === undefined) !== (oktaToken === undefined)) {
    throw new ParityUsageError('--datadog-okta-domain and DD_PARITY_OKTA_API_TOKEN go together');
  }
  if (domain !== undefined && !HOST.test(domain)) throw new ParityUsageError(`--datadog-okta-domain must be a host name, got "${domain}"`);
  return {
    baseUrl,
    auth: bearerToken !== undefined ? { bearerToken } : { apiKey: apiKey as string, appKey: appKey as string },
    okta: domain !== undefined ? { domain, apiToken: oktaToken as string } : undefined,
  };
}

function sailpointVendor(flags: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): SailpointVendor {
  const missing = ['SAIL_BASE_URL', 'SAIL_CLIENT_ID', 'SAIL_CLIENT_SECRET'].filter((name) => given(env[name]) === undefined);
  if (missing.length > 0) throw new ParityUsageError(`SailPoint needs ${missing.join(', ')}`);
  const sourceId = flags['sailpoint-source-id'] as string | undefined;
  if (sourceId === undefined) throw new ParityUsageError('SailPoint needs --sailpoint-source-id (the source to read)');
  if (!/^[A-Za-z0-9-]+$/.test(sourceId)) throw new ParityUsageError(`--sailpoint-source-id must be a source id, got "${sourceId}"`);
  return {
    baseUrl: httpUrl(env.SAIL_BASE_URL as string, 'SAIL_BASE_URL'),
    clientId: env.SAIL_CLIENT_ID as string,
    clientSecret: env.SAIL_CLIENT_SECRET as string,
    sourceId,
  };
}

/** Whether the user set anything for a vendor (then a missing piece is an error, not a reason to skip it). */
function mentioned(vendor: VendorName, flags: Record<string, unknown>, env: NodeJS.ProcessEnv): boolean {
  if (vendor === 'datadog') return ['DD_API_KEY', 'DD_APP_KEY', 'DD_BEARER_TOKEN'].some((n) => given(env[n]) !== undefined);
  return ['SAIL_BASE_URL', 'SAIL_CLIENT_ID', 'SAIL_CLIENT_SECRET'].some((n) => given(env[n]) !== undefined) || flags['sailpoint-source-id'] !== undefined;
}

/** The options, or 'help'. Throws ParityUsageError saying what is wrong. */
export function parityOptions(argv: string[], env: NodeJS.ProcessEnv): ParityOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new ParityUsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const revision = values['datadog-revision'] as string | undefined;
  if (revision !== undefined && !(DATADOG_REVISIONS as readonly string[]).includes(revision)) {
    throw new ParityUsageError(`--datadog-revision must be one of ${DATADOG_REVISIONS.join(', ')}, got "${revision}"`);
  }
  const timeout = (values.timeout as string | undefined) ?? '30';
  if (!/^\d+$/.test(timeout) || Number(timeout) < 1 || Number(timeout) > 600) {
    throw new ParityUsageError(`--timeout must be a whole number of seconds from 1 to 600, got "${timeout}"`);
  }
  const options: ParityOptions = {
    plan: values.plan === true,
    allowWrites: values['allow-writes'] === true,
    reportDir: values.report as string | undefined,
    recordDir: values.record as string | undefined,
    replayDir: values.replay as string | undefined,
    syncmockUrl: values['syncmock-url'] !== undefined ? httpUrl(values['syncmock-url'] as string, '--syncmock-url') : undefined,
    datadogRevision: revision as DatadogRevision | undefined,
    adminToken: given(env.SYNCMOCK_ADMIN_TOKEN),
    timeoutMs: Number(timeout) * 1000,
  };
  if (options.replayDir !== undefined) {
    const clash = ['plan', 'allow-writes', 'record', 'only', 'datadog-url', 'datadog-okta-domain', 'sailpoint-source-id'].find((f) => values[f] !== undefined);
    if (clash) throw new ParityUsageError(`--replay sends the recorded requests to syncmock only; --${clash} does not apply`);
    return options;
  }
  const only = values.only as string | undefined;
  if (only !== undefined && !(PARITY_VENDORS as readonly string[]).includes(only)) {
    throw new ParityUsageError(`--only must be one of ${PARITY_VENDORS.join(', ')}, got "${only}"`);
  }
  const wanted = only !== undefined ? [only as VendorName] : PARITY_VENDORS.filter((v) => mentioned(v, values, env));
  if (wanted.length === 0) {
    throw new ParityUsageError('no vendor to check: set DD_API_KEY and DD_APP_KEY (or DD_BEARER_TOKEN) for Datadog, ' +
      'or SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET with --sailpoint-source-id for SailPoint');
  }
  if (wanted.includes('datadog')) options.datadog = datadogVendor(values, env);
  if (wanted.includes('sailpoint')) options.sailpoint = sailpointVendor(values, env);
  return options;
}
