import * as vscode from 'vscode';
import { webviewPage } from '../webview/webviewPage';
import type { ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import { renderText, type LocalisableText } from '../api/text';
import { errorText } from '../messages/errorText';
import type { ResourceQuery } from '../sites/siteApi';
import { profileOf } from '../sites/siteConfig';
import { listingQuery } from '../tree/listingQuery';
import { COMMANDS } from '../commandIds';
import { Disposable } from '../lifecycle/disposable';
import { parseSnapshot, TableModel, type RowDiff, type TableEdit } from './tableModel';
import type { CellEdit, ColumnLayout, HostMessage, TableRow, TableView, WebviewMessage } from './tableProtocol';
import type { TableDeps } from './tableRegistration';
import { cellRefusal, planPaste, tableColumns } from './tableRules';
import { saveTable, TableTexts, type ReviewAnswer, type TableSaveSummary } from './tableSave';
import { parseTableUri } from './tableViewType';
import { parseTsv } from './tsv';

const LAYOUTS_KEY = 'directoryRecords.tableLayouts';

const words = (text: LocalisableText): string => renderText(text, (template, args) => vscode.l10n.t(template, ...args));

/** One table's records as the custom editor holds them: the loaded pages, the edits, the paging. */
export class TableDocument implements vscode.CustomDocument {
  readonly model: TableModel;
  total: number | undefined;
  cursor: string | undefined;
  /** The first page has come back (or failed). */
  loaded = false;
  loading: Promise<void> | undefined;
  error: string | undefined;
  /** What the first page was read with, so later pages go on alike. */
  query: ResourceQuery | undefined;
  readonly panels = new Set<vscode.WebviewPanel>();
  readonly abort = new AbortController();
  lastSummary: TableSaveSummary | undefined;

  constructor(
    readonly uri: vscode.Uri,
    readonly site: string,
    readonly resource: ResourceDescriptor,
    private readonly onDispose: (document: TableDocument) => void,
  ) {
    this.model = new TableModel(resource.primaryKey);
  }

  dispose(): void {
    this.abort.abort();
    this.onDispose(this);
  }
}

/** What the in-host tests and the agent's tool drive a table with: the same paths as the webview's messages. */
export interface TableHandle {
  readonly uri: vscode.Uri;
  /** Resolves once the loading page (if any) is in. */
  settled(): Promise<void>;
  ids(): readonly string[];
  value(id: string, field: string): string | null | undefined;
  changedRows(): RowDiff[];
  total(): number | undefined;
  /** Cell edits as the grid sends them; resolves with the refusals' reasons (cells refused change nothing). */
  edit(cells: readonly CellEdit[]): string[];
  revert(id: string, field?: string): void;
  /** Pastes tab-separated text at a row, over these columns (the visible ones from the active cell on); the refusal, if any. */
  paste(text: string, rowIndex: number, columns: readonly string[]): string | undefined;
  loadMore(): Promise<void>;
  /** A row's Show Save History, as its Alt+H in the grid runs it; resolves with what the command returned. */
  showHistory(id: string): Thenable<unknown>;
  /** Under the test harness: how the review is answered instead of the modal. */
  answerReview(answer: ReviewAnswer | undefined): void;
  lastSummary(): TableSaveSummary | undefined;
}

/** The table's custom editors: documents, their webviews, edits, save, revert and backup. */
export class TableEditors extends Disposable {
  private readonly documents = new Map<string, TableDocument>();
  private reviewAnswer: ReviewAnswer | undefined;
  private readonly texts = new TableTexts();

  constructor(
    private readonly deps: TableDeps,
    private readonly fireEdit: (event: vscode.CustomDocumentEditEvent<TableDocument>) => void,
  ) {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(TableTexts.scheme, this.texts));
    this._register(
      deps.records.follow((change) => {
        // Records saved elsewhere (a document, a bulk job): rows not edited here show the server's values.
        for (const document of this.documents.values()) {
          if (document.site !== change.site || document.resource.model !== change.resource.model) continue;
          let moved = false;
          for (const record of change.saved) {
            const id = record[document.resource.primaryKey];
            if (id && document.model.base(id) && !document.model.diff(id)) {
              document.model.saved(id, record);
              moved = true;
            }
          }
          if (moved) this.refresh(document);
        }
      }),
    );
  }

  async openDocument(uri: vscode.Uri, context: vscode.CustomDocumentOpenContext, _token: vscode.CancellationToken): Promise<TableDocument> {
    const target = parseTableUri(uri);
    if (!target) throw new Error(vscode.l10n.t('{0} is not a table of Directory Records.', uri.toString()));
    const document = new TableDocument(uri, target.site, target.resource, (d) => {
      if (this.documents.get(d.uri.toString()) === d) this.documents.delete(d.uri.toString());
    });
    this.deps.log.debug(`table opened: ${uri.toString()}${context.backupId ? ' from its backup' : ''}`);
    if (context.backupId) {
      try {
        const snapshot = parseSnapshot(JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.parse(context.backupId))).toString('utf8')));
        if (snapshot) document.model.restore(snapshot);
      } catch (error) {
        this.deps.log.warn(`the table's backup could not be read: ${errorText(error)}`);
      }
    }
    this.documents.set(uri.toString(), document);
    // The first page is read at once; the editor shows "Loading…" meanwhile.
    void this.loadMore(document);
    return document;
  }

  async resolveEditor(document: TableDocument, panel: vscode.WebviewPanel, _token: vscode.CancellationToken): Promise<void> {
    document.panels.add(panel);
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'dist')] };
    panel.webview.html = webviewPage(panel.webview, this.deps.extensionUri, 'tableWebview', vscode.l10n.t('{0} of "{1}"', document.resource.plural, document.site));
    const listener = panel.webview.onDidReceiveMessage((message: WebviewMessage) => void this.receive(document, panel, message));
    panel.onDidDispose(() => {
      listener.dispose();
      document.panels.delete(panel);
    });
  }

  /** Ctrl+S: the review, then the rows one by one through the record service. */
  async save(document: TableDocument, token: vscode.CancellationToken): Promise<void> {
    const summary = await saveTable(document, this.deps, token, this.texts, this.reviewAnswer, () => this.refresh(document));
    document.lastSummary = summary;
    this.refresh(document);
    if (summary.kept > 0) {
      // VS Code marks the document clean when this returns: the rows not saved are kept as a new
      // edit, so the document stays dirty with them (undoing that edit changes no cell).
      setTimeout(() => this.fireEdit({ document, label: vscode.l10n.t('Keep unsaved rows'), undo: () => undefined, redo: () => undefined }), 0);
    }
  }

  async saveAs(_document: TableDocument, _destination: vscode.Uri, _token: vscode.CancellationToken): Promise<void> {
    throw new Error(vscode.l10n.t('A table is saved to its site, not to a file: use Save.'));
  }

  async revert(document: TableDocument, _token: vscode.CancellationToken): Promise<void> {
    this.deps.log.debug(`table reverted: ${document.uri.toString()}`);
    document.model.clearEdits();
    this.refresh(document);
  }

  async backup(document: TableDocument, context: vscode.CustomDocumentBackupContext, _token: vscode.CancellationToken): Promise<vscode.CustomDocumentBackup> {
    await vscode.workspace.fs.writeFile(context.destination, Buffer.from(JSON.stringify(document.model.snapshot())));
    return {
      id: context.destination.toString(),
      delete: () => void vscode.workspace.fs.delete(context.destination).then(undefined, () => undefined),
    };
  }

  handle(uri: vscode.Uri): TableHandle | undefined {
    const document = this.documents.get(uri.toString());
    if (!document) return undefined;
    return {
      uri,
      settled: async () => {
        while (document.loading) await document.loading;
      },
      ids: () => document.model.ids,
      value: (id, field) => document.model.value(id, field),
      changedRows: () => document.model.diffs(),
      total: () => document.total,
      edit: (cells) => this.edit(document, cells),
      revert: (id, field) => this.revertCells(document, id, field),
      paste: (text, rowIndex, columns) => this.paste(document, text, rowIndex, columns),
      loadMore: () => this.loadMore(document),
      showHistory: (id) => this.showHistory(document, id),
      answerReview: (answer) => {
        if (this.deps.testing) this.reviewAnswer = answer;
      },
      lastSummary: () => document.lastSummary,
    };
  }

  private async receive(document: TableDocument, panel: vscode.WebviewPanel, message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.post(panel, { type: 'view', view: this.view(document) });
        return;
      case 'edit':
        for (const reason of this.edit(document, message.cells, panel)) void reason;
        return;
      case 'loadMore':
        return this.loadMore(document);
      case 'revert':
        this.revertCells(document, message.id, message.field);
        return;
      case 'history':
        await this.showHistory(document, message.id);
        return;
      case 'layout':
        await this.saveLayout(document, message.layout);
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        return;
      case 'paste': {
        const refusal = this.paste(document, message.text ?? (await vscode.env.clipboard.readText()), message.rowIndex, message.columns);
        if (refusal) void vscode.window.showWarningMessage(refusal);
        return;
      }
    }
  }

  /** Show Save History of a row's record, as its context menu runs it (the plain `{ site, resource, id }` form). */
  private showHistory(document: TableDocument, id: string): Thenable<unknown> {
    return vscode.commands.executeCommand(COMMANDS.showSaveHistory, { site: document.site, resource: document.resource.model, id });
  }

  /** Validates each cell by the record document's rules; the valid ones become one undoable edit. Returns the refusals. */
  private edit(document: TableDocument, cells: readonly CellEdit[], panel?: vscode.WebviewPanel): string[] {
    const refusals: string[] = [];
    const accepted: CellEdit[] = [];
    const site = this.deps.connections.find(document.site);
    for (const cell of cells) {
      const base = document.model.base(cell.id);
      if (!base) continue;
      const reason = site && profileOf(site) === 'readOnly' ? vscode.l10n.t('"{0}" is Read-only (its write profile): its records cannot be edited here.', site.name) : cellRefusal(document.resource, base, cell.field, cell.value);
      if (reason !== undefined) {
        const text = typeof reason === 'string' ? reason : words(reason);
        refusals.push(text);
        if (panel) this.post(panel, { type: 'refused', id: cell.id, field: cell.field, reason: text });
        continue;
      }
      accepted.push(cell);
    }
    const edit = document.model.apply(accepted, accepted.length === 1 ? vscode.l10n.t('Edit cell') : vscode.l10n.t('Edit {0} cells', accepted.length));
    if (edit) this.pushEdit(document, edit);
    else if (refusals.length > 0) this.refresh(document);
    return refusals;
  }

  private revertCells(document: TableDocument, id: string, field: string | undefined): void {
    const edit = document.model.revert(id, field, field === undefined ? vscode.l10n.t('Revert Row') : vscode.l10n.t('Revert Cell'));
    if (edit) this.pushEdit(document, edit);
  }

  private paste(document: TableDocument, text: string, rowIndex: number, columnKeys: readonly string[]): string | undefined {
    const all = tableColumns(document.resource, this.records(document));
    const columns = columnKeys.flatMap((key) => all.find((c) => c.key === key) ?? []);
    const plan = planPaste(parseTsv(text), document.model.ids, rowIndex, columns);
    if (plan.kind === 'refused') return words(plan.reason);
    const refusals = this.edit(document, plan.cells);
    return refusals.length > 0 ? refusals.join(' ') : undefined;
  }

  private pushEdit(document: TableDocument, edit: TableEdit): void {
    this.refresh(document);
    this.fireEdit({
      document,
      label: edit.label,
      undo: () => {
        document.model.undo(edit);
        this.refresh(document);
      },
      redo: () => {
        document.model.redo(edit);
        this.refresh(document);
      },
    });
  }

  /** The next page (the first when none is loaded): one request, at the site's pace. */
  private loadMore(document: TableDocument): Promise<void> {
    if (document.loading) return document.loading;
    if (document.loaded && document.cursor === undefined) return Promise.resolve();
    document.loading = (async () => {
      try {
        const reads = await this.deps.connections.require(document.site);
        if (!document.loaded) {
          const state = this.deps.tree.state({ site: document.site, model: document.resource.model });
          document.query = listingQuery(document.resource.api, state.query, state.sort, new Date());
        }
        const page = await reads.listPage(document.resource, { pageSize: this.deps.connections.settings.pageSize, cursor: document.cursor, query: document.query, signal: document.abort.signal });
        document.model.append(page.records);
        if (page.total !== undefined) document.total = page.total;
        else if (page.remaining !== undefined) document.total = document.model.ids.length - page.records.length + page.remaining;
        document.cursor = page.nextCursor;
        document.error = undefined;
      } catch (error) {
        document.error = errorText(error);
      } finally {
        document.loaded = true;
        document.loading = undefined;
        this.refresh(document);
      }
    })();
    this.refresh(document);
    return document.loading;
  }

  private records(document: TableDocument): ApiRecord[] {
    return document.model.ids.map((id) => document.model.base(id)!);
  }

  private view(document: TableDocument): TableView {
    const rows: TableRow[] = document.model.ids.map((id) => ({ id, server: document.model.base(id)!, edited: document.model.editedValues(id) }));
    const site = this.deps.connections.find(document.site);
    return {
      title: vscode.l10n.t('{0} of "{1}"', document.resource.plural, document.site),
      primaryKey: document.resource.primaryKey,
      columns: tableColumns(document.resource, this.records(document)),
      rows,
      total: document.total,
      more: document.cursor !== undefined,
      loading: document.loading !== undefined,
      ...(document.error ? { error: document.error } : {}),
      readOnlySite: site !== undefined && profileOf(site) === 'readOnly',
      row: { site: document.site, resource: document.resource.model },
      layout: this.layoutOf(document),
      text: tableText(),
    };
  }

  private refresh(document: TableDocument): void {
    if (document.panels.size === 0) return;
    const view = this.view(document);
    for (const panel of document.panels) this.post(panel, { type: 'view', view });
  }

  private post(panel: vscode.WebviewPanel, message: HostMessage): void {
    void panel.webview.postMessage(message);
  }

  private layoutOf(document: TableDocument): ColumnLayout {
    const all = this.deps.memento.get<Record<string, ColumnLayout>>(LAYOUTS_KEY) ?? {};
    return all[`${document.site}/${document.resource.model}`] ?? { order: [], widths: {}, hidden: [] };
  }

  private async saveLayout(document: TableDocument, layout: ColumnLayout): Promise<void> {
    const all = { ...(this.deps.memento.get<Record<string, ColumnLayout>>(LAYOUTS_KEY) ?? {}) };
    all[`${document.site}/${document.resource.model}`] = layout;
    await this.deps.memento.update(LAYOUTS_KEY, all);
  }
}

