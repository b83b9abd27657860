// Which part of syncmock a URL belongs to, from its path alone. The OpenAPI documents and the CORS policy
// both sort routes with this, so a route a vendor plugin adds lands in the right document and gets the
// right CORS policy without being listed anywhere else.

import { pathOf } from './path-pattern';

export type Surface = 'datadog' | 'sailpoint' | 'control' | 'docs';

/** The API surfaces that get an OpenAPI document, in the order Swagger UI offers them. */
export const DOCUMENTED_SURFACES = ['datadog', 'sailpoint', 'control'] as const;
export type DocumentedSurface = (typeof DOCUMENTED_SURFACES)[number];

// Datadog's public API lives under /api/v2. SailPoint's lives at the root of the tenant's API host (the token
// endpoint, the versioned prefixes /beta, /v2024 …, the unversioned /sources/v1), so it owns the rest.
const RULES: Array<[RegExp, Surface]> = [
  [/^\/__admin(\/|$)/, 'control'],
  [/^\/(docs|openapi)(\/|$)/, 'docs'],
  [/^\/api\//, 'datadog'],
];

/** The surface of a request URL or route path (query string ignored; repeated slashes read as one, as the router does). */
export function surfaceOf(url: string): Surface {
  const path = pathOf(url);
  return RULES.find(([pattern]) => pattern.test(path))?.[1] ?? 'sailpoint';
}
