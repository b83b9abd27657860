// Preloaded (node -r) into the built CLI by test/cli/node-support.test.ts: this process says it is the Node
// named in PRETEND_NODE_VERSION, and when it exits it names every module of syncmock's own (dist/) and of its
// dependencies that loaded, other than the version check's.
'use strict';
const path = require('node:path');

Object.defineProperty(process.versions, 'node', { value: process.env.PRETEND_NODE_VERSION });
const root = path.resolve(__dirname, '..', '..');
const dependencies = Object.keys(require(path.join(root, 'package.json')).dependencies).filter((name) => name !== 'semver');
const check = ['cli', 'refuse-unsupported-node', 'node-support', 'version', 'platform/paths'].map((name) => path.join(root, 'dist', 'src', `${name}.js`));
process.on('exit', () => {
  const loaded = Object.keys(require.cache).filter((file) =>
    (file.startsWith(path.join(root, 'dist')) && !check.includes(file))
    || dependencies.some((name) => file.startsWith(path.join(root, 'node_modules', name, path.sep))));
  if (loaded.length > 0) process.stderr.write(`also loaded: ${loaded.join(' ')}\n`);
});
