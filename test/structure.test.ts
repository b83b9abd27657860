// The vendor contract's promise, kept by a test rather than by review: src/platform, src/control and
// src/docs use the contract and name no vendor. Nothing there imports from a vendor's folder, and no vendor's
// name, URL prefix, credential header or other vendor-only header appears there, comments included (the
// credential body fields are left out: `secrets`, `access_token` are also everyday and OAuth words).
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { createContext } from '../src/app';
import { resolveConfig } from '../src/config';
import { VENDORS } from '../src/vendors';
import { repoRoot } from './spawn';

const VENDOR_FREE = ['src/platform', 'src/control', 'src/docs', 'src/mcp', 'schemas/control', 'ui'];
/**
 * What users read there: MCP's tools, the control API's schema descriptions, the dashboard's shared views.
 * They name no vendor's scope either (org, tenant, their aliases): its wording comes from the contracts.
 */
const SCOPE_FREE = ['src/mcp', 'schemas/control', 'ui'];
/** The dashboard's vendor panels (ui/views/vendors.js lists them, the page mounts a served vendor's). */
const VENDOR_PANELS = new Set(['ui/views/vendors.js', ...VENDORS.map((v) => `ui/views/${v.name}.js`)]);
/** Headers every HTTP API has; a vendor listing them does not make them the vendor's. */
const GENERIC_HEADERS = new Set(['authorization', 'retry-after']);

const files = VENDOR_FREE.flatMap((dir) => fs.readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
  .filter((file) => /\.(ts|js|json|html)$/.test(file))
  .map((file) => path.join(dir, file).split(path.sep).join('/'))
  .filter((file) => !VENDOR_PANELS.has(file)));

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

t.test('platform, control, docs, MCP, the control schemas and the dashboard\'s shared views import nothing from a vendor folder and name no vendor', async (t) => {
  t.ok(files.length > 20, `the folders hold the platform's files (${files.length})`);
  for (const dir of VENDOR_FREE) t.ok(files.some((f) => f.startsWith(`${dir}/`)), `${dir} is searched`);
  for (const c of VENDORS) {
    const scopeWords = [c.scope.name, c.scope.collection, ...Object.keys(c.scope.aliases ?? {})];
    const scoped = new RegExp(scopeWords.map((w) => `(?<![A-Za-z0-9_])${escape(w)}(?![A-Za-z0-9_])`).join('|'), 'i');
    const words = [
      c.name,
      ...c.prefixes.filter((p) => p.length > 1),
      ...c.credentials.headers,
      ...[...c.cors.allowedHeaders, ...c.cors.exposedHeaders].filter((h) => !GENERIC_HEADERS.has(h.toLowerCase()) && !/^x-ratelimit-/i.test(h)),
    ];
    // Not after a dot: ./api.js is a module of the dashboard, not Datadog's /api.
    const named = new RegExp(words.map((w) => `(?<![A-Za-z0-9_.])${escape(w)}(?![A-Za-z0-9_])`).join('|'), 'i');
    const imported = new RegExp(`from '\\.\\./${escape(c.name)}[/']`);
    for (const file of files) {
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      t.notOk(imported.test(text), `${file} imports nothing from src/${c.name}`);
      const match = named.exec(text);
      t.notOk(match, `${file} names nothing of ${c.name}${match ? `: "${match[0]}" at line ${text.slice(0, match.index).split('\n').length}` : ''}`);
      const scope = SCOPE_FREE.some((dir) => file.startsWith(`${dir}/`)) ? scoped.exec(text) : null;
      t.notOk(scope, `${file} names no scope of ${c.name}${scope ? `: "${scope[0]}" at line ${text.slice(0, scope.index).split('\n').length}` : ''}`);
    }
  }
});

