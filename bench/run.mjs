// npm run bench: syncmock as users run it, next to a ceiling (bench/ceiling.mjs: plain Fastify answering the
// same requests with the same bytes) in the same run, and a scale scenario of many suites sharing one server.
// Timings are never asserted by the tests; the figure that matters is each scenario's ratio to the ceiling,
// which a busy machine moves much less than it moves req/s.
//
// syncmock runs with its defaults: the built CLI, a file database, info logging (to a file here), the request
// journal, open auth, CORS, the fault engine; only the rate limits are raised through the control API so they
// do not answer 429. Servers are pinned to CPU 0 and this process (the load) to CPU 1 when taskset exists.
//
// Environment (bench/README.md has more): BENCH_DURATION (s per measured run, 8), BENCH_WARMUP (s, 3),
// BENCH_CONNECTIONS (50), BENCH_PASSES (3: each scenario is measured this many times on both servers back to
// back, alternating which goes first; the ratio is the median of the passes' ratios), BENCH_COLD_STARTS (10),
// BENCH_SCALE_SUITES (100), BENCH_SCALE_SAILPOINT (20), BENCH_SCALE_SECONDS (20), BENCH_ONLY (the scenarios
// whose name contains it: "scale", "cold start" too), BENCH_CLI (another build's dist/src/cli.js, to compare
// two builds under the same conditions), BENCH_SERVER_ARGS (more syncmock flags, e.g. "--log-level warn", to
// see what a feature costs; the figures are then not the defaults'), BENCH_PROFILE=1 (a CPU profile of
// syncmock per scenario and of one cold start, under bench/profiles/, their top frames printed; throughput
// is lower while profiling).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { worstBodies, worstBodiesTable } from './worst-bodies.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = process.env.BENCH_CLI ? path.resolve(process.env.BENCH_CLI) : path.join(root, 'dist', 'src', 'cli.js');
const CEILING = path.join(root, 'bench', 'ceiling.mjs');
const PROFILER = path.join(root, 'bench', 'profiler.cjs');
const PROFILE_DIR = path.join(root, 'bench', 'profiles');
const DD = '/api/v2/security_monitoring/configuration/integration_config';
const SP_SOURCE = '2c9180835d191a86015d28455b4b232a';
const SP = `/beta/sources/${SP_SOURCE}/attribute-sync-config`;
const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const DURATION = num('BENCH_DURATION', 8);
const WARMUP = num('BENCH_WARMUP', 3);
const CONNECTIONS = num('BENCH_CONNECTIONS', 50);
const PASSES = num('BENCH_PASSES', 3);
const COLD_STARTS = num('BENCH_COLD_STARTS', 10);
const SCALE_SUITES = num('BENCH_SCALE_SUITES', 100);
const SCALE_SAILPOINT = num('BENCH_SCALE_SAILPOINT', 20);
const SCALE_SECONDS = num('BENCH_SCALE_SECONDS', 20);
const ONLY = process.env.BENCH_ONLY?.toLowerCase();
const PROFILE = process.env.BENCH_PROFILE === '1';
const SERVER_ARGS = (process.env.BENCH_SERVER_ARGS ?? '').split(/\s+/).filter(Boolean);
// Linux reports CPU time in clock ticks of 1/100 s on every common platform (getconf CLK_TCK).
const CLOCK_TICKS = 100;
const TARGETS = { get: 0.6, patch: 0.4, list: 0.3, sailpointGet: 0.5, coldStart: 1.25, rss: 1.5, scaleP99Ms: 20 };
// At or above this share of its one core, the load generator may be what limits a server's req/s.
const LOADGEN_SATURATED = 0.9;
// Any admin token: passing one keeps the bench working whether or not a build requires it by default.
const ADMIN_TOKEN = 'bench-admin-token';
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

const wanted = (name) => !ONLY || name.toLowerCase().includes(ONLY);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-bench-'));
const children = new Set();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); fs.rmSync(tmp, { recursive: true, force: true }); });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

// ---- CPUs: servers on CPU 0, the load on CPU 1 -------------------------------------------------------------

