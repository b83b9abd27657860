// The built-in scenario. Reads first, then writes (sent only with --allow-writes). Every resource it creates
// is named `syncmock-parity-<run>…`; on SailPoint it only flips `enabled` of the named source's first
// attribute and flips it back. Each write that could change something registers how to take it back first.
import { randomBytes, randomUUID } from 'node:crypto';
import type { RequestTemplate, Step, Undo, VendorName } from './step';

const DATADOG_PATH = '/api/v2/security_monitoring/configuration/integration_config';
/** Every name this tool gives a resource starts with this. */
export const NAME_PREFIX = 'syncmock-parity-';

export interface ScenarioOptions {
  vendors: readonly VendorName[];
  /** Real source credentials for the Datadog create → delete lifecycle (an Okta domain and API token). */
  oktaGiven: boolean;
}

/** What later steps build on: the vendor's own answers. */
export interface RunState {
  /** The named source's attribute sync config, as the vendor returned it. */
  sourceConfig?: AttrSyncConfig;
}

export interface AttrSyncConfig {
  source: { type?: string; id?: string; name?: string | null };
  attributes: Array<{ name: string; displayName: string; enabled: boolean; target: string } & Record<string, unknown>>;
}

export type StepFactory = (state: RunState) => Step;

/**
 * Values every target shares that the run picks: its id (in every name it gives), ids that exist nowhere,
 * and stand-ins. A recording keeps the placeholders, so a replay picks fresh ones.
 */
export function runConstants(): Record<string, string> {
  return {
    run: randomBytes(4).toString('hex'),
    unknown_id: randomUUID(),
    unknown_source_id: randomBytes(16).toString('hex'),
    sail_wrong_secret: `${NAME_PREFIX}wrong-secret`,
  };
}

// ---- Datadog ----

const datadog = (path = '', rest: Partial<RequestTemplate> = {}): RequestTemplate =>
  ({ method: 'GET', path: `${DATADOG_PATH}${path}`, auth: 'datadog', ...rest });

/** An Okta source whose credentials no source accepts: the vendor answers 400 and stores nothing. */
const INVALID_OKTA = { domain: `${NAME_PREFIX}source.invalid`, integration_type: 'OKTA', secrets: { api_token: `invalid-${NAME_PREFIX}token` } };

/** Deletes every config this run named, found by listing: also one whose create answer never arrived. */
const SWEEP_CONFIGS: Undo = {
  key: 'datadog-configs',
  sweep: {
    list: datadog(),
    pick: (body, vars) => {
      const data = (body as { data?: Array<{ id?: unknown; attributes?: { name?: unknown } }> } | undefined)?.data;
      const prefix = `${NAME_PREFIX}${vars.get('run')}`;
      return (Array.isArray(data) ? data : [])
        .filter((c) => typeof c.id === 'string' && typeof c.attributes?.name === 'string' && c.attributes.name.startsWith(prefix))
        .map((c) => c.id as string);
    },
    remove: (id) => datadog(`/${id}`, { method: 'DELETE' }),
  },
};

const OKTA_NEEDED = 'needs source credentials: --datadog-okta-domain and DD_PARITY_OKTA_API_TOKEN';

function datadogSteps(options: ScenarioOptions): StepFactory[] {
  /** The create → delete steps: only with real source credentials, as the vendor checks them with the source. */
  const lifecycle = (step: Omit<Step, 'vendor'>): StepFactory => () =>
    ({ vendor: 'datadog', ...step, unavailable: options.oktaGiven ? undefined : OKTA_NEEDED });
  const read = (step: Omit<Step, 'vendor' | 'write'>): StepFactory => () => ({ vendor: 'datadog', write: false, ...step });
  const body = (attributes: object) => ({ data: { type: 'integration_config', attributes } });
  return [
    read({ id: 'datadog.no-keys', title: 'list without keys', request: datadog('', { auth: 'none' }) }),
    read({ id: 'datadog.list', title: 'list configs', request: datadog() }),
    read({
      id: 'datadog.list-unknown-filter', title: 'list with an unknown filter[integration_type]',
      request: datadog('', { query: { 'filter[integration_type]': 'SYNCMOCK_PARITY_UNKNOWN' } }),
    }),
    read({ id: 'datadog.get-unknown', title: 'get an id that does not exist', request: datadog('/{{unknown_id}}') }),
    read({
      id: 'datadog.validate-invalid-credentials', title: 'validate credentials the source rejects',
      request: datadog('/validate', { method: 'POST', json: body(INVALID_OKTA) }),
    }),
    () => ({
      id: 'datadog.create-invalid-credentials', vendor: 'datadog', write: true, title: 'create with credentials the source rejects',
      request: datadog('', { method: 'POST', json: body({ ...INVALID_OKTA, name: `${NAME_PREFIX}{{run}}-invalid`, settings: {} }) }),
      undo: SWEEP_CONFIGS,
    }),
    lifecycle({
      id: 'datadog.create', title: 'create an Okta config', write: true,
      request: datadog('', {
        method: 'POST',
        json: body({ domain: '{{okta_domain}}', integration_type: 'OKTA', name: `${NAME_PREFIX}{{run}}`, secrets: { api_token: '{{okta_api_token}}' }, settings: {} }),
      }),
      capture: { config_id: 'data.id' },
      undo: SWEEP_CONFIGS,
    }),
    lifecycle({ id: 'datadog.get', title: 'get the created config', write: false, request: datadog('/{{config_id}}') }),
    lifecycle({
      id: 'datadog.patch', title: 'rename it', write: true,
      request: datadog('/{{config_id}}', { method: 'PATCH', json: body({ integration_type: 'OKTA', name: `${NAME_PREFIX}{{run}}-renamed` }) }),
    }),
    lifecycle({
      // The 2026-06 docs make integration_type optional on update; the current spec requires it.
      id: 'datadog.patch-without-type', title: 'rename it without integration_type', write: true,
      request: datadog('/{{config_id}}', { method: 'PATCH', json: body({ name: `${NAME_PREFIX}{{run}}-renamed-again` }) }),
    }),
    lifecycle({ id: 'datadog.validate', title: 'validate its stored credentials', write: false, request: datadog('/{{config_id}}/validate', { method: 'POST' }) }),
    // No `settles`: the sweep at the end lists once more, which also finds a config an earlier step left.
    lifecycle({ id: 'datadog.delete', title: 'delete it', write: true, request: datadog('/{{config_id}}', { method: 'DELETE' }) }),
    lifecycle({ id: 'datadog.get-deleted', title: 'get it after the delete', write: false, request: datadog('/{{config_id}}') }),
  ];
}

