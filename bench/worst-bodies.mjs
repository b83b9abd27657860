// The worst-bodies scenario of bench/run.mjs: the most expensive request bodies under the 1 MiB limit that
// we could think of, sent one at a time to each route that takes a body, measuring the largest event-loop
// delay inside the server while it handled each (bench/loop-delay.mjs: perf_hooks.monitorEventLoopDelay).
// The budget is 100 ms per request; nothing here is asserted by the tests, which count errors and
// validator calls instead. Each route is called once with a valid body and once with a small invalid one
// first, so its validators are compiled (lazily, on first use) before anything is measured; that first
// call's delay is shown on its own.
import { fork } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const DD = '/api/v2/security_monitoring/configuration/integration_config';
const SP_SOURCE = '2c9180835d191a86015d28455b4b232a';
const SP = `/beta/sources/${SP_SOURCE}/attribute-sync-config`;
/** Room under the 1 MiB body limit for what surrounds a filler. */
const BUDGET = 1024 * 1024 - 4096;
/** A request still unanswered after this long is reported as such, and the server restarted. */
const ANSWER_WITHIN_MS = 30_000;

/** The most values, and members of one object, the JSON body policy takes (src/platform/json-body.ts). */
const MAX_VALUES = 60_000;
const MAX_MEMBERS = 10_000;

/** `prefix`, then make(0), make(1), … joined by `separator` while they fit under the limit (and `most` of them), then `suffix`. */
function fill(prefix, make, suffix, separator = ',', most = Infinity) {
  const parts = [];
  let size = prefix.length + suffix.length;
  for (let i = 0; i < most; i++) {
    const part = make(i);
    size += part.length + separator.length;
    if (size > BUDGET) break;
    parts.push(part);
  }
  return prefix + parts.join(separator) + suffix;
}
const same = (unit) => () => unit;
const repeatTo = (unit) => unit.repeat(Math.floor(BUDGET / unit.length));

/** Bodies that break the JSON body policy's rules, the same for every JSON route. */
const malformed = () => [
  ['1 MiB of [', repeatTo('[')],
  ['1 MiB of {"a":', repeatTo('{"a":')],
  ['invalid UTF-8 after 1 MiB', Buffer.concat([Buffer.from(`{"s":"${'x'.repeat(BUDGET - 20)}`), Buffer.from([0xff]), Buffer.from('"}')])],
  ['many small numbers, one beyond 2^53', fill('{"n":[', same('1'), ',9007199254740993]}')],
  ['nested 99 levels, then a long string', `${'{"a":'.repeat(99)}"${'x'.repeat(BUDGET - 600)}"${'}'.repeat(99)}`],
];

const datadogCreate = (extra = '', name = 'n') =>
  `{"data":{"type":"integration_config","attributes":{"domain":"bench.example.com","integration_type":"OKTA","name":"${name}","secrets":{"api_token":"t"}${extra}}}}`;
const datadogBodies = (envelope) => [
  ['settings with many keys', envelope(fill(',"settings":{', (i) => `"k${i}":0`, '}'))],
  ['settings with as many keys as the member limit allows', envelope(fill(',"settings":{', (i) => `"k${i}":0`, '}', ',', MAX_MEMBERS))],
  ['settings: as many objects as the value limit allows', envelope(fill(',"settings":{"a":[', () => '{}', ']}', ',', MAX_VALUES - 20))],
  ['attributes with many unknown fields', envelope(fill(',', (i) => `"x${i}":0`, ''))],
  ['secrets with many unknown fields', envelope(fill(',"secrets":{"api_token":"t",', (i) => `"x${i}":0`, '}'))],
  ['a 1 MiB name', envelope('', 'x'.repeat(BUDGET - 300))],
  ['attributes: an array of many objects', fill('{"data":{"type":"integration_config","attributes":[', same('{}'), ']}}')],
  ['data: an array of many invalid attributes', fill('{"data":[', same('{"type":1,"attributes":1}'), ']}')],
  ...malformed(),
];
const activate = (extra = '', name = 'n') => `{"data":{"type":"activate_entra_id_request","attributes":{"domain":"contoso.example","name":"${name}"${extra}}}}`;

