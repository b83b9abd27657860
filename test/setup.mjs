// Every test process's setup (.taprc: node-arg --import), before the test file loads.
//
// 1. TypeScript: every .ts file outside node_modules is compiled to CommonJS by swc in the test's own thread,
// as tsc compiles src/ for dist/ (types erased, imports as require, constructor parameter properties), with
// an inline source map so stacks name the .ts lines; a relative import without an extension finds its .ts
// file. Why not tap's own TypeScript plugin: it runs ts-node, which loads the TypeScript compiler and hands
// every file to a loader thread, about 1.1 s of CPU for every test file before its first line runs (3/4 of a
// trivial test's cost). Why not Node's own type stripping: src/ and test/ are CommonJS with extensionless
// imports and parameter properties, which it does not rewrite, and it strips slower than swc compiles
// (CONTRIBUTING: A fast loop).
//
// 2. The processes a test starts (the CLI, npm): tap's process-info hook follows each one and records every
// module it loads, for coverage and `tap --changed`, neither used here: about 0.5 s of CPU per CLI started.
// It copies its settings from this process's environment, and a pattern that matches every file records
// none. (tap sets the test process's own before this file runs.)
import fs from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { transformSync } from '@swc/core';

process.env._TAPJS_PROCESSINFO_EXCLUDE_ = '/./';

const relative = /^\.\.?\//;

module.registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (err) {
      if (!relative.test(specifier) || !String(err?.code).endsWith('MODULE_NOT_FOUND')) throw err;
      for (const candidate of [`${specifier}.ts`, `${specifier}/index.ts`]) {
        try {
          return nextResolve(candidate, context);
        } catch {
          // the next candidate, then the original error
        }
      }
      throw err;
    }
  },
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) return nextLoad(url, context);
    const filename = fileURLToPath(url);
    const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
      filename,
      swcrc: false,
      configFile: false,
      sourceMaps: 'inline',
      module: { type: 'commonjs' },
      jsc: { target: 'es2022', parser: { syntax: 'typescript' }, keepClassNames: true },
    });
    return { format: 'commonjs', source: code, shortCircuit: true };
  },
});
