import { isApiError, mayHaveApplied } from '../api/errors';
import { SYSTEM_CLOCK, type PacingClock } from '../api/rateLimiter';
import { applyChanges, changedFields, mergeRecord, sameValue } from '../api/recordMerge';
import { readOnlyFieldNames } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import { msg, type LocalisableText } from '../api/text';
import type { SiteReads, SiteWrites } from '../sites/siteApi';
import type { BulkResult, EntryOutcome, RequestRecord } from './bulkOutcome';
import { BATCH_SIZE, batchFilter, batches, pendingEntries, type BulkEntry, type BulkPlan } from './bulkPlan';

/** What a run needs from the site: reads by listing, and the writes (the site's write gate included). */
export type BulkApi = Pick<SiteReads, 'listPage'> & Pick<SiteWrites, 'update' | 'delete'>;

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Records settled so far of all the plan's entries. */
  readonly onProgress?: (settled: number, total: number) => void;
  /** Before a batch's deletes are sent: keep the records as the server has them (the deletion journal). A throw deletes nothing of the batch. */
  readonly beforeDelete?: (records: readonly ApiRecord[]) => Promise<void>;
  /** These deletes surely did not happen: their kept copies go. */
  readonly notDeleted?: (records: readonly ApiRecord[]) => Promise<void>;
  /** Writes in flight at once within a batch; the rate limiter sets the pace. */
  readonly concurrency?: number;
  /** Records per batch (one read, then their writes): batchSizeFor(the site's requests per minute). */
  readonly batchSize?: number;
  /** The clock the site's requests are paced on (a re-check's age is measured on it); the real one by default. */
  readonly clock?: PacingClock;
  /** Once per batch (not per record), the updates that went through: for the save history. Not awaited: the run never waits on it. */
  readonly written?: (writes: readonly BulkWrite[]) => void;
}

/** One update a run made: the server's record it was checked against, what was sent, and that record with it applied. */
export interface BulkWrite {
  readonly id: string;
  readonly before: ApiRecord;
  readonly sent: Readonly<Record<string, string | null>>;
  readonly after: ApiRecord;
}

/** A write whose reply was lost: read again at the end. An update's record before it and body are kept for the history. */
interface LostWrite {
  readonly entry: BulkEntry;
  readonly update?: Omit<BulkWrite, 'after' | 'id'>;
}

/**
 * Reads of the same records a batch may make after its first, when its writes keep growing too
 * old to send (the site keeps the job waiting): then they fail, to be retried later.
 */
const MAX_REREADS = 3;

/**
 * Runs a bulk plan against the site, in the rate limiter's background lane (interactive requests
 * go first), with the site's write gate (the preview was the confirmation: `confirmed`).
 *
 * Per batch (up to 100 records; the extension sizes it to the site's pace, batchSizeFor): one read (`in` on the primary key), then per record the same
 * re-check as a single save (recordMerge): a field changed on the server since it was listed is
 * not overwritten (skipped); a record that already has the value gets no request (unchanged);
 * the rest get one write each. A write never goes out more than the bound after the read it was
 * checked against (recheckBoundMs: 15 s, or two request slots at a very slow pace): one that would
 * (a 429's wait, a queue of interactive requests) is not sent, and its record is read and checked
 * again first. A write whose reply is lost (network error or timeout after it
 * went out) is never sent again blindly: at the end those records are read again (in batches)
 * and counted done when the change is there.
 */
