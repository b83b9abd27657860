// The control API's schemas with the vendors filled in. The files in schemas/control/ hold everything that
// does not depend on which vendors exist, and mark with x- keywords where the registry's vendors go:
//   x-vendor-names: true | "nullable"   this string is one of the vendors' names (or null)
//   x-scope-params: true                these query or body parameters also take each vendor's scope (org,
//                                       tenant) and its aliases
//   x-scope-fields: true | "nullable"   this object may carry the scope field of its vendor
//   x-scope-names: [extra…]             this string is one of the scope names, or one of the extras
//   x-vendor-health, x-vendor-state,    this object has one property per vendor: what health says of it,
//   x-rate-limits: "view" | "update"    its part of state documents, its rate-limit rules
// Files with an `$id` (src/platform/schemas.ts) are registered expanded, so a `$ref` to one (or into
// control/defs.json) reaches the vendors too.
import type { VendorContract } from '../platform/vendor';
import { controlSchemaFiles, ref, schema, sharedSchemaFiles } from '../platform/schemas';
import { SharedSchemas } from '../platform/validators';

type Node = Record<string, unknown>;

const CONTROL_DIR = 'control/';

/** Where the marks put the vendors' names (x-vendor-health…) and their scopes' (x-scope-params, x-scope-fields). */
const VENDOR_NAME_MARKS = ['x-vendor-health', 'x-vendor-state', 'x-rate-limits'];
const SCOPE_NAME_MARKS = ['x-scope-params', 'x-scope-fields'];

/**
 * The names the control API's own schemas already give a meaning where a vendor's would go (a vendor name
 * `capacity`, a scope name `status` or `path`): the properties of every object marked to receive vendor
 * names, and for scope names those of every object marked to receive them plus every control query
 * parameter (schemas/control/*-query.json), each with the file that has it. Read from the files, so a new
 * field or parameter is refused as a name the day it is added.
 */
export function reservedNames(): { vendor: Map<string, string>; scope: Map<string, string> } {
  const vendor = new Map<string, string>();
  const scope = new Map<string, string>();
  const visit = (value: unknown, file: string): void => {
    if (Array.isArray(value)) return value.forEach((v) => visit(v, file));
    if (value === null || typeof value !== 'object') return;
    const node = value as Node;
    const own = Object.keys((node.properties ?? {}) as Node);
    if (VENDOR_NAME_MARKS.some((mark) => node[mark] !== undefined)) for (const name of own) vendor.set(name, file);
    if (SCOPE_NAME_MARKS.some((mark) => node[mark] !== undefined)) for (const name of own) scope.set(name, file);
    for (const child of Object.values(node)) visit(child, file);
  };
  for (const file of controlSchemaFiles()) {
    const document = schema(file);
    visit(document, file);
    if (file.endsWith('-query.json')) for (const name of Object.keys((document.properties ?? {}) as Node)) scope.set(name, file);
  }
  return { vendor, scope };
}

export class ControlSchemas {
  private readonly cache = new Map<string, Node>();

  /** From the contracts alone: what a running server fills in, without building one (MCP's tools). */
  constructor(private readonly vendors: readonly VendorContract[]) {}

  /** schemas/control/<file> with the vendors filled in; the same object each time (Fastify compiles it once). */
  get(file: string): Node {
    let expanded = this.cache.get(file);
    if (!expanded) {
      expanded = this.expand(schema(`${CONTROL_DIR}${file}`)) as Node;
      this.cache.set(file, expanded);
    }
    return expanded;
  }

  /** Every shared schema, the control API's expanded: what a server registers and checks documents with. */
  shared(): SharedSchemas {
    const served = (file: string) => (file.startsWith(CONTROL_DIR) ? this.get(file.slice(CONTROL_DIR.length)) : schema(file));
    return new SharedSchemas(sharedSchemaFiles().map(served));
  }

  private expand(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.expand(v));
    if (value === null || typeof value !== 'object') return value;
    const node: Node = {};
    for (const [key, child] of Object.entries(value)) if (!key.startsWith('x-')) node[key] = this.expand(child);
    const marks = value as Node;
    const properties = (): Node => (node.properties ??= {}) as Node;
    const contracts = this.vendors;
    if (marks['x-vendor-names']) node.enum = [...contracts.map((c) => c.name), ...(marks['x-vendor-names'] === 'nullable' ? [null] : [])];
    if (marks['x-scope-params']) {
      for (const c of contracts) {
        properties()[c.scope.name] = { type: 'string', minLength: 1, description: `A ${c.name} ${c.scope.name} id.` };
        for (const [alias, description] of Object.entries(c.scope.aliases ?? {})) properties()[alias] = { type: 'string', minLength: 1, description };
      }
    }
    if (marks['x-scope-fields']) {
      const type = marks['x-scope-fields'] === 'nullable' ? ['string', 'null'] : 'string';
      for (const c of contracts) properties()[c.scope.name] = { type, description: `The ${c.name} ${c.scope.name} (${c.name} entries only).` };
    }
    if (Array.isArray(marks['x-scope-names'])) node.enum = [...marks['x-scope-names'], ...contracts.map((c) => c.scope.name)];
    if (marks['x-vendor-health']) {
      for (const c of contracts) properties()[c.name] = { type: 'object', additionalProperties: true, description: `What ${c.name} reports.` };
    }
    if (marks['x-vendor-state']) {
      for (const c of contracts) {
        properties()[c.name] = {
          type: 'object',
          required: [c.scope.collection],
          additionalProperties: false,
          properties: {
            [c.scope.collection]: {
              type: 'object',
              description: `${c.name} ${c.scope.name} id -> its state.`,
              propertyNames: { minLength: 1 },
              additionalProperties: ref(c.stateSchema),
            },
          },
        };
      }
    }
    if (marks['x-rate-limits']) {
      const update = marks['x-rate-limits'] === 'update';
      // An update names the fields it changes (RateLimitRuleChange: at least one, none required).
      const rule = { $ref: `/control/defs.json#/$defs/${update ? 'RateLimitRuleChange' : 'RateLimitRule'}` };
      node.additionalProperties = false;
      if (!update) node.required = contracts.map((c) => c.name);
      for (const contract of contracts) {
        const groups = contract.rateLimitGroups;
        properties()[contract.name] = {
          type: 'object',
          additionalProperties: false,
          ...(!update && { required: groups }),
          properties: Object.fromEntries(groups.map((g) => [g, rule])),
        };
      }
    }
    return node;
  }
}
