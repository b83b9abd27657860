// Which surfaces this build has. Tests of SailPoint and of the control API's journal and state export are
// written against the documented contract (DESIGN.md §4, §5) and skip, saying why, while a build lacks them.
import { http } from '../helpers';

export const SAILPOINT_SOURCE_ID = '2c9180835d191a86015d28455b4b232a';
/** The seeded ORG_ADMIN client (data/seed.json). */
export const SAILPOINT_ADMIN = { clientId: 'syncmock-org-admin', clientSecret: 'syncmock-org-admin-secret' };
export const SAILPOINT_MISSING = 'this build has no SailPoint surface yet (POST /oauth/token answers 404)';
export const SAILPOINT_VERSIONS = ['beta', 'v2024', 'v2025', 'v2026'] as const;

export interface TokenResult {
  status: number;
  /** The access token on a 200. */
  token?: string;
  text: string;
  headers: Headers;
}

/** A client-credentials token request (form-encoded), or undefined when the build has no token endpoint. */
export async function requestToken(baseUrl: string, clientId: string, clientSecret: string): Promise<TokenResult | undefined> {
  const res = await http(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
  });
  if (res.status === 404) return undefined;
  return { status: res.status, token: res.status === 200 ? res.json?.access_token : undefined, text: res.text, headers: res.headers };
}

/** An access token for the client; undefined while the build has no SailPoint surface. Throws on a refusal. */
export async function sailpointToken(baseUrl: string, clientId = SAILPOINT_ADMIN.clientId, clientSecret = SAILPOINT_ADMIN.clientSecret): Promise<string | undefined> {
  const res = await requestToken(baseUrl, clientId, clientSecret);
  if (!res) return undefined;
  if (!res.token) throw new Error(`POST /oauth/token answered ${res.status}: ${res.text}`);
  return res.token;
}

/** The headers a SailPoint call needs (the experimental header is required on versioned paths). */
export const sailpointHeaders = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`, 'x-sailpoint-experimental': 'true',
});

export const attrSyncPath = (sourceId = SAILPOINT_SOURCE_ID, version = 'beta') => `/${version}/sources/${sourceId}/attribute-sync-config`;

/** True when the build answers this control API route (anything but 404). */
export async function hasAdminRoute(baseUrl: string, path: string): Promise<boolean> {
  return (await http(`${baseUrl}/__admin${path}`)).status !== 404;
}