const PINNED = os.cpus().length >= 2 && (() => {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function spawnServer(args, { logFile, env } = {}) {
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  const [cmd, argv] = PINNED ? ['taskset', ['-c', '0', process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd, argv, { stdio: ['ignore', out, out], env: { ...process.env, ...env } });
  if (logFile) fs.closeSync(out);
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

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

/** Until `url` answers 200 (or, with `anyStatus`, answers at all: the ceiling has no GET for a write scenario's URL). */
async function untilAnswers(url, child, pollMs = 2, anyStatus = false) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const status = await probe(url);
    if (status === 200 || (anyStatus && status !== 0)) return;
    await sleep(pollMs);
  }
}

function syncmockArgs(port, db, extraNode = []) {
  return [...extraNode, CLI, '--port', String(port), '--db', db, '--admin-token', ADMIN_TOKEN, ...SERVER_ARGS];
}

/** CPU seconds the process has used in user and in system (kernel) mode, from /proc; NaN elsewhere. */
function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return { user: Number(fields[11]) / CLOCK_TICKS, system: Number(fields[12]) / CLOCK_TICKS };
  } catch {
    return { user: NaN, system: NaN };
  }
}

/** Resident memory now and at its peak, in MB (Linux). */
function memory(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: NaN, peakMb: NaN };
  }
}

async function call(url, method = 'GET', headers = {}, body) {
  const res = await fetch(url, { method, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url} answered ${res.status}: ${text}`);
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
}

// ---- cold start ----------------------------------------------------------------------------------------------

/**
 * Spawn to the first 200, syncmock (/__admin/health, a fresh database each time) and the ceiling in turn, and
 * the CPU time each had used by then (what other processes on the machine disturb least).
 */
async function coldStarts(ceilingRoutes, ceilingProbe) {
  const syncmock = [];
  const ceiling = [];
  const cpuMs = { syncmock: [], ceiling: [] };
  const once = async (args, probePath, who) => {
    const port = await freePort();
    const began = performance.now();
    const child = spawnServer(args(port));
    await untilAnswers(`http://127.0.0.1:${port}${probePath}`, child);
    const ms = performance.now() - began;
    const cpu = cpuSeconds(child.pid);
    cpuMs[who].push((cpu.user + cpu.system) * 1000);
    await stop(child);
    return ms;
  };
  for (let i = 0; i < COLD_STARTS; i++) {
    syncmock.push(await once((port) => syncmockArgs(port, path.join(tmp, `cold-${i}.db`)), '/__admin/health', 'syncmock'));
    ceiling.push(await once((port) => [CEILING, String(port), ceilingRoutes], ceilingProbe, 'ceiling'));
  }
  let profile;
  if (PROFILE) {
    // One more start with V8's profiler from the first line: where start-up time goes.
    const dir = path.join(PROFILE_DIR, `cold-${Date.now()}`);
    await once((port) => syncmockArgs(port, path.join(tmp, 'cold-profiled.db'), ['--cpu-prof', `--cpu-prof-dir=${dir}`]), '/__admin/health');
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    profile = { file: path.relative(root, path.join(dir, file)), ...summarise(path.join(dir, file)) };
  }
  return { syncmock, ceiling, cpuMs, profile };
}

// ---- throughput scenarios ------------------------------------------------------------------------------------

const keys = (name) => ({ 'dd-api-key': `bench-api-key-${name}`, 'dd-application-key': 'bench-app-key' });
const createBody = (name) => ({ data: { type: 'integration_config', attributes: {
  domain: 'bench.example.com', integration_type: 'GOOGLE_WORKSPACE', name, secrets: { admin_email: 'bench@example.com' }, settings: { region: 'eu' },
} } });
const patchBody = (name) => JSON.stringify({ data: { type: 'integration_config', attributes: { name } } });
const json = { 'content-type': 'application/json' };

/** Rate limits of every group of every vendor raised to the control API's largest, per second. */
async function raiseRateLimits(url) {
  const current = (await call(`${url}/__admin/rate-limits`, 'GET', ADMIN)).json;
  const huge = { limit: 1_000_000, period_seconds: 1 };
  const update = Object.fromEntries(Object.entries(current).map(([vendor, groups]) => [vendor, Object.fromEntries(Object.keys(groups).map((g) => [g, huge]))]));
  await call(`${url}/__admin/rate-limits`, 'PUT', ADMIN, update);
}

