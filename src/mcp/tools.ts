// The control API as MCP tools: each tool is one /__admin call, its input schema a file of schemas/control/
// with this build's vendors filled in (the same one the control API validates with), its output schema the
// call's response schema. Inputs are passed through unchanged, so a bad one is refused by the control API in
// its own words.
import { ControlSchemas } from '../control/schemas';
import { schema } from '../platform/schemas';
import type { ControlCall, VendorContract } from '../platform/vendor';
import type { SharedSchemas } from '../platform/validators';
import { VENDORS } from '../vendors';

type Input = Record<string, unknown>;
type Node = Record<string, unknown>;

export interface ControlTool {
  name: string;
  description: string;
  inputSchema: Node;
  outputSchema?: Node;
  call(input: Input): ControlCall;
}

const NO_INPUT = { type: 'object', properties: {}, additionalProperties: false };

/**
 * A schema with the shared schemas its `$ref`s name (`/<vendor>/defs.json#/$defs/…`, each vendor's part of a
 * state document, the control API's expanded for this build's vendors) moved into `$defs`: MCP clients get
 * one self-contained schema per tool. A reference into a moved file, from anywhere, points into its copy.
 */
export function bundled(root: Node, shared: SharedSchemas): Node {
  const files = shared.referencedBy(root);
  const names = new Map(Object.keys(files).map((id) => [id, id.replace(/^\//, '').replace(/\.json$/, '').replace(/[^A-Za-z0-9_]+/g, '_')]));
  /** Rewrites the references in a value; `base` is the name of the file it was moved from, if any. */
  const rewrite = (value: unknown, base?: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => rewrite(v, base));
    if (value === null || typeof value !== 'object') return value;
    const node = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, base)])) as Node;
    if (typeof node.$ref === 'string') {
      const [id, fragment = ''] = node.$ref.split('#');
      const name = id === '' ? base : names.get(id);
      if (name !== undefined) node.$ref = `#/$defs/${name}${fragment}`;
    }
    return node;
  };
  const defs = Object.fromEntries(Object.entries(files).map(([id, file]) => {
    const { $id: _id, $schema: _dialect, ...content } = file;
    return [names.get(id) as string, rewrite(content, names.get(id))];
  }));
  const out = rewrite(root) as Node;
  return Object.keys(defs).length === 0 ? out : { ...out, $defs: { ...(out.$defs as Node | undefined), ...defs } };
}

/**
 * Every tool, with the control API's schemas for these vendors (this build's registry by default) filled in
 * from their contracts, as a running syncmock of the same version fills them in; then each vendor's own
 * (its contract's controlTools, under /__admin/<vendor>), whose files are used as they are.
 */
