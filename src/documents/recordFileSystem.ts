import * as vscode from 'vscode';
import { isApiError } from '../api/errors';
import { Disposable } from '../lifecycle/disposable';
import { errorText } from '../messages/errorText';
import { showSaveFailure } from '../messages/saveFailure';
import { profileOf } from '../sites/siteConfig';
import type { SiteConnections } from '../sites/siteConnections';
import { isWriteRefused } from '../sites/writeGate';
import { parseRecordUri, RECORD_SCHEME, type RecordAddress } from './recordUri';
import { SaveConflictError, type RecordStore } from './recordStore';

/**
 * Every record document lives on one scheme (the Azure Databases shape): this provider only
 * routes each URI to the record store and turns its failures into file-system errors. Unlike
 * theirs, a failed write throws, so the editor stays dirty and nothing typed is lost.
 */
export class RecordFileSystem extends Disposable implements vscode.FileSystemProvider {
  private readonly changed = this._register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this.changed.event;
  /** Documents whose next write follows an explicit save (Ctrl+S, Save, Save All): only those are sent. */
  private readonly explicitSaves = new Set<string>();
  /** Whether each open record was last stat'ed read-only, so a profile change can re-stat it. */
  private readonly readOnlyShown = new Map<string, boolean>();

  constructor(
    private readonly store: RecordStore,
    private readonly connections: SiteConnections,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    for (const subscription of [
      store.onDidChangeFiles((uris) => this.changed.fire(uris.map((uri) => ({ type: vscode.FileChangeType.Changed, uri })))),
      // VS Code cannot veto an auto-save, so the write that follows one is refused instead.
      vscode.workspace.onWillSaveTextDocument((event) => {
        if (event.document.uri.scheme !== RECORD_SCHEME) return;
        const key = event.document.uri.toString();
        if (event.reason === vscode.TextDocumentSaveReason.Manual) this.explicitSaves.add(key);
        else this.explicitSaves.delete(key);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.explicitSaves.delete(doc.uri.toString());
        this.readOnlyShown.delete(doc.uri.toString());
      }),
      // A site whose profile changed: VS Code re-stats its open records (read-only or not).
      connections.onDidChange(() => {
        const changed = [...this.readOnlyShown].filter(([key, shown]) => this.siteReadOnly(vscode.Uri.parse(key)) !== shown);
        if (changed.length > 0) this.changed.fire(changed.map(([key]) => ({ type: vscode.FileChangeType.Changed, uri: vscode.Uri.parse(key) })));
      }),
    ]) this._register(subscription);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const address = this.address(uri);
    const { mtime, size } = await this.reading(uri, () => this.store.stat(uri, address));
    const readOnly = this.siteReadOnly(uri);
    this.readOnlyShown.set(uri.toString(), readOnly);
    return {
      type: vscode.FileType.File,
      ctime: mtime,
      mtime,
      size,
      permissions: address.resource.canUpdate && !readOnly ? undefined : vscode.FilePermission.Readonly,
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const address = this.address(uri);
    return Buffer.from(await this.reading(uri, () => this.store.read(uri, address)));
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const address = this.address(uri);
    if (!address.resource.canUpdate) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Copernica clicks are read-only: the API cannot change them.'));
    if (!this.explicitSaves.delete(uri.toString())) {
      this.log.warn(`[${address.site}] ${uri.path}: a write that did not follow an explicit save was refused (Auto Save?); nothing was sent`);
      throw new Error(vscode.l10n.t('Not sent: records are sent to the site only when you save them yourself (Ctrl+S). Auto Save never writes to a site; your edit is still here.'));
    }
    try {
      await this.store.save(uri, address, Buffer.from(content).toString('utf8'));
    } catch (error) {
      // VS Code shows the message of what writeFile throws as its save error, with a Retry.
      // A conflict has its own notification (Compare, Overwrite, Discard) and says so.
      if (error instanceof SaveConflictError) {
        this.log.warn(`[${address.site}] ${uri.path}: not saved, a conflict in ${error.fields.join(', ')}; nothing was sent`);
        throw new Error(error.message, { cause: error });
      }
      if (isWriteRefused(error, 'cancelled')) {
        this.log.info(`[${address.site}] ${uri.path}: save cancelled at the confirmation; nothing was sent`);
        throw new Error(vscode.l10n.t('Not sent: cancelled'), { cause: error });
      }
      // The log in English; API errors were masked where they were made, and keys never reach this layer.
      const kind = isApiError(error) ? ` (${error.kind === 'invalidKey' ? 'the key was refused' : error.kind})` : '';
      this.log.warn(`[${address.site}] ${uri.path}: ${isWriteRefused(error) ? 'Not sent' : 'Not saved'}${kind}: ${error instanceof Error ? error.message : String(error)}`);
      const text = isWriteRefused(error) ? vscode.l10n.t('Not sent: {0}', error.message) : vscode.l10n.t('Not saved: {0}', errorText(error));
      void showSaveFailure(address.site, text, error);
      throw new Error(vscode.l10n.t('Not saved: the Directory Records notification says why and what to do.'), { cause: error });
    }
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions();
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Use "Delete Record" to delete a record on the server.'));
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions();
  }

  private async reading<T>(uri: vscode.Uri, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof vscode.FileSystemError) throw error;
      if (isApiError(error, 'notFound')) throw vscode.FileSystemError.FileNotFound(uri);
      throw vscode.FileSystemError.Unavailable(errorText(error));
    }
  }

  private siteReadOnly(uri: vscode.Uri): boolean {
    const address = parseRecordUri(uri);
    const site = address && this.connections.find(address.site);
    return site !== undefined && profileOf(site) === 'readOnly';
  }

  private address(uri: vscode.Uri): RecordAddress {
    const address = parseRecordUri(uri);
    if (!address || uri.scheme !== RECORD_SCHEME) throw vscode.FileSystemError.FileNotFound(uri);
    return address;
  }
}
