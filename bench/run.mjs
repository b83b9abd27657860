// npm run bench: syncmock as users run it (the built CLI, a file database, info logging to a file), driven
// by autocannon on 127.0.0.1 one scenario at a time after a warm-up, next to a ceiling (bench/ceiling.mjs)
// under the same load. Prints a table and writes bench/results.json. Figures depend on the machine; the
// ratios to the ceiling much less so. Timings are never asserted by the tests.
//
// Environment: BENCH_DURATION (s per scenario, 10), BENCH_WARMUP (s, 3), BENCH_CONNECTIONS (10),
// BENCH_ORGS (orgs GET and PATCH rotate over while the build has no PUT /__admin/rate-limits, 400),
// BENCH_COLD_STARTS (10), BENCH_ONLY (run only the scenarios
// whose name contains it), BENCH_PROFILE=1 (the server writes a CPU profile to bench/profiles/ and its top
// frames are printed).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(root, 'dist', 'src', 'cli.js');
const PREFIX = '/api/v2/security_monitoring/configuration/integration_config';
const SP_SOURCE = '2c9180835d191a86015d28455b4b232a';
const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const DURATION = env('BENCH_DURATION', 10);
const WARMUP = env('BENCH_WARMUP', 3);
const CONNECTIONS = env('BENCH_CONNECTIONS', 10);
const ORGS = env('BENCH_ORGS', 400);
// Create+delete pairs rotate over orgs of their own: they need no set-up and spend the write budget fastest.
const PAIR_ORGS = 1000;
const COLD_STARTS = env('BENCH_COLD_STARTS', 10);
const PROFILE = process.env.BENCH_PROFILE === '1';
const ONLY = process.env.BENCH_ONLY;
// Linux reports CPU time in clock ticks of 1/100 s on every common platform (getconf CLK_TCK).
const CLOCK_TICKS = 100;
const TARGETS = { getRatio: 0.6, patchRatio: 0.35, coldStartMs: 400, rssMb: 120 };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-bench-'));
const children = new Set();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); fs.rmSync(tmp, { recursive: true, force: true }); });

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

/** One request on a fresh connection: the status, or 0 when nothing listens yet. */
function probe(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', () => resolve(0));
  });
}

/** Polls until the URL answers 200 (syncmock's /__admin/health, or the ceiling's GET route). */
async function untilAnswers(url, child, pollMs = 2) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if ((await probe(url)) === 200) return;
    await sleep(pollMs);
  }
}

function spawnNode(args, logFile) {
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  const child = spawn(process.execPath, args, { stdio: ['ignore', out, out] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function startSyncmock(port, db, logFile, extra = []) {
  const profile = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.join(root, 'bench', 'profiles')}`] : [];
  return spawnNode([...profile, CLI, '--port', String(port), '--db', db, '--log-level', process.env.BENCH_LOG_LEVEL ?? 'info', ...extra], logFile);
}

/** Process spawn to the first 200 from /__admin/health, on a fresh database each time. */
async function coldStarts() {
  const times = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const port = await freePort();
    const began = performance.now();
    const child = startSyncmock(port, path.join(tmp, `cold-${i}.db`), null);
    await untilAnswers(`http://127.0.0.1:${port}/__admin/health`, child);
    times.push(performance.now() - began);
    await stop(child);
  }
  return times;
}

/** CPU seconds the process has used (user + system), from /proc; NaN elsewhere. */
function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

function memory(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: NaN, peakMb: NaN }; // not Linux
  }
}

async function json(url, method = 'GET', headers = {}, body) {
  const res = await fetch(url, { method, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
}

/** Runs tasks with at most `width` in flight. */
async function pool(tasks, width = 32) {
  const results = [];
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < tasks.length) { const i = next++; results[i] = await tasks[i](); }
  }));
  return results;
}

const keysOf = (org) => ({ 'dd-api-key': `bench-api-key-${org}`, 'dd-application-key': 'bench-app-key' });
const createBody = (name) => ({ data: { type: 'integration_config', attributes: {
  domain: 'bench.example.com', integration_type: 'GOOGLE_WORKSPACE', name, secrets: { admin_email: 'bench@example.com' }, settings: { region: 'eu' },
} } });
const patchBody = (name) => JSON.stringify({ data: { type: 'integration_config', attributes: { name } } });

/**
 * Each org gets one config for GET and PATCH, and the list orgs 100 each. Requests rotate over the orgs, so
 * no org comes near Datadog's default per-org rate limits (the control API raises them too, when present).
 */