/** src/ as folders: a subfolder is one node, a file at the top of src/ is one of its own. */
function folderGraph(): Map<string, Set<string>> {
  const src = path.join(repoRoot, 'src');
  const nodeOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : file);
  const resolve = (from: string, spec: string): string | undefined => {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
    if (target.startsWith('..')) return undefined;
    for (const candidate of [target, `${target}.ts`, `${target}/index.ts`]) {
      if (fs.existsSync(path.join(src, candidate)) && fs.statSync(path.join(src, candidate)).isFile()) return candidate;
    }
    throw new Error(`src/${from}: cannot resolve ${spec}`);
  };
  const graph = new Map<string, Set<string>>();
  for (const file of fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).map((f) => f.split(path.sep).join('/'))) {
    if (!file.endsWith('.ts') || file.startsWith('generated/')) continue;
    const text = fs.readFileSync(path.join(src, file), 'utf8');
    for (const [, spec] of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)'(\.{1,2}\/[^']*)'/gm)) {
      const target = resolve(file, spec);
      if (target === undefined || target.startsWith('generated/')) continue;
      const [a, b] = [nodeOf(file), nodeOf(target)];
      if (a !== b) graph.set(a, (graph.get(a) ?? new Set()).add(b));
    }
  }
  return graph;
}

t.test('no import cycle between the folders of src/ (type-only imports included)', async (t) => {
  const graph = folderGraph();
  t.ok(graph.get('vendors.ts')?.size, 'the graph holds the registry\'s imports');
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, trail: string[]): void => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(node)), node].join(' -> '));
      return;
    }
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
    state.set(node, 'done');
  };
  for (const node of graph.keys()) visit(node, []);
  t.same(cycles, [], 'no cycle');
});

t.test('the configuration\'s vendor sections agree with the contracts', async (t) => {
  type Node = Record<string, any>;
  const configSchema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'config.json'), 'utf8')) as Node;
  const names = VENDORS.map((c) => c.name);
  // Every flag and variable that starts with a vendor's name sets a field of that vendor's section.
  const settings: Array<{ at: string[]; flag?: string; env?: string }> = [];
  const walk = (node: Node, at: string[]): void => {
    if (node['x-flag'] !== undefined || node['x-env'] !== undefined) settings.push({ at, flag: node['x-flag'], env: node['x-env'] });
    for (const [key, child] of Object.entries(node.properties ?? {})) walk(child as Node, [...at, key]);
  };
  walk(configSchema, []);
  for (const { at, flag, env } of settings) {
    const vendor = names.find((n) => flag?.startsWith(`${n}-`) || env?.startsWith(`SYNCMOCK_${n.toUpperCase()}_`));
    if (vendor !== undefined || names.includes(at[0])) {
      t.equal(at[0], vendor, `--${flag} (${at.join('.')}) is in its vendor's section`);
      t.ok(flag?.startsWith(`${at[0]}-`) && env?.startsWith(`SYNCMOCK_${at[0].toUpperCase()}_`), `--${flag} and ${env} are named for ${at[0]}`);
    }
  }
  // The rate-limit rules a vendor starts with are its section's, one per group of its contract.
  const config = resolveConfig({ db: ':memory:' });
  const context = createContext(config, VENDORS);
  t.teardown(() => context.db.close());
  const ruleRef = '#/$defs/rateLimitRule';
  for (const { contract, runtime } of context.vendors) {
    const section = configSchema.properties[contract.name] as Node | undefined;
    const values = (config as unknown as Record<string, Node>)[contract.name];
    const configured: Record<string, unknown>[] = [];
    for (const [key, property] of Object.entries((section?.properties ?? {}) as Record<string, Node>)) {
      if (property.$ref === ruleRef) configured.push(values[key]);
      const groups = Object.entries((property.properties ?? {}) as Record<string, Node>).filter(([, p]) => p.$ref === ruleRef);
      if (groups.length > 0) t.same(groups.map(([g]) => g), contract.rateLimitGroups, `${contract.name}.${key} has a rule per group of its contract`);
      for (const [g] of groups) configured.push(values[key][g]);
    }
    t.same(contract.rateLimitGroups.map((g) => runtime.rateLimits[g]), configured, `${contract.name}'s rules are its section's`);
  }
});
