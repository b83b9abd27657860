// The router decides who owns a request, not the text of its URL: for every route syncmock serves (read as
// they are added, by any plugin), generated spellings of its path (percent-encoding of any character, case,
// doubled or encoded slashes, dot segments, a trailing slash, `;`, the absolute form) get no further than
// the plain spelling does. Against a foreign Host, a page on another site, a missing admin token and (for the
// emulated APIs) missing credentials: where the plain spelling is refused, no spelling is answered 2xx or
// 3xx, and nothing the control API can show changes.
import net from 'node:net';
import fc from 'fast-check';
import type { RouteOptions } from 'fastify';
import t, { type Test } from 'tap';
import { rawRequest, schemaValidator, startRecordingRoutes } from '../../helpers';
import { FUZZ_SEED } from '../hostile';
import { spellingsOf } from '../spellings';

const RUNS = Number(process.env.SYNCMOCK_FUZZ_RUNS ?? 6);
const EVIL_HOST = 'rebind.evil.example';
const EVIL_ORIGIN = { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' };

interface Probe {
  method: string;
  path: string;
}

/** A concrete path for a route's URL: a value for each parameter, something for a wildcard. */
const concrete = (url: string): string =>
  url.replace(/:integration_config_id/g, '11111111-2222-4333-8444-555555555555').replace(/:integration_type/g, 'entra_id')
    .replace(/:id/g, '2c9180835d191a86015d28455b4b232a').replace(/:[A-Za-z_]+/g, 'x').replace(/\*/g, 'anything') || '/';

/** One probe per route and method (HEAD is GET's; a catch-all's methods are all the same route). */
function probesOf(routes: RouteOptions[]): Probe[] {
  const seen = new Set<string>();
  const probes: Probe[] = [];
  for (const route of routes) {
    const methods = [route.method].flat().filter((m) => m !== 'HEAD');
    for (const method of methods.length > 6 ? ['GET', 'POST'] : methods) {
      const path = concrete(route.url);
      const key = `${method} ${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      probes.push({ method, path });
    }
  }
  return probes;
}

type Send = (method: string, path: string) => Promise<number>;

/** Everything the control API can show, read back with the token (state, faults, limits, clock, forced outcomes). */
async function controlViews(url: string, token?: string): Promise<string> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const views = await Promise.all(['/state', '/faults', '/rate-limits', '/clock', '/datadog/credential-outcome']
    .map(async (path) => (await rawRequest(url, { method: 'GET', path: `/__admin${path}`, headers })).text));
  return views.join('\n');
}

/**
 * Checks every probe under one refusal: the plain spelling's answer decides whether the probe is refused
 * there (a 401 or 403); if it is, every generated spelling must be answered 4xx too.
 */
/** A frozen clock, so the views read the same twice. */
async function freezeClock(url: string, token?: string): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await rawRequest(url, { method: 'POST', path: '/__admin/clock', headers, body: JSON.stringify({ freeze_at: '2026-05-01T12:00:00Z' }) });
  if (res.status !== 200) throw new Error(`freezing the clock answered ${res.status}`);
}

async function noSpellingGetsFurther(t: Test, name: string, probes: Probe[], send: Send): Promise<number> {
  let refused = 0;
  for (const probe of probes) {
    const plain = await send(probe.method, probe.path);
    if (plain !== 401 && plain !== 403) continue;
    refused += 1;
    await fc.assert(fc.asyncProperty(spellingsOf(probe.path), async (spelt) => {
      const status = await send(probe.method, spelt);
      if (status < 400 || status >= 500) throw new Error(`${name}: ${probe.method} ${spelt} answered ${status} where ${probe.path} is refused ${plain}`);
    }), { seed: FUZZ_SEED, numRuns: RUNS });
  }
  t.pass(`${name}: ${refused} refused routes, ${RUNS} spellings each, none got further`);
  return refused;
}

t.test('no spelling of a route gets what its plain spelling is refused', async (t) => {
  const server = await startRecordingRoutes(t);
  const probes = probesOf(server.routes);
  t.ok(probes.some((p) => p.path === '/__admin/state') && probes.some((p) => p.path.startsWith('/docs'))
    && probes.some((p) => p.path.startsWith('/api/v2/')) && probes.some((p) => p.path.startsWith('/beta/')), `${probes.length} routes of every surface`);
  const body = (method: string) => (['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method) ? {} : { body: '{}', headers: { 'content-type': 'application/json' } });
  const send = (extra: Record<string, string>): Send => async (method, path) => {
    const res = await rawRequest(server.url, { method, path, ...body(method), headers: { ...body(method).headers, ...extra }, timeoutMs: 5000 });
    return res.status;
  };
  await freezeClock(server.url);
  const before = await controlViews(server.url);
  const byHost = await noSpellingGetsFurther(t, 'a foreign Host', probes, send({ host: `${EVIL_HOST}:${server.port}` }));
  t.ok(byHost >= 20, 'the control API and the docs refuse a foreign Host');
  const byOrigin = await noSpellingGetsFurther(t, 'a page on another site', probes, send(EVIL_ORIGIN));
  t.ok(byOrigin >= 15, 'the control API refuses a page on another site');
  const byCredentials = await noSpellingGetsFurther(t, 'no credentials', probes.filter((p) => !p.path.startsWith('/__admin') && !p.path.startsWith('/docs')
    && !p.path.startsWith('/openapi')), send({}));
  t.ok(byCredentials >= 8, 'the emulated APIs refuse a call without credentials');
  t.equal(await controlViews(server.url), before, 'nothing the control API shows changed');
});

t.test('no spelling of a control route passes without the admin token', async (t) => {
  const token = 'request-owner-admin-token';
  const server = await startRecordingRoutes(t, { adminToken: token });
  const probes = probesOf(server.routes).filter((p) => !p.path.startsWith('/api') && !p.path.startsWith('/beta') && !p.path.startsWith('/v20')
    && !p.path.startsWith('/sources') && !p.path.startsWith('/oauth') && !p.path.startsWith('/v3'));
  await freezeClock(server.url, token);
  const before = await controlViews(server.url, token);
  const refused = await noSpellingGetsFurther(t, 'a missing admin token', probes, async (method, path) =>
    (await rawRequest(server.url, { method, path, timeoutMs: 5000 })).status);
  t.ok(refused >= 15, 'the control API refuses a missing token');
  t.equal(await controlViews(server.url, token), before, 'nothing the control API shows changed');
});

t.test('fault rules and the journal read a path as the router does', async (t) => {
  const server = await startRecordingRoutes(t);
  const list = '/api/v2/security_monitoring/configuration/integration_config';
  const keys = { 'dd-api-key': 'syncmock-api-key', 'dd-application-key': 'syncmock-app-key' };
  const add = await rawRequest(server.url, {
    method: 'POST', path: '/__admin/faults', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ vendor: 'datadog', path: list, status: 503 }),
  });
  t.equal(add.status, 201);
  let routed = 0;
  await fc.assert(fc.asyncProperty(spellingsOf(list), async (spelt) => {
    const res = await rawRequest(server.url, { method: 'GET', path: spelt, headers: keys, timeoutMs: 5000 });
    // 503: routed to the list, and the rule saw it; 404 or 400: routed elsewhere. Never the list itself.
    if (res.status === 200) throw new Error(`GET ${spelt} reached the list past the fault rule for ${list}`);
    if (res.status === 503) routed += 1;
  }), { seed: FUZZ_SEED, numRuns: 60 });
  t.ok(routed > 10, `${routed} spellings routed to the list met the rule`);
  const journal = JSON.parse((await rawRequest(server.url, { method: 'GET', path: '/__admin/requests?status=503' })).text).requests;
  t.equal(journal.length, routed, 'each is journaled');
  t.ok(journal.every((e: { path: string }) => e.path === list), 'under the path the router read, whatever its spelling');
});

// Generated: any method (one Fastify routes nowhere, such as PROPFIND or PURGE; one the HTTP parser refuses,
// such as a lower-case `get`; the usual ones) at a path of each surface is answered in that surface's error
// shape when it is refused, never in another's and never a 500: Datadog's, SailPoint's (and its token
// endpoint's), and the control API's for /__admin and for paths nobody owns. Sent over a raw socket: node:http
// upper-cases a method.
t.test('generated: any method at any surface\'s path is refused in that surface\'s shape', async (t) => {
  const server = await startRecordingRoutes(t);
  const shapes = {
    datadog: schemaValidator('datadog/error-response.json'),
    sailpoint: schemaValidator('sailpoint/error-response-dto.json'),
    // The token endpoint answers a bad request as OAuth does, and a path or method it has not as SailPoint's API.
    token: (json: unknown) => schemaValidator('sailpoint/oauth-error.json')(json) || schemaValidator('sailpoint/error-response-dto.json')(json),
    control: schemaValidator('control/error.json'),
  };
  const surfaces: Array<[keyof typeof shapes, string]> = [
    ['datadog', '/api/v2/security_monitoring/configuration/integration_config'], ['datadog', '/api/v2/security_monitoring/configuration/integration_config/x'],
    ['sailpoint', '/beta/sources/x/attribute-sync-config'], ['sailpoint', '/v2025/sources/x'], ['token', '/oauth/token'],
    ['control', '/__admin/reset'], ['control', '/__admin/nowhere'], ['control', '/nowhere'],
  ];
  const known = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'];
  const method = fc.oneof(fc.constantFrom('PROPFIND', 'PURGE', 'LOCK', 'SEARCH', 'MKCOL', 'M-SEARCH', 'BREW', 'X'),
    fc.constantFrom(...known).chain((m) => fc.constantFrom(m.toLowerCase(), m[0] + m.slice(1).toLowerCase())),
    fc.stringMatching(/^[A-Z][A-Z-]{0,9}$/));
  let refused = 0;
  await fc.assert(fc.asyncProperty(method, fc.constantFrom(...surfaces), async (m, [surface, path]) => {
    const raw = await rawSocket(server.url, `${m} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
    if (!(status >= 200 && status < 500)) throw new Error(`${m} ${path}: ${raw.slice(0, 200)}`);
    if (status < 400) return;
    refused++;
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new Error(`${m} ${path}: ${status} without a JSON body: ${body.slice(0, 200)}`);
    }
    if (!shapes[surface](json)) throw new Error(`${m} ${path}: ${status} not in ${surface}'s shape: ${body.slice(0, 200)}`);
  }), { seed: FUZZ_SEED, numRuns: 60 });
  t.ok(refused > 30, `${refused} refusals, each in its surface's shape`);
});

/** Writes `text` on a fresh connection and reads until the server closes it. */
function rawSocket(baseUrl: string, text: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
  });
}
