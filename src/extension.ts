import * as vscode from 'vscode';
import { resolveConflict, showSaveNotice } from './commands/recordLifecycle';
import { COMMANDS, type CommandId } from './commandIds';
import { registerCommands } from './commands/registerCommands';
import { BULK_SCHEME, BulkJobs } from './bulk/bulkJobs';
import { DeletionJournal } from './records/deletionJournal';
import { RecordService } from './records/recordService';
import { DEFAULT_HISTORY_LIMITS, SaveHistory } from './records/saveHistory';
import { treeFollower } from './tree/recordsFollower';
import { RecordBases } from './documents/recordBases';
import { RecordEditorRegistration } from './documents/recordEditorRegistration';
import { RecordFileSystem } from './documents/recordFileSystem';
import { parseRecordUri, RECORD_SCHEME, SERVER_SCHEME } from './documents/recordUri';
import { RecordStore } from './documents/recordStore';
import { ServerVersionProvider } from './documents/serverVersionProvider';
import { HISTORY_SCHEME, SaveHistoryVersions } from './documents/saveHistoryDocuments';
import { SiteConnections } from './sites/siteConnections';
import { SiteSecrets } from './sites/siteSecrets';
import { confirmWithModal } from './sites/writeGate';
import { SiteStatusItem } from './status/siteStatusItem';
import { RecordsTreeModel } from './tree/recordsTreeModel';
import { RecordsTreeProvider, SITES_VIEW_ID } from './tree/recordsTreeProvider';
import { LoadProgress } from './tree/loadProgress';
import { UnreadBadge } from './tree/unreadBadge';
import { InsightsRegistration } from './insights/insightsRegistration';
import { TableRegistration } from './table/tableRegistration';
import type { TreeNode } from './tree/treeNodes';
import { AgentRegistration } from './agent/agentRegistration';

/** What activate() returns: the Sites tree as VS Code sees it, for in-host tests and other extensions. */
export interface DirectoryRecordsExports {
  readonly tree: vscode.TreeDataProvider<TreeNode>;
  readonly treeView: vscode.TreeView<TreeNode>;
  /** Where the "Directory Records" log channel writes. */
  readonly logUri: vscode.Uri;
  /** The site status bar item's text (empty while hidden), for in-host tests. */
  readonly siteStatus: () => string | undefined;
  /** Only under the test harness (ExtensionMode.Test): see `TestingHooks`. */
  readonly testing?: TestingHooks;
}

/** What the in-host tests get besides the public exports; absent in a normal install. */
export interface TestingHooks {
  /**
   * Runs a command as a normal install (ExtensionMode.Production) runs it: the arguments are
   * parsed with that mode, so the tests' programmatic answers are dropped (commandArgs.ts).
   */
  readonly runAsInProduction: (command: CommandId, ...args: unknown[]) => Promise<unknown>;
  /** The MCP server's address while it runs (never its token). */
  readonly mcpUrl: () => Promise<string | undefined>;
}

