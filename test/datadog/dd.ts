// Raw-HTTP helpers for the Datadog surface.
import { http, type HttpResult } from '../helpers';

export const PREFIX = '/api/v2/security_monitoring/configuration/integration_config';

/** The seed document examples (seeds 001 and 003), sent as-is. */
export const seedCreateBody = () => ({
  data: {
    attributes: {
      domain: 'siem-test.com',
      integration_type: 'GOOGLE_WORKSPACE',
      name: 'My GWS Integration',
      secrets: { admin_email: 'test@example.com' },
      settings: { setting1: 'value1' },
    },
    type: 'integration_config',
  },
});

export const seedValidateBody = () => ({
  data: {
    attributes: { domain: 'siem-test.com', integration_type: 'GOOGLE_WORKSPACE', secrets: { admin_email: 'test@example.com' } },
    type: 'integration_config',
  },
});

export const seedPatchBody = () => ({
  data: {
    attributes: {
      domain: 'siem-test.com',
      enabled: true,
      integration_type: 'GOOGLE_WORKSPACE',
      name: 'My GWS Integration (renamed)',
      secrets: { admin_email: 'test@example.com' },
      settings: { setting1: 'value1' },
    },
    type: 'integration_config',
  },
});

export interface DatadogCaller {
  headers: Record<string, string>;
  call(method: string, path?: string, json?: unknown, extraHeaders?: Record<string, string>): Promise<HttpResult>;
}

/** A caller with a key pair (each API key is its own org in open mode). */
export function datadog(baseUrl: string, apiKey = 'test-api-key', appKey = 'test-app-key'): DatadogCaller {
  const headers = { 'DD-API-KEY': apiKey, 'DD-APPLICATION-KEY': appKey };
  return {
    headers,
    call: (method, path = '', json, extraHeaders = {}) =>
      http(`${baseUrl}${PREFIX}${path}`, { method, headers: { ...headers, ...extraHeaders }, json }),
  };
}
