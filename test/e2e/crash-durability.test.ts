// A 2xx means committed. The built CLI on a file database takes concurrent Datadog creates and PATCHes and
// is SIGKILLed at random moments (seeded); after each restart on the same file every acknowledged write is
// there with its last acknowledged value, and the database passes PRAGMA integrity_check.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { PREFIX } from '../datadog/dd';
import { listening, runCli, type CliRun } from './cli';
import { seededRandom, testSeed } from './random';

const SEED = testSeed(6021);
const KILLS = 6;
const WORKERS = 6;

/** A config some worker created, and the name its writes gave it (name and settings.n change together). */
interface Tracked {
  worker: number;
  acked: string;
  /** Sent but never answered (the process died first): it may or may not have been committed. */
  inFlight?: string;
}

const headers = (worker: number) => ({
  'DD-API-KEY': `crash-org-${worker}`, 'DD-APPLICATION-KEY': 'crash-app-key', 'content-type': 'application/json',
});
const attributes = (name: string) => ({ name, settings: { n: name } });

t.test(`every acknowledged write survives SIGKILL (seed ${SEED}; SYNCMOCK_TEST_SEED replays another)`, async (t) => {
  const random = seededRandom(SEED);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-crash-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = path.join(dir, 'crash.db');
  const tracked = new Map<string, Tracked>();
  const problems: string[] = [];
  let sequence = 0;
  let acknowledged = 0;
  let running: CliRun | undefined;
  t.teardown(() => { running?.child.kill('SIGKILL'); });

  const start = async (): Promise<string> => {
    running = runCli(['--port', '0', '--db', db, '--log-level', 'warn']);
    return listening(running);
  };

  /** Reads every org's configs back and checks them against what was acknowledged. */
  const verify = async (url: string, label: string) => {
    for (let w = 0; w < WORKERS; w++) {
      const res = await fetch(`${url}${PREFIX}`, { headers: headers(w) });
      if (res.status !== 200) { problems.push(`${label}: list for worker ${w} answered ${res.status}`); continue; }
      const stored = new Map<string, { name: string; settings: { n: string } }>();
      for (const c of (await res.json()).data) stored.set(c.id, c.attributes);
      for (const [id, c] of tracked) {
        if (c.worker !== w) continue;
        const row = stored.get(id);
        if (!row) { problems.push(`${label}: acknowledged config ${id} (${c.acked}) is missing`); continue; }
        if (row.settings?.n !== row.name) problems.push(`${label}: ${id} has name ${row.name} but settings from ${row.settings?.n}: a torn write`);
        if (row.name !== c.acked && row.name !== c.inFlight) {
          problems.push(`${label}: ${id} reads ${row.name}; last acknowledged ${c.acked}, unanswered ${c.inFlight ?? 'none'}`);
        }
        c.acked = row.name;
        c.inFlight = undefined;
      }
    }
    const raw = new Database(db, { readonly: true });
    const integrity = raw.pragma('integrity_check', { simple: true });
    raw.close();
    if (integrity !== 'ok') problems.push(`${label}: integrity_check says ${String(integrity)}`);
  };

  /** One worker's writes, one at a time (so a config has at most one write in flight), until the process dies. */
  const work = async (url: string, worker: number, onAck: () => void) => {
    for (;;) {
      const name = `w${worker}-${++sequence}`;
      const own = [...tracked].filter(([, c]) => c.worker === worker);
      const create = own.length < 2 || random.next() < 0.3;
      const [id, target] = create ? [undefined, undefined] : own[random.int(0, own.length - 1)];
      let status: number;
      let body: any;
      try {
        if (target) target.inFlight = name;
        const res = create
          ? await fetch(`${url}${PREFIX}`, { method: 'POST', headers: headers(worker), body: JSON.stringify({
            data: { type: 'integration_config', attributes: { ...attributes(name), domain: 'crash.example', integration_type: 'OKTA', secrets: { t: name } } },
          }) })
          : await fetch(`${url}${PREFIX}/${id}`, { method: 'PATCH', headers: headers(worker), body: JSON.stringify({
            data: { type: 'integration_config', attributes: attributes(name) },
          }) });
        status = res.status;
        body = await res.json();
      } catch {
        return; // the process died before answering: not acknowledged
      }
      if (status !== 200) { problems.push(`${create ? 'create' : 'PATCH'} answered ${status}: ${JSON.stringify(body)}`); return; }
      if (target) {
        target.acked = name;
        target.inFlight = undefined;
      } else {
        tracked.set(body.data.id, { worker, acked: name });
      }
      acknowledged++;
      onAck();
    }
  };

  for (let round = 0; round <= KILLS; round++) {
    const url = await start();
    if (round > 0) await verify(url, `after kill ${round}`);
    if (round === KILLS) break;
    const proc = running as CliRun;
    // Kill after a random number of acknowledgements, a random few milliseconds later, with writes in flight.
    const killAfter = random.int(10, 90);
    const delay = random.int(0, 4);
    let acks = 0;
    const kill = () => { if (proc.child.exitCode === null) proc.child.kill('SIGKILL'); };
    const onAck = () => { if (++acks === killAfter) setTimeout(kill, delay); };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => work(url, w, onAck)));
    kill(); // in case every worker stopped first
    t.equal(await proc.exit, null, `kill ${round + 1} after ${killAfter} acknowledgements: ended by the signal`);
  }

  const last = running as CliRun;
  last.child.kill('SIGTERM');
  t.equal(await last.exit, 0, 'a clean stop at the end');
  const raw = new Database(db);
  t.equal(raw.pragma('integrity_check', { simple: true }), 'ok', 'integrity_check after the clean stop');
  raw.close();
  t.same(problems, [], 'every acknowledged write was there, with its last acknowledged value, after every kill');
  t.ok(acknowledged >= KILLS * 10, `${acknowledged} writes were acknowledged across ${KILLS} kills (${tracked.size} configs)`);
});