export function controlTools(vendors: readonly VendorContract[] = VENDORS): ControlTool[] {
  const schemas = new ControlSchemas(vendors);
  const shared = schemas.shared();
  // The vendors' words for the owners of their state (their scopes), from their contracts.
  const scopes = vendors.map((v) => v.scope.name).join(', ');
  const scopeParams = vendors.map((v) => [v.scope.name, ...Object.keys(v.scope.aliases ?? {})].join(' or ')).join(', ');
  const collections = vendors.map((v) => `${v.name} ${v.scope.collection}`).join(', ');
  const control = (file: string) => bundled(schemas.get(file), shared);
  const vendorTools = vendors.flatMap((vendor) => (vendor.controlTools ?? []).map((spec): ControlTool => ({
    name: spec.name,
    description: spec.description,
    inputSchema: bundled(schema(spec.inputSchema), shared),
    ...(spec.outputSchema !== undefined && { outputSchema: bundled(schema(spec.outputSchema), shared) }),
    call: (input) => {
      const call = spec.call(input);
      return { ...call, path: `/${vendor.name}${call.path}` };
    },
  })));
  /** A state document and the import mode, the two parts of POST /__admin/state. */
  const importStateInput = bundled({
    type: 'object',
    required: ['document'],
    additionalProperties: false,
    properties: {
      document: schemas.get('state.json'),
      mode: (schemas.get('state-import-query.json').properties as Node).mode,
    },
  }, shared);
  const tools: ControlTool[] = [
    {
      name: 'get_overview',
      description: `What the running syncmock emulates (vendors, their URL prefixes and scopes) and how much it holds: ${collections} and the items in them, journal entries, fault rules.`,
      inputSchema: NO_INPUT,
      outputSchema: control('overview.json'),
      call: () => ({ method: 'GET', path: '/overview' }),
    },
    {
      name: 'get_state',
      description: `Export the state (${collections} and what each holds), secrets redacted: everything, or one scope (${scopeParams}).`,
      inputSchema: control('scope-query.json'),
      outputSchema: control('state.json'),
      call: (input) => ({ method: 'GET', path: '/state', query: input }),
    },
    {
      name: 'import_state',
      description: `Import a state document (the shape get_state returns). mode replace (default): each scope (${scopes}) in it holds exactly what it lists; merge: entries are added or overwritten by id. Checked whole first; nothing changes on error.`,
      inputSchema: importStateInput,
      outputSchema: control('state-import-response.json'),
      call: ({ document, mode }) => ({ method: 'POST', path: '/state', query: { mode }, body: document }),
    },
    {
      name: 'reset',
      description: `Back to the seed state. Without arguments: everything (state, journal, faults, the vendors' own overrides, rate limits, clock). With one scope (${scopeParams}): only its state, journal entries, faults and counters.`,
      inputSchema: control('scope-query.json'),
      outputSchema: control('reset-response.json'),
      call: (input) => ({ method: 'POST', path: '/reset', query: input }),
    },
    {
      name: 'query_journal',
      description: `The requests the emulated APIs received and answered, newest first, with headers and bodies (credentials redacted). Filter by vendor, method, path glob, status (404 or 4xx), scope (${scopeParams}); limit.`,
      inputSchema: control('requests-query.json'),
      outputSchema: control('requests-response.json'),
      call: (input) => ({ method: 'GET', path: '/requests', query: input }),
    },
    {
      name: 'clear_journal',
      description: `Forget journaled requests: all, or one vendor's, or one scope's (${scopeParams}).`,
      inputSchema: control('requests-delete-query.json'),
      outputSchema: control('deleted-response.json'),
      call: (input) => ({ method: 'DELETE', path: '/requests', query: input }),
    },
    {
      name: 'list_faults',
      description: 'The fault rules, in the order they are tried, with their hits and remaining uses.',
      inputSchema: NO_INPUT,
      outputSchema: control('faults-response.json'),
      call: () => ({ method: 'GET', path: '/faults' }),
    },
    {
      name: 'add_fault',
      description: `Add a fault rule: requests matching every filter given (vendor, method, path glob, scope: ${scopeParams}) get an error status in the vendor's own shape, a delay, or a dropped connection; optionally only the next \`times\` matches, or with a seeded probability.`,
      inputSchema: control('fault-rule-request.json'),
      outputSchema: control('fault-rule.json'),
      call: (input) => ({ method: 'POST', path: '/faults', body: input }),
    },
    {
      name: 'remove_fault',
      description: 'Remove one fault rule by id.',
      inputSchema: control('fault-id.json'),
      call: ({ id }) => ({ method: 'DELETE', path: `/faults/${encodeURIComponent(String(id))}` }),
    },
    {
      name: 'set_clock',
      description: 'Freeze the server clock at an instant (freeze_at), move it forward (advance_seconds, e.g. to expire a token), or go back to real time (real: true). Exactly one.',
      inputSchema: control('clock-request.json'),
      outputSchema: control('clock.json'),
      call: (input) => ({ method: 'POST', path: '/clock', body: input }),
    },
    {
      name: 'get_rate_limits',
      description: 'The rate limits in force, per vendor and group.',
      inputSchema: NO_INPUT,
      outputSchema: control('rate-limits.json'),
      call: () => ({ method: 'GET', path: '/rate-limits' }),
    },
    {
      name: 'set_rate_limits',
      description: 'Change rate limits (only the groups and fields given); every counter starts afresh.',
      inputSchema: control('rate-limits-update.json'),
      outputSchema: control('rate-limits.json'),
      call: (input) => ({ method: 'PUT', path: '/rate-limits', body: input }),
    },
    ...vendorTools,
  ];
  const names = new Set<string>();
  for (const tool of tools) {
    if (names.has(tool.name)) throw new Error(`two MCP tools are named ${tool.name}: a vendor's control tools must not repeat a built-in tool's name or each other's`);
    names.add(tool.name);
  }
  return tools;
}