async function seedDatadog(url, listOrgs) {
  const one = await pool(Array.from({ length: ORGS }, (_, org) => () => json(`${url}${PREFIX}`, 'POST', keysOf(org), createBody(`bench-${org}`))));
  const bad = one.find((r) => r.status !== 200);
  if (bad) throw new Error(`seeding failed: ${bad.status} ${bad.text}`);
  await pool(Array.from({ length: listOrgs * 100 }, (_, i) => () => json(`${url}${PREFIX}`, 'POST', keysOf(`list-${i % listOrgs}`), createBody(`list-${i}`))));
  return { ids: one.map((r) => r.json.data.id), getBody: (await json(`${url}${PREFIX}/${one[0].json.data.id}`, 'GET', keysOf(0))).text };
}

async function raiseRateLimits(url) {
  const huge = { limit: 1_000_000, period_seconds: 1 }; // the control API's largest limit, per second
  const res = await json(`${url}/__admin/rate-limits`, 'PUT', {}, {
    datadog: { integration_config_read: huge, integration_config_write: huge, integration_config_validate: huge },
  });
  return res.status === 200;
}

async function sailpointToken(url) {
  const res = await fetch(`${url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=syncmock-org-admin&client_secret=syncmock-org-admin-secret' });
  if (res.status === 404) return undefined;
  const body = await res.json();
  if (res.status !== 200) throw new Error(`token request answered ${res.status}: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** A round-robin over `size` orgs, shared by every connection. (autocannon applies setupRequest only inside `requests`.) */
function rotation(size = ORGS) {
  let n = 0;
  return () => n++ % size;
}

async function cannon(url, opts, seconds) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, ...opts });
  return result;
}

/** Warm-up (discarded), then the measured run. */
/**
 * Warm-up (discarded), then the measured run. Besides throughput, the server's CPU time per request: on a
 * machine shared with other work it moves much less than req/s does.
 */
async function measure(name, url, opts, pid) {
  await cannon(url, opts(), WARMUP);
  const cpuBefore = cpuSeconds(pid);
  const r = await cannon(url, opts(), DURATION);
  const row = {
    scenario: name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    cpuUsPerRequest: ((cpuSeconds(pid) - cpuBefore) * 1e6) / r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
  process.stderr.write(`  ${name}: ${Math.round(row.rps)} req/s${row.non2xx || row.errors ? ` (${row.non2xx} non-2xx, ${row.errors} errors!)` : ''}\n`);
  return row;
}

function scenarios(ids, listOrgs, spToken, spConfig) {
  const list = [];
  list.push(['Datadog GET by id', () => {
    const next = rotation();
    return { requests: [{ setupRequest: (req) => { const org = next(); return { ...req, path: `${PREFIX}/${ids[org]}`, headers: keysOf(org) }; } }] };
  }]);
  list.push(['Datadog PATCH (two names in turn)', () => {
    const next = rotation();
    let flip = 0;
    return { requests: [{ setupRequest: (req) => {
      const org = next();
      return { ...req, method: 'PATCH', path: `${PREFIX}/${ids[org]}`, headers: { ...keysOf(org), 'content-type': 'application/json' }, body: patchBody(flip++ % 2 ? 'bench-a' : 'bench-b') };
    } }] };
  }]);
  list.push(['Datadog create + delete (pairs)', () => {
    const next = rotation(PAIR_ORGS);
    const body = JSON.stringify(createBody('bench-pair'));
    return { requests: [
      { method: 'POST', setupRequest: (req, context) => { context.org = `pair-${next()}`; return { ...req, method: 'POST', path: PREFIX, headers: { ...keysOf(context.org), 'content-type': 'application/json' }, body }; },
        onResponse: (status, text, context) => { context.id = status === 200 ? JSON.parse(text).data.id : 'missing'; } },
      { method: 'DELETE', setupRequest: (req, context) => ({ ...req, method: 'DELETE', path: `${PREFIX}/${context.id}`, headers: keysOf(context.org), body: undefined }) },
    ] };
  }]);
  list.push(['Datadog list of 100', () => {
    const next = rotation(listOrgs);
    return { requests: [{ setupRequest: (req) => ({ ...req, path: PREFIX, headers: keysOf(`list-${next()}`) }) }] };
  }]);
  if (spToken) {
    const path = `/beta/sources/${SP_SOURCE}/attribute-sync-config`;
    const headers = { authorization: `Bearer ${spToken}`, 'x-sailpoint-experimental': 'true' };
    const bodies = [false, true].map((enabled) => {
      const b = structuredClone(spConfig);
      b.attributes[0].enabled = enabled;
      return JSON.stringify(b);
    });
    list.push(['SailPoint GET attribute-sync-config', () => ({ requests: [{ method: 'GET', path, headers }] })]);
    list.push(['SailPoint PUT toggling one attribute', () => {
      let flip = 0;
      return { requests: [{ setupRequest: (req) => ({ ...req, method: 'PUT', path, headers: { ...headers, 'content-type': 'application/json' }, body: bodies[flip++ % 2] }) }] };
    }]);
  }
  return list;
}

/** Where a V8 .cpuprofile's busy time went: the functions with the most self time, and per package. */
function topFrames(file, count = 20) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length) / 1000;
  const frames = new Map();
  const packages = new Map();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    if (f.functionName === '(idle)' || !node.hitCount) continue;
    const where = f.url.replace(/^.*node_modules\//, '').replace(`file://${root}/`, '').replace(root + '/', '');
    const key = `${f.functionName || '(anonymous)'} ${where}${where ? `:${f.lineNumber + 1}` : ''}`;
    const pkg = where === '' ? '(native, gc, program)' : where.startsWith('node:') ? 'node core' : where.startsWith('dist/') ? 'syncmock' : where.split('/').slice(0, where.startsWith('@') ? 2 : 1).join('/');
    frames.set(key, (frames.get(key) ?? 0) + node.hitCount * interval);
    packages.set(pkg, (packages.get(pkg) ?? 0) + node.hitCount * interval);
  }
  const busy = [...frames.values()].reduce((a, b) => a + b, 0);
  const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, ms]) => ({ name, ms: Math.round(ms), share: +(ms / busy).toFixed(3) }));
  return { busyMs: Math.round(busy), frames: top(frames, count), packages: top(packages, 12) };
}

