// `syncmock mcp` driven by the MCP SDK's own client over stdio (the built CLI as a child process), against a
// listening syncmock with an admin token: every tool once, bad input answered with the control API's error,
// and no credential in anything a tool returns.
import t, { type Test } from 'tap';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mcpOptions } from '../../src/mcp/server';
import { ControlSchemas } from '../../src/control/schemas';
import { bundled, controlTools } from '../../src/mcp/tools';
import { VENDORS } from '../../src/vendors';
import { datadog, PREFIX, seedCreateBody } from '../datadog/dd';
import { http, startServer } from '../helpers';
import { builtCli, runCli } from '../spawn';

const ADMIN_TOKEN = 'mcp-admin-token-marker-5e1f';
const API_KEY = 'mcp-api-key-marker-93b2';
const APP_KEY = 'mcp-app-key-marker-0c7d';
const SECRET = 'mcp-secret-marker-4a66';
const CLIENT_SECRET = 'mcp-client-secret-marker-d2e8';

async function connect(t: Test, args: string[], env: Record<string, string> = {}): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [builtCli, 'mcp', ...args],
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'syncmock-test', version: '1.0.0' });
  await client.connect(transport);
  t.teardown(() => client.close());
  return client;
}

const text = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');

t.test('every control tool over stdio, against a guarded syncmock', async (t) => {
  const server = await startServer(t, { adminToken: ADMIN_TOKEN });
  const client = await connect(t, ['--url', server.url], { SYNCMOCK_ADMIN_TOKEN: ADMIN_TOKEN });
  const outputs: string[] = [];
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    outputs.push(JSON.stringify(result));
    return result;
  };
  const ok = async (name: string, args: Record<string, unknown> = {}) => {
    const result = await call(name, args);
    t.notOk(result.isError, `${name} succeeds`, { result });
    return result.structuredContent as any;
  };

  t.equal(client.getServerVersion()?.name, 'syncmock');
  t.match(client.getInstructions(), /Reset before each test/);
  const { tools } = await client.listTools();
  t.same(tools.map((tool) => tool.name).sort(), controlTools().map((tool) => tool.name).sort(), 'the tools listed are the table\'s');
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const schemas = new ControlSchemas(VENDORS);
  const shared = schemas.shared();
  const addFault = byName.get('add_fault')?.inputSchema as any;
  t.same(addFault, bundled(schemas.get('fault-rule-request.json'), shared), 'input schemas are the control API\'s, vendors filled in, self-contained');
  t.match(addFault, { properties: { vendor: { $ref: '#/$defs/control_defs/$defs/Vendor' }, org: {}, api_key: {}, tenant: {} } });
  t.match(addFault.$defs.control_defs.$defs.Vendor, { enum: ['datadog', 'sailpoint'] }, 'the vendor names of this build');
  t.same(byName.get('query_journal')?.inputSchema, bundled(schemas.get('requests-query.json'), shared));
  const stateSchema = byName.get('get_state')?.outputSchema as any;
  t.same(stateSchema, bundled(schemas.get('state.json'), shared), 'output schemas are its response schemas');
  t.match(stateSchema.properties.datadog.properties.orgs.additionalProperties, { $ref: '#/$defs/datadog_state' }, 'each vendor\'s part bundled in');
  t.match(stateSchema.$defs.datadog_state, { type: 'object' });
  t.notMatch(JSON.stringify(byName.get('import_state')?.inputSchema), /"\$ref":"[^#]/, 'no reference leaves the schema');

  const dd = datadog(server.url, API_KEY, APP_KEY);
  const body = seedCreateBody();
  body.data.attributes.secrets = { admin_email: SECRET };
  t.equal((await dd.call('POST', '', body)).status, 200);
  await http(`${server.url}/oauth/token`, {
    method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'mcp-client', client_secret: CLIENT_SECRET }),
  });

  const overview = await ok('get_overview');
  t.equal(overview.vendors.datadog.counts.integration_configs, 2, 'the seeded config and the new one');
  t.ok(overview.journal.entries >= 2);

  const state = await ok('get_state', { api_key: API_KEY });
  const [org] = Object.keys(state.datadog.orgs);
  t.equal(state.datadog.orgs[org].integration_configs[0].secrets, '[redacted]');

  const journal = await ok('query_journal', { vendor: 'datadog', method: 'post', limit: '5' });
  t.equal(journal.requests.length, 1);
  t.match(journal.requests[0], { org, method: 'POST', path: PREFIX, status: 200 });

  const fault = await ok('add_fault', { api_key: API_KEY, method: 'GET', status: 503, times: 1 });
  t.equal((await dd.call('GET', '')).status, 503, 'the fault applies to the next call');
  const { faults } = await ok('list_faults');
  t.match(faults, [{ id: fault.id, hits: 1, remaining: 0 }]);
  const removed = await call('remove_fault', { id: fault.id });
  t.notOk(removed.isError);
  t.same((await ok('list_faults')).faults, []);

  t.match(await ok('set_clock', { freeze_at: '2026-05-01T12:00:00Z' }), { now: '2026-05-01T12:00:00.000Z', frozen: true });
  t.equal((await ok('get_rate_limits')).datadog.integration_config_write.limit, 500);
  t.equal((await ok('set_rate_limits', { datadog: { integration_config_write: { limit: 2 } } })).datadog.integration_config_write.limit, 2);
  t.same(await ok('force_credential_outcome', { outcome: 'invalid', times: 2, api_key: API_KEY }), { org, pending: ['invalid', 'invalid'] });
  t.same(await ok('clear_credential_outcomes', { api_key: API_KEY }), { org, pending: [] });
  t.ok((await ok('clear_journal', { vendor: 'sailpoint' })).deleted >= 1);

  const scenario = { datadog: { orgs: { 'mcp-org': { integration_configs: [{ ...state.datadog.orgs[org].integration_configs[0], secrets: { admin_email: 'x@example.com' } }] } } } };
  t.same(await ok('import_state', { document: scenario, mode: 'merge' }), { mode: 'merge', imported: { datadog: { orgs: ['mcp-org'] } } });
  t.same(await ok('reset'), { reset: 'all' });
  t.equal((await ok('get_overview')).vendors.datadog.counts.integration_configs, 1, 'back to the seed');

  await t.test('bad input gets the control API\'s own error', async (t) => {
    const refused = await call('add_fault', { status: 503, probability: 2 });
    t.equal(refused.isError, true);
    t.match(JSON.parse(text(refused)), { statusCode: 400, error: 'Bad Request', message: "Field 'probability' must be <= 1" });
    const unknown = await call('get_state', { bogus: 'x' });
    t.match(JSON.parse(text(unknown)), { statusCode: 400, message: /bogus/ });
    const missing = await call('remove_fault', { id: 'no-such-rule' });
    t.match(JSON.parse(text(missing)), { statusCode: 404 });
    await t.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }), /no_such_tool/, 'an unknown tool is a protocol error');
  });

  const all = outputs.join('\n');
  for (const secret of [ADMIN_TOKEN, API_KEY, APP_KEY, SECRET, CLIENT_SECRET]) {
    t.notOk(all.includes(secret), `no tool output holds ${secret}`);
  }
});

