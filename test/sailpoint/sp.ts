// Raw-HTTP helpers for the SailPoint surface.
import { http, type HttpResult } from '../helpers';

/** The seeded source with four attributes (data/seed.json), and one more. */
export const SOURCE_ID = '2c9180835d191a86015d28455b4b232a';
export const OTHER_SOURCE_ID = '2c9180835d191a86015d28455b4a2329';

/** Seeded clients: tenant 1 (admin, helpdesk, no authority) and tenant 2 (admin2). */
export const CLIENTS = {
  admin: { id: 'syncmock-org-admin', secret: 'syncmock-org-admin-secret' },
  helpdesk: { id: 'syncmock-helpdesk', secret: 'syncmock-helpdesk-secret' },
  noAuthority: { id: 'syncmock-no-authority', secret: 'syncmock-no-authority-secret' },
  admin2: { id: 'syncmock-org-admin-2', secret: 'syncmock-org-admin-2-secret' },
};
export const TENANT_1 = '58eb06a4-dcd7-4e96-8fac-cca2afc03e61';
export const TENANT_2 = '8b5c5f3a-7d0e-4a55-9a07-2f1f3c9d2e10';

/** Every path prefix serving the attribute sync config, and whether it needs X-SailPoint-Experimental. */
export const PREFIXES = [
  { name: 'beta', base: '/beta/sources', experimental: false },
  { name: 'v2024', base: '/v2024/sources', experimental: true },
  { name: 'v2025', base: '/v2025/sources', experimental: true },
  { name: 'v2026', base: '/v2026/sources', experimental: true },
  { name: 'sources/v1', base: '/sources/v1', experimental: true },
] as const;
export type Prefix = (typeof PREFIXES)[number];

/** The seeded config of SOURCE_ID as GET returns it: a fresh copy to edit. */
export function seedConfig() {
  return {
    source: { type: 'SOURCE', id: SOURCE_ID, name: 'HR Active Directory' },
    attributes: [
      { name: 'email', displayName: 'Email', enabled: true, target: 'mail' },
      { name: 'firstname', displayName: 'First Name', enabled: false, target: 'givenName' },
      { name: 'lastname', displayName: 'Last Name', enabled: true, target: 'sn' },
      { name: 'department', displayName: 'Department', enabled: false, target: 'department' },
    ],
  };
}

export const tokenForm = (clientId: string, secret: string) =>
  new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret });

/** An access token for the client (x-www-form-urlencoded); fails the test run loudly when refused. */
export async function getToken(baseUrl: string, client: { id: string; secret: string }): Promise<string> {
  const res = await http(`${baseUrl}/oauth/token`, { method: 'POST', body: tokenForm(client.id, client.secret) });
  if (res.status !== 200) throw new Error(`token request for ${client.id} answered ${res.status}: ${res.text}`);
  return res.json.access_token as string;
}

export interface SailpointCaller {
  get(id?: string, extraHeaders?: Record<string, string>): Promise<HttpResult>;
  put(body: unknown, id?: string, extraHeaders?: Record<string, string>): Promise<HttpResult>;
}

/** Calls /{prefix}/{id}/attribute-sync-config with a bearer token (and the experimental header where needed). */
export function sailpoint(baseUrl: string, token: string | undefined, prefix: Prefix = PREFIXES[0]): SailpointCaller {
  const headers = (extra: Record<string, string>): Record<string, string> => ({
    ...(token !== undefined && { authorization: `Bearer ${token}` }),
    ...(prefix.experimental && { 'x-sailpoint-experimental': 'true' }),
    ...extra,
  });
  const url = (id: string) => `${baseUrl}${prefix.base}/${id}/attribute-sync-config`;
  return {
    get: (id = SOURCE_ID, extra = {}) => http(url(id), { headers: headers(extra) }),
    put: (body, id = SOURCE_ID, extra = {}) => http(url(id), { method: 'PUT', headers: headers(extra), json: body }),
  };
}

/** A caller for the client on beta, token fetched first. */
export async function signIn(baseUrl: string, client: { id: string; secret: string }, prefix: Prefix = PREFIXES[0]): Promise<SailpointCaller> {
  return sailpoint(baseUrl, await getToken(baseUrl, client), prefix);
}

/** The JWT payload, decoded without checking anything. */
export function claimsOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
