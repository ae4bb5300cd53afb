import * as vscode from 'vscode';
import { apiDateFormat } from '../api/dates';
import { ApiError, isApiError } from '../api/errors';
import { applyChanges, changedFields, mergeRecord, myChanges, sameValue } from '../api/recordMerge';
import { readOnlyFieldNames, storedFields, type ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import { msg } from '../api/text';
import type { ClickSearchProgress, SiteApi } from '../sites/siteApi';
import type { SiteConnections } from '../sites/siteConnections';
import type { DeletedRecord, DeletionJournal } from './deletionJournal';
import { Disposable } from '../lifecycle/disposable';
import { recordText } from './recordText';
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

export interface SavedEvent {
  readonly address: SavedRecordAddress;
  readonly record: ApiRecord;
}

export interface CreatedEvent extends SavedEvent {
  /** The draft it was created from; undefined for a restored record. */
  readonly draft: vscode.Uri | undefined;
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

/** What an open record document works with. */
interface OpenRecord {
  /** The server's record as last read: what the document shows when VS Code (re)reads it. */
  served: ApiRecord;
  /**
   * What the editor's text may have come from, newest first: the base of the next merge is the
   * one closest to the edit. After a save the editor shows the saved text until VS Code reads
   * the server's version into it, and a save can start in between: the store cannot know which
   * of the two the editor holds, the edit tells.
   */
  bases: ApiRecord[];
  /** VS Code's version of the file; it moves only when the served text changes. */
  mtime: number;
}

interface Draft {
  text: string;
  readonly mtime: number;
}

/**
 * Owns every open record: its base, the drafts of new records, the save pipeline (read the
 * server, merge, update, read again), deletes with their journal, and restores. The file
 * system provider only routes to it; commands and the tree hear from it through its events.
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
  private readonly savedRecord = this._register(new vscode.EventEmitter<SavedEvent>());
  readonly onDidSave = this.savedRecord.event;
  private readonly createdRecord = this._register(new vscode.EventEmitter<CreatedEvent>());
  readonly onDidCreate = this.createdRecord.event;
  private readonly deletedRecord = this._register(new vscode.EventEmitter<SavedRecordAddress>());
  readonly onDidDelete = this.deletedRecord.event;
  private readonly conflicted = this._register(new vscode.EventEmitter<SaveConflictError>());
  readonly onDidConflict = this.conflicted.event;
  private readonly noticed = this._register(new vscode.EventEmitter<SaveNotice>());
  /** Something about a save the user should read: theirs merged in, a re-read that failed. */
  readonly onDidNotice = this.noticed.event;

  constructor(
    private readonly connections: SiteConnections,
    private readonly journal: DeletionJournal,
    private readonly bases: RecordBases,
  ) {
    super();
    // A record is read from the server once per opening; closing forgets it.
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)));
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

  /** The site's client, or a typed error saying why there is none. */
  api(site: string): Promise<SiteApi> {
    return this.connections.require(site);
  }

  /** The record the document's text came from, or undefined when it is not open. */
  baseOf(uri: vscode.Uri): ApiRecord | undefined {
    return this.records.get(uri.toString())?.served;
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
    if (open.bases[0] !== open.served) this.rebase(uri, open, [open.served, ...open.bases]);
    return recordText(open.served);
  }

  /** Ctrl+S on a record or a draft. Throws, sending nothing, when it cannot be saved as typed. */
  async save(uri: vscode.Uri, address: RecordAddress, text: string): Promise<void> {
    if (address.kind === 'draft') return this.create(uri, address, text);
    const key = uri.toString();
    const preferMine = this.overwriting.delete(key);
    const open = this.records.get(key) ?? this.restoredBase(key);
    if (!open) throw new ApiError('invalidInput', msg`This record was not read from the server in this window; reopen it and apply the change again.`);
    const mine = parseRecordText(text);
    // Refuse bad fields before any request; an edit of nothing but whitespace sends nothing.
    const base = closest(open.bases, mine);
    const changes = myChanges(address.resource, base, mine);
    if (Object.keys(changes).length === 0) return;
    const api = await this.api(address.site);
    const theirs = await api.get(address.resource, address.id);
    const merge = mergeRecord({ resource: address.resource, base, mine: changes, theirs, preferMine });
    if (merge.kind === 'unchanged') return;
    if (merge.kind === 'conflict') {
      const error = new SaveConflictError(uri, theirs, merge.fields, vscode.l10n.t(
        'Not saved: {0} {1} also changed on the server in {2}. Nothing was sent. Use the Directory Records notification to Compare, Overwrite (sends only the fields you changed) or Discard your changes; "Retry" here would only find the same conflict.',
        address.resource.singular, address.id, merge.fields.join(', ')));
      this.conflicted.fire(error);
      throw error;
    }
    let fresh: ApiRecord | undefined;
    let warning: string | undefined;
    if (merge.kind === 'alreadyThere') {
      fresh = theirs;
    } else {
      const expected = applyChanges(theirs, merge.send);
      // BD's update is not conditional: the window between the read above and this PUT is
      // as short as two requests in a row can make it.
      const applied = await this.update(api, address, theirs, expected, merge.send);
      fresh = applied === 'unknown' ? undefined : applied;
      if (!fresh) warning = vscode.l10n.t('Saved {0} {1}, but it could not be read back from the server; the document shows what was sent and is read again next time.', address.resource.singular, address.id);
      fresh ??= expected;
    }
    this.settle(uri, open, fresh, asRecord(mine));
    this.savedRecord.fire({ address, record: fresh });
    const theirsOnly = merge.theirs.filter((name) => merge.kind !== 'merged' || !(name in merge.send));
    const theirsNote = theirsOnly.length > 0 ? vscode.l10n.t('Saved {0} {1}. Also changed on the server meanwhile, now shown: {2}.', address.resource.singular, address.id, theirsOnly.join(', ')) : undefined;
    const notice = warning ?? theirsNote ?? (merge.kind === 'alreadyThere' ? vscode.l10n.t('{0} {1} already had your change on the server; nothing needed sending.', address.resource.singular, address.id) : undefined);
    if (notice) this.noticed.fire({ uri, text: notice, warning: warning !== undefined });
  }

  /** The next save of this document overwrites the fields changed on both sides with mine. */
  overwriteOnNextSave(uri: vscode.Uri): void {
    this.overwriting.add(uri.toString());
  }

  /** Drops the edit: the document shows the server's record as it is now. */
  async discard(uri: vscode.Uri, address: SavedRecordAddress): Promise<void> {
    const server = await (await this.api(address.site)).get(address.resource, address.id);
    const key = uri.toString();
    const open = this.records.get(key);
    if (open) this.settle(uri, open, server, server, { fire: false });
    else this.records.set(key, this.opened(key, server));
  }

  /** The record as the server has it now, without touching the document's base. */
  async serverRecord(address: SavedRecordAddress): Promise<ApiRecord> {
    return (await this.api(address.site)).get(address.resource, address.id);
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

  /** Sends a few fields of a record known from a listing (Mark as Viewed): one update, no read. */
  async setFields(address: SavedRecordAddress, known: ApiRecord, fields: Readonly<Record<string, string>>): Promise<ApiRecord> {
    const api = await this.api(address.site);
    const updated = { ...known, ...fields };
    await api.update(address.resource, known, updated);
    this.savedRecord.fire({ address, record: updated });
    return updated;
  }

  /**
   * Deletes a record with a way back: the journal entry, a fresh read of the record, is
   * written before the delete is sent, and taken back only when the delete surely failed.
   */
  async delete(address: SavedRecordAddress): Promise<DeletedRecord> {
    const api = await this.api(address.site);
    const record = await api.get(address.resource, address.id);
    const entry: DeletedRecord = {
      site: address.site, model: address.model, id: address.id,
      label: address.resource.label(record, apiDateFormat(vscode.env.language)),
      deletedAt: new Date().toISOString(), record,
    };
    await this.journal.add(entry);
    try {
      await api.delete(address.resource, address.id);
    } catch (error) {
      // A lost reply, a 5xx or an unreadable page (a gateway's): the delete may have been applied.
      const uncertain = isApiError(error, 'network') || isApiError(error, 'timeout') || isApiError(error, 'server') || isApiError(error, 'unexpectedReply');
      if (!uncertain) {
        await this.journal.remove(entry);
        throw error;
      }
      // A read that answers 404 shows it happened. Otherwise the kept copy stays: a slow server
      // may still carry the delete out, and Restore checks that the record is gone first.
      const gone = await api.get(address.resource, address.id).then(() => false, (e: unknown) => isApiError(e, 'notFound'));
      if (!gone) throw error;
    }
    const uri = recordUri(address.site, address.model, address.id);
    this.forget(uri);
    this.deletedRecord.fire(address);
    return entry;
  }

  /**
   * Re-creates a deleted record: create with the fields create accepts, then one update with
   * the remaining columns (custom ones included), then a read to name anything that did not
   * stick. The server gives it a new id.
   */
  async restore(entry: DeletedRecord, resource: ResourceDescriptor): Promise<{ record: ApiRecord; missing: string[] }> {
    const api = await this.api(entry.site);
    // A delete whose reply was lost (or that was cancelled) may not have happened: re-creating a live record would duplicate it.
    const stillThere = await api.get(resource, entry.id).then(
      () => true,
      (error: unknown) => {
        if (isApiError(error, 'notFound')) return false;
        throw new Error(vscode.l10n.t('Could not check that {0} {1} is really gone from "{2}" ({3}). Nothing was created; try again.', resource.singular, entry.id, entry.site, error instanceof Error ? error.message : String(error)));
      },
    );
    if (stillThere) {
      throw new Error(vscode.l10n.t('{0} {1} still exists on "{2}": its delete did not happen (or has not yet), so restoring it would create a second copy. Nothing was created. Open it from the tree; the kept copy stays listed for Restore in case the delete still goes through.', resource.singular, entry.id, entry.site));
    }
    const readOnly = readOnlyFieldNames(resource);
    const creatable = new Set(storedFields(resource).map((f) => f.name));
    const wanted = Object.entries(entry.record).filter(([name, value]) => !readOnly.has(name) && value !== null && value !== '');
    const created = await api.create(resource, Object.fromEntries(wanted.filter(([name]) => creatable.has(name))) as Record<string, string>);
    const id = created[resource.primaryKey];
    if (!id) throw new ApiError('unexpectedReply', msg`The ${resource.singular} was created, but the reply did not include its ${resource.primaryKey}. Refresh the tree to find it.`);
    const address: SavedRecordAddress = { kind: 'saved', site: entry.site, model: resource.model, resource, id };
    let record = await api.get(resource, id).catch(() => created);
    const rest = wanted.filter(([name, value]) => !creatable.has(name) && !sameValue(record[name], value));
    if (rest.length > 0) {
      // Columns a create does not take: one update. The deleted record shows the site has them,
      // even where a new record's reply leaves them out.
      const known = { ...Object.fromEntries(rest.map(([name]) => [name, null])), ...record };
      await api.update(resource, known, { ...known, ...Object.fromEntries(rest) }).catch(() => undefined);
      record = await api.get(resource, id).catch(() => record);
    }
    const missing = wanted.filter(([name, value]) => !sameValue(record[name], value)).map(([name]) => name);
    await this.journal.remove(entry);
    this.createdRecord.fire({ address, record, draft: undefined });
    return { record, missing };
  }

  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.records.delete(key);
    this.drafts.delete(key);
    this.overwriting.delete(key);
    this.reloadAfterSave.delete(key);
    this.bases.delete(key);
  }

  /** Sends the update; on a lost reply, a read tells whether it was applied. */
  private async update(api: SiteApi, address: SavedRecordAddress, theirs: ApiRecord, expected: ApiRecord, send: Readonly<Record<string, string | null>>): Promise<ApiRecord | 'unknown'> {
    try {
      await api.update(address.resource, theirs, expected);
    } catch (error) {
      if (!isApiError(error, 'network') && !isApiError(error, 'timeout')) throw error;
      const now = await api.get(address.resource, address.id).catch(() => undefined);
      const applied = now && Object.entries(send).every(([name, value]) => sameValue(now[name], value));
      if (!applied) throw error;
      return now;
    }
    return api.get(address.resource, address.id).catch(() => 'unknown' as const);
  }

  private async create(uri: vscode.Uri, address: DraftAddress, text: string): Promise<void> {
    const fields = checkDraftFields(address.resource, parseRecordText(text));
    const api = await this.api(address.site);
    const created = await api.create(address.resource, fields);
    this.draft(uri).text = text;
    const id = created[address.resource.primaryKey];
    if (!id) throw new ApiError('unexpectedReply', msg`The ${address.resource.singular} was created, but the reply did not include its ${address.resource.primaryKey}. Refresh the tree to find it.`);
    const full = await api.get(address.resource, id).catch(() => created);
    const target = recordUri(address.site, address.model, id);
    this.records.set(target.toString(), this.opened(target.toString(), full));
    this.createdRecord.fire({ address: { kind: 'saved', site: address.site, model: address.model, resource: address.resource, id }, record: full, draft: uri });
  }

  /**
   * After a save: the server's version is served and becomes the base. Once VS Code has
   * finished the save, a later mtime makes it load that version into the editor.
   */
  private settle(uri: vscode.Uri, open: OpenRecord, fresh: ApiRecord, editorText: ApiRecord, { fire = true } = {}): void {
    open.served = fresh;
    // Until VS Code reads `fresh` into the editor, a save starting now edits the text just saved.
    this.rebase(uri, open, [editorText]);
    // VS Code checks the mtime before it writes: it must not move while a save is under way.
    if (fire) this.reloadAfterSave.add(uri.toString());
    else open.mtime = this.tick();
    this.keep(uri.toString(), open);
  }

  private rebase(uri: vscode.Uri, open: OpenRecord, bases: ApiRecord[]): void {
    open.bases = bases.slice(0, 2);
    this.keep(uri.toString(), open);
  }

  private keep(key: string, open: OpenRecord): void {
    this.bases.set(key, { bases: open.bases, mtime: open.mtime });
  }

  /** After a window reload VS Code restores an unsaved document without reading it: its base is the kept one. */
  private restoredBase(key: string): OpenRecord | undefined {
    const kept = this.bases.get(key);
    if (!kept?.bases[0]) return undefined;
    const open = { served: kept.bases[0], bases: kept.bases, mtime: kept.mtime };
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
    const record = await (await this.api(address.site)).get(address.resource, address.id, lookup.signal, lookup.onProgress);
    const open = this.records.get(key);
    if (!open) {
      // After a window reload, the mtime VS Code knows: a restored unsaved document saves with it.
      const kept = this.bases.get(key);
      const fresh = kept ? { served: record, bases: kept.bases, mtime: kept.mtime } : this.opened(key, record);
      this.records.set(key, fresh);
      return fresh;
    }
    if (changedFields(open.served, record).length > 0) {
      open.served = record;
      open.mtime = this.tick();
      this.keep(key, open);
    }
    return open;
  }

  private opened(key: string, served: ApiRecord): OpenRecord {
    const open = { served, bases: [served], mtime: this.tick() };
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

/** The saved text as a record: strings and nulls, as the API keeps values (validated by the merge). */
function asRecord(fields: Readonly<Record<string, unknown>>): ApiRecord {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, typeof value === 'string' ? value : null]));
}

/** The candidate base the edit differs least from; on a tie the newest. */
function closest(bases: readonly ApiRecord[], mine: Readonly<Record<string, unknown>>): ApiRecord {
  const distance = (base: ApiRecord): number => Object.keys(mine).filter((name) => !sameValue(mine[name], base[name])).length;
  return bases.reduce((best, base) => (distance(base) < distance(best) ? base : best));
}

export type DocumentEventSource = (listener: (event: { readonly document: vscode.TextDocument }) => unknown) => vscode.Disposable;

/** Resolves on the first of `events` about the document at `uri`; its listeners go with it. */
export function documentEvent(uri: vscode.Uri, events: readonly DocumentEventSource[]): Promise<void> {
  return new Promise((resolve) => {
    const listeners = events.map((event) =>
      event(({ document }) => {
        if (document.uri.toString() !== uri.toString()) return;
        for (const listener of listeners) listener.dispose();
        resolve();
      }),
    );
  });
}
