/**
 * The language-model tools, as package.json's contributes.languageModelTools names them
 * (test/unit/agent checks they agree). Activation registers these names only; each tool's code
 * is loaded on its first call.
 */
export const TOOL_NAMES = {
  listSites: 'directoryRecords_listSites',
  findRecords: 'directoryRecords_findRecords',
  getRecord: 'directoryRecords_getRecord',
  summarizeClicks: 'directoryRecords_summarizeClicks',
  openRecord: 'directoryRecords_openRecord',
  openTable: 'directoryRecords_openTable',
  proposeChanges: 'directoryRecords_proposeChanges',
  proposeBulk: 'directoryRecords_proposeBulk',
} as const;

export type ToolKey = keyof typeof TOOL_NAMES;

/** Tools that change something the user then saves or confirms: refused on a Read-only site, and over MCP unless allowed. */
export const PROPOSING_TOOLS: ReadonlySet<ToolKey> = new Set(['proposeChanges', 'proposeBulk']);

/** The id of the MCP server definition provider (package.json contributes.mcpServerDefinitionProviders). */
export const MCP_PROVIDER_ID = 'directoryRecords.mcp';