// ---- SailPoint ----

const attrSyncConfig = (sourceId: string, rest: Partial<RequestTemplate> = {}, version = 'beta'): RequestTemplate =>
  ({ method: 'GET', path: `/${version}/sources/${sourceId}/attribute-sync-config`, auth: 'sailpoint', ...rest });

const tokenRequest = (secret: string): RequestTemplate => ({
  method: 'POST', path: '/oauth/token', auth: 'none',
  form: { grant_type: 'client_credentials', client_id: '{{sail_client_id}}', client_secret: secret },
});

/** The config as read, with its source named by placeholders, after an edit of its first attribute. */
function editedConfig(config: AttrSyncConfig, edit: (first: AttrSyncConfig['attributes'][number]) => void): AttrSyncConfig {
  const copy = structuredClone(config);
  copy.source = { ...copy.source, id: '{{sailpoint_source_id}}', name: '{{sailpoint_source_name}}' };
  if (copy.attributes.length > 0) edit(copy.attributes[0]);
  return copy;
}

const RESTORE_SOURCE = 'sailpoint-source';
const unchanged = (): void => undefined;

interface PutOptions {
  version?: string;
  /** Register a PUT of the config as read, to run at the end unless a later step settles it. */
  undo?: boolean;
  settles?: string;
}

/** A PUT of the config sailpoint.get-source read, edited; blocked until that config is known. */
const put = (id: string, title: string, note: string, edit: (first: AttrSyncConfig['attributes'][number]) => void,
  options: PutOptions = {}): StepFactory => (state) => {
  const config = state.sourceConfig;
  const usable = config !== undefined && config.attributes.length > 0;
  const putOf = (body: AttrSyncConfig | undefined, version?: string) =>
    attrSyncConfig('{{sailpoint_source_id}}', { method: 'PUT', json: body }, version);
  return {
    id, title, vendor: 'sailpoint', write: true, note,
    request: putOf(usable ? editedConfig(config, edit) : undefined, options.version),
    undo: options.undo && usable ? { key: RESTORE_SOURCE, request: putOf(editedConfig(config, unchanged)) } : undefined,
    settles: options.settles,
    blocked: usable ? undefined : 'needs the source\'s config with at least one attribute, which sailpoint.get-source did not return',
  };
};

function sailpointSteps(): StepFactory[] {
  const read = (step: Omit<Step, 'vendor' | 'write'>): StepFactory => () => ({ vendor: 'sailpoint', write: false, ...step });
  const asRead = 'the config read by sailpoint.get-source';
  return [
    read({ id: 'sailpoint.no-token', title: 'get the source\'s config without a token', request: attrSyncConfig('{{sailpoint_source_id}}', { auth: 'none' }) }),
    read({ id: 'sailpoint.token-wrong-secret', title: 'token with a wrong client secret', request: tokenRequest('{{sail_wrong_secret}}') }),
    read({
      id: 'sailpoint.token', title: 'token (client credentials)', request: tokenRequest('{{sail_client_secret}}'),
      capture: { sail_token: 'access_token', sail_tenant_id: 'tenant_id' }, secretCapture: ['sail_token'],
    }),
    read({ id: 'sailpoint.get-source', title: 'get the named source\'s config', request: attrSyncConfig('{{sailpoint_source_id}}'), mirror: 'sailpoint-source' }),
    read({ id: 'sailpoint.get-unknown-source', title: 'get a source that does not exist', request: attrSyncConfig('{{unknown_source_id}}') }),
    put('sailpoint.put-change-target', 'PUT changing a target', `${asRead}, its first attribute's target changed`,
      (first) => { first.target = `${NAME_PREFIX}{{run}}`; }, { undo: true }),
    put('sailpoint.put-v2024-without-experimental', 'PUT on v2024 without X-SailPoint-Experimental', `${asRead}, unchanged`,
      unchanged, { version: 'v2024' }),
    put('sailpoint.put-toggle', 'PUT flipping one attribute\'s enabled', `${asRead}, its first attribute's enabled flipped`,
      (first) => { first.enabled = !first.enabled; }, { undo: true }),
    put('sailpoint.put-toggle-back', 'PUT flipping it back', `${asRead}, unchanged`, unchanged, { settles: RESTORE_SOURCE }),
  ];
}

/** The scenario's steps for the vendors asked for, in the order they run. */
export function scenario(options: ScenarioOptions): StepFactory[] {
  return [
    ...(options.vendors.includes('datadog') ? datadogSteps(options) : []),
    ...(options.vendors.includes('sailpoint') ? sailpointSteps() : []),
  ];
}

/** Stand-ins syncmock gets where the vendor gets real source credentials (syncmock's check is deterministic). */
export function syncmockStandIns(): Record<string, string> {
  return { okta_domain: `${NAME_PREFIX}okta.invalid`, okta_api_token: `${NAME_PREFIX}okta-token` };
}
