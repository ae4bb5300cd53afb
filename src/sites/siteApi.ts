import { msg } from '../api/text';
import { BdClient, type UpdateResult } from '../api/bdClient';
import { CopernicaClient, type ClickSearchProgress } from '../api/copernicaClient';
import { ApiError } from '../api/errors';
import { isPastKey, type ListOrder, type RecordFilter } from '../api/filters';
import type { PacingClock, RateLimit } from '../api/rateLimiter';
import type { RequestLogEntry } from '../api/requestLayer';
import { BD_RESOURCES, COPERNICA_RESOURCES, type ApiKind, type ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';

export type { ClickSearchProgress } from '../api/copernicaClient';

/**
 * What narrows and arranges a listing: ANDed conditions and an order on BD, a time range on
 * Copernica. Without `order` BD lists newest first by primary key; Copernica, which has no sort
 * parameter, lists newest first unless `oldestFirst`.
 */
export type ResourceQuery =
  | { readonly kind: 'bd'; readonly filters: readonly RecordFilter[]; readonly order?: ListOrder }
  | { readonly kind: 'copernica'; readonly begintime?: string; readonly endtime?: string; readonly unique?: boolean; readonly oldestFirst?: boolean };

export interface ListRequest {
  readonly pageSize: number;
  /** The previous page's `nextCursor`; undefined for the first page. */
  readonly cursor?: string;
  readonly query?: ResourceQuery;
  readonly signal?: AbortSignal;
  /** A long job's read (bulk, export, Click Insights): in the rate limiter's background lane, behind interactive requests. */
  readonly background?: boolean;
}

/** How a write goes out. */
export interface WriteOptions {
  /** A bulk job's write: in the rate limiter's background lane, behind interactive requests. */
  readonly background?: boolean;
  /**
   * The user has confirmed exactly this write already, in a bulk job's preview: a `confirm`
   * site's write gate does not ask again. A read-only site still refuses it.
   */
  readonly confirmed?: boolean;
  /**
   * When the read this write was checked against came back, on the site's pacing clock: the
   * write is not sent (ApiError `stale`) once it would follow that read by more than the bound
   * (recheckBoundMs: 15 s, or two request slots at a very slow pace). A bulk job reads again then.
   */
  readonly checkedAt?: number;
}

/**
 * How one page follows the last:
 * - `stable`: from a position the data cannot shift (BD: a condition on the last primary key
 *   seen; Copernica: an offset under an `endtime` frozen at the first page). Records that
 *   existed throughout come exactly once, records created or deleted meanwhile at most once.
 * - `shifting`: BD's own page cursor (a sort on another column: conditions only AND, so no key
 *   condition can continue it). A record created or deleted meanwhile shifts the pages: a repeat
 *   is dropped by the tree, but a record can be missed until the next refresh.
 */
export type Paging = 'stable' | 'shifting';

export interface ListedPage {
  readonly records: readonly ApiRecord[];
  /** How many records the whole listing holds, when this page says (the first page does). */
  readonly total: number | undefined;
  /** How many records there are from this page's first on, when this page says instead of `total`. */
  readonly remaining?: number;
  /** Opaque. Undefined on the last page. */
  readonly nextCursor: string | undefined;
  readonly paging: Paging;
}

/**
 * What everyone may do with a site: read. The same operations over both APIs, so the tree and
 * the documents need not care which one a site speaks. `SiteConnections` hands out only this.
 */
export interface SiteReads {
  readonly kind: ApiKind;
  readonly resources: readonly ResourceDescriptor[];
  verify(signal?: AbortSignal): Promise<void>;
  listPage(resource: ResourceDescriptor, request: ListRequest): Promise<ListedPage>;
  /**
   * One record by id. Copernica has no get-by-id: a click listed lately is answered from a
   * bounded cache; any other is searched for, newest first, at most a few pages (see
   * `needsSearch`), reporting to `onProgress` and stopped by `signal`.
   */
  get(resource: ResourceDescriptor, id: string, signal?: AbortSignal, onProgress?: (progress: ClickSearchProgress) => void): Promise<ApiRecord>;
  /** True when `get` would have to search (several requests): worth a cancellable progress. */
  needsSearch(resource: ResourceDescriptor, id: string): boolean;
  dispose(): Promise<void>;
}

/**
 * The writes. Only the record service (src/records/recordService.ts) obtains them, through the
 * site's write gate: a lint rule and a unit test keep every other file from asking for them.
 */
export interface SiteWrites {
  update(resource: ResourceDescriptor, original: ApiRecord, edited: Readonly<Record<string, unknown>>, signal?: AbortSignal, options?: WriteOptions): Promise<UpdateResult>;
  create(resource: ResourceDescriptor, fields: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<ApiRecord>;
  delete(resource: ResourceDescriptor, id: string, signal?: AbortSignal, options?: WriteOptions): Promise<void>;
}

/** One site's client: its reads and its writes. */
export type SiteApi = SiteReads & SiteWrites;

export interface SiteApiOptions {
  readonly kind: ApiKind;
  readonly url: string | undefined;
  readonly secret: string;
  readonly rateLimit: RateLimit | null;
  readonly log: (entry: RequestLogEntry) => void;
  /** Copernica: how many listed clicks `get` remembers, and how far it searches for others. */
  readonly clickLookup?: { readonly cacheSize?: number; readonly pageSize?: number; readonly maxPages?: number };
  /** The clock Copernica's listing freezes `endtime` with (tests set it). */
  readonly now?: () => Date;
  /** The clock requests are paced and rate-limit waits timed on (tests pass a fake one); the real one by default. */
  readonly pacingClock?: PacingClock;
}

/** Defaults for Copernica's click lookup: about 2 MB of clicks kept; 10 requests of 1,000 searched. */
const CLICK_CACHE_SIZE = 5000;
const CLICK_SEARCH_PAGES = 10;

export function createSiteApi(options: SiteApiOptions): SiteApi {
  return options.kind === 'brilliantDirectories' ? new BdSiteApi(options) : new CopernicaSiteApi(options);
}

class BdSiteApi implements SiteApi {
  readonly kind = 'brilliantDirectories';
  readonly resources = BD_RESOURCES;
  private readonly client: BdClient;

  constructor(options: SiteApiOptions) {
    if (!options.url) throw new ApiError('invalidInput', msg`This Brilliant Directories site has no "url" in its settings.`, { field: 'url' });
    this.client = new BdClient({ siteUrl: options.url, apiKey: options.secret, rateLimit: options.rateLimit, log: options.log, clock: options.pacingClock });
  }

  async verify(signal?: AbortSignal): Promise<void> {
    await this.client.verifyKey(signal);
  }

  async listPage(resource: ResourceDescriptor, request: ListRequest): Promise<ListedPage> {
    const query = request.query?.kind === 'bd' ? request.query : undefined;
    const filters = query?.filters ?? [];
    // BD's default order is not stable; newest first is what a person browsing expects.
    const order = query?.order ?? { field: resource.orderField, direction: 'DESC' };
    const { pageSize: limit, signal, background } = request;
    if (order.field !== resource.primaryKey) {
      // Another column: a key condition cannot continue it (conditions only AND), so BD's cursor.
      const cursor = request.cursor === undefined ? undefined : parseCursor(request.cursor, PAGE_CURSOR);
      const page = await this.client.listPage(resource, { limit, cursor, filters, order, signal, background });
      return { records: page.records, total: page.total, nextCursor: page.nextCursor === undefined ? undefined : PAGE_CURSOR + page.nextCursor, paging: 'shifting' };
    }
    // By primary key: every page is a fresh first page past the last key seen, so records
    // created or deleted meanwhile cannot shift it as they shift BD's offset cursor.
    const afterKey = request.cursor === undefined ? undefined : parseCursor(request.cursor, KEY_CURSOR);
    const page = await this.client.listPage(resource, { limit, filters, order, afterKey, signal, background });
    const key = (record: ApiRecord): string => record[resource.primaryKey] ?? '';
    // A site that ignored the condition must not make the listing go round in circles.
    const records = afterKey === undefined ? page.records : page.records.filter((record) => isPastKey(key(record), afterKey, order.direction));
    let last: string | undefined;
    for (const record of records) if (last === undefined || isPastKey(key(record), last, order.direction)) last = key(record);
    const more = page.nextCursor !== undefined && last !== undefined;
    return {
      records,
      // Past the first page BD counts only what is left from here, which is what the tree adds to what it shows.
      ...(afterKey === undefined ? { total: page.total } : { total: undefined, remaining: page.total }),
      nextCursor: more ? KEY_CURSOR + last : undefined,
      paging: 'stable',
    };
  }

  get(resource: ResourceDescriptor, id: string, signal?: AbortSignal): Promise<ApiRecord> {
    return this.client.get(resource, id, signal);
  }

  needsSearch(): boolean {
    return false;
  }

  update(resource: ResourceDescriptor, original: ApiRecord, edited: Readonly<Record<string, unknown>>, signal?: AbortSignal, options?: WriteOptions): Promise<UpdateResult> {
    return this.client.update(resource, original, edited, signal, { background: options?.background, checkedAt: options?.checkedAt });
  }

  create(resource: ResourceDescriptor, fields: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<ApiRecord> {
    return this.client.create(resource, fields, signal);
  }

  delete(resource: ResourceDescriptor, id: string, signal?: AbortSignal, options?: WriteOptions): Promise<void> {
    return this.client.delete(resource, id, signal, { background: options?.background, checkedAt: options?.checkedAt });
  }

  dispose(): Promise<void> {
    return this.client.dispose();
  }
}

class CopernicaSiteApi implements SiteApi {
  readonly kind = 'copernica';
  readonly resources = COPERNICA_RESOURCES;
  private readonly client: CopernicaClient;
  /** Copernica has no get-by-id for clicks: a click is read back from what a listing returned. */
  private readonly seen: RecentRecords;
  private readonly search: { readonly pageSize?: number; readonly maxPages: number };
  private readonly now: () => Date;

  constructor(options: SiteApiOptions) {
    this.client = new CopernicaClient({ baseUrl: options.url, token: options.secret, rateLimit: options.rateLimit, log: options.log, clock: options.pacingClock });
    this.seen = new RecentRecords(options.clickLookup?.cacheSize ?? CLICK_CACHE_SIZE);
    this.search = { pageSize: options.clickLookup?.pageSize, maxPages: options.clickLookup?.maxPages ?? CLICK_SEARCH_PAGES };
    this.now = options.now ?? (() => new Date());
  }

  verify(signal?: AbortSignal): Promise<void> {
    return this.client.verifyToken(signal);
  }

  /**
   * Newest first, though Copernica lists oldest first and has no sort: the first page freezes
   * `endtime` (now, or the user's endtime if earlier) and counts the clicks; every page then
   * reads the `pageSize` clicks before the last one read, backward to offset 0, reversed.
   * Clicks are never deleted and new ones come after the frozen end (or, stamped by a clock
   * behind ours, after every counted one), so the offsets hold: exact.
   */
  async listPage(_resource: ResourceDescriptor, request: ListRequest): Promise<ListedPage> {
    const { pageSize, signal } = request;
    const range = request.query?.kind === 'copernica' ? request.query : undefined;
    const filter = { begintime: range?.begintime, unique: range?.unique, signal, background: request.background };
    let before: number;
    let endtime: string;
    let total: number | undefined;
    if (range?.oldestFirst) return this.oldestFirst(request, filter, range.endtime);
    if (request.cursor === undefined) {
      endtime = this.frozenEnd(range?.endtime);
      // The one count of the listing. It asks for a page at once: a short listing is done in one request.
      const head = await this.client.listClicks({ ...filter, endtime, start: 0, limit: pageSize });
      if (head.total === undefined) throw new ApiError('unexpectedReply', msg`Copernica did not say how many clicks there are, so they cannot be listed newest first.`, { endpoint: 'ms/clicks' });
      total = head.total;
      if (total <= pageSize) return this.page(head.records, total, undefined);
      before = total;
    } else {
      ({ before, endtime } = parseClickCursor(request.cursor));
    }
    const start = Math.max(0, before - pageSize);
    const page = await this.client.listClicks({ ...filter, endtime, start, limit: before - start, total: false });
    return this.page(page.records, total, start > 0 ? `${start}@${endtime}` : undefined);
  }

  /**
   * Copernica's own order (by ID, so by time), under the same endtime frozen at the first page
   * and up to the count taken there: clicks arriving meanwhile come after them, so the offsets
   * hold, and the listing ends where its count said.
   */
  private async oldestFirst(request: ListRequest, filter: { begintime?: string; unique?: boolean; signal?: AbortSignal; background?: boolean }, until: string | undefined): Promise<ListedPage> {
    const { pageSize } = request;
    const first = request.cursor === undefined;
    const at = first ? { start: 0, endtime: this.frozenEnd(until), total: undefined } : parseForwardCursor(request.cursor!);
    const limit = at.total === undefined ? pageSize : Math.min(pageSize, at.total - at.start);
    const page = await this.client.listClicks({ ...filter, endtime: at.endtime, start: at.start, limit, total: first });
    if (first && page.total === undefined) throw new ApiError('unexpectedReply', msg`Copernica did not say how many clicks there are, so they cannot be listed.`, { endpoint: 'ms/clicks' });
    const total = at.total ?? page.total!;
    const next = at.start + page.records.length;
    for (const record of page.records) if (record['ID']) this.seen.add(record['ID'], record);
    const more = page.records.length > 0 && next < total;
    return { records: page.records, total: first ? total : undefined, nextCursor: more ? `${FORWARD_CURSOR}${next}/${total}@${at.endtime}` : undefined, paging: 'stable' };
  }

  /** endtime is exclusive: the next whole second takes in every click up to now (or the user's endtime, if earlier). */
  private frozenEnd(until: string | undefined): string {
    const now = copernicaTime(new Date(Math.floor(this.now().getTime() / 1000) * 1000 + 1000));
    return until !== undefined && until < now ? until : now;
  }

  async get(resource: ResourceDescriptor, id: string, signal?: AbortSignal, onProgress?: (progress: ClickSearchProgress) => void): Promise<ApiRecord> {
    const known = this.seen.get(id);
    if (known) return known;
    const found = await this.client.findClick(id, { ...this.search, signal, onProgress });
    if (found[resource.primaryKey] === id) this.seen.add(id, found);
    return found;
  }

  needsSearch(_resource: ResourceDescriptor, id: string): boolean {
    return !this.seen.has(id);
  }

  update(resource: ResourceDescriptor): Promise<UpdateResult> {
    return Promise.reject(readOnly(resource));
  }

  create(resource: ResourceDescriptor): Promise<ApiRecord> {
    return Promise.reject(readOnly(resource));
  }

  delete(resource: ResourceDescriptor): Promise<void> {
    return Promise.reject(readOnly(resource));
  }

  dispose(): Promise<void> {
    return this.client.dispose();
  }

  private page(oldestFirst: readonly ApiRecord[], total: number | undefined, nextCursor: string | undefined): ListedPage {
    const records = [...oldestFirst].reverse();
    // Remembered oldest first, so the newest of the page are the last to be forgotten.
    for (const record of oldestFirst) {
      const id = record['ID'];
      if (id) this.seen.add(id, record);
    }
    return { records, total, nextCursor, paging: 'stable' };
  }
}

/** The records most recently listed or read, at most `capacity` (a Map keeps insertion order: the first key is the least recent). */
class RecentRecords {
  private readonly records = new Map<string, ApiRecord>();

  constructor(private readonly capacity: number) {}

  get(id: string): ApiRecord | undefined {
    const record = this.records.get(id);
    if (record) {
      this.records.delete(id);
      this.records.set(id, record);
    }
    return record;
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  add(id: string, record: ApiRecord): void {
    this.records.delete(id);
    this.records.set(id, record);
    if (this.records.size > this.capacity) this.records.delete(this.records.keys().next().value as string);
  }
}

const KEY_CURSOR = 'key:';
const PAGE_CURSOR = 'page:';

function parseCursor(cursor: string, prefix: string): string {
  if (!cursor.startsWith(prefix) || cursor.length === prefix.length) throw staleCursor();
  return cursor.slice(prefix.length);
}

const FORWARD_CURSOR = 'from:';

function parseForwardCursor(cursor: string): { start: number; total: number; endtime: string } {
  const m = /^from:(\d+)\/(\d+)@(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})$/.exec(cursor);
  if (!m) throw staleCursor();
  return { start: Number(m[1]), total: Number(m[2]), endtime: m[3]! };
}

function parseClickCursor(cursor: string): { before: number; endtime: string } {
  const m = /^(\d+)@(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})$/.exec(cursor);
  if (!m) throw staleCursor();
  return { before: Number(m[1]), endtime: m[2]! };
}

function staleCursor(): ApiError {
  return new ApiError('invalidInput', msg`The listing's position no longer fits its order. Refresh it.`, { field: 'cursor' });
}

/** `YYYY-MM-DD HH:MM:SS`, UTC (the sandbox's clock; Copernica documents no zone). */
function copernicaTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function readOnly(resource: ResourceDescriptor): ApiError {
  return new ApiError('invalidInput', msg`Copernica ${resource.plural.toLowerCase()} are read-only: the API has no create, update or delete for them.`);
}
