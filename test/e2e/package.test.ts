// The npm package as a user gets it: `npm pack` from a clean copy of what the repository tracks plus the
// dist that `npm test` has just built (prepack would build the same again: that is the build every other
// test runs, so here it only has to be wired), installed into an empty project outside this repository,
// then its `syncmock` command and its import.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { version } from '../../src/version';
import { http } from '../helpers';
import { childEnv, repoRoot, startProcess } from '../spawn';

// Outside the repository, so nothing resolves through this repo's node_modules by accident.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-package-'));
t.teardown(() => fs.rmSync(work, { recursive: true, force: true }));

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, env: childEnv({ npm_config_update_notifier: 'false' }), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A clean copy of what the repository tracks, the built dist (with its source maps), and a stray local database. */
function sourceCopy(): string {
  const dir = path.join(work, 'source');
  for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts', 'src', 'schemas', 'data/seed.json', 'ui', 'dist']) {
    fs.cpSync(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true });
  }
  fs.writeFileSync(path.join(dir, 'data', 'syncmock.db'), 'a local database that must not be packed');
  return dir;
}

let tarball = '';
let files: string[] = [];

t.test('npm pack builds dist first and packs only what the package needs', async (t) => {
  const scripts = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  t.match(scripts.prepack, /(^|&& )npm run build$/, 'prepack builds dist from the sources');
  const source = sourceCopy();
  npm(['pack', '--ignore-scripts', '--pack-destination', work], source);
  tarball = path.join(work, `syncmock-${version}.tgz`);
  t.ok(fs.existsSync(tarball), 'the tarball');
  files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
  for (const f of ['package.json', 'dist/src/cli.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'schemas/datadog/seed.json', 'data/seed.json', 'ui/index.html']) {
    t.ok(files.includes(f), `contains ${f}`);
  }
  const allowed = /^(package\.json|README(\.md)?|LICENSE(\.md)?|dist\/src\/.+\.(js|d\.ts|json)|schemas\/.+\.json|data\/seed\.json|ui\/.+\.(html|css|js))$/;
  t.same(files.filter((f) => !allowed.test(f)), [], 'nothing else: no sources, tests, maps or databases');
  t.match(fs.readFileSync(path.join(source, 'dist', 'src', 'cli.js'), 'utf8'), /^#!\/usr\/bin\/env node\n/, 'the bin has its shebang');
});

t.test('installed into an empty project, `syncmock` starts, serves and stops on SIGTERM', async (t) => {
  t.ok(tarball, 'packed');
  const app = path.join(work, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  // Exactly what a user's install gets: better-sqlite3 13 ships prebuilt Node-API binaries and runs no install
  // script, so nothing is compiled here.
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], app);
  t.notOk(fs.existsSync(path.join(app, 'node_modules', 'better-sqlite3', 'build')), 'better-sqlite3 was not compiled');

  t.equal(npm(['exec', '--offline', '--', 'syncmock', '--version'], app), `${version}\n`, 'npx syncmock --version');

  const started = await startProcess(t, path.join(app, 'node_modules', '.bin', 'syncmock'), ['--port', '0'], /^syncmock .* docs /, { cwd: app });
  const url = /listening on (\S+)/.exec(started.line)?.[1];
  const health = await http(`${url}/__admin/health`);
  t.equal(health.status, 200);
  t.equal(health.json.db, 'file', 'the default database is a file…');
  t.ok(fs.existsSync(path.join(app, 'data', 'syncmock.db')), '…at data/syncmock.db under the working directory');
  t.equal((await http(`${url}/docs`)).status, 200, 'Swagger UI');
  t.equal((await http(`${url}/openapi/datadog.json`)).status, 200, 'the OpenAPI documents');
  t.equal((await http(`${url}/__admin/ui/app.js`)).status, 200, 'the dashboard');
  started.child.kill('SIGTERM');
  const end = await started.exited;
  t.equal(end.code, 0, 'exit 0 after SIGTERM', end);

  const script = `
    const { startSyncmock } = await import('syncmock');
    const s = await startSyncmock();
    const res = await fetch(s.url + '/api/v2/security_monitoring/configuration/integration_config', {
      headers: { 'DD-API-KEY': s.datadog.apiKey, 'DD-APPLICATION-KEY': s.datadog.appKey },
    });
    console.log(JSON.stringify({ status: res.status, db: s.config.db, tokenUrl: s.sailpoint.tokenUrl, url: s.url }));
    await s.close();`;
  for (const type of ['module', 'commonjs']) {
    const run = spawnSync(process.execPath, [`--input-type=${type}`, '-e', type === 'module' ? script : `(async () => {${script}})()`], {
      cwd: app, env: childEnv(), encoding: 'utf8', timeout: 30_000,
    });
    t.equal(run.status, 0, `startSyncmock from ${type}`, run);
    const out = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}');
    t.equal(out.status, 200, `${type}: the seed credentials work`);
    t.equal(out.db, ':memory:', `${type}: in memory by default`);
    t.equal(out.tokenUrl, `${out.url}/oauth/token`);
  }
});

t.test('the package types compile in a strict TypeScript project', async (t) => {
  t.ok(tarball, 'packed');
  const app = path.join(work, 'app');
  fs.writeFileSync(path.join(app, 'consumer.ts'), [
    "import { startSyncmock, type Syncmock } from 'syncmock';",
    'export async function use(): Promise<string> {',
    "  const s: Syncmock = await startSyncmock({ auth: 'strict', cors: { origins: ['http://localhost:3000'] } });",
    '  const { baseUrl, apiKey, appKey } = s.datadog;',
    '  const { tokenUrl, clientId, clientSecret } = s.sailpoint;',
    '  s.reset();',
    '  await s.close();',
    '  return [baseUrl, apiKey, appKey, tokenUrl, clientId, clientSecret].join();',
    '}',
    '',
  ].join('\n'));
  // lib/tsc.js, not the extensionless bin/tsc: tap's process-info hook, which follows this child, loads an
  // extensionless file as CommonJS, and TypeScript 7's bin is an ES module.
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'lib', 'tsc.js');
  // Node's own types come from this repo (every TypeScript user has them); the package's other types must
  // resolve from what `npm install syncmock` put in the consumer's node_modules.
  const run = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', 'false', '--target', 'es2022',
    '--module', 'node16', '--moduleResolution', 'node16', '--types', 'node', '--typeRoots', path.join(repoRoot, 'node_modules', '@types'),
    'consumer.ts'], { cwd: app, env: childEnv(), encoding: 'utf8' });
  t.equal(run.status, 0, 'tsc accepts it', { stdout: run.stdout, stderr: run.stderr });
});
