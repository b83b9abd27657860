#!/usr/bin/env node
// Command line: flags and environment to config, start, shut down cleanly on SIGTERM/SIGINT.
// Exit codes: 0 clean stop, 1 runtime failure, 2 bad flag, value or start-up condition.
// Errors are one line on stderr saying what and where; the stack only at --log-level debug or trace.
import './refuse-unsupported-node';
import closeWithGrace from 'close-with-grace';
import { ConfigError, configFromCommandLine, helpText, type SyncmockConfig } from './config';
import { GRACE_MS } from './platform/connections';
import { SeedDataError } from './platform/seed-data';
import { startServer, type RunningServer } from './server';
import { StoreError } from './store/db';
import { VENDORS } from './vendors';
import { version } from './version';

const MCP_USAGE = 'Also: syncmock mcp [--url URL] [--admin-token TOKEN]   an MCP server on stdio for a running syncmock (see syncmock mcp --help)\n';

async function main(): Promise<void> {
  // Subcommands of their own (src/parity/, src/mcp/), loaded only when asked for: the server's start-up does
  // not pay for them.
  if (process.argv[2] === 'parity') return (await import('./parity/command')).parityMain(process.argv.slice(3));
  if (process.argv[2] === 'mcp') return (await import('./mcp/server')).runMcp(process.argv.slice(3), process.env);
  let parsed;
  try {
    parsed = configFromCommandLine(process.argv.slice(2), process.env);
  } catch (err) {
    return fail(2, `syncmock: ${(err as Error).message} (see syncmock --help)`);
  }
  if (parsed.help) return void process.stdout.write(`${helpText()}\n${MCP_USAGE}`);
  if (parsed.version) return void process.stdout.write(`${version}\n`);
  const { config } = parsed;
  let server: RunningServer;
  try {
    server = await startServer(config, VENDORS);
  } catch (err) {
    if (config.logLevel === 'debug' || config.logLevel === 'trace') process.stderr.write(`${(err as Error).stack}\n`);
    return startFailure(err as NodeJS.ErrnoException, config);
  }
  process.stdout.write(`${startLine(server)}\n`);
  // app.close() ends within GRACE_MS whatever the clients do (platform/connections.ts); the delay is a
  // backstop for a close that hangs anyway, well inside the 10 s `docker stop` gives.
  closeWithGrace({ delay: GRACE_MS + 1500 }, async ({ err, signal }) => {
    if (err) server.app.log.error({ err }, 'shutting down after an error');
    else server.app.log.info({ signal }, 'shutting down');
    await server.app.close();
  });
}

/**
 * One line a person or a script can read the URLs from: each vendor's base URL (and token URL), the docs, the dashboard. It
 * starts `syncmock listening on ` in every version, so log-based wait strategies (testcontainers'
 * Wait.forLogMessage) can match it; the version comes last.
 */
function startLine(server: RunningServer): string {
  const vendors = Object.entries(server.connections).map(([name, c]) => `${name} ${c.baseUrl}${c.tokenUrl ? ` (token ${c.tokenUrl})` : ''}`);
  return [`syncmock listening on ${server.url}`, ...vendors, `docs ${server.url}/docs`, `dashboard ${server.url}/__admin/ui`, `version ${version}`].join(' · ');
}

function startFailure(e: NodeJS.ErrnoException, config: SyncmockConfig): void {
  const where = `${config.host}:${config.port} (--host/HOST, --port/PORT)`;
  if (e.code === 'EADDRINUSE') return fail(2, `syncmock: cannot listen on ${where}: the address is already in use`);
  if (e.code === 'EACCES') return fail(2, `syncmock: cannot listen on ${where}: permission denied`);
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') return fail(2, `syncmock: cannot listen on ${where}: no such local address`);
  if (e instanceof StoreError) return fail(2, `syncmock: ${e.message} (--db/SYNCMOCK_DB)`);
  if (e instanceof SeedDataError) return fail(2, `syncmock: ${e.message} (--seed-data/SYNCMOCK_SEED_DATA)`);
  if (e instanceof ConfigError) return fail(2, `syncmock: ${e.message}`);
  return fail(1, `syncmock: failed to start: ${e.message}`);
}

function fail(code: number, message: string): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = code;
}

void main();
