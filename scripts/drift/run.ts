// npm run drift [-- --datadog <version or tag>] [--sailpoint <version or tag>] [--keep]
//
// Fetches the newest published versions of both official clients from the npm registry (`npm pack`, then
// unpacked into a temporary node_modules: the drift check reads their files and loads only model modules,
// which need none of the clients' dependencies, and a full `npm install` of both takes about 45 s here),
// prints in Markdown what changed since the versions this repository pins and how syncmock compares with
// the newest, and exits 1 on any change, 0 when nothing changed (2 when the check itself could not run).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { contractChanges, type ClientContract } from './contract';
import { DATADOG_CLIENT, readDatadogClient } from './datadog-client';
import { driftMarkdown } from './report';
import { SAILPOINT_CLIENT, readSailpointClient } from './sailpoint-client';
import { DELIBERATE_FILE, compareWithSyncmock, readDeliberate, servedBySyncmock, verdict } from './syncmock';

const CLIENTS = [
  { name: DATADOG_CLIENT, flag: 'datadog', read: readDatadogClient },
  { name: SAILPOINT_CLIENT, flag: 'sailpoint', read: readSailpointClient },
] as const;

/** npm itself, the one that runs this script when it is run by `npm run`. */
function npm(args: string[], cwd: string): string {
  const cli = process.env.npm_execpath;
  // npm pack --json lists every file of the tarball: 24,000 of them for Datadog's client (3 MB).
  const options = { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 } as const;
  const r = cli && /\.c?js$/.test(cli)
    ? spawnSync(process.execPath, [cli, ...args], options)
    : spawnSync('npm', args, { ...options, shell: process.platform === 'win32' });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed: ${r.stderr || r.error}`);
  return r.stdout;
}

/** The packages at these specs, from the registry, unpacked into dir/node_modules/<name>. */
function fetchClients(specs: string[], dir: string): Map<string, string> {
  const packed = JSON.parse(npm(['pack', ...specs, '--json', '--pack-destination', dir], dir)) as Array<{ name: string; filename: string }>;
  const roots = new Map<string, string>();
  for (const { name, filename } of packed) {
    const root = path.join(dir, 'node_modules', name);
    fs.mkdirSync(root, { recursive: true });
    const tar = spawnSync('tar', ['-xzf', path.join(dir, filename), '-C', root, '--strip-components=1'], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`unpacking ${filename} failed: ${tar.stderr || tar.error}`);
    roots.set(name, root);
  }
  return roots;
}

async function main(): Promise<number> {
  const started = Date.now();
  const { values } = parseArgs({ options: { datadog: { type: 'string', default: 'latest' }, sailpoint: { type: 'string', default: 'latest' }, keep: { type: 'boolean', default: false } } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-drift-'));
  try {
    console.error(`fetching ${CLIENTS.map((c) => `${c.name}@${values[c.flag]}`).join(' and ')} into ${dir}`);
    const roots = fetchClients(CLIENTS.map((c) => `${c.name}@${values[c.flag]}`), dir);
    const newest: Record<string, ClientContract> = {};
    const clients = CLIENTS.map((c) => {
      const root = roots.get(c.name);
      if (!root) throw new Error(`npm pack did not fetch ${c.name}`);
      const pinned = c.read(path.dirname(require.resolve(`${c.name}/package.json`))).contract;
      newest[c.flag] = c.read(root).contract;
      return { pinned, newest: newest[c.flag], changes: contractChanges(pinned, newest[c.flag]) };
    });
    console.error('starting syncmock to read what it serves');
    const served = await servedBySyncmock();
    const deliberate = readDeliberate();
    const differences = compareWithSyncmock({ datadog: newest.datadog, sailpoint: newest.sailpoint }, served, deliberate);
    process.stdout.write(driftMarkdown(clients, verdict(differences, served, deliberate), path.relative(process.cwd(), DELIBERATE_FILE)));
    console.error(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return clients.some((c) => c.changes.length > 0) ? 1 : 0;
  } finally {
    if (values.keep) console.error(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  console.error(`drift: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
});
