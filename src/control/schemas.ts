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
import { ref, schema, sharedSchemaFiles } from '../platform/schemas';
import { SharedSchemas } from '../platform/validators';

type Node = Record<string, unknown>;

const CONTROL_DIR = 'control/';

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
