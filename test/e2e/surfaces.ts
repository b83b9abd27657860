// The SailPoint surface as the end-to-end suites reach it: a token, the headers a call needs, the paths.
// A missing or broken token endpoint throws: a suite that depends on it fails instead of passing without it.
import { http } from '../helpers';

export const SAILPOINT_SOURCE_ID = '2c9180835d191a86015d28455b4b232a';
/** The seeded ORG_ADMIN client (data/seed.json). */
export const SAILPOINT_ADMIN = { clientId: 'syncmock-org-admin', clientSecret: 'syncmock-org-admin-secret' };
export const SAILPOINT_VERSIONS = ['beta', 'v2024', 'v2025', 'v2026'] as const;

export interface TokenResult {
  status: number;
  /** The access token on a 200. */
  token?: string;
  text: string;
  headers: Headers;
}

/** A client-credentials token request (form-encoded), whatever it is answered. */
export async function requestToken(baseUrl: string, clientId: string, clientSecret: string): Promise<TokenResult> {
  const res = await http(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
  });
  return { status: res.status, token: res.status === 200 ? res.json?.access_token : undefined, text: res.text, headers: res.headers };
}

/** An access token for the client. Throws on any other answer, a 404 included. */
export async function sailpointToken(baseUrl: string, clientId = SAILPOINT_ADMIN.clientId, clientSecret = SAILPOINT_ADMIN.clientSecret): Promise<string> {
  const res = await requestToken(baseUrl, clientId, clientSecret);
  if (!res.token) throw new Error(`POST /oauth/token answered ${res.status}: ${res.text.slice(0, 500)}`);
  return res.token;
}

/** The headers a SailPoint call needs (the experimental header is required on versioned paths). */
export const sailpointHeaders = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`, 'x-sailpoint-experimental': 'true',
});

export const attrSyncPath = (sourceId = SAILPOINT_SOURCE_ID, version = 'beta') => `/${version}/sources/${sourceId}/attribute-sync-config`;
