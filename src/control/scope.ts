// Which org or tenant a control call is aimed at: each vendor's scope parameter (`org`, `tenant`) or one of
// its aliases (an API key standing for its org, resolved by the vendor, never kept or echoed; the logger redacts it).
import type { BuiltVendor } from './context';
import { InvalidInput } from '../platform/errors';
import type { Scope } from '../platform/vendor';

export type ScopeParams = Record<string, unknown>;

/** The scope named by at most one scope parameter or alias; undefined when none is given. */
export function scopeFrom(params: ScopeParams, vendors: readonly BuiltVendor[]): Scope | undefined {
  const named: Array<{ key: string; resolve: () => Scope }> = [];
  for (const { contract, runtime } of vendors) {
    const id = params[contract.scope.name];
    if (typeof id === 'string') named.push({ key: contract.scope.name, resolve: () => ({ vendor: contract.name, id }) });
    for (const alias of Object.keys(contract.scope.aliases ?? {})) {
      const value = params[alias];
      if (typeof value === 'string' && runtime.resolveAlias) {
        const resolveAlias = runtime.resolveAlias;
        named.push({ key: alias, resolve: () => ({ vendor: contract.name, id: resolveAlias(alias, value) }) });
      }
    }
  }
  if (named.length > 1) {
    const names = scopeParamNames(vendors);
    throw new InvalidInput(`Give only one of ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} (got ${named.map((n) => n.key).join(' and ')})`);
  }
  return named[0]?.resolve();
}

/** Every parameter that names a scope, in the registry's order. */
export const scopeParamNames = (vendors: readonly BuiltVendor[]): string[] =>
  vendors.flatMap(({ contract }) => [contract.scope.name, ...Object.keys(contract.scope.aliases ?? {})]);

/** The scope field of a vendor (`org`, `tenant`), for answers that name a scope. */
export const scopeField = (vendors: readonly BuiltVendor[], vendor: string): string =>
  vendors.find((v) => v.contract.name === vendor)?.contract.scope.name ?? 'scope';
