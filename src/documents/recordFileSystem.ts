import { msg } from '../api/text';
import * as vscode from 'vscode';
import { ApiError, isApiError } from '../api/errors';
import { computeChanges, hasChanges } from '../api/recordChanges';
import { resourceFor, type ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import type { SiteApi } from '../sites/siteApi';
import type { SiteConnections } from '../sites/siteConnections';
import { OpenedRecords, recordText, type OpenedRecord } from './openedRecords';
import { draftUri, parseRecordUri, recordUri, RECORD_SCHEME, type RecordAddress } from './recordUri';
import { checkDraftFields, draftTemplate, parseRecordText } from './recordValidation';
import { errorText } from '../messages/errorText';
import { profileOf } from '../sites/siteConfig';
import { isWriteRefused } from '../sites/writeGate';

/** The server's record differs from the one the edit started from. */
export class SaveConflictError extends Error {
  constructor(
    readonly uri: vscode.Uri,
    readonly server: ApiRecord,
    message: string,
  ) {
    super(message);
  }
}

export interface RecordEvents {
  /** After a save or any other change we made: the server's version, re-read. */
  saved(address: RecordAddress, record: ApiRecord): void;
  created(address: RecordAddress, record: ApiRecord, draft: vscode.Uri): void;
  conflict(error: SaveConflictError): void;
}

/**
 * Every record document lives here, on one scheme (the Azure Databases shape). Unlike
 * theirs, a failed write throws, so the editor stays dirty and nothing typed is lost.
 */
export class RecordFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  readonly opened = new OpenedRecords();
  private readonly drafts = new Map<string, { text: string; mtime: number }>();
  /** VS Code asks stat() and readFile() at once when it opens a file: one GET serves both. */
  private readonly fetching = new Map<string, Promise<OpenedRecord>>();
  private readonly subscriptions: vscode.Disposable[];
  /** Documents whose next write follows an explicit save (Ctrl+S, Save, Save All): only those are sent. */
  private readonly explicitSaves = new Set<string>();
  /** The profile each open record was last stat'ed under, so a profile change can re-stat it. */
  private readonly readOnlyShown = new Map<string, boolean>();
  private nextDraft = 1;

  constructor(
    private readonly connections: SiteConnections,
    private readonly events: RecordEvents,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // A record is read from the server once per opening; closing forgets it, so the next
    // opening (or a window reload) reads it fresh.
    this.subscriptions = [
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === RECORD_SCHEME) this.forget(doc.uri);
      }),
      // VS Code cannot veto an auto-save, so the write that follows one is refused instead.
      vscode.workspace.onWillSaveTextDocument((event) => {
        if (event.document.uri.scheme !== RECORD_SCHEME) return;
        const key = event.document.uri.toString();
        if (event.reason === vscode.TextDocumentSaveReason.Manual) this.explicitSaves.add(key);
        else this.explicitSaves.delete(key);
      }),
      // A site whose profile changed: VS Code re-stats its open records (read-only or not).
      connections.onDidChange(() => {
        const changed = [...this.readOnlyShown].filter(([key, shown]) => this.siteReadOnly(vscode.Uri.parse(key)) !== shown);
        if (changed.length > 0) this.changed.fire(changed.map(([key]) => ({ type: vscode.FileChangeType.Changed, uri: vscode.Uri.parse(key) })));
      }),
    ];
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const address = this.address(uri);
    if (address.draft !== undefined) {
      const draft = this.drafts.get(uri.toString());
      if (!draft) throw vscode.FileSystemError.FileNotFound(uri);
      return { type: vscode.FileType.File, ctime: draft.mtime, mtime: draft.mtime, size: Buffer.byteLength(draft.text) };
    }
    const entry = await this.current(uri, address);
    const resource = this.resource(address);
    const readOnly = this.siteReadOnly(uri);
    this.readOnlyShown.set(uri.toString(), readOnly);
    return {
      type: vscode.FileType.File,
      ctime: entry.mtime,
      mtime: entry.mtime,
      size: Buffer.byteLength(recordText(entry.record)),
      permissions: resource.canUpdate && !readOnly ? undefined : vscode.FilePermission.Readonly,
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const address = this.address(uri);
    if (address.draft !== undefined) {
      const draft = this.drafts.get(uri.toString());
      if (!draft) throw vscode.FileSystemError.FileNotFound(uri);
      return Buffer.from(draft.text);
    }
    return Buffer.from(recordText((await this.current(uri, address)).record));
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const address = this.address(uri);
    const resource = this.resource(address);
    if (!resource.canUpdate) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Copernica clicks are read-only: the API cannot change them.'));
    const text = Buffer.from(content).toString('utf8');
    if (!this.explicitSaves.delete(uri.toString())) {
      this.log.warn(`[${address.site}] ${uri.path}: a write that did not follow an explicit save was refused (Auto Save?); nothing was sent`);
      throw new Error(vscode.l10n.t('Not sent: records are sent to the site only when you save them yourself (Ctrl+S). Auto Save never writes to a site; your edit is still here.'));
    }
    try {
      if (address.draft !== undefined) await this.createFromDraft(uri, address, resource, text);
      else await this.update(uri, address, resource, text);
    } catch (error) {
      if (error instanceof SaveConflictError) {
        this.events.conflict(error);
        throw error;
      }
      if (isWriteRefused(error, 'cancelled')) throw new Error(vscode.l10n.t('Not sent: cancelled'));
      if (isWriteRefused(error)) throw new Error(vscode.l10n.t('Not sent: {0}', error.message));
      throw new Error(vscode.l10n.t('Not saved: {0}', errorText(error)));
    }
  }

  /** A new, unsaved record document with a template of the model's fields. */
  newDraft(site: string, resource: ResourceDescriptor): vscode.Uri {
    const uri = draftUri(site, resource.model, this.nextDraft++);
    this.drafts.set(uri.toString(), { text: recordText(draftTemplate(resource)), mtime: Date.now() });
    return uri;
  }

  /**
   * Reads an open, unmodified record again. VS Code keeps a closed document's text for a
   * while and reopens it without asking the provider, so opening from the tree calls this.
   */
  async reload(uri: vscode.Uri): Promise<void> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc || doc.isDirty) return;
    const before = this.opened.get(uri.toString());
    const after = await this.fetch(uri, this.address(uri));
    if (before && before.mtime === after.mtime) return;
    const updated = new Promise<void>((resolve) => {
      const done = vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.toString() !== uri.toString()) return;
        done.dispose();
        resolve();
      });
      setTimeout(() => {
        done.dispose();
        resolve();
      }, 3000);
    });
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    await updated;
  }

  /** Makes the given server version the base of the next save or revert. */
  rebase(uri: vscode.Uri, server: ApiRecord): void {
    this.opened.rebase(uri.toString(), server);
  }

  /** The record as the server has it now, without touching the document's base. */
  async serverRecord(uri: vscode.Uri): Promise<ApiRecord> {
    const address = this.address(uri);
    return (await this.api(address)).get(this.resource(address), address.id!);
  }

  forget(uri: vscode.Uri): void {
    this.opened.delete(uri.toString());
    this.drafts.delete(uri.toString());
    this.readOnlyShown.delete(uri.toString());
    this.explicitSaves.delete(uri.toString());
  }

  async api(address: RecordAddress): Promise<SiteApi> {
    const site = this.connections.find(address.site);
    if (!site) throw new ApiError('invalidInput', msg`Site "${address.site}" is not configured any more.`);
    const api = await this.connections.api(site);
    if (!api) throw new ApiError('invalidKey', msg`No API key is set for "${address.site}". Use "Set API Key…" on the site.`);
    return api;
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

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }

  private siteReadOnly(uri: vscode.Uri): boolean {
    const address = parseRecordUri(uri);
    const site = address && this.connections.find(address.site);
    return site !== undefined && profileOf(site) === 'readOnly';
  }

  private async update(uri: vscode.Uri, address: RecordAddress, resource: ResourceDescriptor, text: string): Promise<void> {
    const base = this.opened.get(uri.toString());
    if (!base) throw new ApiError('invalidInput', msg`This record was not read from the server in this window; reopen it and apply the change again.`);
    const edited = parseRecordText(text);
    // Refuse bad fields before any request, naming the field.
    const changes = computeChanges(resource, base.record, edited);
    // Only whitespace or order changed: nothing to send, and the text under the cursor stays as typed.
    if (!hasChanges(changes)) return;
    const api = await this.api(address);
    const server = await api.get(resource, address.id!);
    if (!sameVersion(resource, base.record, server)) {
      throw new SaveConflictError(uri, server, vscode.l10n.t('{0} {1} changed on the server since you opened it. Nothing was sent: choose Compare, Overwrite or Discard my changes.', capitalise(resource.singular), address.id!));
    }
    await api.update(resource, base.record, edited);
    const fresh = await api.get(resource, address.id!);
    this.opened.set(uri.toString(), fresh);
    this.events.saved(address, fresh);
    // Once VS Code has finished the save, a later mtime makes it load the server's version
    // (its normalisation included) into the editor.
    const key = uri.toString();
    const saved = vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.uri.toString() !== key) return;
      saved.dispose();
      this.opened.touch(key);
      this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    });
    setTimeout(() => saved.dispose(), 30_000);
  }

  private async createFromDraft(uri: vscode.Uri, address: RecordAddress, resource: ResourceDescriptor, text: string): Promise<void> {
    const fields = checkDraftFields(resource, parseRecordText(text));
    const api = await this.api(address);
    const created = await api.create(resource, fields);
    this.drafts.set(uri.toString(), { text, mtime: Date.now() });
    const id = created[resource.primaryKey];
    if (!id) throw new ApiError('unexpectedReply', msg`The ${resource.singular} was created, but the reply did not include its ${resource.primaryKey}. Refresh the tree to find it.`);
    const target = recordUri(address.site, address.model, id);
    const full = await api.get(resource, id).catch(() => created);
    this.opened.set(target.toString(), full);
    this.events.created({ ...address, id, draft: undefined }, full, uri);
  }

  /** The record this opening works on: read from the server the first time, then kept. */
  private current(uri: vscode.Uri, address: RecordAddress): Promise<OpenedRecord> {
    const key = uri.toString();
    const known = this.opened.get(key);
    if (known) return Promise.resolve(known);
    let pending = this.fetching.get(key);
    if (!pending) {
      pending = this.fetch(uri, address).finally(() => this.fetching.delete(key));
      this.fetching.set(key, pending);
    }
    return pending;
  }

  private async fetch(uri: vscode.Uri, address: RecordAddress): Promise<OpenedRecord> {
    try {
      const api = await this.api(address);
      const record = await api.get(this.resource(address), address.id!);
      return this.opened.set(uri.toString(), record);
    } catch (error) {
      if (isApiError(error, 'notFound')) throw vscode.FileSystemError.FileNotFound(uri);
      throw vscode.FileSystemError.Unavailable(errorText(error));
    }
  }

  private address(uri: vscode.Uri): RecordAddress {
    const address = parseRecordUri(uri);
    if (!address || uri.scheme !== RECORD_SCHEME) throw vscode.FileSystemError.FileNotFound(uri);
    return address;
  }

  private resource(address: RecordAddress): ResourceDescriptor {
    return resourceFor(address.model)!;
  }
}

/** By revision_timestamp where the model has one; otherwise the whole record must be unchanged. */
export function sameVersion(resource: ResourceDescriptor, opened: ApiRecord, server: ApiRecord): boolean {
  if (resource.revisionField && opened[resource.revisionField]) return opened[resource.revisionField] === server[resource.revisionField];
  const keys = new Set([...Object.keys(opened), ...Object.keys(server)]);
  for (const key of keys) if ((opened[key] ?? null) !== (server[key] ?? null)) return false;
  return true;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
