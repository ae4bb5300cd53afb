import * as vscode from 'vscode';
import type { ResourceDescriptor } from '../api/resources';
import { Disposable } from '../lifecycle/disposable';
import type { RecordService } from '../records/recordService';
import type { SiteConnections } from '../sites/siteConnections';
import type { RecordsTreeModel } from '../tree/recordsTreeModel';
import type { TableDocument, TableEditors, TableHandle } from './tableEditor';
import { TABLE_VIEW_TYPE, tableUri } from './tableViewType';

/** What the table's editors work with, handed over when their code loads. */
export interface TableDeps {
  readonly connections: SiteConnections;
  readonly records: RecordService;
  /** The tree's listings: a table lists with the resource's filter and sort. */
  readonly tree: RecordsTreeModel;
  /** Column layouts per resource. */
  readonly memento: vscode.Memento;
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly testing: boolean;
}

/**
 * What activation holds of the table: the custom editor's registration (VS Code needs it to
 * bring tabs back after a reload), delegating to the editors' code, dist/tableEditor.js, loaded
 * on the first table opened or restored, as GitLens registers its webviews.
 */
export class TableRegistration extends Disposable {
  private editors: Promise<TableEditors> | undefined;
  private readonly edits = this._register(new vscode.EventEmitter<vscode.CustomDocumentEditEvent<TableDocument>>());

  constructor(private readonly deps: TableDeps) {
    super();
    const load = (): Promise<TableEditors> => this.load();
    const provider: vscode.CustomEditorProvider<TableDocument> = {
      onDidChangeCustomDocument: this.edits.event,
      openCustomDocument: async (uri, context, token) => (await load()).openDocument(uri, context, token),
      resolveCustomEditor: async (document, panel, token) => (await load()).resolveEditor(document, panel, token),
      saveCustomDocument: async (document, token) => (await load()).save(document, token),
      saveCustomDocumentAs: async (document, destination, token) => (await load()).saveAs(document, destination, token),
      revertCustomDocument: async (document, token) => (await load()).revert(document, token),
      backupCustomDocument: async (document, context, token) => (await load()).backup(document, context, token),
    };
    this._register(vscode.window.registerCustomEditorProvider(TABLE_VIEW_TYPE, provider, { supportsMultipleEditorsPerDocument: false }));
  }

  /** Opens (or shows) the table of a site's resource; resolves with its handle once its editor is shown. */
  async open(site: string, resource: ResourceDescriptor): Promise<TableHandle | undefined> {
    const uri = tableUri(site, resource);
    await vscode.commands.executeCommand('vscode.openWith', uri, TABLE_VIEW_TYPE);
    return (await this.load()).handle(uri);
  }

  private load(): Promise<TableEditors> {
    this.editors ??= import('./tableEditor').then((module) => this._register(new module.TableEditors(this.deps, (event) => this.edits.fire(event))));
    return this.editors;
  }
}
