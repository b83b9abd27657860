#!/usr/bin/env node
// Command line: flags and environment to config, start, shut down cleanly on SIGTERM/SIGINT.
// Exit codes: 0 clean stop, 1 runtime failure, 2 bad flag, value or start-up condition.
import closeWithGrace from 'close-with-grace';
import { ConfigError, configFromCommandLine, helpText } from './config';
import { startSyncmock } from './index';
import { SeedDataError } from './platform/seed-data';
import { StoreError } from './store/db';
import { version } from './version';

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = configFromCommandLine(process.argv.slice(2), process.env);
  } catch (err) {
    return fail(2, `syncmock: ${(err as Error).message} (see syncmock --help)`);
  }
  if (parsed.help) return void process.stdout.write(helpText());
  if (parsed.version) return void process.stdout.write(`${version}\n`);
  const { config } = parsed;
  let server;
  try {
    server = await startSyncmock(config);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (config.logLevel === 'debug' || config.logLevel === 'trace') process.stderr.write(`${e.stack}\n`);
    if (e.code === 'EADDRINUSE') return fail(2, `syncmock: cannot listen on ${config.host}:${config.port}: the address is already in use`);
    if (e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') return fail(2, `syncmock: cannot listen on ${config.host}:${config.port}: ${e.code}`);
    if (e instanceof StoreError || e instanceof SeedDataError || e instanceof ConfigError) return fail(2, `syncmock: ${e.message}`);
    return fail(1, `syncmock: failed to start: ${e.message}`);
  }
  const { url } = server;
  process.stdout.write(
    `syncmock ${version} listening: datadog ${url}/api/v2/security_monitoring/configuration/integration_config · ` +
      `sailpoint ${url} · admin ${url}/__admin/health\n`,
  );
  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) server.app.log.error({ err }, 'shutting down after an error');
    else server.app.log.info({ signal }, 'shutting down');
    await server.close();
  });
}

function fail(code: number, message: string): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = code;
}

void main();
