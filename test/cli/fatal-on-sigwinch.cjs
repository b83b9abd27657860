// Preloaded into the CLI by test/cli/log-flush.test.ts (NODE_OPTIONS=--require): SIGWINCH, which nothing
// in syncmock listens for, makes the process throw an error nobody catches, as a bug would.
process.on('SIGWINCH', () => setImmediate(() => {
  throw new Error('a fatal error for the test');
}));