const sailpointPut = (attributes) => `{"source":{"type":"SOURCE","id":"${SP_SOURCE}","name":"x"},"attributes":[${attributes}]}`;
const sailpointBodies = () => [
  ['many empty attributes', sailpointPut(fill('', same('{}'), ''))],
  ['many attributes the source does not have', sailpointPut(fill('', (i) => `{"name":"a${i}","displayName":"d","enabled":true,"target":"t"}`, ''))],
  ['many attributes of the wrong types', sailpointPut(fill('', same('{"name":1,"displayName":1,"enabled":1,"target":1}'), ''))],
  ['attributes with many unknown fields', sailpointPut(`{"name":"email","displayName":"Email","enabled":true,"target":"mail",${fill('', (i) => `"x${i}":0`, '')}}`)],
  ['a 1 MiB attribute name', sailpointPut(`{"name":"${'x'.repeat(BUDGET - 300)}","displayName":"d","enabled":true,"target":"t"}`)],
  ...malformed(),
];

const FORM = 'application/x-www-form-urlencoded';
const tokenBodies = () => {
  const boundary = 'benchboundary';
  const field = (name, value) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const multipart = Array.from({ length: 20 }, (_, i) => field(`f${i}`, 'x'.repeat(50_000))).join('') + `--${boundary}--\r\n`;
  const grant = 'grant_type=client_credentials&client_id=bench-worst&client_secret=s';
  return [
    ['form: one parameter repeated', fill(`${grant}&`, same('a=1'), '', '&'), FORM],
    ['form: many parameters', fill(`${grant}&`, (i) => `k${i}=1`, '', '&'), FORM],
    ['form: client_secret repeated', fill('grant_type=client_credentials&client_id=bench-worst&', same('client_secret=s'), '', '&'), FORM],
    ['form: a 1 MiB client_secret', `grant_type=client_credentials&client_id=bench-worst&client_secret=${'s'.repeat(BUDGET - 100)}`, FORM],
    ['multipart: 20 fields of 50 KB', multipart, `multipart/form-data; boundary=${boundary}`],
  ];
};

const controlBodies = (prefix, suffix) => [['many unknown fields', fill(prefix, (i) => `"x${i}":0`, suffix)], ...malformed()];
const stateBodies = () => [
  ['many orgs with an invalid config each', fill('{"datadog":{"orgs":{', (i) => `"o${i}":{"integration_configs":[{}]}`, '}}}')],
  ['many orgs, each a config with a bad id', fill('{"datadog":{"orgs":{', (i) => `"o${i}":{"integration_configs":[{"id":"x","integration_type":"X","domain":""}]}}`, '}}}')],
  ['10,000 configs in one org', `{"datadog":{"orgs":{"bench-import":{"integration_configs":[${Array.from({ length: 10_000 }, (_, i) =>
    `{"id":"00000000-0000-4000-8000-${String(i).padStart(12, '0')}","integration_type":"OKTA","domain":"d"}`).join(',')}]}}}}`],
  ['many empty orgs', fill('{"datadog":{"orgs":{', (i) => `"o${i}":{"integration_configs":[]}`, '}}}')],
  ['as many empty orgs as the member limit allows', fill('{"datadog":{"orgs":{', (i) => `"o${i}":{"integration_configs":[]}`, '}}}', ',', MAX_MEMBERS)],
  ...malformed(),
];

