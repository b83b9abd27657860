// `syncmock mcp`: a Model Context Protocol server on stdio that drives a running syncmock through its control
// API, for coding agents that arrange and inspect the mock while they write tests. It holds no state of its
// own: every tool call is one HTTP call to --url, with the admin token when one is given.
//
// The SDK's low-level Server is used rather than McpServer: McpServer describes tool inputs with zod, and
// these come as JSON Schemas from schemas/control/, which the low-level server passes through as they are.
import { parseArgs } from 'node:util';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { version } from '../version';
import type { ControlCall } from '../platform/vendor';
import { controlTools } from './tools';

export interface McpOptions {
  /** The running syncmock, e.g. http://127.0.0.1:8080. */
  url: string;
  adminToken?: string;
}

const HELP = `Usage: syncmock mcp [--url URL] [--admin-token TOKEN]

An MCP server on stdio offering a running syncmock's control API as tools (reset, state, journal,
faults, clock, rate limits, and each emulated vendor's own control calls).

  --url URL              the syncmock to drive (env SYNCMOCK_URL; default http://127.0.0.1:8080)
  --admin-token TOKEN    its admin token, if it has one (env SYNCMOCK_ADMIN_TOKEN; prefer the variable)
  --help                 this text
`;

const INSTRUCTIONS =
  'Tools for a running syncmock, a local emulator of vendor APIs (get_overview lists them). Reset before each ' +
  'test (reset), arrange state (import_state, add_fault, set_clock, set_rate_limits, and the vendors\' own tools), ' +
  'then inspect what the code under test sent (query_journal) and what the mock holds (get_state). Secrets are always redacted.';

/** Parses the subcommand's arguments; throws with a one-line message on a bad one. */
export function mcpOptions(args: string[], env: NodeJS.ProcessEnv): McpOptions | 'help' {
  const { values } = parseArgs({
    args,
    options: { url: { type: 'string' }, 'admin-token': { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) return 'help';
  const url = values.url ?? env.SYNCMOCK_URL ?? 'http://127.0.0.1:8080';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--url must be a URL like http://127.0.0.1:8080 (got '${url}')`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`--url must be http or https (got '${url}')`);
  const adminToken = values['admin-token'] ?? env.SYNCMOCK_ADMIN_TOKEN;
  return { url: parsed.origin + parsed.pathname.replace(/\/+$/, ''), adminToken: adminToken === '' ? undefined : adminToken };
}

/** Builds the MCP server for one syncmock; connect it to a transport to serve. */
export function createMcpServer(options: McpOptions): Server {
  const server = new Server({ name: 'syncmock', version }, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
  const list = controlTools();
  const tools = new Map(list.map((tool) => [tool.name, tool]));
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: list.map(({ name, description, inputSchema, outputSchema }) => ({
      name, description, inputSchema: inputSchema as never, ...(outputSchema && { outputSchema: outputSchema as never }),
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const tool = tools.get(request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `No tool named '${request.params.name}'`);
    return controlCall(options, tool.call(request.params.arguments ?? {}));
  });
  return server;
}

/** One /__admin call as a tool result: the answer as JSON, or the control API's error as an error result. */
async function controlCall(options: McpOptions, call: ControlCall): Promise<CallToolResult> {
  const url = new URL(`${options.url}/__admin${call.path}`);
  for (const [key, value] of Object.entries(call.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.adminToken !== undefined) headers.authorization = `Bearer ${options.adminToken}`;
  // Every write carries a JSON body, as the control API asks of state-changing calls.
  if (call.method !== 'GET') headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, { method: call.method, headers, body: call.method === 'GET' ? undefined : JSON.stringify(call.body ?? {}) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return failure(`Cannot reach syncmock at ${options.url} (--url): ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) return failure(text || `${res.status} ${res.statusText}`);
  if (text === '') return { content: [{ type: 'text', text: `${call.method} ${call.path}: done (${res.status})` }] };
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return failure(`${options.url} answered ${call.method} /__admin${call.path} with something other than JSON: is it a syncmock?`);
  }
  return { content: [{ type: 'text', text: JSON.stringify(body, null, 2) }], structuredContent: body };
}

const failure = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

/** `syncmock mcp …`: serves until stdin closes. Exit code 2 for a bad argument, as for the server's flags. */
export async function runMcp(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  let options: McpOptions | 'help';
  try {
    options = mcpOptions(args, env);
  } catch (err) {
    process.stderr.write(`syncmock mcp: ${(err as Error).message} (see syncmock mcp --help)\n`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') return void process.stdout.write(HELP);
  await createMcpServer(options).connect(new StdioServerTransport());
}
