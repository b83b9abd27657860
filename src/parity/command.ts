// `syncmock parity`: sets up the two sides, runs the scenario (or replays a recording), prints the table,
// writes the reports and the recording, and turns the outcome into an exit code.
import { randomBytes } from 'node:crypto';
import { defaultConfig } from '../config';
import { datadog as datadogContract } from '../datadog';
import { REVISION_HEADER, type DatadogRevision } from '../datadog/revision';
import { startSyncmock } from '../index';
import { loadSeedData } from '../platform/seed-data';
import { sailpoint as sailpointContract } from '../sailpoint';
import { VENDORS as REGISTRY } from '../vendors';
import { CREDENTIAL_ENV, ParityUsageError, parityHelp, parityOptions, type ParityOptions } from './options';
import { Recorder, RecordingError, readRecording, recordedHost, replay } from './recording';
import { passed, summarise, table, writeReports, type ReportContext } from './report';
import { runSteps, type RunResult, type StepResult } from './runner';
import { NAME_PREFIX, runConstants, scenario, syncmockStandIns, type StepFactory } from './scenario';
import { Scrubber } from './scrub';
import { PARITY_VENDORS, Vars, fill, type VendorName } from './step';
import { LiveTarget } from './targets';

export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  onStep?: (result: StepResult) => void | Promise<void>;
}

interface SyncmockSide {
  target: LiveTarget;
  where: string;
  revision?: DatadogRevision;
  close(): Promise<void>;
}

