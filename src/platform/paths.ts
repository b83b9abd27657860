import fs from 'node:fs';
import path from 'node:path';

// The package root holds schemas/ and data/. Sources run from src/ (tests) and from dist/src/ (built),
// so walk up to package.json rather than counting directories.
function findPackageRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const packageRoot = findPackageRoot(__dirname);
