import * as vscode from 'vscode';
import { ApiError } from '../api/errors';
import { OpenRecord } from '../api/openRecord';
import type { ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import { msg } from '../api/text';
import type { RecordService } from '../records/recordService';
import type { RecordsChange } from '../records/recordsChange';
import type { ClickSearchProgress, SiteReads } from '../sites/siteApi';
import type { SiteConnections } from '../sites/siteConnections';
import { Disposable } from '../lifecycle/disposable';
import { closeRecordTabs } from './recordTabs';
import { documentEvent } from './documentEvent';
import { showCreatedRecord } from './createdRecordTab';
import { recordText } from '../api/recordText';
import type { RecordBases } from './recordBases';
import { draftUri, parseRecordUri, recordUri, type DraftAddress, type RecordAddress, type SavedRecordAddress } from './recordUri';
import { checkDraftFields, draftTemplate, parseRecordText } from './recordValidation';

/** A field changed on the server and in the editor to different values: nothing was sent. */
export class SaveConflictError extends Error {
  override readonly name = 'SaveConflictError';
  constructor(
    readonly uri: vscode.Uri,
    readonly server: ApiRecord,
    readonly fields: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

/** A save that went through, with what the user should know about it. */
export interface SaveNotice {
  readonly uri: vscode.Uri;
  readonly text: string;
  readonly warning: boolean;
}

/** How to look a record up when that takes several requests (a Copernica click by id). */
export interface RecordLookup {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ClickSearchProgress) => void;
}

interface Draft {
  text: string;
  readonly mtime: number;
}

/**
 * Owns what every open record document is based on: the record it was read from, the drafts of
 * new records, the mtimes VS Code checks. A save is decided by the open record (src/api/, plain)
 * and sent by the record service, the only code that writes; this follows the service's change
 * event to close and forget what was deleted. The file system provider only routes to it.
 */
export class RecordStore extends Disposable {
  private readonly records = new Map<string, OpenRecord>();
  private readonly drafts = new Map<string, Draft>();
  /** VS Code asks stat() and readFile() at once when it opens a file: one GET serves both. */
  private readonly fetching = new Map<string, Promise<OpenRecord>>();
  /** Documents whose next save takes my value for fields changed on both sides (Overwrite). */
  private readonly overwriting = new Set<string>();
  /** Saved documents that must read the server's version once VS Code has finished the save. */
  private readonly reloadAfterSave = new Set<string>();
  private clock = Date.now();
  private nextDraft = 1;

  private readonly changedFiles = this._register(new vscode.EventEmitter<vscode.Uri[]>());
  /** The served text of these documents changed: VS Code should read them again. */
  readonly onDidChangeFiles = this.changedFiles.event;
  private readonly conflicted = this._register(new vscode.EventEmitter<SaveConflictError>());
  readonly onDidConflict = this.conflicted.event;
  private readonly noticed = this._register(new vscode.EventEmitter<SaveNotice>());
  /** Something about a save the user should read: theirs merged in, a re-read that failed. */
  readonly onDidNotice = this.noticed.event;

  constructor(
    private readonly connections: SiteConnections,
    private readonly service: RecordService,
    private readonly bases: RecordBases,
  ) {
    super();
    this._register(
      service.follow((change) => {
        // A created record opens (a restored one too); a draft's tab becomes the record's once VS
        // Code has finished saving it (not awaited: the save waits for this).
        for (const created of change.created) void showCreatedRecord(change, created, (uri) => this.forget(uri));
        // A deleted record's tabs close (nothing to save: it is gone) before the delete's caller hears back.
        return this.deleted(change);
      }),
    );
    // A record is read from the server once per opening; closing forgets it.
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)));
    // The base of the next save is what the editor shows unmodified: it says when it loads a version.
    this._register(
      vscode.workspace.onDidChangeTextDocument(({ document }) => {
        const open = document.isDirty ? undefined : this.records.get(document.uri.toString());
        if (!open) return;
        open.editorHolds(document.getText());
        this.keep(document.uri.toString(), open);
      }),
    );
    this._register(
      // Only once VS Code has finished the save does a later mtime make it load the server's version.
      vscode.workspace.onDidSaveTextDocument((doc) => {
        const open = this.records.get(doc.uri.toString());
        if (!this.reloadAfterSave.delete(doc.uri.toString()) || !open) return;
        open.mtime = this.tick();
        this.keep(doc.uri.toString(), open);
        this.changedFiles.fire([doc.uri]);
      }),
    );
  }

  /** The site's reads, or a typed error saying why there are none. */
  private reads(site: string): Promise<SiteReads> {
    return this.connections.require(site);
  }

  /** The record the document's text came from, or undefined when it is not open. */
  baseOf(uri: vscode.Uri): ApiRecord | undefined {
    return this.records.get(uri.toString())?.served;
  }

  /** The record the editor's unmodified text came from: what the next save compares with. */
  shownOf(uri: vscode.Uri): ApiRecord | undefined {
    return this.records.get(uri.toString())?.shown;
  }

  async stat(uri: vscode.Uri, address: RecordAddress): Promise<{ mtime: number; size: number }> {
    if (address.kind === 'draft') {
      const draft = this.draft(uri);
      return { mtime: draft.mtime, size: Buffer.byteLength(draft.text) };
    }
    const open = await this.current(uri, address);
    return { mtime: open.mtime, size: Buffer.byteLength(recordText(open.served)) };
  }

  /** The text VS Code shows; from here on the editor's text comes from this record. */
  async read(uri: vscode.Uri, address: RecordAddress): Promise<string> {
    if (address.kind === 'draft') return this.draft(uri).text;
    const open = await this.current(uri, address);
    return recordText(open.served);
  }

  /** Ctrl+S on a record or a draft. Throws, sending nothing, when it cannot be saved as typed. */
  async save(uri: vscode.Uri, address: RecordAddress, text: string): Promise<void> {
    if (address.kind === 'draft') return this.create(uri, address, text);
    const key = uri.toString();
    const preferMine = this.overwriting.delete(key);
    const open = this.records.get(key) ?? this.restoredBase(key);
    if (!open) throw new ApiError('invalidInput', msg`This record was not read from the server in this window; reopen it and apply the change again.`);
    const result = await this.service.save(address, open, parseRecordText(text), { preferMine });
    if (result.kind === 'nothing') return;
    if (result.kind === 'conflict') {
      const error = new SaveConflictError(uri, result.server, result.fields, vscode.l10n.t(
        'Not saved: {0} {1} also changed on the server in {2}. Nothing was sent. Use the Directory Records notification to Compare, Overwrite or Discard.',
        address.resource.singular, address.id, result.fields.join(', ')));
      this.conflicted.fire(error);
      throw error;
    }
    // VS Code checks the mtime before it writes: it moves only once VS Code has finished this save.
    this.reloadAfterSave.add(key);
    this.keep(key, open);
    const warning = result.readBack ? undefined : vscode.l10n.t('Saved {0} {1}, but it could not be read back from the server; the document shows what was sent and is read again next time.', address.resource.singular, address.id);
    const theirsNote = result.theirsOnly.length > 0 ? vscode.l10n.t('Saved {0} {1}. Also changed on the server meanwhile, now shown: {2}.', address.resource.singular, address.id, result.theirsOnly.join(', ')) : undefined;
    const notice = warning ?? theirsNote ?? (result.alreadyThere ? vscode.l10n.t('{0} {1} already had your change on the server; nothing needed sending.', address.resource.singular, address.id) : undefined);
    if (notice) this.noticed.fire({ uri, text: notice, warning: warning !== undefined });
  }

  /** The next save of this document overwrites the fields changed on both sides with mine. */
  overwriteOnNextSave(uri: vscode.Uri): void {
    this.overwriting.add(uri.toString());
  }

  /** Drops the edit: the document shows the server's record as it is now. */
  async discard(uri: vscode.Uri, address: SavedRecordAddress): Promise<void> {
    const server = await (await this.reads(address.site)).get(address.resource, address.id);
    const key = uri.toString();
    const open = this.records.get(key);
    if (!open) {
      this.records.set(key, this.opened(key, server));
      return;
    }
    open.reset(server);
    open.mtime = this.tick();
    this.keep(key, open);
  }

  /** The record as the server has it now, without touching the document's base. */
  async serverRecord(address: SavedRecordAddress): Promise<ApiRecord> {
    return (await this.reads(address.site)).get(address.resource, address.id);
  }

  /**
   * Reads a record before it is shown: an open, unmodified one again (VS Code keeps a closed
   * document's text for a while and reopens it without asking, so opening from the tree calls
   * this), one not open yet ahead of VS Code, with the caller's progress and cancellation.
   */
  async reload(uri: vscode.Uri, lookup: RecordLookup = {}): Promise<void> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const address = parseRecordUri(uri);
    if (address?.kind !== 'saved' || doc?.isDirty) return;
    if (!doc) {
      if (!this.records.has(uri.toString())) await this.fetch(uri, address, lookup);
      return;
    }
    const before = this.records.get(uri.toString())?.mtime;
    const after = await this.fetch(uri, address, lookup);
    // The mtime moves only when the served text changed, so VS Code will change the document.
    if (before === after.mtime) return;
    const updated = documentEvent(uri, [vscode.workspace.onDidChangeTextDocument, (listener) => vscode.workspace.onDidCloseTextDocument((document) => listener({ document }))]);
    this.changedFiles.fire([uri]);
    await updated;
  }

  newDraft(site: string, resource: ResourceDescriptor): vscode.Uri {
    const uri = draftUri(site, resource.model, this.nextDraft++);
    this.drafts.set(uri.toString(), { text: recordText(draftTemplate(resource)), mtime: Date.now() });
    return uri;
  }

  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.records.delete(key);
    this.drafts.delete(key);
    this.overwriting.delete(key);
    this.reloadAfterSave.delete(key);
    this.bases.delete(key);
  }

  private async create(uri: vscode.Uri, address: DraftAddress, text: string): Promise<void> {
    const fields = checkDraftFields(address.resource, parseRecordText(text));
    const full = await this.service.create(address.site, address.resource, fields, uri);
    this.draft(uri).text = text;
    const target = recordUri(address.site, address.model, full[address.resource.primaryKey] ?? '');
    this.records.set(target.toString(), this.opened(target.toString(), full));
  }

  /** Records deleted through the service: their tabs close and their state goes. */
  private async deleted(change: RecordsChange): Promise<void> {
    if (change.deleted.length === 0) return;
    const uris = change.deleted.map((id) => recordUri(change.site, change.resource.model, id));
    await closeRecordTabs(uris);
    for (const uri of uris) this.forget(uri);
  }

  private keep(key: string, open: OpenRecord): void {
    this.bases.set(key, { bases: [open.shown], mtime: open.mtime });
  }

  /** After a window reload VS Code restores an unsaved document without reading it: its base is the kept one. */
  private restoredBase(key: string): OpenRecord | undefined {
    const kept = this.bases.get(key);
    if (!kept?.bases[0]) return undefined;
    const open = new OpenRecord(kept.bases[0], kept.mtime);
    this.records.set(key, open);
    return open;
  }

  /** The record this opening works on: read from the server the first time, then kept. */
  private current(uri: vscode.Uri, address: SavedRecordAddress): Promise<OpenRecord> {
    const key = uri.toString();
    const known = this.records.get(key);
    if (known) return Promise.resolve(known);
    let pending = this.fetching.get(key);
    if (!pending) {
      pending = this.fetch(uri, address).finally(() => this.fetching.delete(key));
      this.fetching.set(key, pending);
    }
    return pending;
  }

  /** Reads the server's record; the base stays what the editor's text came from. */
  private async fetch(uri: vscode.Uri, address: SavedRecordAddress, lookup: RecordLookup = {}): Promise<OpenRecord> {
    const key = uri.toString();
    const record = await (await this.reads(address.site)).get(address.resource, address.id, lookup.signal, lookup.onProgress);
    const open = this.records.get(key);
    if (!open) {
      // After a window reload, the mtime VS Code knows: a restored unsaved document saves with it.
      const kept = this.bases.get(key);
      const fresh = kept?.bases[0] ? new OpenRecord(record, kept.mtime, kept.bases[0]) : this.opened(key, record);
      this.records.set(key, fresh);
      return fresh;
    }
    if (open.serverRead(record)) {
      open.mtime = this.tick();
      this.keep(key, open);
    }
    return open;
  }

  private opened(key: string, served: ApiRecord): OpenRecord {
    const open = new OpenRecord(served, this.tick());
    this.keep(key, open);
    return open;
  }

  private draft(uri: vscode.Uri): Draft {
    const draft = this.drafts.get(uri.toString());
    if (!draft) throw vscode.FileSystemError.FileNotFound(uri);
    return draft;
  }

  /** Strictly increasing, so two versions within one millisecond still differ. */
  private tick(): number {
    this.clock = Math.max(this.clock + 1, Date.now());
    return this.clock;
  }
}