export async function runBulk(api: BulkApi, plan: BulkPlan, options: RunOptions = {}): Promise<BulkResult> {
  const { signal } = options;
  const outcomes = new Map<string, EntryOutcome>();
  const requests: RequestRecord[] = [];
  const total = plan.entries.length;
  const settle = (outcome: EntryOutcome): void => {
    outcomes.set(outcome.id, outcome);
    options.onProgress?.(outcomes.size, total);
  };
  // Planned to change nothing: already there when listed. No request.
  const pending = pendingEntries(plan);
  const pendingIds = new Set(pending.map((entry) => entry.id));
  for (const entry of plan.entries) if (!pendingIds.has(entry.id)) settle({ id: entry.id, status: 'unchanged', record: entry.listed, reason: msg`already had the value` });

  const lost: LostWrite[] = [];
  const runner = new BatchRunner(api, plan, options, requests, settle, lost);
  for (const batch of batches(pending, options.batchSize ?? BATCH_SIZE)) {
    if (signal?.aborted) break;
    // Read just before the batch's writes (not ahead, during the previous batch's): the re-check
    // stays as close to each write as the batch size allows.
    await runner.runBatch(batch);
  }
  const cancelled = signal?.aborted === true;
  // Lost replies: read again (not when cancelled: the retry reads them first).
  if (!cancelled && lost.length > 0) await runner.recheckLost(lost);
  for (const { entry } of lost) if (!outcomes.has(entry.id)) settle({ id: entry.id, status: 'unknown', reason: msg`the reply was lost; Retry reads the record first and sends only if the change is not there` });
  for (const entry of plan.entries) if (!outcomes.has(entry.id)) settle({ id: entry.id, status: 'notRun', reason: msg`not sent: cancelled` });
  return { outcomes: plan.entries.map((entry) => outcomes.get(entry.id)!), requests, cancelled };
}

/** A batch's read: the server's records by id and when they came (the pacing clock), or why they could not be read. */
interface BatchRead {
  readonly server?: Map<string, ApiRecord>;
  readonly at?: number;
  readonly error?: unknown;
}

class BatchRunner {
  constructor(
    private readonly api: BulkApi,
    private readonly plan: BulkPlan,
    private readonly options: RunOptions,
    private readonly requests: RequestRecord[],
    private readonly settle: (outcome: EntryOutcome) => void,
    private readonly lost: LostWrite[],
  ) {}

  /**
   * Reads a batch, re-checks and writes it; the records whose writes were held back because
   * their read had grown too old are read and checked again, a few times at most.
   */
  async runBatch(batch: readonly BulkEntry[]): Promise<void> {
    let todo = batch;
    for (let reads = 1; todo.length > 0 && !this.options.signal?.aborted; reads++) {
      if (reads > 1 + MAX_REREADS) {
        for (const entry of todo) this.settle({ id: entry.id, status: 'failed', reason: msg`not sent: the site kept the job waiting, so the change could not follow its re-check closely enough (${MAX_REREADS + 1} reads); Retry reads it again` });
        return;
      }
      todo = await this.apply(todo, await this.read(todo));
    }
  }

  /** Reads a batch (one request); never throws: a failure is handed to apply(). */
  private read(batch: readonly BulkEntry[]): Promise<BatchRead> {
    return this.readIds(batch.map((entry) => entry.id)).then(
      (server): BatchRead => ({ server, at: (this.options.clock ?? SYSTEM_CLOCK).now() }),
      (error: unknown): BatchRead => ({ error }),
    );
  }

  /** Re-checks and writes a batch from its read; returns the entries not sent because that read had grown too old. */
  private async apply(batch: readonly BulkEntry[], read: BatchRead): Promise<readonly BulkEntry[]> {
    if (!read.server) {
      if (isApiError(read.error, 'cancelled')) return [];
      const why = reasonOf(read.error);
      for (const entry of batch) this.settle({ id: entry.id, status: 'failed', reason: msg`could not be read before the change (${why}); nothing was sent` });
      return [];
    }
    return this.plan.action.kind === 'delete' ? this.deleteBatch(batch, read.server, read.at) : this.updateBatch(batch, read.server, read.at);
  }

  /** Reads the lost replies' records again: done when the change is there, failed (and retryable) when it is not. */
  async recheckLost(lost: readonly LostWrite[]): Promise<void> {
    for (const batch of batches(lost, this.options.batchSize ?? BATCH_SIZE)) {
      const written: BulkWrite[] = [];
      let server: Map<string, ApiRecord>;
      try {
        server = await this.readIds(batch.map(({ entry }) => entry.id));
      } catch {
        continue; // stays unknown: a retry reads it first
      }
      for (const { entry, update } of batch) {
        const now = server.get(entry.id);
        if (this.plan.action.kind === 'delete') {
          // Its kept copy stays even so: a slow server may still apply the delete after this read. Restore checks first.
          if (!now) this.settle({ id: entry.id, status: 'done', reason: msg`deleted (the reply was lost; the record is gone)` });
          else this.settle({ id: entry.id, status: 'failed', reason: msg`the reply was lost and the record was still there when read again: the delete may not have happened`, record: now, uncertain: true });
        } else if (now && entry.changes.every((c) => sameValue(now[c.field], c.after))) {
          this.settle({ id: entry.id, status: 'done', record: now, reason: msg`the reply was lost; read again, the change is there` });
          if (update) written.push({ id: entry.id, ...update, after: now });
        } else {
          this.settle({ id: entry.id, status: 'failed', record: now, reason: now ? msg`the reply was lost and the change is not on the server` : msg`not on the server any more` });
        }
      }
      if (written.length > 0) this.options.written?.(written);
    }
  }

