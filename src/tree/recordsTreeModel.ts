import * as vscode from 'vscode';
import { isApiError } from '../api/errors';
import { resourceFor, type ModelName, type ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import type { ListedPage, Paging, ResourceQuery, SiteReads } from '../sites/siteApi';
import type { SiteConfig } from '../sites/siteConfig';
import type { SiteConnections } from '../sites/siteConnections';
import { listingQuery, normaliseFilter, normaliseSort, parseSavedListing, type ListingFilter, type ListingSort, type SavedListing } from './listingQuery';

/** Where each resource's filter and sort are kept across window reloads (globalState: sites are user settings). */
const LISTINGS_KEY = 'directoryRecords.listings';

export interface ResourceRef {
  readonly site: string;
  readonly model: ModelName;
}

export interface ResourceState {
  /** Never two with one primary key. */
  readonly records: readonly ApiRecord[];
  /**
   * The first page's count, kept up to date by this extension's own creates and deletes; after
   * a later page that counts only what is left (BD by key), what is shown plus what is left.
   * Changes elsewhere since make it drift until the next refresh.
   */
  readonly total: number | undefined;
  readonly nextCursor: string | undefined;
  readonly loaded: boolean;
  readonly loading: boolean;
  readonly error: Error | undefined;
  /** The filter set by the user (undefined: none). */
  readonly query: ListingFilter | undefined;
  /** The order set by the user (undefined: newest first). */
  readonly sort: ListingSort | undefined;
  /** How the loaded pages follow each other (undefined before the first page). */
  readonly paging: Paging | undefined;
  /** Pages shown: 0 before the first, 1 after it (and after a trim), one more per Load more. */
  readonly pages: number;
}

/**
 * What changed: one resource, one site, or (undefined) everything. `records`, when given, are the
 * only records of the resource that are new or new versions (a page appended, a save), so a
 * listener can follow them without going over every record shown.
 */
export type ModelChange = { readonly site: string; readonly model?: ModelName; readonly records?: readonly ApiRecord[]; readonly replaced?: readonly ReplacedRecord[] } | undefined;

/** A record shown in place of the version shown before it (a save, a bulk run): what a count follows by delta. */
export interface ReplacedRecord {
  readonly before: ApiRecord;
  readonly after: ApiRecord;
}

interface MutableState {
  records: ApiRecord[];
  /** The primary keys of `records`, kept as they change: a page is checked against it, never a set rebuilt. */
  ids: Set<string | null | undefined>;
  total: number | undefined;
  nextCursor: string | undefined;
  /** The cursor after the first page, so a trimmed listing can go on from there. */
  firstPageNext: string | undefined;
  /** How many leading records that cursor follows: the first page, plus our own creates, minus our own deletes. */
  firstPageEnd: number;
  paging: Paging | undefined;
  pages: number;
  loaded: boolean;
  inFlight: Promise<void> | undefined;
  error: Error | undefined;
  query: ListingFilter | undefined;
  sort: ListingSort | undefined;
  /** What the loaded pages were read with (a relative time range fixed at the first page), so Load more goes on alike. */
  listed: ResourceQuery | undefined;
  /** Bumped by refresh and filter changes, so a late reply to an old request is dropped. */
  generation: number;
  abort: AbortController | undefined;
}

/**
 * The records the tree shows, one page at a time per resource. It fetches and caches and
 * says what changed; turning that into TreeItems is the provider's job.
 */
export class RecordsTreeModel implements vscode.Disposable {
  private readonly states = new Map<string, MutableState>();
  private readonly changed = new vscode.EventEmitter<ModelChange>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  /** `memento` keeps each resource's filter and sort across window reloads. */
  constructor(
    private readonly connections: SiteConnections,
    private readonly memento?: vscode.Memento,
  ) {
    this.subscription = connections.onDidChange(() => {
      this.forgetRemovedSites();
      this.refresh(undefined);
    });
  }

  get sites(): readonly SiteConfig[] {
    return this.connections.settings.sites;
  }

  get settingsProblems(): readonly string[] {
    return this.connections.settings.problems;
  }

  get pageSize(): number {
    return this.connections.settings.pageSize;
  }

  site(name: string): SiteConfig | undefined {
    return this.connections.find(name);
  }

  /** The site's client; undefined when no key is stored. Throws when the settings make one impossible. */
  api(site: SiteConfig): Promise<SiteReads | undefined> {
    return this.connections.api(site);
  }

  state(ref: ResourceRef): ResourceState {
    const s = this.mutable(ref);
    return { records: s.records, total: s.total, nextCursor: s.nextCursor, loaded: s.loaded, loading: s.inFlight !== undefined, error: s.error, query: s.query, sort: s.sort, paging: s.paging, pages: s.pages };
  }

  /** Loads the first page once; later calls reuse it (so expanding after a prefetch costs nothing). */
  ensureLoaded(ref: ResourceRef): Promise<void> {
    const s = this.mutable(ref);
    if (s.loaded || s.error) return s.inFlight ?? Promise.resolve();
    return s.inFlight ?? this.load(ref, s, undefined);
  }

  loadMore(ref: ResourceRef): Promise<void> {
    const s = this.mutable(ref);
    if (s.inFlight) return s.inFlight;
    if (!s.loaded) return this.ensureLoaded(ref);
    if (s.nextCursor === undefined) return Promise.resolve();
    return this.load(ref, s, s.nextCursor);
  }

  /** Sets the filter (no conditions: none) and reloads from the first page; kept across reloads. */
  setQuery(ref: ResourceRef, query: ListingFilter | undefined): Promise<void> {
    const s = this.mutable(ref);
    s.query = normaliseFilter(query);
    return this.changedListing(ref, s);
  }

  /** Sets the order (undefined or newest first by key: the default) and reloads from the first page; kept across reloads. */
  setSort(ref: ResourceRef, sort: ListingSort | undefined): Promise<void> {
    const s = this.mutable(ref);
    s.sort = normaliseSort(descriptorOf(ref), sort);
    return this.changedListing(ref, s);
  }

  /** Columns the loaded records carry that the resource's descriptor does not list (a site's custom columns), sorted. */
  columnsSeen(ref: ResourceRef): string[] {
    const known = new Set(descriptorOf(ref).fields.map((field) => field.name));
    const seen = new Set<string>();
    for (const record of this.states.get(keyOf(ref))?.records ?? []) for (const name of Object.keys(record)) if (!known.has(name)) seen.add(name);
    return [...seen].sort();
  }

  /** Forgets cached pages (keeping filters) for one resource, one site, or everything. */
  refresh(scope: ModelChange): void {
    for (const [key, s] of this.states) {
      const [site, model] = splitKey(key);
      if (scope && (scope.site !== site || (scope.model && scope.model !== model))) continue;
      this.reset(s);
    }
    this.changed.fire(scope);
  }

  /** Back to the first page when a resource is collapsed, so thousands of loaded records can be freed. */
  trim(ref: ResourceRef): void {
    const s = this.states.get(keyOf(ref));
    if (!s || s.records.length <= s.firstPageEnd || s.inFlight) return;
    s.records = s.records.slice(0, s.firstPageEnd);
    s.ids = new Set(s.records.map((r) => r[descriptorOf(ref).primaryKey]));
    s.nextCursor = s.firstPageNext;
    s.pages = 1;
    s.generation++;
    // VS Code holds the nodes it was given until told the element changed.
    this.changed.fire(ref);
  }

  /** A bulk job's records as the server now holds them: shown in place, one change for all. */
  replaceRecords(ref: ResourceRef, records: readonly ApiRecord[]): void {
    const s = this.states.get(keyOf(ref));
    const resource = resourceFor(ref.model);
    if (!s || !resource || records.length === 0) return;
    const shown = records.filter((record) => s.ids.has(record[resource.primaryKey]));
    if (shown.length === 0) return;
    const byId = new Map(shown.map((record) => [record[resource.primaryKey], record]));
    const replaced: ReplacedRecord[] = [];
    s.records = s.records.map((before) => {
      const after = byId.get(before[resource.primaryKey]);
      if (!after) return before;
      replaced.push({ before, after });
      return after;
    });
    this.changed.fire({ ...ref, records: shown, replaced });
  }

  /** Deleted records: gone from the listing in place, one change for all. Returns those that were shown. */
  removeRecords(ref: ResourceRef, ids: readonly string[]): ApiRecord[] {
    const s = this.states.get(keyOf(ref));
    const resource = resourceFor(ref.model);
    if (!s || !resource || ids.length === 0) return [];
    const gone = new Set(ids);
    const isGone = (r: ApiRecord): boolean => gone.has(r[resource.primaryKey] ?? '');
    const removed = s.records.filter(isGone);
    const leadingGone = s.records.slice(0, s.firstPageEnd).filter(isGone).length;
    s.records = s.records.filter((r) => !isGone(r));
    for (const id of ids) s.ids.delete(id);
    s.firstPageEnd -= leadingGone;
    if (s.total !== undefined) s.total = Math.max(0, s.total - removed.length);
    this.changed.fire(ref);
    return removed;
  }

  /**
   * A record we created (or restored): shown on top, where newest first puts it. The next page's
   * position is kept apart from the records shown (the last key seen, or a cursor), so this
   * does not move it; a record already shown is replaced, never shown twice.
   */
  addRecord(ref: ResourceRef, record: ApiRecord): void {
    const s = this.states.get(keyOf(ref));
    const resource = resourceFor(ref.model);
    if (!s || !s.loaded || !resource) return;
    const id = record[resource.primaryKey];
    const index = s.ids.has(id) ? s.records.findIndex((r) => r[resource.primaryKey] === id) : -1;
    const before = index >= 0 ? s.records[index] : undefined;
    if (before) {
      s.records[index] = record;
    } else {
      s.records.unshift(record);
      s.ids.add(id);
      s.firstPageEnd++;
      if (s.total !== undefined) s.total++;
    }
    this.changed.fire({ ...ref, records: [record], ...(before ? { replaced: [{ before, after: record }] } : {}) });
  }

  // ---- For src/tree/loadProgress.ts (a slow load shows notification progress with Cancel) ----

  private readonly started = new vscode.EventEmitter<{ readonly ref: ResourceRef; readonly done: Promise<void> }>();
  /** A page load began; `done` settles when it ends, however it ends (also cancelled or superseded). */
  readonly onDidStartLoad = this.started.event;

  /**
   * Stops the load under way. A first page keeps `reason` as its error until a refresh (so the
   * tree does not simply load it again); a further page is as if Load more had not been asked.
   */
  cancel(ref: ResourceRef, reason: Error): void {
    const s = this.states.get(keyOf(ref));
    if (!s?.inFlight) return;
    s.abort?.abort();
    s.generation++;
    s.inFlight = undefined;
    s.abort = undefined;
    if (!s.loaded) s.error = reason;
    this.changed.fire(ref);
  }

  dispose(): void {
    for (const s of this.states.values()) s.abort?.abort();
    this.subscription.dispose();
    this.changed.dispose();
    this.started.dispose();
  }

  private load(ref: ResourceRef, s: MutableState, cursor: string | undefined): Promise<void> {
    const generation = s.generation;
    const abort = new AbortController();
    s.abort = abort;
    const task = (async () => {
      let added: readonly ApiRecord[] | undefined;
      try {
        const { page, query } = await this.fetchPage(ref, cursor, s, abort.signal);
        if (generation !== s.generation) return;
        s.listed = query;
        // Only a further page is a delta: after a first page, everything shown is new.
        const fresh = this.accept(ref, s, page, cursor !== undefined);
        if (cursor !== undefined) added = fresh;
        s.loaded = true;
        s.error = undefined;
      } catch (error) {
        if (generation !== s.generation || (isApiError(error, 'cancelled'))) return;
        s.error = error instanceof Error ? error : new Error(String(error));
      } finally {
        if (generation === s.generation) {
          s.inFlight = undefined;
          s.abort = undefined;
        }
      }
      this.changed.fire(added ? { ...ref, records: added } : ref);
    })();
    s.inFlight = task;
    this.started.fire({ ref, done: task });
    return task;
  }

  /**
   * Adds a page, in place (its cost is the page's, not the listing's); a record already shown (a
   * cursor shifted by changes elsewhere) is dropped, so no id is ever shown twice. Returns what it added.
   */
  private accept(ref: ResourceRef, s: MutableState, page: ListedPage, appended: boolean): ApiRecord[] {
    const key = descriptorOf(ref).primaryKey;
    const shown = appended ? s.records.length : 0;
    if (!appended) {
      s.records = [];
      s.ids = new Set();
    }
    const fresh: ApiRecord[] = [];
    for (const record of page.records) {
      if (s.ids.has(record[key])) continue;
      s.ids.add(record[key]);
      fresh.push(record);
      s.records.push(record);
    }
    if (page.total !== undefined || !appended) s.total = page.total;
    else if (page.remaining !== undefined) s.total = shown + page.remaining;
    s.nextCursor = page.nextCursor;
    s.paging = page.paging;
    s.pages = appended ? s.pages + 1 : 1;
    if (!appended) {
      s.firstPageNext = page.nextCursor;
      s.firstPageEnd = fresh.length;
    }
    return fresh;
  }

  private async fetchPage(ref: ResourceRef, cursor: string | undefined, s: MutableState, signal: AbortSignal) {
    const site = this.site(ref.site);
    const resource = resourceFor(ref.model);
    if (!site || !resource) throw new Error(vscode.l10n.t('Site "{0}" is no longer configured.', ref.site));
    const api = await this.api(site);
    if (!api) throw new Error(vscode.l10n.t('No API key is set for "{0}".', site.name));
    // A later page goes on with what the first was read with ("last 7 days" as of then).
    const query = cursor === undefined ? listingQuery(resource.api, s.query, s.sort, new Date()) : s.listed;
    const page = await api.listPage(resource, { pageSize: this.pageSize, cursor, query, signal });
    return { page, query };
  }

  private changedListing(ref: ResourceRef, s: MutableState): Promise<void> {
    this.save(ref, s);
    this.reset(s);
    this.changed.fire(ref);
    return this.ensureLoaded(ref);
  }

  private saved(): Record<string, unknown> {
    const all = this.memento?.get<unknown>(LISTINGS_KEY);
    return typeof all === 'object' && all !== null ? { ...(all as Record<string, unknown>) } : {};
  }

  private save(ref: ResourceRef, s: MutableState): void {
    if (!this.memento) return;
    const all = this.saved();
    const entry: SavedListing = { ...(s.query ? { filter: s.query } : {}), ...(s.sort ? { sort: s.sort } : {}) };
    if (entry.filter || entry.sort) all[keyOf(ref)] = entry;
    else delete all[keyOf(ref)];
    void this.memento.update(LISTINGS_KEY, all);
  }

  /** A removed (or renamed) site's filters and sorts go with it. */
  private forgetRemovedSites(): void {
    const configured = new Set(this.sites.map((site) => site.name));
    for (const key of this.states.keys()) if (!configured.has(splitKey(key)[0])) this.states.delete(key);
    // Settings that do not parse list no sites: that is no reason to forget every sort.
    if (!this.memento || this.settingsProblems.length > 0) return;
    const all = this.saved();
    const kept = Object.fromEntries(Object.entries(all).filter(([key]) => configured.has(splitKey(key)[0])));
    if (Object.keys(kept).length !== Object.keys(all).length) void this.memento.update(LISTINGS_KEY, kept);
  }

  private reset(s: MutableState): void {
    s.abort?.abort();
    s.generation++;
    s.records = [];
    s.ids = new Set();
    s.total = undefined;
    s.nextCursor = undefined;
    s.firstPageNext = undefined;
    s.firstPageEnd = 0;
    s.paging = undefined;
    s.pages = 0;
    s.listed = undefined;
    s.loaded = false;
    s.inFlight = undefined;
    s.abort = undefined;
    s.error = undefined;
  }

  private mutable(ref: ResourceRef): MutableState {
    const key = keyOf(ref);
    let s = this.states.get(key);
    if (!s) {
      const saved = this.memento ? parseSavedListing(descriptorOf(ref), this.saved()[key]) : undefined;
      s = {
        records: [], ids: new Set(), total: undefined, nextCursor: undefined, firstPageNext: undefined, firstPageEnd: 0, paging: undefined, pages: 0, loaded: false, inFlight: undefined,
        error: undefined, query: saved?.filter, sort: saved?.sort, listed: undefined, generation: 0, abort: undefined,
      };
      this.states.set(key, s);
    }
    return s;
  }
}

export function descriptorOf(ref: ResourceRef): ResourceDescriptor {
  const resource = resourceFor(ref.model);
  if (!resource) throw new Error(`Unknown model ${ref.model}`);
  return resource;
}

const keyOf = (ref: ResourceRef): string => `${ref.site}\u0000${ref.model}`;
const splitKey = (key: string): [string, string] => key.split('\u0000') as [string, string];
