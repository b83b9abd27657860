// TypeScript for the repo's .ts files that are not built into dist/ (tests, scripts/drift, bench/reset.ts):
// `node --import ./scripts/register-ts.mjs file.ts`. Every .ts file outside node_modules is compiled to
// CommonJS by swc in the process that loads it, as tsc compiles src/ for dist/ (types erased, imports as
// require, constructor parameter properties), with an inline source map so stacks name the .ts lines. CommonJS's own loader runs them (a `.ts` extension of
// require, which also finds a relative import without an extension), the entry file included: a load hook
// sends it there. (A hook that hands Node the compiled source instead makes Node 22 load every require of
// that file through its ES module loader, which fails on some packages.)
// Why not tap's own TypeScript plugin: it runs ts-node, which loads the TypeScript compiler and hands every
// file to a loader thread, about 1.1 s of CPU for every test file before its first line runs (3/4 of a
// trivial test's cost). Why not Node's own type stripping: src/ and test/ are CommonJS with extensionless
// imports and parameter properties, which it does not rewrite, and it strips slower than swc compiles.
import fs from 'node:fs';
import module from 'node:module';
import { transformSync } from '@swc/core';

const require = module.createRequire(import.meta.url);
const Module = require('node:module');

Module._extensions['.ts'] = (mod, filename) => {
  if (filename.includes('/node_modules/')) return Module._extensions['.js'](mod, filename);
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    swcrc: false,
    configFile: false,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: { target: 'es2022', parser: { syntax: 'typescript' }, keepClassNames: true },
  });
  mod._compile(code, filename);
};

// The test file, which Node would otherwise strip of types itself: CommonJS, with no source, is CommonJS's
// own loader.
module.registerHooks({
  load(url, context, nextLoad) {
    if (url.startsWith('file:') && url.endsWith('.ts') && !url.includes('/node_modules/')) return { format: 'commonjs', shortCircuit: true };
    return nextLoad(url, context);
  },
});
