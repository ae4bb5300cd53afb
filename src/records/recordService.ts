import * as vscode from 'vscode';
import { apiDateFormat } from '../api/dates';
import { ApiError, isApiError, mayHaveApplied } from '../api/errors';
import type { OpenRecord } from '../api/openRecord';
import { changedFields, sameValue } from '../api/recordMerge';
import type { RecordClient, SaveResult } from '../api/recordSave';
import { readOnlyFieldNames, storedFields, type ModelName, type ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import { msg } from '../api/text';
import type { BulkResult } from '../bulk/bulkOutcome';
import type { BulkPlan } from '../bulk/bulkPlan';
import type { BulkWrite, RunOptions } from '../bulk/bulkRunner';
import { Disposable, toDisposable } from '../lifecycle/disposable';
import type { SiteConnections } from '../sites/siteConnections';
import type { DeletedRecord, DeletionJournal } from './deletionJournal';
import type { RecordRef, RecordsChange } from './recordsChange';
import type { SaveDoor, SaveHistory, SaveHistoryEntry } from './saveHistory';

/** Follows every write the service made; a returned promise is awaited before the write's caller hears back. */
export type RecordsFollower = (change: RecordsChange) => void | Promise<void>;

/** One save for the history: a bulk run's write, or a create's (nothing before it). */
type HistoryWrite = Omit<BulkWrite, 'before'> & { readonly before: ApiRecord | null };

/** How a single record's save is made. */
export interface SaveOptions {
  /** Overwrite the fields changed on the server too (the conflict flow's Overwrite my fields). */
  readonly preferMine?: boolean;
  /** The user confirmed this write already in a review listing it (the table's), so a *confirm* site's gate does not ask again; a Read-only site still refuses. */
  readonly reviewed?: boolean;
  /** Where the save came from, as the save history names it (default: a record's editor). */
  readonly door?: Extract<SaveDoor, 'document' | 'table'>;
}

/** A bulk run's options the caller chooses: cancel, progress, batch size. The journal and the gate are the service's. */
export type BulkRunOptions = Pick<RunOptions, 'signal' | 'onProgress' | 'batchSize'>;

/**
 * The only code that sends a create, update or delete. Single saves, drafts, delete, restore,
 * mark viewed or unread and every bulk action come here; the site's write gate (its profile,
 * the confirm prompt, the re-check after it) wraps the writes it is given, the deletion journal
 * and the uncertain-write rule are written here once, every create and update is kept in the
 * save history (what was sent, the record before and after), and every write ends in one change event
 * (`follow`) that the tree, the open documents, the unread badge and Click Insights follow.
 * Nobody else can obtain a site's writes: `SiteConnections.writes` is called from here alone
 * (a lint rule and test/unit/architecture check it).
 */
export class RecordService extends Disposable {
  private readonly followers = new Set<RecordsFollower>();

  constructor(
    private readonly connections: SiteConnections,
    private readonly journal: DeletionJournal,
    private readonly history: SaveHistory,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
  }

  /** Calls `follower` after every write, with what changed. */
  follow(follower: RecordsFollower): vscode.Disposable {
    this.followers.add(follower);
    return toDisposable(() => this.followers.delete(follower));
  }

  /**
   * Ctrl+S on an open record (or a table's row): the open record decides what to send (plain,
   * tested in Node); this sends it. See `SaveOptions` for the door and the review.
   */
  async save(ref: RecordRef, open: OpenRecord, edited: Readonly<Record<string, unknown>>, options: SaveOptions = {}): Promise<SaveResult> {
    const { preferMine = false, reviewed = false, door = 'document' } = options;
    // The update the save sent last (a stale one is refused unsent and merged again): the history's before and sent.
    let sent: { known: ApiRecord; updated: ApiRecord } | undefined;
    const connect = async (): Promise<RecordClient> => {
      const client = await this.client(ref.site, reviewed);
      return { get: client.get, update: (resource, known, updated, ...rest) => ((sent = { known, updated }), client.update(resource, known, updated, ...rest)) };
    };
    const result = await open.save(connect, ref.resource, ref.id, edited, preferMine);
    if (result.kind === 'saved') {
      if (!result.alreadyThere && sent) await this.remember(door, ref.site, ref.resource, [{ id: ref.id, before: sent.known, sent: sentFields(sent.known, sent.updated), after: result.record }]);
      await this.changed({ site: ref.site, resource: ref.resource, saved: [result.record] });
    }
    return result;
  }

  /** A new record (a draft's save): created, then read back whole. `draft` names the document it came from. */
  async create(site: string, resource: ResourceDescriptor, fields: Readonly<Record<string, string>>, draft?: vscode.Uri): Promise<ApiRecord> {
    const writes = await this.connections.writes(site);
    const created = await writes.create(resource, fields);
    const id = created[resource.primaryKey];
    if (!id) throw new ApiError('unexpectedReply', msg`The ${resource.singular} was created, but the reply did not include its ${resource.primaryKey}. Refresh the tree to find it.`);
    const full = await (await this.connections.require(site)).get(resource, id).catch(() => created);
    await this.remember('create', site, resource, [{ id, before: null, sent: fields, after: full }]);
    await this.changed({ site, resource, created: [full], draft });
    return full;
  }

  /** A few fields of a record known from a listing (Mark as Viewed): one update, no read. */
  async setFields(ref: RecordRef, known: ApiRecord, fields: Readonly<Record<string, string>>): Promise<ApiRecord> {
    const updated = { ...known, ...fields };
    await (await this.connections.writes(ref.site)).update(ref.resource, known, updated);
    await this.remember('setFields', ref.site, ref.resource, [{ id: ref.id, before: known, sent: fields, after: updated }]);
    await this.changed({ site: ref.site, resource: ref.resource, saved: [updated] });
    return updated;
  }

  /**
   * Deletes a record with a way back: the journal entry, a fresh read of the record, is written
   * before the delete is sent, and taken back only when the delete surely failed.
   */
  async delete(ref: RecordRef): Promise<DeletedRecord> {
    const reads = await this.connections.require(ref.site);
    const writes = await this.connections.writes(ref.site);
    const record = await reads.get(ref.resource, ref.id);
    const [entry] = await this.keepCopies(ref.site, ref.resource, [record]);
    try {
      await writes.delete(ref.resource, ref.id);
    } catch (error) {
      if (!mayHaveApplied(error)) {
        await this.journal.remove(entry!);
        throw error;
      }
      // A read that answers 404 shows it happened. Otherwise the kept copy stays: a slow server
      // may still carry the delete out, and Restore checks that the record is gone first.
      const gone = await reads.get(ref.resource, ref.id).then(() => false, (e: unknown) => isApiError(e, 'notFound'));
      if (!gone) throw error;
    }
    await this.changed({ site: ref.site, resource: ref.resource, deleted: [ref.id] });
    return entry!;
  }

  /** A record's saves kept on this computer, newest first. */
  savesOf(site: string, model: ModelName, id: string): Promise<SaveHistoryEntry[]> {
    return this.history.list(site, model, id);
  }

  /** Forgets every save kept on this computer. */
  clearSaveHistory(): Promise<void> {
    return this.history.clear();
  }

  /** The deleted records kept for Restore, newest first. */
  kept(): Promise<DeletedRecord[]> {
    return this.journal.list();
  }

  /**
   * Re-creates a deleted record: create with the fields create accepts, then one update with
   * the remaining columns (custom ones included), then a read to name anything that did not
   * stick. The server gives it a new id.
   */
  async restore(entry: DeletedRecord, resource: ResourceDescriptor): Promise<{ record: ApiRecord; missing: string[] }> {
    const reads = await this.connections.require(entry.site);
    const writes = await this.connections.writes(entry.site);
    // A delete whose reply was lost (or that was cancelled) may not have happened: re-creating a live record would duplicate it.
    const stillThere = await reads.get(resource, entry.id).then(
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
    const createBody = Object.fromEntries(wanted.filter(([name]) => creatable.has(name))) as Record<string, string>;
    const created = await writes.create(resource, createBody);
    const id = created[resource.primaryKey];
    if (!id) throw new ApiError('unexpectedReply', msg`The ${resource.singular} was created, but the reply did not include its ${resource.primaryKey}. Refresh the tree to find it.`);
    let record = await reads.get(resource, id).catch(() => created);
    const rest = wanted.filter(([name, value]) => !creatable.has(name) && !sameValue(record[name], value));
    if (rest.length > 0) {
      // Columns a create does not take: one update. The deleted record shows the site has them,
      // even where a new record's reply leaves them out.
      const known = { ...Object.fromEntries(rest.map(([name]) => [name, null])), ...record };
      await writes.update(resource, known, { ...known, ...Object.fromEntries(rest) }).catch(() => undefined);
      record = await reads.get(resource, id).catch(() => record);
    }
    const missing = wanted.filter(([name, value]) => !sameValue(record[name], value)).map(([name]) => name);
    await this.remember('restore', entry.site, resource, [{ id, before: null, sent: { ...createBody, ...Object.fromEntries(rest) }, after: record }]);
    await this.journal.remove(entry);
    await this.changed({ site: entry.site, resource, created: [record] });
    return { record, missing };
  }

  /**
   * Runs a bulk plan (its preview was the confirmation): each batch's records are kept in the
   * journal before its deletes go, and given back only when surely not deleted. One change event
   * for the whole run.
   */
  async runBulk(plan: BulkPlan, options: BulkRunOptions): Promise<BulkResult> {
    const reads = await this.connections.require(plan.site);
    const writes = await this.connections.writes(plan.site);
    const { resource } = plan;
    const kept = new Map<string, DeletedRecord>();
    const idOf = (record: ApiRecord): string => record[resource.primaryKey] ?? '';
    // The runner is loaded with the first bulk job (dist/bulkRunner.js), not at activation.
    const { runBulk } = await import('../bulk/bulkRunner');
    // One append per batch, not awaited by the run: the writes never wait on the disk. Awaited before the run reports.
    const remembered: Promise<void>[] = [];
    const result = await runBulk({ listPage: (r, request) => reads.listPage(r, request), update: (...args) => writes.update(...args), delete: (...args) => writes.delete(...args) }, plan, {
      ...options,
      beforeDelete: async (records) => {
        for (const entry of await this.keepCopies(plan.site, resource, records)) kept.set(entry.id, entry);
      },
      notDeleted: (records) => this.journal.removeAll(records.flatMap((record) => kept.get(idOf(record)) ?? [])),
      written: (writes) => void remembered.push(this.remember('bulk', plan.site, resource, writes)),
    });
    await Promise.all(remembered);
    const done = result.outcomes.filter((o) => o.status === 'done');
    await this.changed({
      site: plan.site,
      resource,
      ...(plan.action.kind === 'delete' ? { deleted: done.map((o) => o.id) } : { saved: result.outcomes.flatMap((o) => (o.record ? [o.record] : [])) }),
      // Records beyond the pages shown (and counts such as the unread badge) are read again.
      beyond: plan.scope === 'matching',
    });
    return result;
  }

  /** The site's reads and writes as a save needs them (read, update, read back). */
  private async client(site: string, reviewed = false): Promise<RecordClient> {
    const reads = await this.connections.require(site);
    const writes = await this.connections.writes(site);
    return {
      get: (resource, id) => reads.get(resource, id),
      update: (resource, original, edited, signal, options) => writes.update(resource, original, edited, signal, reviewed ? { ...options, confirmed: true } : options),
    };
  }

  /** Keeps saves in the history. A history that cannot be written is logged: the save itself went through. */
  private async remember(door: SaveDoor, site: string, resource: ResourceDescriptor, writes: readonly HistoryWrite[]): Promise<void> {
    const at = new Date().toISOString();
    const entries = writes.map((w): SaveHistoryEntry => ({ site, model: resource.model, id: w.id, at, door, sent: w.sent, before: w.before, after: w.after }));
    try {
      await this.history.append(entries);
    } catch (error) {
      this.log.warn(`save history of ${site}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Journal entries for records about to be deleted, written before any delete is sent. */
  private async keepCopies(site: string, resource: ResourceDescriptor, records: readonly ApiRecord[]): Promise<DeletedRecord[]> {
    const dates = apiDateFormat(vscode.env.language);
    const deletedAt = new Date().toISOString();
    const entries = records.map((record): DeletedRecord => ({ site, model: resource.model, id: record[resource.primaryKey] ?? '', label: resource.label(record, dates), deletedAt, record }));
    await this.journal.addAll(entries);
    return entries;
  }

  private async changed(change: Omit<RecordsChange, 'saved' | 'created' | 'deleted' | 'beyond'> & Partial<RecordsChange>): Promise<void> {
    const full: RecordsChange = { saved: [], created: [], deleted: [], beyond: false, ...change };
    // The write went through: a follower that fails (a tab that would not close) is logged, not reported as a failed write.
    const follow = async (follower: RecordsFollower): Promise<void> => {
      try {
        await follower(full);
      } catch (error) {
        this.log.warn(`after a write to ${full.site}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    await Promise.all([...this.followers].map(follow));
  }
}

/** The fields an update sends: those that differ between the record it was checked against and the one it makes. */
function sentFields(known: ApiRecord, updated: ApiRecord): Record<string, string | null> {
  return Object.fromEntries(changedFields(known, updated).map((name) => [name, updated[name] ?? null]));
}
