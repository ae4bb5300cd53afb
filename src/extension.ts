import * as vscode from 'vscode';
import { recordEvents } from './commands/recordLifecycle';
import { registerCommands } from './commands/registerCommands';
import { DeletionJournal } from './documents/deletionJournal';
import { RecordFileSystem } from './documents/recordFileSystem';
import { RECORD_SCHEME, SERVER_SCHEME } from './documents/recordUri';
import { ServerVersionProvider } from './documents/serverVersionProvider';
import { SiteConnections } from './sites/siteConnections';
import { SiteSecrets } from './sites/siteSecrets';
import { RecordsTreeModel } from './tree/recordsTreeModel';
import { RecordsTreeProvider, SITES_VIEW_ID } from './tree/recordsTreeProvider';
import type { TreeNode } from './tree/treeNodes';

/** What activate() returns: the Sites tree as VS Code sees it, for in-host tests and other extensions. */
export interface DirectoryRecordsExports {
  readonly tree: vscode.TreeDataProvider<TreeNode>;
  readonly treeView: vscode.TreeView<TreeNode>;
  /** Where the "Directory Records" log channel writes. */
  readonly logUri: vscode.Uri;
}

/** Wires the parts together; each part owns its behaviour and its dispose. */
export function activate(context: vscode.ExtensionContext): DirectoryRecordsExports {
  const log = vscode.window.createOutputChannel('Directory Records', { log: true });
  const secrets = new SiteSecrets(context.secrets);
  const connections = new SiteConnections(secrets, log);
  const model = new RecordsTreeModel(connections);
  const provider = new RecordsTreeProvider(model);
  const treeView = vscode.window.createTreeView(SITES_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const files: RecordFileSystem = new RecordFileSystem(connections, recordEvents(model, () => files));
  const journal = new DeletionJournal(context.globalStorageUri);

  context.subscriptions.push(
    log, secrets, connections, model, provider, treeView, files,
    vscode.workspace.registerFileSystemProvider(RECORD_SCHEME, files, { isCaseSensitive: true }),
    vscode.workspace.registerTextDocumentContentProvider(SERVER_SCHEME, new ServerVersionProvider(files)),
    treeView.onDidCollapseElement((event) => event.element.type === 'resource' && model.trim(event.element)),
    ...registerCommands({ connections, model, provider, treeView, files, journal, log }),
  );
  // Not awaited: keys arriving later refresh the tree through the secrets' change event.
  void secrets.importFromEnvironment(process.env['DIRECTORY_RECORDS_DEV_SECRETS']);
  return { tree: provider, treeView, logUri: context.logUri };
}

export function deactivate(): void {}
