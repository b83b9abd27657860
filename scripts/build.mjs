// npm run build: TypeScript types and ajv's standalone validators from schemas/ (schema-types.mjs,
// schema-validators.mjs), then tsc to dist/. A successful build leaves dist/.built, dated when the build
// began, so `--if-stale` (npm start) builds only when a source, schema, script or tsconfig was changed since:
// a start on a built tree is a start (well under 2 s), not a build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generatedDir, root } from './schema-files.mjs';

const stamp = path.join(root, 'dist', '.built');
const inputs = ['src', 'schemas', 'scripts', 'tsconfig.json'];

/** The newest modification time under the inputs, the generated files (the build's own output) aside. */
function newestInput() {
  let newest = 0;
  const visit = (file) => {
    if (file === generatedDir) return;
    const stat = fs.statSync(file);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(file)) visit(path.join(file, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of inputs) visit(path.join(root, input));
  return newest;
}

const built = () => {
  try {
    return fs.statSync(stamp).mtimeMs;
  } catch {
    return -Infinity;
  }
};

if (process.argv.includes('--if-stale') && newestInput() <= built()) process.exit(0);

const began = new Date();
fs.rmSync(stamp, { force: true });
for (const step of [['scripts/schema-types.mjs'], ['scripts/schema-validators.mjs'], ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']]) {
  const { status } = spawnSync(process.execPath, step, { cwd: root, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
fs.writeFileSync(stamp, '');
fs.utimesSync(stamp, began, began);