/** Wires the parts together; each part owns its behaviour and its dispose. */
export function activate(context: vscode.ExtensionContext): DirectoryRecordsExports {
  const log = vscode.window.createOutputChannel('Directory Records', { log: true });
  const secrets = new SiteSecrets(context.secrets);
  const connections = new SiteConnections(secrets, log, confirmWithModal);
  const model = new RecordsTreeModel(connections, context.globalState);
  const provider = new RecordsTreeProvider(model);
  const treeView = vscode.window.createTreeView(SITES_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true, canSelectMany: true });
  const journal = new DeletionJournal(context.globalStorageUri);
  // The view's badge counts unread notifications; the Website Notifications row shows its site's count.
  const unreadBadge = new UnreadBadge(model, treeView, provider.health);
  provider.showUnread(unreadBadge);
  const history = new SaveHistory(context.globalStorageUri, () => {
    const settings = vscode.workspace.getConfiguration('directoryRecords.saveHistory');
    return {
      maxEntriesPerRecord: settings.get<number>('maxEntriesPerRecord', DEFAULT_HISTORY_LIMITS.maxEntriesPerRecord),
      maxAgeDays: settings.get<number>('maxAgeDays', DEFAULT_HISTORY_LIMITS.maxAgeDays),
    };
  });
  const records = new RecordService(connections, journal, history, log);
  const store = new RecordStore(connections, records, new RecordBases(context.workspaceState));
  const files = new RecordFileSystem(store, connections, log);
  const status = new SiteStatusItem(connections, COMMANDS.siteActions);
  const insights = new InsightsRegistration(connections, context.extensionUri);
  const bulkJobs = new BulkJobs((site) => {
    const config = connections.find(site);
    return config ? connections.requestsPerMinute(config) : connections.settings.requestsPerMinute;
  });
  const table = new TableRegistration({ connections, records, tree: model, memento: context.workspaceState, extensionUri: context.extensionUri, log, testing: context.extensionMode === vscode.ExtensionMode.Test });
  const commandContext = { connections, model, provider, treeView, store, records, log, insights, bulkJobs, table };
  const commands = registerCommands(commandContext, context.extensionMode);
  // Language-model tools and the MCP server (off by default): registered here, loaded on first use.
  const agent = new AgentRegistration({
    connections,
    proposeBulk: async (plan, title) => (await import('./commands/bulkCommands')).proposeBulkJob(commandContext, plan, title),
    extensionVersion: String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0'),
  });
  const showActiveSite = (): void => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const fromEditor = uri && parseRecordUri(uri)?.site;
    const selected = treeView.selection[0];
    status.show(fromEditor ?? (selected && 'site' in selected ? selected.site : undefined));
  };

  context.subscriptions.push(
    log, secrets, connections, model, provider, treeView, store, files,
    unreadBadge,
    // A load past 2 s offers Cancel in a notification.
    new LoadProgress(model),
    vscode.workspace.registerFileSystemProvider(RECORD_SCHEME, files, { isCaseSensitive: true }),
    vscode.workspace.registerTextDocumentContentProvider(SERVER_SCHEME, new ServerVersionProvider(store)),
    // Registered at activation, not with the command: a history diff restored after Reload Window reads through it.
    vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, new SaveHistoryVersions((site, model, id) => records.savesOf(site, model, id))),
    bulkJobs,
    vscode.workspace.registerTextDocumentContentProvider(BULK_SCHEME, bulkJobs),
    treeView.onDidCollapseElement((event) => event.element.type === 'resource' && model.trim(event.element)),
    insights,
    table,
    ...commands.disposables,
    agent,
    // Every write, whoever made it, shown where the user looks (the open documents follow inside the store).
    records,
    records.follow(treeFollower(model, unreadBadge)),
    records.follow((change) => insights.recordsChanged(change)),
    store.onDidConflict((error) => void resolveConflict(store, error)),
    store.onDidNotice(showSaveNotice),
    status,
    vscode.window.onDidChangeActiveTextEditor(showActiveSite),
    treeView.onDidChangeSelection(showActiveSite),
    // The date hover, the Read-only lens, problems and the first-edit hint: with the first record document.
    new RecordEditorRegistration({ store, connections, globalState: context.globalState }),
    connections.onDidRefuseKey((refusal) => {
      log.warn(`[${refusal.site.name}] ${refusal.message}`);
      void offerKeyFix(refusal.message, refusal.site.name);
    }),
  );
  showActiveSite();
  // Not awaited: keys arriving later refresh the tree through the secrets' change event.
  void secrets.importFromEnvironment(process.env['DIRECTORY_RECORDS_DEV_SECRETS'], connections.settings.sites);
  const testing: TestingHooks | undefined =
    context.extensionMode === vscode.ExtensionMode.Test ? { runAsInProduction: (command, ...args) => commands.run(command, args, vscode.ExtensionMode.Production), mcpUrl: () => agent.serverUrl() } : undefined;
  return { tree: provider, treeView, logUri: context.logUri, siteStatus: () => status.text, ...(testing ? { testing } : {}) };
}

/** A key held back for a changed address: say so where the user is looking, with the fix. */
async function offerKeyFix(message: string, site: string): Promise<void> {
  const fix = vscode.l10n.t('Set API Key…');
  if ((await vscode.window.showWarningMessage(message, fix)) === fix) await vscode.commands.executeCommand(COMMANDS.setApiKey, { type: 'site', site });
}

export function deactivate(): void {}
