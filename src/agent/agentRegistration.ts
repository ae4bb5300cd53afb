import * as vscode from 'vscode';
import type { BulkPlan } from '../bulk/bulkPlan';
import type { OutcomeCounts } from '../bulk/bulkOutcome';
import { Disposable } from '../lifecycle/disposable';
import type { SiteConnections } from '../sites/siteConnections';
import { MCP_PROVIDER_ID, TOOL_NAMES, type ToolKey } from './toolNames';

/** What the tools work with; built in extension.ts. */
export interface AgentDeps {
  readonly connections: SiteConnections;
  /** The bulk commands' own preview and confirmation for a plan (never confirmed in advance); undefined when not sent. */
  readonly proposeBulk: (plan: BulkPlan, title: string) => Promise<{ readonly counts: OutcomeCounts } | undefined>;
  readonly extensionVersion: string;
}

/**
 * Registers the language-model tools and the MCP server definition provider at activation,
 * and nothing more: each tool's code, zod and the MCP SDK are bundles of their own
 * (dist/agentTools.js, dist/mcpServer.js), loaded on the first call or when the server starts.
 */
export class AgentRegistration extends Disposable {
  private mcp: Promise<RunningServer> | undefined;
  private readonly mcpChanged = this._register(new vscode.EventEmitter<void>());

  constructor(private readonly deps: AgentDeps) {
    super();
    for (const [key, name] of Object.entries(TOOL_NAMES) as [ToolKey, string][]) {
      this._register(
        vscode.lm.registerTool<object>(name, {
          invoke: async (options, token) => (await import('./agentTools')).invokeAgentTool(deps, key, options.input, token),
          prepareInvocation: async (options) => (await import('./agentTools')).prepareAgentTool(key, options.input),
        }),
      );
    }
    this._register(
      vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
        onDidChangeMcpServerDefinitions: this.mcpChanged.event,
        provideMcpServerDefinitions: () => (mcpEnabled() ? [this.definition(undefined)] : []),
        resolveMcpServerDefinition: (definition) => this.resolve(definition),
      }),
    );
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration('directoryRecords.mcp')) return;
        if (!mcpEnabled()) void this.stop();
        this.mcpChanged.fire();
      }),
    );
    this._register({ dispose: () => void this.stop() });
  }

  /**
   * The definition VS Code lists. Until VS Code starts it, it names no port and no token: the
   * server itself (loopback, a random port, a random bearer token) starts only in `resolve`,
   * when VS Code is about to connect, so turning the setting on opens nothing by itself.
   */
  private definition(server: RunningServer | undefined): vscode.McpHttpServerDefinition {
    // The version changes with allowProposals, so VS Code asks the server for its tools again.
    const version = `${this.deps.extensionVersion}${mcpProposals() ? '+proposals' : ''}`;
    const uri = vscode.Uri.parse(server?.url ?? 'http://127.0.0.1/mcp');
    return new vscode.McpHttpServerDefinition(vscode.l10n.t('Directory Records'), uri, server ? { Authorization: `Bearer ${server.token}` } : {}, version);
  }

  private async resolve(given: vscode.McpServerDefinition): Promise<vscode.McpServerDefinition | undefined> {
    if (!mcpEnabled() || !(given instanceof vscode.McpHttpServerDefinition)) return undefined;
    this.mcp ??= import('./mcpServer').then((m) => m.startMcpServer(this.deps));
    return this.definition(await this.mcp);
  }

  /** Where the MCP server listens while it runs (for in-host tests: the token is not given out). */
  async serverUrl(): Promise<string | undefined> {
    return (await this.mcp?.catch(() => undefined))?.url;
  }

  private async stop(): Promise<void> {
    const running = this.mcp;
    this.mcp = undefined;
    await (await running?.catch(() => undefined))?.dispose();
  }
}

interface RunningServer {
  readonly url: string;
  readonly token: string;
  dispose(): Promise<void>;
}

/** Off unless the user turned it on (application scope: a workspace cannot). */
function mcpEnabled(): boolean {
  return vscode.workspace.getConfiguration('directoryRecords.mcp').get<boolean>('enabled', false) === true;
}

/** Whether the user lets the MCP server offer the proposing tools (application scope; off: read-only). */
export function mcpProposals(): boolean {
  return vscode.workspace.getConfiguration('directoryRecords.mcp').get<boolean>('allowProposals', false) === true;
}
