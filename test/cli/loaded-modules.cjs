// Preloaded into the CLI by test/cli/lazy-loading.test.ts (node --require): when the process exits, writes
// the files it loaded (require's cache) and whether Node's own fetch (undici) was loaded, to the file
// SYNCMOCK_TEST_LOADED names.
const fs = require('node:fs');

process.on('exit', () => {
  fs.writeFileSync(process.env.SYNCMOCK_TEST_LOADED, JSON.stringify({
    files: Object.keys(require.cache),
    undici: process.moduleLoadList.some((name) => name.includes('undici')),
  }));
});