async function main() {
  if (!fs.existsSync(CLI)) throw new Error('dist/src/cli.js is missing: run `npm run bench` (it builds first)');
  const started = new Date().toISOString();
  process.stderr.write(`syncmock bench: ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}\n`);

  process.stderr.write(`cold start x${COLD_STARTS}…\n`);
  const cold = await coldStarts();

  const port = await freePort();
  const logFile = path.join(tmp, 'syncmock.log');
  const server = startSyncmock(port, path.join(tmp, 'bench.db'), logFile, ['--sailpoint-rate-limit', '1000000', '--sailpoint-token-ttl', '86400']);
  const url = `http://127.0.0.1:${port}`;
  await untilAnswers(`${url}/__admin/health`, server, 20);
  const raised = await raiseRateLimits(url);
  // Without the control API, lists (the read budget: 1,000 a minute per org) need many orgs to rotate over.
  const listOrgs = raised ? 4 : 100;
  process.stderr.write(`seeding ${ORGS} orgs and ${listOrgs} lists of 100…\n`);
  const { ids, getBody } = await seedDatadog(url, listOrgs);
  const spToken = await sailpointToken(url);
  const spConfig = spToken ? (await json(`${url}/beta/sources/${SP_SOURCE}/attribute-sync-config`, 'GET', { authorization: `Bearer ${spToken}`, 'x-sailpoint-experimental': 'true' })).json : undefined;

  // The ceiling answers the GET scenario with syncmock's own GET body, before and after syncmock's runs.
  const bodyFile = path.join(tmp, 'get-body.json');
  fs.writeFileSync(bodyFile, getBody);
  const ceilingRun = async () => {
    const cport = await freePort();
    const child = spawnNode([path.join(root, 'bench', 'ceiling.mjs'), String(cport), bodyFile], null);
    await untilAnswers(`http://127.0.0.1:${cport}${PREFIX}/${ids[0]}`, child, 20);
    const row = await measure('ceiling: minimal Fastify, constant body', `http://127.0.0.1:${cport}`, scenarios(ids, listOrgs)[0][1], child.pid);
    await stop(child);
    return row;
  };
  process.stderr.write('ceiling…\n');
  const ceilingBefore = await ceilingRun();
  const rows = [];
  for (const [name, opts] of scenarios(ids, listOrgs, spToken, spConfig).filter(([name]) => !ONLY || name.includes(ONLY))) {
    process.stderr.write(`${name}…\n`);
    rows.push(await measure(name, url, opts, server.pid));
  }
  const { peakMb } = memory(server.pid);
  const ceilingAfter = await ceilingRun();
  await stop(server);

  const ceiling = (ceilingBefore.rps + ceilingAfter.rps) / 2;
  const ceilingCpu = (ceilingBefore.cpuUsPerRequest + ceilingAfter.cpuUsPerRequest) / 2;
  for (const row of rows) {
    row.ratio = row.rps / ceiling;
    row.cpuRatio = ceilingCpu / row.cpuUsPerRequest;
  }
  const get = rows.find((r) => r.scenario.startsWith('Datadog GET'));
  const patch = rows.find((r) => r.scenario.startsWith('Datadog PATCH'));
  const coldMedian = median(cold);
  const checks = [
    ...(get ? [[`Datadog GET ≥ ${TARGETS.getRatio}× ceiling`, get.ratio >= TARGETS.getRatio, `${get.ratio.toFixed(2)}×`]] : []),
    ...(patch ? [[`Datadog PATCH ≥ ${TARGETS.patchRatio}× ceiling`, patch.ratio >= TARGETS.patchRatio, `${patch.ratio.toFixed(2)}×`]] : []),
    [`cold start ≤ ${TARGETS.coldStartMs} ms (median of ${cold.length})`, coldMedian <= TARGETS.coldStartMs, `${Math.round(coldMedian)} ms`],
    [`peak RSS ≤ ${TARGETS.rssMb} MB`, peakMb <= TARGETS.rssMb, `${peakMb.toFixed(1)} MB`],
  ];

  const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');
  const lines = [
    '',
    `| scenario | req/s | p50 ms | p99 ms | non-2xx | ratio to ceiling | server CPU µs/req | CPU ratio |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|`,
    `| ceiling (before / after) | ${fmt(ceilingBefore.rps)} / ${fmt(ceilingAfter.rps)} | ${fmt(ceilingBefore.p50)} | ${fmt(ceilingBefore.p99)} | ${ceilingBefore.non2xx + ceilingAfter.non2xx} | 1.00 | ${fmt(ceilingBefore.cpuUsPerRequest)} / ${fmt(ceilingAfter.cpuUsPerRequest)} | 1.00 |`,
    ...rows.map((r) => `| ${r.scenario} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.non2xx + r.errors} | ${fmt(r.ratio, 2)} | ${fmt(r.cpuUsPerRequest)} | ${fmt(r.cpuRatio, 2)} |`),
    '',
    `cold start (spawn to first 200 from /__admin/health): median ${fmt(coldMedian)} ms of ${cold.map((c) => fmt(c)).join(', ')}`,
    `peak RSS of the server during the run: ${fmt(peakMb, 1)} MB`,
    `${spToken ? '' : 'SailPoint scenarios skipped: POST /oauth/token answers 404 in this build. '}${raised ? 'Rate limits raised through PUT /__admin/rate-limits.' : `No PUT /__admin/rate-limits in this build: the load rotates over ${ORGS} orgs (GET, PATCH), ${PAIR_ORGS} (pairs) and ${listOrgs} (lists) to stay under Datadog's per-org limits.`}`,
    '',
    ...checks.map(([what, ok, value]) => `${ok ? 'met   ' : 'MISSED'}  ${what}: ${value}`),
    `(${CONNECTIONS} connections, ${WARMUP} s warm-up, ${DURATION} s per scenario; ${os.cpus().length} CPUs shared with the load generator.`,
    ' "CPU ratio" is the ceiling\'s CPU time per request over the scenario\'s: a second view of the same ratio that a busy machine disturbs less.)',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let profile;
  if (PROFILE) {
    const dir = path.join(root, 'bench', 'profiles');
    const newest = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
    profile = { file: path.relative(root, newest), ...topFrames(newest) };
    const show = (rows) => rows.map((f) => `  ${String(f.ms).padStart(6)} ms ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}`).join('\n');
    process.stdout.write(`\nserver CPU profile ${profile.file}: ${profile.busyMs} ms busy (seeding and warm-ups included)\n` +
      `by package:\n${show(profile.packages)}\ntop functions by self time:\n${show(profile.frames)}\n`);
  }

  const results = {
    started, node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model,
    loadAverageAtStart: os.loadavg(), settings: { DURATION, WARMUP, CONNECTIONS, ORGS, PAIR_ORGS, listOrgs },
    ceiling: { before: ceilingBefore, after: ceilingAfter, rps: ceiling, cpuUsPerRequest: ceilingCpu }, scenarios: rows,
    coldStartMs: { median: coldMedian, all: cold }, peakRssMb: peakMb, rateLimitsRaised: raised, sailpoint: Boolean(spToken),
    targets: Object.fromEntries(checks.map(([what, ok, value]) => [what, { met: ok, value }])), profile,
  };
  fs.writeFileSync(path.join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write('written to bench/results.json\n');
}

if (process.argv[2] === '--top') {
  // node bench/run.mjs --top <file.cpuprofile>: the summary alone, for a profile taken earlier.
  process.stdout.write(`${JSON.stringify(topFrames(process.argv[3]), null, 2)}\n`);
} else {
  main().catch((err) => { process.stderr.write(`bench failed: ${err.stack}\n`); process.exitCode = 1; });
}