  private async updateBatch(batch: readonly BulkEntry[], server: Map<string, ApiRecord>, checkedAt: number | undefined): Promise<readonly BulkEntry[]> {
    const { resource } = this.plan;
    const toSend: { entry: BulkEntry; theirs: ApiRecord; send: Record<string, string | null> }[] = [];
    for (const entry of batch) {
      const theirs = server.get(entry.id);
      if (!theirs) {
        this.settle({ id: entry.id, status: 'failed', reason: msg`not on the server any more` });
        continue;
      }
      const mine = Object.fromEntries(entry.changes.map((c) => [c.field, c.after]));
      const merge = mergeRecord({ resource, base: entry.listed, mine, theirs });
      if (merge.kind === 'conflict') {
        this.settle({ id: entry.id, status: 'skipped', record: theirs, reason: msg`changed on the server since it was listed (${merge.fields.join(', ')}), skipped` });
      } else if (merge.kind !== 'merged') {
        this.settle(entry.replyLost
          ? { id: entry.id, status: 'done', record: theirs, reason: msg`the earlier reply was lost; read again, the change is there` }
          : { id: entry.id, status: 'unchanged', record: theirs, reason: msg`already had the value on the server` });
      } else {
        toSend.push({ entry, theirs, send: merge.send });
      }
    }
    const stale: BulkEntry[] = [];
    const written: BulkWrite[] = [];
    await this.inParallel(toSend, async ({ entry, theirs, send }) => {
      const expected = applyChanges(theirs, send);
      try {
        // BD's update is not conditional: the read above is as close before it as a batch allows,
        // and never further than the bound (checkedAt): past it the write is held back.
        await this.api.update(resource, theirs, expected, this.options.signal, { background: true, confirmed: true, checkedAt });
        this.requests.push({ kind: 'update', ids: [entry.id], result: 'ok' });
        this.settle({ id: entry.id, status: 'done', record: expected });
        written.push({ id: entry.id, before: theirs, sent: send, after: expected });
      } catch (error) {
        if (isApiError(error, 'stale')) stale.push(entry);
        else this.failedWrite('update', entry, error, { before: theirs, sent: send });
      }
    });
    if (written.length > 0) this.options.written?.(written);
    return stale;
  }