async function sailpointToken(url, clientId, secret) {
  const res = await fetch(`${url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).toString() });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`token request answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/**
 * The data the scenarios need, made through the API, and each scenario: its autocannon requests and the
 * ceiling's routes (the same method and route shape, answering the bytes syncmock answered).
 */
async function prepare(url) {
  await raiseRateLimits(url);
  const one = (await call(`${url}${DD}`, 'POST', keys('one'), createBody('bench-a'))).json.data.id;
  const getBody = (await call(`${url}${DD}/${one}`, 'GET', keys('one'))).text;
  const patched = (await call(`${url}${DD}/${one}`, 'PATCH', keys('one'), JSON.parse(patchBody('bench-a')))).text;
  const created = (await call(`${url}${DD}`, 'POST', keys('pairs'), createBody('bench-pair'))).text;
  await call(`${url}${DD}/${JSON.parse(created).data.id}`, 'DELETE', keys('pairs'));
  for (let i = 0; i < 100; i++) await call(`${url}${DD}`, 'POST', keys('list'), createBody(`bench-list-${String(i).padStart(3, '0')}`));
  const listBody = (await call(`${url}${DD}`, 'GET', keys('list'))).text;
  const token = (await sailpointToken(url, 'bench-sailpoint', 'bench-secret')).access_token;
  const spHeaders = { authorization: `Bearer ${token}`, 'x-sailpoint-experimental': 'true' };
  const spGetBody = (await call(`${url}${SP}`, 'GET', spHeaders)).text;
  const spBodies = [false, true].map((enabled) => {
    const b = JSON.parse(spGetBody);
    b.attributes[0].enabled = enabled;
    return JSON.stringify(b);
  });
  const spPutBody = (await call(`${url}${SP}`, 'PUT', { ...spHeaders, ...json }, JSON.parse(spBodies[0]))).text;

  const ddId = `${DD}/:integration_config_id`;
  const spRoute = '/beta/sources/:id/attribute-sync-config';
  const scenarios = [
    { name: 'Datadog GET one config', target: TARGETS.get, routes: [{ method: 'GET', url: ddId, status: 200, body: getBody }],
      opts: () => ({ requests: [{ method: 'GET', path: `${DD}/${one}`, headers: keys('one') }] }) },
    { name: 'Datadog PATCH one config', target: TARGETS.patch, routes: [{ method: 'PATCH', url: ddId, status: 200, body: patched }],
      opts: () => ({ requests: ['bench-a', 'bench-b'].map((name) => ({ method: 'PATCH', path: `${DD}/${one}`, headers: { ...keys('one'), ...json }, body: patchBody(name) })) }) },
    { name: 'Datadog create + delete', routes: [{ method: 'POST', url: DD, status: 200, body: created }, { method: 'DELETE', url: ddId, status: 204, body: '' }],
      opts: () => {
        const body = JSON.stringify(createBody('bench-pair'));
        return { requests: [
          { method: 'POST', path: DD, headers: { ...keys('pairs'), ...json }, body,
            onResponse: (status, text, context) => { context.id = status === 200 ? JSON.parse(text).data.id : 'missing'; } },
          { method: 'DELETE', headers: keys('pairs'), setupRequest: (req, context) => ({ ...req, path: `${DD}/${context.id}` }) },
        ] };
      } },
    { name: 'Datadog list of 100', target: TARGETS.list, routes: [{ method: 'GET', url: DD, status: 200, body: listBody }],
      opts: () => ({ requests: [{ method: 'GET', path: DD, headers: keys('list') }] }) },
    { name: 'SailPoint GET', target: TARGETS.sailpointGet, routes: [{ method: 'GET', url: spRoute, status: 200, body: spGetBody }],
      opts: () => ({ requests: [{ method: 'GET', path: SP, headers: spHeaders }] }) },
    { name: 'SailPoint PUT', routes: [{ method: 'PUT', url: spRoute, status: 200, body: spPutBody }],
      opts: () => ({ requests: spBodies.map((body) => ({ method: 'PUT', path: SP, headers: { ...spHeaders, ...json }, body })) }) },
  ];
  return { scenarios: scenarios.filter((s) => wanted(s.name)), sizes: { get: getBody.length, list: listBody.length, sailpoint: spGetBody.length } };
}

async function cannon(url, opts, seconds) {
  return autocannon({ url, connections: CONNECTIONS, duration: seconds, ...opts });
}

/** One measured run (after a warm-up when asked): throughput, latency, and the server's CPU time per request. */
async function measure(url, opts, pid, warmup) {
  if (warmup) await cannon(url, opts(), WARMUP);
  const cpuBefore = cpuSeconds(pid);
  // The load generator is this process: its CPU over the run's wall time (one core's share).
  const loadgenBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const r = await cannon(url, opts(), DURATION);
  const loadgen = process.cpuUsage(loadgenBefore);
  const wallUs = (performance.now() - wallBefore) * 1000;
  const cpuAfter = cpuSeconds(pid);
  const perRequest = (mode) => ((cpuAfter[mode] - cpuBefore[mode]) * 1e6) / r.requests.total;
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    cpuUsPerRequest: perRequest('user') + perRequest('system'),
    systemCpuUsPerRequest: perRequest('system'),
    bad: r.non2xx + r.errors + r.timeouts,
    loadgenCpuShare: (loadgen.user + loadgen.system) / wallUs,
  };
}

/** Profiles one run of syncmock (bench/profiler.cjs, toggled by SIGWINCH). */
async function profiled(server, run) {
  if (!PROFILE) return { row: await run() };
  const before = new Set(fs.readdirSync(PROFILE_DIR));
  server.kill('SIGWINCH');
  const row = await run();
  server.kill('SIGWINCH');
  for (;;) {
    const done = fs.readdirSync(PROFILE_DIR).find((f) => f.endsWith('.done') && !before.has(f));
    if (done) return { row, file: path.join(PROFILE_DIR, done.replace(/\.done$/, '.cpuprofile')) };
    await sleep(50);
  }
}

// ---- scale: many suites, one server ----------------------------------------------------------------------

/** One request on the suite's own keep-alive connection; resolves with the status, body and milliseconds. */
function request(agent, port, method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString(), ms: performance.now() - began }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * SCALE_SUITES suites at once, each with its own Datadog API key (the first SCALE_SAILPOINT also with their
 * own SailPoint client, hence tenant), each looping: reset its org (and tenant), create, get, patch, list,
 * delete (and SailPoint GET, PUT, GET). Every answer is checked against what this suite alone could have
 * caused; anything else is cross-talk.
 */
async function scale(port) {
  const url = `http://127.0.0.1:${port}`;
  const seed = JSON.parse((await call(`${url}${SP}`, 'GET', { authorization: `Bearer ${(await sailpointToken(url, 'bench-scale-probe', 's')).access_token}`, 'x-sailpoint-experimental': 'true' })).text);
  const deadline = performance.now() + SCALE_SECONDS * 1000;
  const suites = await Promise.all(Array.from({ length: SCALE_SUITES }, async (_, i) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const key = `bench-scale-key-${i}`;
    const dd = { 'dd-api-key': key, 'dd-application-key': `bench-scale-app-${i}` };
    const ddJson = { ...dd, ...json };
    const sp = i < SCALE_SAILPOINT ? await sailpointToken(url, `bench-scale-client-${i}`, `secret-${i}`) : undefined;
    const spHeaders = sp && { authorization: `Bearer ${sp.access_token}`, 'x-sailpoint-experimental': 'true' };
    const times = [];
    const problems = { crossTalk: 0, errors: 0, samples: [] };
    const note = (kind, what) => { problems[kind] += 1; if (problems.samples.length < 3) problems.samples.push(`suite ${i}: ${what}`); };
    const go = async (method, p, headers, body, expected) => {
      const r = await request(agent, port, method, p, headers, body);
      times.push(r.ms);
      if (r.status !== expected) note('errors', `${method} ${p.replace(/\?.*/, '')} answered ${r.status}: ${r.text.slice(0, 200)}`);
      return r;
    };
    let loops = 0;
    while (performance.now() < deadline) {
      const mine = `suite-${i}-loop-${loops}`;
      await go('POST', `/__admin/reset?api_key=${encodeURIComponent(key)}`, ADMIN, undefined, 200);
      const created = await go('POST', DD, ddJson, JSON.stringify(createBody(mine)), 200);
      const id = created.status === 200 ? JSON.parse(created.text).data.id : 'missing';
      const got = await go('GET', `${DD}/${id}`, dd, undefined, 200);
      if (got.status === 200 && JSON.parse(got.text).data.attributes.name !== mine) note('crossTalk', `GET saw ${JSON.parse(got.text).data.attributes.name}`);
      const patched = await go('PATCH', `${DD}/${id}`, ddJson, patchBody(`${mine}-patched`), 200);
      if (patched.status === 200 && JSON.parse(patched.text).data.attributes.name !== `${mine}-patched`) note('crossTalk', `PATCH answered ${JSON.parse(patched.text).data.attributes.name}`);
      const listed = await go('GET', DD, dd, undefined, 200);
      if (listed.status === 200) {
        const names = JSON.parse(listed.text).data.map((c) => c.attributes.name);
        if (names.length !== 1 || names[0] !== `${mine}-patched`) note('crossTalk', `list after a reset and one create held ${JSON.stringify(names).slice(0, 200)}`);
      }
      await go('DELETE', `${DD}/${id}`, dd, undefined, 204);
      if (sp) {
        await go('POST', `/__admin/reset?tenant=${sp.tenant_id}`, ADMIN, undefined, 200);
        const before = await go('GET', SP, spHeaders, undefined, 200);
        if (before.status === 200 && before.text !== JSON.stringify(seed)) note('crossTalk', 'SailPoint GET after a reset was not the seed\'s config');
        const mineSp = structuredClone(seed);
        mineSp.attributes[0].enabled = !seed.attributes[0].enabled;
        await go('PUT', SP, { ...spHeaders, ...json }, JSON.stringify(mineSp), 200);
        const after = await go('GET', SP, spHeaders, undefined, 200);
        if (after.status === 200 && JSON.parse(after.text).attributes[0].enabled !== mineSp.attributes[0].enabled) note('crossTalk', 'SailPoint GET after its PUT did not show it');
      }
      loops += 1;
    }
    agent.destroy();
    const sorted = times.sort((a, b) => a - b);
    return { suite: i, sailpoint: Boolean(sp), loops, requests: times.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), ...problems };
  }));
  const p99s = suites.map((s) => s.p99).sort((a, b) => a - b);
  const p50s = suites.map((s) => s.p50).sort((a, b) => a - b);
  const requests = suites.reduce((n, s) => n + s.requests, 0);
  return {
    suites: suites.length, sailpointSuites: suites.filter((s) => s.sailpoint).length, seconds: SCALE_SECONDS, requests, rps: requests / SCALE_SECONDS,
    loops: suites.reduce((n, s) => n + s.loops, 0),
    p50: { median: median(p50s), worst: p50s[p50s.length - 1] }, p99: { median: median(p99s), worst: p99s[p99s.length - 1] },
    crossTalk: suites.reduce((n, s) => n + s.crossTalk, 0), errors: suites.reduce((n, s) => n + s.errors, 0),
    samples: suites.flatMap((s) => s.samples).slice(0, 10), perSuite: suites.map(({ samples, ...s }) => s),
  };
}

