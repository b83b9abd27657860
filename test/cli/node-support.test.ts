// An unsupported Node is refused with one line naming the supported lines (package.json engines), before
// any module that may need a newer Node is loaded; startSyncmock() refuses it the same way.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { startSyncmock } from '../../src/index';
import { unsupportedNode } from '../../src/node-support';
import { builtCli, childEnv, repoRoot } from '../spawn';

const engines = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;

t.test('the supported lines are the maintained ones: 22, 24 and 26', async (t) => {
  for (const version of ['22.15.0', '22.23.5', '24.0.0', '24.22.3', '26.0.0', '26.12.1', process.versions.node]) {
    t.equal(unsupportedNode(version), undefined, `${version} is supported`);
  }
  for (const version of ['18.20.8', '20.19.2', '20.20.2', '21.7.3', '22.14.0', '23.11.1', '25.9.0']) {
    t.equal(
      unsupportedNode(version),
      `Node.js ${version} is not supported; use Node.js 22 (22.15 or later), 24, or 26 or later (package.json engines: ${engines})`,
      `${version} is refused, naming the lines`,
    );
  }
});

t.test('the built CLI on an old Node: one line, exit 2, nothing else loaded', async (t) => {
  const r = spawnSync(process.execPath, ['-r', path.join(__dirname, 'pretend-node-version.cjs'), builtCli, '--port', '0', '--db', ':memory:'], {
    env: childEnv({ PRETEND_NODE_VERSION: '20.19.2' }),
    encoding: 'utf8',
    timeout: 30_000,
  });
  t.equal(r.status, 2, 'exit code 2', r);
  t.equal(r.stdout, '', 'nothing on stdout: it did not start');
  t.equal(r.stderr, `syncmock: ${unsupportedNode('20.19.2')}\n`, 'exactly the one line, and no other module loaded');
});

t.test('startSyncmock() on an old Node rejects with the same line', async (t) => {
  const real = process.versions.node;
  Object.defineProperty(process.versions, 'node', { value: '20.19.2' });
  t.teardown(() => Object.defineProperty(process.versions, 'node', { value: real }));
  await t.rejects(startSyncmock({ port: 0 }), { message: unsupportedNode('20.19.2') });
});