/** What the server's first config and a SailPoint token are: made once per server, before any measurement. */
async function setUp(url, admin) {
  const dd = { 'dd-api-key': 'bench-worst-key', 'dd-application-key': 'bench-worst-app', 'content-type': 'application/json' };
  const created = await send(url, 'POST', DD, dd, datadogCreate());
  const id = JSON.parse(created.text).data.id;
  const token = JSON.parse((await send(url, 'POST', '/oauth/token', { 'content-type': FORM },
    'grant_type=client_credentials&client_id=bench-worst&client_secret=s')).text).access_token;
  const sp = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const adminJson = { ...admin, 'content-type': 'application/json' };
  const v06 = { 'x-syncmock-datadog-revision': '2026-06' };
  const v08 = { 'x-syncmock-datadog-revision': '2026-08' };
  const patch = (extra = '', name = 'n') => `{"data":{"type":"integration_config","attributes":{"name":"${name}"${extra}}}}`;
  const validGet = await send(url, 'GET', SP, sp);
  // A source with 10,000 attributes (the most a state document takes), and its config to PUT back.
  const attributes = Array.from({ length: 10_000 }, (_, i) => ({ name: `attribute-${i}`, displayName: `Attribute ${i}`, enabled: i % 2 === 0, target: `target${i}` }));
  const tenant = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).tenant_id;
  await send(url, 'POST', '/__admin/state?mode=merge', adminJson, JSON.stringify({ sailpoint: { tenants: { [tenant]: { sources: [{ id: 'bench-big', name: 'Big', attributes }] } } } }));
  const big = '/beta/sources/bench-big/attribute-sync-config';
  const bigConfig = (await send(url, 'GET', big, sp)).text;
  return [
    { route: 'Datadog create, 2026-06', method: 'POST', path: DD, headers: { ...dd, ...v06 }, valid: datadogCreate(), bodies: datadogBodies(datadogCreate) },
    { route: 'Datadog create, 2026-08', method: 'POST', path: DD, headers: { ...dd, ...v08 }, valid: datadogCreate(), bodies: datadogBodies(datadogCreate) },
    { route: 'Datadog validate, 2026-08', method: 'POST', path: `${DD}/validate`, headers: { ...dd, ...v08 }, valid: datadogCreate(), bodies: datadogBodies(datadogCreate) },
    { route: 'Datadog PATCH, 2026-06', method: 'PATCH', path: `${DD}/${id}`, headers: { ...dd, ...v06 }, valid: patch(), bodies: datadogBodies(patch) },
    { route: 'Datadog PATCH, 2026-08', method: 'PATCH', path: `${DD}/${id}`, headers: { ...dd, ...v08 }, valid: patch(), bodies: datadogBodies(patch) },
    { route: 'Datadog activate, 2026-08', method: 'POST', path: `${DD}/entra_id/activate`, headers: { ...dd, ...v08 }, valid: activate(), bodies: datadogBodies(activate) },
    { route: 'SailPoint PUT', method: 'PUT', path: SP, headers: sp, valid: validGet.text, bodies: sailpointBodies() },
    { route: 'SailPoint PUT, 10,000 attributes', method: 'PUT', path: big, headers: sp, valid: bigConfig,
      bodies: [['its config, unchanged', bigConfig], ['every attribute renamed', bigConfig.replace(/"attribute-/g, '"renamed-')]] },
    { route: 'SailPoint token', method: 'POST', path: '/oauth/token', headers: {}, valid: ['grant_type=client_credentials&client_id=bench-worst&client_secret=s', FORM],
      bodies: tokenBodies() },
    { route: 'POST /__admin/faults', method: 'POST', path: '/__admin/faults', headers: adminJson, valid: '{"status":503,"path":"/nowhere"}',
      bodies: controlBodies('{"status":503,', '}') },
    { route: 'PUT /__admin/rate-limits', method: 'PUT', path: '/__admin/rate-limits', headers: adminJson, valid: '{"sailpoint":{"api":{"limit":1000000}}}',
      bodies: [['many unknown groups', fill('{"datadog":{', (i) => `"g${i}":{}`, '}}')], ...controlBodies('{', '}')] },
    { route: 'POST /__admin/clock', method: 'POST', path: '/__admin/clock', headers: adminJson, valid: '{"real":true}', bodies: controlBodies('{', '}') },
    { route: 'POST /__admin/datadog/credential-outcome', method: 'POST', path: '/__admin/datadog/credential-outcome', headers: adminJson,
      valid: '{"outcome":"valid","times":1}', bodies: controlBodies('{"outcome":"valid",', '}') },
    { route: 'POST /__admin/state', method: 'POST', path: '/__admin/state?mode=merge', headers: adminJson, valid: '{"datadog":{"orgs":{}}}', bodies: stateBodies() },
    // Globs: a fault rule is matched against every vendor request, a journal filter against every entry.
    // A rule is matched on routed requests only, whose ids the router cuts at 100 characters.
    { route: 'fault rule /**a**a**a**a**a**b', method: 'GET', path: `${DD}/${'a'.repeat(100)}`, headers: dd,
      before: () => send(url, 'POST', '/__admin/faults', adminJson, '{"vendor":"datadog","path":"/**a**a**a**a**a**b","status":503}'),
      after: () => send(url, 'DELETE', '/__admin/faults', admin), bodies: [['no body', undefined]] },
    { route: 'GET /__admin/requests?path=/**a**a**a**a**a**b', method: 'GET', path: `/__admin/requests?limit=1&path=${encodeURIComponent('/**a**a**a**a**a**b')}`, headers: admin,
      before: () => send(url, 'GET', `${DD}/${'a'.repeat(12_000)}`, dd), bodies: [['no body', undefined]] },
  ];
}

function send(url, method, p, headers, body, timeoutMs = ANSWER_WITHIN_MS) {
  const [payload, type] = Array.isArray(body) ? body : [body];
  const all = { ...headers, ...(type && { 'content-type': type }), ...(payload !== undefined && { 'content-length': Buffer.byteLength(payload) }) };
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const req = http.request({ host: hostname, port, method, path: p, headers: all, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
    });
    req.setTimeout(timeoutMs, () => { req.destroy(); resolve({ status: 'no answer' }); });
    req.on('error', (err) => resolve({ status: err.code ?? err.message }));
    req.end(payload);
  });
}

/** A server (bench/loop-delay.mjs) and the means to measure one request's delay on it. */
async function startServer(index, options) {
  const child = fork(path.join(here, 'loop-delay.mjs'), [], { env: { ...process.env, BENCH_INDEX: index, BENCH_OPTIONS: JSON.stringify(options) }, stdio: 'inherit' });
  const next = () => new Promise((resolve) => child.once('message', resolve));
  const { url } = await next();
  return {
    url,
    stop: () => { child.kill('SIGKILL'); },
    /** The answer to one request and the largest event-loop delay the server saw while handling it. */
    async measure(method, p, headers, body) {
      child.send('reset');
      await next();
      const answer = await send(url, method, p, headers, body);
      if (answer.status === 'no answer') return { ...answer, delayMs: Infinity };
      child.send('read');
      return { ...answer, delayMs: (await next()).maxMs };
    },
  };
}

/**
 * Every route's worst bodies against a server with the defaults and one with --reject-unknown-fields (where
 * unknown fields are errors, one per field). `index`: the build's dist/src/index.js.
 */
export async function worstBodies(index, adminToken, log) {
  const rows = [];
  for (const [setting, extra] of [['defaults', {}], ['--reject-unknown-fields', { rejectUnknownFields: true }]]) {
    const options = { adminToken, ...extra };
    let server = await startServer(index, options);
    const admin = { authorization: `Bearer ${adminToken}` };
    let routes = await setUp(server.url, admin);
    for (let r = 0; r < routes.length; r++) {
      const route = routes[r];
      const first = route.valid === undefined ? undefined : await server.measure(route.method, route.path, route.headers, route.valid);
      if (route.valid !== undefined) await server.measure(route.method, route.path, route.headers, Array.isArray(route.valid) ? ['grant_type=1&grant_type=2', FORM] : '{"data":1}');
      for (const [body, payload, type] of route.bodies) {
        await route.before?.();
        const measured = await server.measure(route.method, route.path, route.headers, type ? [payload, type] : payload);
        await route.after?.();
        const bytes = payload === undefined ? 0 : Buffer.byteLength(payload);
        rows.push({ setting, route: route.route, body, bytes, status: measured.status, delayMs: measured.delayMs, firstCallMs: first?.delayMs });
        log(`${setting}, ${route.route}, ${body}: ${measured.status}, ${Number.isFinite(measured.delayMs) ? `${Math.round(measured.delayMs)} ms` : 'no answer'}\n`);
        if (measured.status === 'no answer') {
          // Blocked: start afresh (set up again) and go on with the next body.
          server.stop();
          server = await startServer(index, options);
          routes = await setUp(server.url, admin);
        }
      }
    }
    server.stop();
  }
  return rows;
}

/** The report: the worst delay per route and setting, then every body. */
export function worstBodiesTable(rows) {
  const fmt = (ms) => (ms === undefined ? '–' : Number.isFinite(ms) ? `${Math.round(ms).toLocaleString('en-US')} ms` : `> ${ANSWER_WITHIN_MS / 1000} s (no answer)`);
  const settings = [...new Set(rows.map((r) => r.setting))];
  const routes = [...new Set(rows.map((r) => r.route))];
  const worst = (route, setting) => rows.filter((r) => r.route === route && r.setting === setting).reduce((a, b) => (b.delayMs > a.delayMs ? b : a));
  return [
    '', 'Worst bodies: the largest event-loop delay while one request was handled (budget 100 ms)', '',
    `| route | ${settings.map((s) => `worst, ${s}`).join(' | ')} | first call (compiles), defaults |`,
    `|---|${settings.map(() => '---|').join('')}---:|`,
    ...routes.map((route) => `| ${route} | ${settings.map((s) => { const w = worst(route, s); return `${fmt(w.delayMs)}: ${w.body} (${w.status})`; }).join(' | ')} | ${fmt(rows.find((r) => r.route === route)?.firstCallMs)} |`),
    '', '| setting | route | body | bytes | status | delay |', '|---|---|---|---:|---|---:|',
    ...rows.map((r) => `| ${r.setting} | ${r.route} | ${r.body} | ${r.bytes.toLocaleString('en-US')} | ${r.status} | ${fmt(r.delayMs)} |`),
  ];
}