// ---- profiles ----------------------------------------------------------------------------------------------

/**
 * Where a V8 .cpuprofile's busy time went: functions by self time; packages (and syncmock's own files) by
 * self time and by inclusive time (a sample counts once for each package on its stack).
 */
function summarise(file, count = 25) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map();
  const deltas = profile.timeDeltas ?? [];
  profile.samples.forEach((id, i) => ms.set(id, (ms.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0) / 1000));
  const where = (f) => f.url.replace(/^.*node_modules\//, '').replace(/^(file:\/\/)?\/.*?\/dist\/src\//, 'dist/src/').replace(`file://${root}/`, '');
  const bucket = (f) => {
    const w = where(f);
    if (w === '') return f.functionName === '(garbage collector)' ? '(gc)' : '(native, program)';
    if (w.startsWith('node:')) return 'node core';
    if (w.startsWith('dist/')) return `syncmock ${w.replace(/^dist\//, '').replace(/\.js$/, '.ts')}`;
    return w.split('/').slice(0, w.startsWith('@') ? 2 : 1).join('/');
  };
  const frames = new Map();
  const self = new Map();
  const inclusive = new Map();
  let busy = 0;
  const add = (map, key, v) => map.set(key, (map.get(key) ?? 0) + v);
  const walk = (node, onStack) => {
    const f = node.callFrame;
    const idle = f.functionName === '(idle)';
    const b = bucket(f);
    const stack = f.functionName === '(root)' ? onStack : new Set(onStack).add(b);
    const t = idle ? 0 : ms.get(node.id) ?? 0;
    if (t > 0) {
      busy += t;
      add(frames, `${f.functionName || '(anonymous)'} ${where(f)}${where(f) ? `:${f.lineNumber + 1}` : ''}`, t);
      add(self, b, t);
      for (const s of stack) add(inclusive, s, t);
    }
    for (const child of node.children ?? []) walk(byId.get(child), stack);
  };
  walk(profile.nodes[0], new Set());
  const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, t]) => ({ name, ms: Math.round(t), share: +(t / busy).toFixed(3) }));
  return { busyMs: Math.round(busy), frames: top(frames, count), self: top(self, 15), inclusive: top(inclusive, 25) };
}