/** The webview's words, localised here (the webview has no l10n of its own). */
function tableText(): Record<string, string> {
  return {
    loading: vscode.l10n.t('Loading…'),
    loaded: vscode.l10n.t('{0} of {1} loaded'),
    loadedUnknown: vscode.l10n.t('{0} loaded'),
    changed: vscode.l10n.t('changed'),
    changedRow: vscode.l10n.t('{0} changed fields'),
    readOnly: vscode.l10n.t('read-only'),
    readOnlySite: vscode.l10n.t('This site is Read-only: nothing can be edited.'),
    revertCell: vscode.l10n.t('Revert Cell'),
    revertRow: vscode.l10n.t('Revert Row'),
    changedRows: vscode.l10n.t('{0} changed rows'),
    hide: vscode.l10n.t('Hide column'),
    showAll: vscode.l10n.t('Show all columns'),
    was: vscode.l10n.t('was {0}'),
    empty: vscode.l10n.t('(empty)'),
    help: vscode.l10n.t('Enter or F2 edits a cell, Escape cancels, Ctrl+C copies the selected range (Shift+arrows widen it), Ctrl+V pastes a range, Ctrl+S reviews and saves. Alt+H (or the row\'s context menu: right-click, Shift+F10) shows the row\'s save history.'),
  };
}

