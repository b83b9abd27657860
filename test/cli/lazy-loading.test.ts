// What a start loads: what serving the emulated APIs needs, and not Swagger UI, @fastify/static, the OpenAPI
// builder (@fastify/swagger, yaml) or @fastify/multipart (whose registration loads Node's fetch), which load
// on the first request that needs them (platform/deferred-app.ts). The built CLI is spawned with a preload
// that lists the files it loaded; the second server shows the list sees them once used, and that what they
// serve is complete on the very first request, several at once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { UI_DIR } from '../../src/control/ui-routes';
import { packageRoot } from '../../src/platform/paths';
import { loadSeedData } from '../../src/platform/seed-data';
import { VENDORS } from '../../src/vendors';
import { http } from '../helpers';
import { builtCli, childEnv, startProcess } from '../spawn';

/** Packages (by their folder under node_modules) a start must not load. */
const LOADED_ON_FIRST_USE = ['@fastify/static', '@fastify/send', '@fastify/swagger', '@fastify/swagger-ui', 'yaml', '@fastify/multipart', '@fastify/busboy'];

interface Loaded {
  packages: Set<string>;
  undici: boolean;
}

/** Starts the built CLI, runs `use` against it, stops it, and returns what it had loaded. */
async function loadedAfter(t: Test, use: (url: string) => Promise<void>): Promise<Loaded> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-loaded-')), 'loaded.json');
  t.teardown(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
  const started = await startProcess(t, process.execPath, ['--require', path.join(__dirname, 'loaded-modules.cjs'), builtCli, '--port', '0', '--db', ':memory:'],
    /^syncmock listening on /, { env: childEnv({ SYNCMOCK_TEST_LOADED: file }) });
  await use(/listening on (\S+)/.exec(started.line)![1]);
  started.child.kill('SIGTERM');
  t.equal((await started.exited).code, 0, 'stops cleanly');
  const { files, undici } = JSON.parse(fs.readFileSync(file, 'utf8')) as { files: string[]; undici: boolean };
  // The package a file belongs to: the folder under the last node_modules in its path.
  const packages = new Set(files.flatMap((f) => /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f.slice(f.lastIndexOf('node_modules')))?.[1] ?? []));
  return { packages, undici };
}

const seed = loadSeedData(path.join(packageRoot, 'data', 'seed.json'), VENDORS);
const connection = (name: string, url: string) => VENDORS.find((v) => v.name === name)!.connection(seed[name], url);

t.test('serving the emulated APIs and the control API loads none of the docs\', dashboard\'s or multipart modules', async (t) => {
  const loaded = await loadedAfter(t, async (url) => {
    t.equal((await http(`${url}/__admin/health`)).status, 200);
    const dd = connection('datadog', url);
    t.equal((await http(`${url}/api/v2/security_monitoring/configuration/integration_config`, { headers: { 'dd-api-key': dd.apiKey!, 'dd-application-key': dd.appKey! } })).status, 200, 'a Datadog list');
    const sp = connection('sailpoint', url);
    const token = await http(`${url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sp.clientId!, client_secret: sp.clientSecret! }).toString() });
    t.equal(token.status, 200, 'a SailPoint token from a form');
    const sources = await http(`${url}/v2025/sources/2c9180835d191a86015d28455b4b232a/attribute-sync-config`, { headers: { authorization: `Bearer ${token.json.access_token}`, 'x-sailpoint-experimental': 'true' } });
    t.equal(sources.status, 200, 'a SailPoint read');
    t.equal((await http(`${url}/__admin/requests`)).status, 200, 'the journal');
  });
  t.ok(loaded.packages.has('fastify') && loaded.packages.has('better-sqlite3'), 'the list holds what was loaded');
  t.same(LOADED_ON_FIRST_USE.filter((p) => loaded.packages.has(p)), [], 'none of them');
  t.notOk(loaded.undici, 'nor Node\'s fetch');
});

t.test('the docs, the dashboard and a multipart token request, each first of its kind and at once, are complete', async (t) => {
  let documents: Record<string, unknown>[] = [];
  const loaded = await loadedAfter(t, async (url) => {
    const sp = connection('sailpoint', url);
    const form = new FormData();
    for (const [k, v] of Object.entries({ grant_type: 'client_credentials', client_id: sp.clientId!, client_secret: sp.clientSecret! })) form.set(k, v);
    const docPaths = ['datadog', 'datadog-2026-06', 'datadog-2026-08', 'sailpoint', 'control'].map((d) => `/openapi/${d}.json`);
    const [page, initializer, dashboard, app, token, ...docs] = await Promise.all([
      http(`${url}/docs/`), http(`${url}/docs/static/swagger-initializer.js`), http(`${url}/__admin/ui/`), http(`${url}/__admin/ui/app.js`),
      http(`${url}/oauth/token`, { method: 'POST', body: form }), ...docPaths.map((p) => http(`${url}${p}`)),
    ]);
    t.match(page.text, /<div id="swagger-ui">/, 'Swagger UI\'s page');
    for (const p of docPaths.slice(1)) t.match(initializer.text, p, `Swagger UI offers ${p}`); // datadog.json is the default revision's, not offered
    t.equal(dashboard.text, fs.readFileSync(path.join(UI_DIR, 'index.html'), 'utf8'), 'the dashboard\'s page as written');
    t.match(dashboard.headers.get('content-security-policy'), /default-src 'none'/, 'with its policy');
    t.equal(app.text, fs.readFileSync(path.join(UI_DIR, 'app.js'), 'utf8'), 'and its module');
    t.equal(token.status, 200, 'a token from multipart/form-data');
    t.ok(docs.every((d) => d.status === 200), 'every document');
    documents = docs.map((d) => d.json);
    // The same documents asked again, from the built collectors.
    const again = await Promise.all(docPaths.map(async (p) => (await http(`${url}${p}`)).json));
    t.same(documents, again, 'the first answers are the documents, whole');
    t.ok(documents.every((d) => Object.keys(d.paths as object).length > 0), 'each with its paths');
  });
  t.same(LOADED_ON_FIRST_USE.filter((p) => !loaded.packages.has(p)), [], 'each was loaded when first needed');
  t.ok(loaded.undici, 'Node\'s fetch too (@fastify/multipart)');
});