  private async deleteBatch(batch: readonly BulkEntry[], server: Map<string, ApiRecord>, checkedAt: number | undefined): Promise<readonly BulkEntry[]> {
    const { resource } = this.plan;
    const readOnly = readOnlyFieldNames(resource);
    const toDelete: { entry: BulkEntry; theirs: ApiRecord }[] = [];
    for (const entry of batch) {
      const theirs = server.get(entry.id);
      if (!theirs) {
        this.settle(entry.replyLost
          ? { id: entry.id, status: 'done', reason: msg`deleted (the earlier reply was lost; the record is gone)` }
          : { id: entry.id, status: 'unchanged', reason: msg`not on the server any more` });
        continue;
      }
      const changed = changedFields(entry.listed, theirs).filter((name) => !readOnly.has(name));
      if (changed.length > 0) this.settle({ id: entry.id, status: 'skipped', record: theirs, reason: msg`changed on the server since it was listed (${changed.join(', ')}), not deleted` });
      else toDelete.push({ entry, theirs });
    }
    if (toDelete.length === 0 || this.options.signal?.aborted) return [];
    try {
      // Every record is kept, as the server has it now, before any of the batch is deleted.
      await this.options.beforeDelete?.(toDelete.map(({ theirs }) => theirs));
    } catch (error) {
      const why = reasonOf(error);
      for (const { entry } of toDelete) this.settle({ id: entry.id, status: 'failed', reason: msg`could not be kept for Restore Deleted (${why}); nothing was deleted` });
      return [];
    }
    const surelyNot = new Set<BulkEntry>();
    const attempted = new Set<BulkEntry>();
    const stale: BulkEntry[] = [];
    await this.inParallel(toDelete, async ({ entry }) => {
      attempted.add(entry);
      try {
        await this.api.delete(resource, entry.id, this.options.signal, { background: true, confirmed: true, checkedAt });
        this.requests.push({ kind: 'delete', ids: [entry.id], result: 'ok' });
        this.settle({ id: entry.id, status: 'done' });
      } catch (error) {
        if (isApiError(error, 'stale')) {
          // Not sent: its copy goes back now, and the next read keeps the record as it is then.
          stale.push(entry);
          surelyNot.add(entry);
        } else if (this.failedWrite('delete', entry, error) === 'notApplied') surelyNot.add(entry);
      }
    });
    // Cancelled: the batch's records never picked up were kept but not sent.
    for (const { entry } of toDelete) if (!attempted.has(entry)) surelyNot.add(entry);
    // A record whose earlier delete had an unknown outcome keeps its copy whatever this run did: that delete may still land.
    const giveBack = toDelete.filter(({ entry }) => surelyNot.has(entry) && !entry.replyLost).map(({ theirs }) => theirs);
    if (giveBack.length > 0) await this.options.notDeleted?.(giveBack).catch(() => undefined);
    return stale;
  }

  /**
   * Records a failed write. `lost`: the reply was lost (network, timeout, a cancel that caught it
   * under way): read again at the end. `uncertain`: the server answered, but not in a way that
   * proves nothing was applied (5xx, 404, a reply that would not parse: a gateway's 502/504 page).
   * `notApplied`: surely not applied (not sent, refused before sending, or a 4xx refusal).
   */
  private failedWrite(kind: 'update' | 'delete', entry: BulkEntry, error: unknown, update?: LostWrite['update']): 'lost' | 'uncertain' | 'notApplied' {
    // A cancel that caught the request on its way may have let it through: as unknown as a lost reply.
    const unknown = isApiError(error, 'network') || isApiError(error, 'timeout') || isApiError(error, 'cancelled');
    const notSent = isApiError(error, 'cancelled') && !this.sentBeforeCancel(error);
    if (notSent) return 'notApplied';
    this.requests.push({ kind, ids: [entry.id], result: unknown ? 'lost' : 'failed' });
    if (unknown) {
      this.lost.push({ entry, update });
      return 'lost';
    }
    // A 5xx or an unreadable reply says the site failed, not that nothing happened: a retry reads the record before sending again.
    const uncertain = mayHaveApplied(error);
    this.settle({ id: entry.id, status: 'failed', reason: reasonOf(error), uncertain });
    return uncertain ? 'uncertain' : 'notApplied';
  }

  /** A cancelled write left the rate limiter's queue (not sent) or was under way (may be applied). */
  private sentBeforeCancel(error: unknown): boolean {
    return isApiError(error, 'cancelled') && error.details.sent === true;
  }

  private async readIds(ids: readonly string[]): Promise<Map<string, ApiRecord>> {
    const { resource } = this.plan;
    try {
      const page = await this.api.listPage(resource, {
        pageSize: Math.min(BATCH_SIZE, Math.max(1, ids.length)),
        query: { kind: 'bd', filters: [batchFilter(resource, ids)], order: { field: resource.primaryKey, direction: 'ASC' } },
        signal: this.options.signal,
        background: true,
      });
      this.requests.push({ kind: 'read', ids, result: 'ok' });
      return new Map(page.records.flatMap((record) => (record[resource.primaryKey] ? [[record[resource.primaryKey]!, record] as const] : [])));
    } catch (error) {
      if (!isApiError(error, 'cancelled')) this.requests.push({ kind: 'read', ids, result: 'failed' });
      throw error;
    }
  }

  private async inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length && !this.options.signal?.aborted) await work(items[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(items.length, this.options.concurrency ?? 4) }, worker));
  }
}

function reasonOf(error: unknown): LocalisableText {
  if (isApiError(error) && error.text) return error.text;
  return msg`${error instanceof Error ? error.message : String(error)}`;
}