async function defaultRevisionOf(url: string, timeoutMs: number): Promise<DatadogRevision | undefined> {
  try {
    const res = await fetch(`${url}/__admin/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return ((await res.json()) as { datadog?: { default_revision?: DatadogRevision } }).datadog?.default_revision;
  } catch {
    return undefined;
  }
}

interface SeedCredentials {
  apiKey?: string;
  appKey?: string;
  clientId?: string;
  clientSecret?: string;
}

/** The credentials startSyncmock() would hand out for the default seed data, without starting a server. */
function seedCredentials(): SeedCredentials {
  const seed = loadSeedData(defaultConfig().seedData, REGISTRY);
  const dd = datadogContract.connection(seed[datadogContract.name], '');
  const sp = sailpointContract.connection(seed[sailpointContract.name], '');
  return { apiKey: dd.apiKey, appKey: dd.appKey, clientId: sp.clientId, clientSecret: sp.clientSecret };
}

/**
 * syncmock's side: a running server (with the default seed data's credentials, which any syncmock started
 * without --seed-data accepts in both auth modes) or one started in-process for this run.
 */
async function syncmockSide(options: ParityOptions, values: Record<string, string | undefined>): Promise<SyncmockSide> {
  const side = async (url: string, credentials: SeedCredentials, revision: DatadogRevision | undefined,
    close: () => Promise<void>, where: string, revisionHeader: boolean): Promise<SyncmockSide> => ({
    target: new LiveTarget({
      side: 'syncmock',
      baseUrls: { datadog: url, sailpoint: url },
      vars: new Vars(values, {
        dd_api_key: credentials.apiKey, dd_app_key: credentials.appKey,
        sail_client_id: credentials.clientId, sail_client_secret: credentials.clientSecret, admin_token: options.adminToken,
      }),
      headers: revisionHeader && revision ? { datadog: { [REVISION_HEADER]: revision } } : undefined,
      admin: { url, token: options.adminToken },
      timeoutMs: options.timeoutMs,
    }),
    where, revision, close,
  });
  if (options.syncmockUrl !== undefined) {
    const url = options.syncmockUrl;
    const revision = options.datadogRevision ?? await defaultRevisionOf(url, options.timeoutMs);
    return side(url, seedCredentials(), revision, async () => undefined, url,
      options.datadogRevision !== undefined);
  }
  const server = await startSyncmock({ logLevel: 'silent', ...(options.datadogRevision && { datadog: { revision: options.datadogRevision } }) });
  const credentials = {
    apiKey: server.datadog.apiKey, appKey: server.datadog.appKey, clientId: server.sailpoint.clientId, clientSecret: server.sailpoint.clientSecret,
  };
  return side(server.url, credentials, server.config.datadog.revision, () => server.close(), `in-process ${server.url}`, false);
}

/** One line per step on stderr as it completes (the table comes at the end, on stdout); results are scrubbed already. */
function progress(io: CommandIo): (result: StepResult) => Promise<void> {
  return async (result) => {
    const sides = `${result.vendorSide?.status ?? '-'}/${result.syncmockSide?.status ?? '-'}`;
    io.stderr(`  ${result.id} ${sides} ${result.verdict}${result.verdict === 'error' ? `: ${result.reason}` : ''}\n`);
    await io.onStep?.(result);
  };
}

function finish(run: RunResult, options: ParityOptions, context: ReportContext, io: CommandIo, scrub: Scrubber): number {
  io.stdout(table(run, scrub));
  if (options.reportDir !== undefined) io.stdout(`reports: ${writeReports(options.reportDir, run, context, scrub).join(', ')}\n`);
  const summary = summarise(run);
  if (summary.interrupted) return 130;
  return passed(summary) ? 0 : 1;
}

/** What --plan prints: every request the vendor would get, credentials redacted, in order. */
function planText(steps: StepFactory[], vendor: LiveTarget, options: ParityOptions): string {
  const vars = vendor.vars.redacted();
  const lines = ['syncmock parity --plan: nothing is sent. Each request below goes to the vendor, then the same to syncmock.', ''];
  for (const factory of steps) {
    const step = factory({});
    const skip = step.unavailable ?? (step.write && !options.allowWrites ? 'a write: sent only with --allow-writes' : undefined);
    lines.push(`${step.id}  ${step.title}${step.write ? ' [write]' : ''}${skip ? ` (skipped: ${skip})` : ''}`);
    const { url, init } = vendor.prepare(step.vendor, step.request, vars);
    lines.push(`  ${step.request.method} ${decodeURI(url)}`);
    for (const [name, value] of Object.entries(init.headers)) if (name !== 'accept') lines.push(`  ${name}: ${value}`);
    const { json, form } = step.request;
    if (json !== undefined) lines.push(`  body: ${JSON.stringify(fill(json, vars))}`);
    else if (form !== undefined) lines.push(`  body: ${Object.entries(fill(form, vars)).map(([k, v]) => `${k}=${v}`).join('&')}`);
    else if (step.note) lines.push(`  body: ${step.note}`);
  }
  return `${lines.join('\n')}\n`;
}

async function liveCommand(options: ParityOptions, io: CommandIo): Promise<number> {
  const constants = runConstants();
  const vendors = PARITY_VENDORS.filter((v) => options[v] !== undefined);
  const { datadog, sailpoint } = options;
  const auth = datadog?.auth;
  const vendor = new LiveTarget({
    side: 'vendor',
    baseUrls: { datadog: datadog?.baseUrl, sailpoint: sailpoint?.baseUrl },
    vars: new Vars({ ...constants, sailpoint_source_id: sailpoint?.sourceId, okta_domain: datadog?.okta?.domain }, {
      dd_api_key: auth && 'apiKey' in auth ? auth.apiKey : undefined,
      dd_app_key: auth && 'appKey' in auth ? auth.appKey : undefined,
      dd_bearer_token: auth && 'bearerToken' in auth ? auth.bearerToken : undefined,
      sail_client_id: sailpoint?.clientId, sail_client_secret: sailpoint?.clientSecret, okta_api_token: datadog?.okta?.apiToken,
    }),
    timeoutMs: options.timeoutMs,
  });
  const steps = scenario({ vendors, oktaGiven: datadog?.okta !== undefined });
  if (options.plan) {
    io.stdout(new Scrubber([vendor.vars]).text(planText(steps, vendor, options)));
    return 0;
  }
  const syncmock = await syncmockSide(options, { ...constants, ...syncmockStandIns(), sailpoint_source_id: sailpoint?.sourceId });
  const scrub = new Scrubber([vendor.vars, syncmock.target.vars]);
  try {
    const hosts = Object.fromEntries(vendors.map((v) => [v, recordedHost(v, vendor.baseUrl(v))])) as Partial<Record<VendorName, string>>;
    let recorder: Recorder | undefined;
    if (options.recordDir !== undefined) {
      recorder = new Recorder(options.recordDir, vendor.vars, scrub);
      recorder.start({ vendors: hosts, replay: datadog && syncmock.revision ? { datadog_revision: syncmock.revision } : {} });
    }
    io.stdout(`syncmock parity: run ${constants.run} (anything it creates is named ${NAME_PREFIX}${constants.run}…), ` +
      `vendor ${vendors.map((v) => `${v} ${hosts[v]}`).join(', ')}, syncmock ${syncmock.where}` +
      `${syncmock.revision ? ` (Datadog revision ${syncmock.revision})` : ''}\n`);
    const startedAt = new Date();
    const run = await runSteps({
      steps, vendor, syncmock: syncmock.target, allowWrites: options.allowWrites, signal: io.signal, scrub,
      onExchange: recorder && ((step, answer) => recorder.record(step, answer)), onStep: progress(io),
    });
    if (options.recordDir !== undefined) io.stdout(`recording: ${options.recordDir}\n`);
    return finish(run, options, { mode: 'live', startedAt, vendor: hosts, syncmock: syncmock.where }, io, scrub);
  } finally {
    await syncmock.close();
  }
}

export interface ReplayOptions {
  /** A running syncmock; without it one is started in-process with the recording's configuration. */
  syncmockUrl?: string;
  adminToken?: string;
  /** Overrides the recording's Datadog revision. */
  datadogRevision?: DatadogRevision;
  timeoutMs?: number;
  signal?: AbortSignal;
  onStep?: (result: StepResult) => void | Promise<void>;
}

/** Replays a recording against syncmock: every recorded exchange must get the same status, shape and text. */
export async function replayRecording(dir: string, options: ReplayOptions = {}): Promise<{ run: RunResult; scrub: Scrubber; where: string }> {
  const recording = readRecording(dir);
  const parity: ParityOptions = {
    plan: false, allowWrites: true, syncmockUrl: options.syncmockUrl, adminToken: options.adminToken, timeoutMs: options.timeoutMs ?? 30_000,
    datadogRevision: options.datadogRevision ?? recording.meta.replay.datadog_revision,
  };
  const syncmock = await syncmockSide(parity, {
    ...runConstants(), ...syncmockStandIns(), sailpoint_source_id: randomBytes(16).toString('hex'),
  });
  try {
    const scrub = new Scrubber([syncmock.target.vars]);
    const run = await replay(recording, syncmock.target, scrub, options.signal ?? new AbortController().signal, options.onStep);
    return { run, scrub, where: syncmock.where };
  } finally {
    await syncmock.close();
  }
}

async function replayCommand(options: ParityOptions, io: CommandIo): Promise<number> {
  const startedAt = new Date();
  const dir = options.replayDir as string;
  const { run, scrub, where } = await replayRecording(dir, {
    ...options, signal: io.signal, onStep: progress(io),
  });
  return finish(run, options, { mode: 'replay', startedAt, vendor: { recording: dir }, syncmock: where }, io, scrub);
}

/** Runs the command; resolves with the exit code. */
export async function parityCommand(argv: string[], env: NodeJS.ProcessEnv, io: CommandIo): Promise<number> {
  let options: ParityOptions | 'help';
  try {
    options = parityOptions(argv, env);
  } catch (err) {
    if (!(err instanceof ParityUsageError)) throw err;
    io.stderr(`syncmock parity: ${err.message} (see syncmock parity --help)\n`);
    return 2;
  }
  if (options === 'help') {
    io.stdout(parityHelp());
    return 0;
  }
  try {
    return options.replayDir !== undefined ? await replayCommand(options, io) : await liveCommand(options, io);
  } catch (err) {
    if (err instanceof RecordingError) {
      io.stderr(`syncmock parity: ${err.message}\n`);
      return 2;
    }
    // Unexpected (a report folder that cannot be written, a syncmock that cannot start): the message only.
    const scrub = new Scrubber([new Vars({}, Object.fromEntries(CREDENTIAL_ENV.map((name) => [name, env[name]])))]);
    io.stderr(`syncmock parity: failed: ${scrub.text((err as Error).message)}\n`);
    return 1;
  }
}

/** The command line: Ctrl-C (or SIGTERM) once stops sending and cleans up; twice stops at once. */
export async function parityMain(argv: string[]): Promise<void> {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (!controller.signal.aborted) {
      process.stderr.write('syncmock parity: interrupted; sending nothing more and taking back what this run changed (again to stop now)\n');
      controller.abort();
      return;
    }
    process.stderr.write(`syncmock parity: stopped before the cleanup finished; look for resources named ${NAME_PREFIX}… on the vendor\n`);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    process.exitCode = await parityCommand(argv, process.env, {
      stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text), signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
