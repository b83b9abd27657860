// Request bodies and a raw-HTTP caller shared by the Datadog revision tests.
import { http, type HttpResult } from '../helpers';
import { PREFIX, seedCreateBody, seedPatchBody, seedValidateBody } from './dd';

export { PREFIX };
export type Revision = '2026-06' | '2026-08';

/** The seed org's full-permission keys. */
export const SEED_KEYS = { 'dd-api-key': 'syncmock-api-key', 'dd-application-key': 'syncmock-app-key' };
export const READ_ONLY_KEYS = { 'dd-api-key': 'syncmock-api-key', 'dd-application-key': 'syncmock-read-only-app-key' };
export const NO_PERMISSION_KEYS = { 'dd-api-key': 'syncmock-api-key', 'dd-application-key': 'syncmock-no-permission-app-key' };

/** Valid 2026-08 secrets per type (ENTRA_ID takes none). */
export const SECRETS: Record<string, Record<string, unknown>> = {
  GOOGLE_WORKSPACE: {
    admin_email: 'admin@example.com',
    service_account_json: {
      client_email: 'svc@my-project.iam.gserviceaccount.com',
      private_key: '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
      project_id: 'my-project',
      type: 'service_account',
      private_key_id: 'kept-as-an-extra-key',
    },
  },
  OKTA: { api_token: 'okta-api-token' },
  CROWDSTRIKE: { client_id: 'crowdstrike-client-id', client_secret: 'crowdstrike-client-secret' },
  SENTINELONE: { api_token: 'sentinelone-api-token' },
};
export const ALL_TYPES = ['GOOGLE_WORKSPACE', 'OKTA', 'ENTRA_ID', 'CROWDSTRIKE', 'SENTINELONE'];

export const createBody = (attributes: Record<string, unknown>) => ({ data: { type: 'integration_config', attributes } });

/** A valid 2026-08 create body for the type. */
export function createAttributes(integrationType: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    domain: `${integrationType.toLowerCase()}.example.com`,
    integration_type: integrationType,
    name: `My ${integrationType} sync`,
    ...(SECRETS[integrationType] && { secrets: SECRETS[integrationType] }),
    settings: { setting1: 'value1' },
    ...extra,
  };
}

/** The seed documents' bodies (revision 2026-06): 001 create, 003 validate, 000 update. */
export const SEED_CREATE = seedCreateBody();
export const SEED_VALIDATE = seedValidateBody();
export const SEED_UPDATE = seedPatchBody();
/** The seed org's example config (seed 002). */
export const SEED_CONFIG_ID = '11111111-2222-3333-4444-555555555555';

export interface CallOptions {
  revision?: string;
  keys?: Record<string, string>;
  json?: unknown;
  headers?: Record<string, string>;
}

/** A raw call to a Datadog path under the integration_config prefix. */
export function dd(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...(options.keys ?? SEED_KEYS), ...options.headers };
  if (options.revision !== undefined) headers['x-syncmock-datadog-revision'] = options.revision;
  return http(`${baseUrl}${PREFIX}${path}`, { method, headers, json: options.json });
}
