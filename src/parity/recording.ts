// Recordings: the vendor's side of every exchange, scrubbed, one file per step, and their replay against
// syncmock. A recorded body keeps its structure, types, numbers and booleans, the error texts (normalised)
// and the strings a replay needs (enums, the attribute mapping); ids, timestamps and tracking ids become
// their kind (`<uuid>`), every other string `[scrubbed]`. Requests are stored as templates, so credentials
// and account values are placeholders.
import fs from 'node:fs';
import path from 'node:path';
import type { DatadogRevision } from '../datadog/revision';
import { readJsonFile } from '../platform/json-scan';
import { validator } from '../platform/validators';
import { version } from '../version';
import { kindOf, normaliseText } from './compare';
import { PROFILES, type VendorProfile } from './profiles';
import { runSteps, type RunResult, type StepResult } from './runner';
import type { StepFactory } from './scenario';
import type { Scrubber } from './scrub';
import { Vars, type Answer, type RequestTemplate, type Step, type VendorName } from './step';
import { TransportError, type Target } from './targets';

const FORMAT = 'syncmock-parity-recording/1';
const META_FILE = 'recording.json';

export interface RecordingMeta {
  format: typeof FORMAT;
  recorded_at: string;
  syncmock_version: string;
  vendors: Partial<Record<VendorName, string>>;
  replay: { datadog_revision?: DatadogRevision };
  note?: string;
}

export interface RecordedExchange {
  step: string;
  vendor: VendorName;
  title: string;
  write: boolean;
  request: RequestTemplate;
  capture?: Record<string, string>;
  secret_capture?: string[];
  mirror?: Step['mirror'];
  response: { status: number; headers: Record<string, string>; json?: unknown; text?: string };
}

export class RecordingError extends Error {}