function showProfile(title, p) {
  const list = (rows) => rows.map((f) => `    ${String(f.ms).padStart(6)} ms ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}`).join('\n');
  return `\n${title} (${p.file}): ${p.busyMs} ms busy\n  top functions by self time:\n${list(p.frames)}\n` +
    `  self time by package / syncmock file:\n${list(p.self)}\n  inclusive time (on the stack) by package / syncmock file:\n${list(p.inclusive)}\n`;
}

// ---- main --------------------------------------------------------------------------------------------------

async function main() {
  if (!fs.existsSync(CLI)) throw new Error('dist/src/cli.js is missing: run `npm run bench` (it builds first)');
  if (PROFILE) fs.mkdirSync(PROFILE_DIR, { recursive: true });
  const started = new Date().toISOString();
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const loadAtStart = os.loadavg();
  process.stderr.write(`syncmock bench: ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), load average ${load()}, node ${process.version}, ` +
    `${PINNED ? 'servers on CPU 0, load on CPU 1' : 'not pinned (no taskset or one CPU)'}\n`);

  // The server the throughput scenarios and the scale scenario share.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawnServer(syncmockArgs(port, path.join(tmp, 'bench.db'), PROFILE ? ['-r', PROFILER] : []), {
    logFile: path.join(tmp, 'syncmock.log'), env: { BENCH_PROFILE_DIR: PROFILE_DIR },
  });
  await untilAnswers(`${url}/__admin/health`, server, 20);
  const { scenarios, sizes } = await prepare(url);
  const routesFile = path.join(tmp, 'ceiling-routes.json');
  const allRoutes = scenarios.flatMap((s) => s.routes);
  fs.writeFileSync(routesFile, JSON.stringify(allRoutes.length > 0 ? allRoutes : [{ method: 'GET', url: '/', status: 200, body: '{}' }]));

  let cold;
  if (wanted('cold start')) {
    process.stderr.write(`cold start ×${COLD_STARTS} each…\n`);
    const probePath = allRoutes[0]?.method === 'GET' ? allRoutes[0].url.replace(':integration_config_id', 'x').replace(':id', 'x') : '/';
    cold = await coldStarts(routesFile, probePath);
  }

  const cport = await freePort();
  const ceilingUrl = `http://127.0.0.1:${cport}`;
  const ceiling = spawnServer([CEILING, String(cport), routesFile]);
  await untilAnswers(`${ceilingUrl}${scenarios[0] ? scenarios[0].routes[0].url.replace(/:\w+/g, 'x') : '/'}`, ceiling, 20, true);

  const rows = [];
  for (const s of scenarios) {
    const row = { scenario: s.name, target: s.target, syncmock: [], ceiling: [] };
    for (let pass = 0; pass < PASSES; pass++) {
      const order = pass % 2 === 0 ? ['ceiling', 'syncmock'] : ['syncmock', 'ceiling'];
      for (const who of order) {
        process.stderr.write(`${s.name}, pass ${pass + 1}, ${who}… `);
        if (who === 'ceiling') row.ceiling.push(await measure(ceilingUrl, s.opts, ceiling.pid, pass === 0));
        else {
          const warmup = pass === 0;
          if (warmup) await cannon(url, s.opts(), WARMUP);
          const { row: r, file } = await profiled(server, () => measure(url, s.opts, server.pid, false));
          row.syncmock.push(r);
          if (file) row.profile = { file: path.relative(root, file), ...summarise(file) };
        }
        const last = row[who][row[who].length - 1];
        process.stderr.write(`${Math.round(last.rps)} req/s${last.bad ? ` (${last.bad} non-2xx or errors!)` : ''}, load ${load()}\n`);
      }
    }
    // Each pass's two runs are back to back, so their ratio cancels what the machine was doing then; the
    // median over passes drops a pass another process disturbed.
    const mid = (runs, key) => median(runs.map((r) => r[key]));
    row.median = Object.fromEntries(['syncmock', 'ceiling'].map((who) => [who, Object.fromEntries(['rps', 'p50', 'p99', 'cpuUsPerRequest', 'systemCpuUsPerRequest', 'loadgenCpuShare'].map((k) => [k, mid(row[who], k)]))]));
    row.passRatios = row.syncmock.map((r, i) => r.rps / row.ceiling[i].rps);
    row.ratio = median(row.passRatios);
    row.cpuRatio = median(row.syncmock.map((r, i) => row.ceiling[i].cpuUsPerRequest / r.cpuUsPerRequest));
    rows.push(row);
  }

  // Memory after the same load on both (a second for the last requests' garbage to settle).
  await sleep(1000);
  const memSyncmock = memory(server.pid);
  const memCeiling = memory(ceiling.pid);
  await stop(ceiling);

  let scaled;
  if (wanted('scale')) {
    process.stderr.write(`scale: ${SCALE_SUITES} suites (${SCALE_SAILPOINT} with SailPoint) for ${SCALE_SECONDS} s… `);
    const run = await profiled(server, () => scale(port));
    scaled = run.row;
    if (run.file) scaled.profile = { file: path.relative(root, run.file), ...summarise(run.file) };
    process.stderr.write(`${Math.round(scaled.rps)} req/s, load ${load()}\n`);
  }
  await stop(server);

  let worst;
  if (wanted('worst bodies')) {
    process.stderr.write('worst bodies, one request at a time…\n');
    worst = await worstBodies(path.join(path.dirname(CLI), 'index.js'), ADMIN_TOKEN, (line) => process.stderr.write(`  ${line}`));
  }

  // ---- report ----
  const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '–');
  const mark = (ok) => (ok ? '✓' : '✗');
  const lines = [
    '',
    '| scenario | syncmock | ceiling | ratio | target | syncmock p50 / p99 ms | CPU µs/req (in the kernel) syncmock / ceiling, ratio | load generator CPU, syncmock / ceiling runs |',
    '|---|---:|---:|---:|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.scenario} | ${fmt(r.median.syncmock.rps)} req/s | ${fmt(r.median.ceiling.rps)} req/s | ${fmt(r.ratio, 2)}× | ${r.target ? `≥ ${r.target}× ${mark(r.ratio >= r.target)}` : '–'} | ` +
      `${fmt(r.median.syncmock.p50)} / ${fmt(r.median.syncmock.p99)} | ` +
      `${fmt(r.median.syncmock.cpuUsPerRequest)} (${fmt(r.median.syncmock.systemCpuUsPerRequest)}) / ${fmt(r.median.ceiling.cpuUsPerRequest)} (${fmt(r.median.ceiling.systemCpuUsPerRequest)}), ${fmt(r.cpuRatio, 2)}× | ` +
      `${fmt(100 * r.median.syncmock.loadgenCpuShare)} % / ${fmt(100 * r.median.ceiling.loadgenCpuShare)} %${r.median.ceiling.loadgenCpuShare >= LOADGEN_SATURATED ? ' (≥ 90 %: the load generator is the limit, so the ceiling\'s req/s is a lower bound, the ratio an upper bound; the CPU ratio is the better figure)' : ''} |`),
  ];
  const checks = rows.filter((r) => r.target).map((r) => [r.scenario, r.ratio >= r.target]);
  if (cold) {
    const s = median(cold.syncmock);
    const c = median(cold.ceiling);
    const cpu = { syncmock: median(cold.cpuMs.syncmock), ceiling: median(cold.cpuMs.ceiling) };
    cold.median = { syncmock: s, ceiling: c, ratio: s / c, cpuMs: cpu };
    lines.push(`| cold start, spawn to first 200 (median of ${COLD_STARTS}) | ${fmt(s)} ms | ${fmt(c)} ms | ${fmt(s / c, 2)}× | ≤ ${TARGETS.coldStart}× ${mark(s / c <= TARGETS.coldStart)} | | ` +
      `${fmt(cpu.syncmock)} / ${fmt(cpu.ceiling)} ms of CPU to the first 200, ${fmt(cpu.syncmock / cpu.ceiling, 2)}× | |`);
    checks.push(['cold start', s / c <= TARGETS.coldStart]);
  }
  if (rows.length > 0) {
    const ratio = memSyncmock.rssMb / memCeiling.rssMb;
    lines.push(`| RSS after the load above (peak) | ${fmt(memSyncmock.rssMb)} MB (${fmt(memSyncmock.peakMb)}) | ${fmt(memCeiling.rssMb)} MB (${fmt(memCeiling.peakMb)}) | ${fmt(ratio, 2)}× | ≤ ${TARGETS.rss}× ${mark(ratio <= TARGETS.rss)} | | | |`);
    checks.push(['RSS', ratio <= TARGETS.rss]);
  }
  if (scaled) {
    lines.push('', `Scale: ${scaled.suites} suites at once (${scaled.sailpointSuites} also with a SailPoint client), ${scaled.seconds} s, ${fmt(scaled.loops)} loops, ${fmt(scaled.requests)} requests (${fmt(scaled.rps)} req/s)`,
      '', '| per-suite latency | median suite | worst suite | target |', '|---|---:|---:|---|',
      `| p50 | ${fmt(scaled.p50.median, 1)} ms | ${fmt(scaled.p50.worst, 1)} ms | |`,
      `| p99 | ${fmt(scaled.p99.median, 1)} ms | ${fmt(scaled.p99.worst, 1)} ms | every suite ≤ ${TARGETS.scaleP99Ms} ms ${mark(scaled.p99.worst <= TARGETS.scaleP99Ms)} |`,
      `| cross-talk (a suite seeing another's state) | ${scaled.crossTalk} | | 0 ${mark(scaled.crossTalk === 0)} |`,
      `| unexpected statuses | ${scaled.errors} | | 0 ${mark(scaled.errors === 0)} |`);
    for (const sample of scaled.samples) lines.push(`  e.g. ${sample}`);
    checks.push(['scale p99', scaled.p99.worst <= TARGETS.scaleP99Ms], ['cross-talk', scaled.crossTalk === 0], ['scale errors', scaled.errors === 0]);
  }
  lines.push('', `${checks.filter(([, ok]) => ok).length} of ${checks.length} targets met. Body sizes: GET ${sizes.get} B, list ${sizes.list} B, SailPoint ${sizes.sailpoint} B.`,
    `${CONNECTIONS} connections, ${WARMUP} s warm-up, ${PASSES} passes of ${DURATION} s per scenario and server (figures: medians; ratio: median of the passes' ratios); ` +
    `load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')} at start, ${load()} at the end; ${os.cpus().length} CPUs, ${PINNED ? 'servers pinned to CPU 0, load to CPU 1' : 'not pinned'}.`);
  if (worst) lines.push(...worstBodiesTable(worst));
  if (SERVER_ARGS.length > 0) lines.push(`syncmock ran with ${SERVER_ARGS.join(' ')}: these are not the defaults' figures.`);
  if (PROFILE) lines.push('Profiled run: the profiler slows syncmock down; take figures from a run without BENCH_PROFILE.');
  process.stdout.write(`${lines.join('\n')}\n`);

  if (PROFILE) {
    for (const r of rows) if (r.profile) process.stdout.write(showProfile(`syncmock CPU profile, ${r.scenario}`, r.profile));
    if (scaled?.profile) process.stdout.write(showProfile('syncmock CPU profile, scale', scaled.profile));
    if (cold?.profile) process.stdout.write(showProfile('syncmock CPU profile, one cold start', cold.profile));
  }

  const results = {
    started, node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, pinned: PINNED,
    loadAverage: { start: loadAtStart, end: os.loadavg() }, settings: { DURATION, WARMUP, CONNECTIONS, PASSES, COLD_STARTS, SCALE_SUITES, SCALE_SAILPOINT, SCALE_SECONDS, SERVER_ARGS, CLI: path.relative(root, CLI) },
    scenarios: rows, coldStart: cold, memory: { syncmock: memSyncmock, ceiling: memCeiling }, scale: scaled, worstBodies: worst, sizes,
    targets: Object.fromEntries(checks.map(([what, ok]) => [what, ok])),
  };
  fs.writeFileSync(path.join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write('written to bench/results.json\n');
}

if (process.argv[2] === '--top') {
  // node bench/run.mjs --top <file.cpuprofile>: the summary of a profile taken earlier.
  process.stdout.write(showProfile('profile', { file: process.argv[3], ...summarise(process.argv[3]) }));
} else {
  main().catch((err) => { process.stderr.write(`bench failed: ${err.stack}\n`); process.exitCode = 1; });
}
