// Which part of syncmock a URL belongs to, from its path alone: the control API, the API documentation, one
// of the vendors (by the prefixes its contract claims), or none. CORS, the journal and errors raised before
// routing all sort requests with this, so a route a vendor adds is treated right without being listed here.
import { pathOf } from './path-pattern';
import { ownsPath, type VendorContract } from './vendor';

export const CONTROL_PREFIX = '/__admin';
/** Swagger UI and the OpenAPI documents. */
export const DOCS_PREFIXES = ['/docs', '/openapi'] as const;

export type Surface = { kind: 'control' } | { kind: 'docs' } | { kind: 'vendor'; vendor: VendorContract } | { kind: 'none' };

const under = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

const CONTROL: Surface = { kind: 'control' };
const DOCS: Surface = { kind: 'docs' };
const NONE: Surface = { kind: 'none' };
/** One object per vendor (several hooks ask about every request). */
const vendorSurfaces = new WeakMap<VendorContract, Surface>();

export function surfaceOf(url: string, vendors: readonly VendorContract[]): Surface {
  const path = pathOf(url);
  if (under(path, CONTROL_PREFIX)) return CONTROL;
  if (DOCS_PREFIXES.some((p) => under(path, p))) return DOCS;
  const vendor = vendors.find((v) => ownsPath(v, path));
  if (vendor === undefined) return NONE;
  let surface = vendorSurfaces.get(vendor);
  if (surface === undefined) vendorSurfaces.set(vendor, (surface = { kind: 'vendor', vendor }));
  return surface;
}