/** A vendor host as recorded: a SailPoint tenant's name is account data, so `acme.api…` becomes `*.api…`. */
export function recordedHost(vendor: VendorName, baseUrl: string): string {
  const { host, hostname } = new URL(baseUrl);
  const named = !/^[\d.]+$|^\[/.test(hostname) && hostname.split('.').length >= 3;
  return vendor === 'sailpoint' && named ? host.replace(/^[^.]+/, '*') : host;
}

function recordedBody(value: unknown, at: string, profile: VendorProfile, vars: Vars, scrub: Scrubber): unknown {
  if (typeof value === 'string') {
    if (profile.errorTexts.includes(at)) return normaliseText(value, vars, scrub);
    const kind = kindOf(value);
    if (kind) return `<${kind}>`;
    return profile.keep.includes(at) ? scrub.text(value) : '[scrubbed]';
  }
  if (Array.isArray(value)) return value.map((item) => recordedBody(item, `${at}[]`, profile, vars, scrub));
  if (value !== null && typeof value === 'object') {
    if (profile.opaque.includes(at)) return {};
    return Object.fromEntries(Object.entries(value).map(([key, item]) =>
      [key, recordedBody(item, at === '' ? key : `${at}.${key}`, profile, vars, scrub)]));
  }
  return value;
}

/** Writes a recording as the run goes, so an interrupted run still leaves the exchanges it made. */
export class Recorder {
  private count = 0;

  constructor(private readonly dir: string, private readonly vendorVars: Vars, private readonly scrub: Scrubber) {}

  /** Refuses a folder that already holds files, so two runs never mix. */
  start(meta: Omit<RecordingMeta, 'format' | 'recorded_at' | 'syncmock_version'>): void {
    if (fs.existsSync(this.dir) && fs.readdirSync(this.dir).length > 0) {
      throw new RecordingError(`--record ${this.dir}: the folder is not empty; give a new or empty one`);
    }
    fs.mkdirSync(this.dir, { recursive: true });
    const full: RecordingMeta = { format: FORMAT, recorded_at: new Date().toISOString(), syncmock_version: version, ...meta };
    this.write(META_FILE, full);
  }

  record(step: Step, answer: Answer): void {
    this.count += 1;
    const profile = PROFILES[step.vendor];
    const headers: Record<string, string> = {};
    for (const name of ['content-type', ...profile.presenceHeaders.map((h) => h.toLowerCase())]) {
      const value = answer.headers[name];
      if (value !== undefined) headers[name] = kindOf(value) ? `<${kindOf(value)}>` : this.scrub.text(value);
    }
    const response: RecordedExchange['response'] = answer.json !== undefined
      ? { status: answer.status, headers, json: recordedBody(answer.json, '', profile, this.vendorVars, this.scrub) }
      : { status: answer.status, headers, ...(answer.text !== '' && { text: normaliseText(answer.text.slice(0, 2000), this.vendorVars, this.scrub) }) };
    const exchange: RecordedExchange = {
      step: step.id, vendor: step.vendor, title: step.title, write: step.write, request: step.request,
      ...(step.capture && { capture: step.capture }),
      ...(step.secretCapture && { secret_capture: step.secretCapture }),
      ...(step.mirror && { mirror: step.mirror }),
      response,
    };
    this.write(`${String(this.count).padStart(3, '0')}-${step.id}.json`, exchange);
  }

  private write(file: string, doc: object): void {
    fs.writeFileSync(path.join(this.dir, file), `${JSON.stringify(this.scrub.deep(doc), null, 2)}\n`);
  }
}

export interface Recording {
  dir: string;
  meta: RecordingMeta;
  exchanges: RecordedExchange[];
}

const checkMeta = validator('parity/recording.json');
const checkExchange = validator('parity/exchange.json');

function readJson(file: string): unknown {
  try {
    return readJsonFile(file);
  } catch (err) {
    throw new RecordingError(`${file}: ${(err as Error).message}`);
  }
}

/** Reads and checks a recording folder: recording.json and NNN-<step>.json files, nothing else. */
export function readRecording(dir: string): Recording {
  if (!fs.existsSync(path.join(dir, META_FILE))) throw new RecordingError(`${dir}: no ${META_FILE}, so this is not a recording`);
  const meta = readJson(path.join(dir, META_FILE));
  if (!checkMeta(meta)) throw new RecordingError(`${path.join(dir, META_FILE)}: ${checkMeta.errors?.[0]?.instancePath || '/'} ${checkMeta.errors?.[0]?.message}`);
  const exchanges: RecordedExchange[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f !== META_FILE).sort()) {
    const where = path.join(dir, file);
    if (!/^\d{3}-[a-z0-9.-]+\.json$/.test(file)) throw new RecordingError(`${where}: not a recording file (NNN-<step>.json)`);
    const exchange = readJson(where);
    if (!checkExchange(exchange)) throw new RecordingError(`${where}: ${checkExchange.errors?.[0]?.instancePath || '/'} ${checkExchange.errors?.[0]?.message}`);
    exchanges.push(exchange as RecordedExchange);
  }
  if (exchanges.length === 0) throw new RecordingError(`${dir}: the recording holds no exchange`);
  return { dir, meta: meta as RecordingMeta, exchanges };
}

/** The vendor side of a replay: every answer is the recorded one. */
class RecordedTarget implements Target {
  readonly side = 'vendor' as const;
  readonly recorded = true;
  readonly vars = new Vars();
  private readonly answers: Map<string, Answer>;

  constructor(exchanges: RecordedExchange[]) {
    this.answers = new Map(exchanges.map(({ step, response }) => [step, {
      status: response.status, headers: response.headers, json: response.json,
      text: response.json !== undefined ? JSON.stringify(response.json) : response.text ?? '',
    }]));
  }

  placeholders(): Set<string> {
    return new Set();
  }

  async send(step: Step): Promise<Answer> {
    const answer = this.answers.get(step.id);
    if (!answer) throw new TransportError(`${step.id} is not in the recording`);
    return answer;
  }

  async mirror(): Promise<void> {
    throw new Error('a recording cannot be given state');
  }
}

/** The recorded requests, in order, as steps. */
function stepsOf(recording: Recording): StepFactory[] {
  return recording.exchanges.map((e) => () => ({
    id: e.step, vendor: e.vendor, title: e.title, write: e.write, request: e.request,
    capture: e.capture, secretCapture: e.secret_capture, mirror: e.mirror,
  }));
}

/** Sends every recorded request to syncmock and compares its answers with the recorded ones. */
export function replay(recording: Recording, syncmock: Target, scrub: Scrubber, signal: AbortSignal,
  onStep?: (result: StepResult) => void | Promise<void>): Promise<RunResult> {
  return runSteps({ steps: stepsOf(recording), vendor: new RecordedTarget(recording.exchanges), syncmock, allowWrites: true, signal, scrub, onStep });
}