t.test('a wrong admin token and an unreachable syncmock are error results, not crashes', async (t) => {
  const server = await startServer(t, { adminToken: ADMIN_TOKEN });
  const wrong = await connect(t, ['--url', server.url, '--admin-token', 'not-the-token']);
  const refused = (await wrong.callTool({ name: 'get_overview', arguments: {} })) as CallToolResult;
  t.equal(refused.isError, true);
  t.match(JSON.parse(text(refused)), { statusCode: 401, error: 'Unauthorized' });
  t.notOk(text(refused).includes('not-the-token'));

  const port = server.port;
  await server.close();
  const gone = await connect(t, ['--url', `http://127.0.0.1:${port}`]);
  const unreachable = (await gone.callTool({ name: 'get_state', arguments: {} })) as CallToolResult;
  t.equal(unreachable.isError, true);
  t.match(text(unreachable), /^Cannot reach syncmock at http:\/\/127\.0\.0\.1:\d+ \(--url\): ECONNREFUSED/);
});

t.test('its arguments: help, and a bad one is one line and exit code 2', async (t) => {
  const help = runCli(['mcp', '--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, /--url URL .*SYNCMOCK_URL/);
  const bad = runCli(['mcp', '--nope']);
  t.equal(bad.code, 2);
  t.equal(bad.stderr, "syncmock mcp: Unknown option '--nope' (see syncmock mcp --help)\n");
  t.same(mcpOptions([], { SYNCMOCK_URL: 'http://localhost:9000/', SYNCMOCK_ADMIN_TOKEN: 'x' }), { url: 'http://localhost:9000', adminToken: 'x' });
  t.same(mcpOptions(['--url', 'http://127.0.0.1:1/', '--admin-token', 'y'], { SYNCMOCK_URL: 'http://ignored' }), { url: 'http://127.0.0.1:1', adminToken: 'y' }, 'flags win');
  t.same(mcpOptions([], {}), { url: 'http://127.0.0.1:8080', adminToken: undefined });
  t.throws(() => mcpOptions(['--url', 'ftp://example.test'], {}), { message: "--url must be http or https (got 'ftp://example.test')" });
  t.throws(() => mcpOptions(['--url', 'not a url'], {}), { message: "--url must be a URL like http://127.0.0.1:8080 (got 'not a url')" });
});
