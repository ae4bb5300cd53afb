import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { mcpProposals, type AgentDeps } from './agentRegistration';
import { createToolHost } from './agentTools';
import { isProposing, runTool } from './toolCore';
import { TOOL_NAMES, type ToolKey } from './toolNames';

export interface RunningMcpServer {
  readonly url: string;
  readonly token: string;
  dispose(): Promise<void>;
}

/**
 * The same tools over MCP (the official SDK, Streamable HTTP), for other agents in the editor:
 * on 127.0.0.1 only, a random port, and a random bearer token that VS Code sends from the
 * server definition's headers; a request without it gets 401 before the SDK sees it. Stateless:
 * each request gets its own server and transport. The proposing tools are listed only while the
 * user allows them (directoryRecords.mcp.allowProposals), and refused when called otherwise.
 */
export async function startMcpServer(deps: AgentDeps): Promise<RunningMcpServer> {
  const token = randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const host = createToolHost(deps);
  const http = createServer((req, res) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }).end(JSON.stringify({ error: 'unauthorized' }));
      return;
    }
    void serve(req, res, deps, host).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    token,
    dispose: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, deps: AgentDeps, host: ReturnType<typeof createToolHost>): Promise<void> {
  const server = new Server({ name: 'directory-records', version: deps.extensionVersion }, { capabilities: { tools: {} } });
  const allowed = (): ToolKey[] => (Object.keys(TOOL_NAMES) as ToolKey[]).filter((key) => !isProposing(key) || mcpProposals());
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: allowed().map((key) => {
      // The descriptions and schemas the extension contributes to VS Code, so both say the same.
      const own = vscode.lm.tools.find((tool) => tool.name === TOOL_NAMES[key]);
      return { name: TOOL_NAMES[key], description: own?.description ?? TOOL_NAMES[key], inputSchema: { type: 'object' as const, ...(own?.inputSchema ?? {}) } };
    }),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const key = (Object.keys(TOOL_NAMES) as ToolKey[]).find((k) => TOOL_NAMES[k] === request.params.name);
    if (!key) return { content: [{ type: 'text' as const, text: vscode.l10n.t('There is no tool named "{0}".', request.params.name) }], isError: true };
    if (isProposing(key) && !mcpProposals()) {
      return { content: [{ type: 'text' as const, text: vscode.l10n.t('Refused: the Directory Records MCP server is read-only. The user can allow proposals with the setting directoryRecords.mcp.allowProposals.') }], isError: true };
    }
    const { text, refused } = await runTool(key, request.params.arguments ?? {}, host);
    return { content: [{ type: 'text' as const, text }], isError: refused };
  });
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
}
