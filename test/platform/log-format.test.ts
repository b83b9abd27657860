// --log-format: pretty (one short line per request, for a person) or json (one object per line); auto, the
// default, is pretty only when stdout is a terminal. Both formats tell the same about each request and hide
// the same credentials.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { http, startServer, type TestServer } from '../helpers';
import { PREFIX } from '../datadog/dd';
import { SAILPOINT_ADMIN, attrSyncPath, sailpointHeaders, sailpointToken } from '../e2e/surfaces';
import { builtCli, startProcess } from '../spawn';

/** Requests that carry credentials everywhere a caller may put them; returns the credentials sent. */
async function credentialTraffic(server: TestServer, marker: string): Promise<string[]> {
  const sent: string[] = [];
  const secret = (what: string) => {
    const value = `${marker}-${what}`;
    sent.push(value);
    return value;
  };
  const keys = { 'DD-API-KEY': secret('api-key'), 'DD-APPLICATION-KEY': secret('app-key') };
  await http(`${server.url}${PREFIX}?api_key=${secret('query-api-key')}&application_key=${secret('query-app-key')}`, { headers: keys });
  await http(`${server.url}${PREFIX}`, { headers: { Authorization: `Bearer ddpat_${secret('bearer')}` } });
  await http(`${server.url}${PREFIX}?note=${encodeURIComponent(`Bearer ${secret('bearer-in-query')}`)}&access_token=${secret('access-token')}`, { headers: keys });
  await http(`${server.url}${PREFIX}`, { method: 'POST', headers: keys, json: { data: { type: 'integration_config', attributes: {
    domain: 'log.example.com', integration_type: 'OKTA', name: 'log', secrets: { api_token: secret('config-secret') },
  } } } });
  await http(`${server.url}${PREFIX}`, { method: 'POST', headers: { ...keys, 'content-type': 'application/json' }, body: `{"secrets":{"api_token":"${secret('malformed')}"` });
  await http(`${server.url}/oauth/token?client_secret=${secret('query-client-secret')}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&client_id=${SAILPOINT_ADMIN.clientId}&client_secret=${secret('client-secret')}`,
  });
  await http(`${server.url}/oauth/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${SAILPOINT_ADMIN.clientId}:${secret('basic')}`).toString('base64')}` },
    body: 'grant_type=client_credentials',
  });
  await http(`${server.url}${attrSyncPath()}`, { headers: sailpointHeaders(await sailpointToken(server.url)) });
  await http(`${server.url}/__admin/requests?api_key=${secret('control-api-key')}`);
  return sent;
}

/** The fields both formats give a request: method, URL, status, vendor, scope and request id. */
type Told = [method: string, url: string, status: number, vendor: string, scope: string, reqId: string];
const PRETTY_REQUEST = /^\d\d:\d\d:\d\d\.\d{3} ([A-Z]+) (\S+) (\d{3}) \d+\.\dms(?: (\w+)(?: (\w+=\S+))?)? (req-\w+)$/;

function toldInJson(logs: string): Told[] {
  return logs.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed').map((l) => {
    const scope = ['org', 'tenant'].find((name) => l[name] !== undefined);
    return [l.method, l.url, l.statusCode, l.vendor ?? '', scope ? `${scope}=${l[scope]}` : '', l.reqId];
  });
}

function toldInPretty(logs: string): Told[] {
  return logs.trim().split('\n').flatMap((l) => {
    const m = PRETTY_REQUEST.exec(l);
    return m ? [[m[1], m[2], Number(m[3]), m[4] ?? '', m[5] ?? '', m[6]] as Told] : [];
  });
}

t.test('pretty and json tell the same about every request and hide the same credentials', async (t) => {
  const marker = `MARKER-${randomBytes(6).toString('hex')}`;
  const json = await startServer(t, { logLevel: 'trace', logFormat: 'json' });
  const pretty = await startServer(t, { logLevel: 'trace', logFormat: 'pretty' });
  const sent = await credentialTraffic(json, marker);
  t.same(await credentialTraffic(pretty, marker), sent);
  for (const [name, server] of [['json', json], ['pretty', pretty]] as const) {
    const logs = server.logs();
    t.notOk(logs.includes(marker), `${name}: no credential in any line`, { found: sent.filter((s) => logs.includes(s)) });
  }
  const told = toldInJson(json.logs());
  t.equal(told.length, 10, 'json: a line per request');
  t.same(toldInPretty(pretty.logs()), told, 'pretty: the same requests, fields and redacted URLs');
  t.ok(told.some(([, , , vendor, scope]) => vendor === 'datadog' && scope.startsWith('org=org-')), 'a Datadog request names its org');
  t.ok(told.some(([, , , vendor, scope]) => vendor === 'sailpoint' && scope.startsWith('tenant=')), 'a SailPoint request names its tenant');
  t.ok(told.some(([, url, , vendor]) => url.startsWith('/__admin/') && vendor === ''), 'a control API request names no vendor');
  t.match(pretty.logs(), /^\d\d:\d\d:\d\d\.\d{3} DEBUG incoming request \{"reqId":"req-1"/m, 'other lines: time, level, message, the rest');
  t.notMatch(pretty.logs(), /^\{/m, 'no JSON line in the pretty format');
});

t.test('auto: pretty when stdout is a terminal, json when it is not; --log-format chooses either anywhere', async (t) => {
  // script(1) gives the CLI a terminal for stdout, as a person's shell does.
  const inTerminal = (args: string[]) => startProcess(t, 'script', ['-qefc', [process.execPath, builtCli, '--port', '0', '--db', ':memory:', ...args].join(' '), '/dev/null'], /Server listening at/);
  const piped = (args: string[]) => startProcess(t, process.execPath, [builtCli, '--port', '0', '--db', ':memory:', ...args], /Server listening at/);
  const [terminal, terminalJson, pipe, pipePretty] = await Promise.all([
    inTerminal([]), inTerminal(['--log-format', 'json']), piped([]), piped(['--log-format', 'pretty']),
  ]);
  t.match(terminal.line, /^\d\d:\d\d:\d\d\.\d{3} INFO Server listening at http:/, 'a terminal: pretty');
  t.match(terminalJson.line, /^\{"level":30,.*"msg":"Server listening at http:/, 'a terminal with --log-format json: json');
  t.match(pipe.line, /^\{"level":30,.*"msg":"Server listening at http:/, 'a pipe: json');
  t.match(pipePretty.line, /^\d\d:\d\d:\d\d\.\d{3} INFO Server listening at http:/, 'a pipe with --log-format pretty: pretty');
  for (const started of [terminal, terminalJson, pipe, pipePretty]) started.child.kill('SIGTERM');
});
