import { ApiError } from '../api/errors';
import type { RateLimit } from '../api/rateLimiter';
import { COPERNICA_CLICKS, USERS_CLICKS } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import { msg } from '../api/text';
import type { ListRequest, ResourceQuery, SiteReads } from '../sites/siteApi';
import { BdClickAggregator, CopernicaClickAggregator, type ClickInsights } from './clickAggregates';
import { bdClickDay, bdRangeFilters, clickWindow, copernicaClickDay, copernicaFetchRange, FIRST_CLICK_DAY, inCopernicaRange, type DayBounds } from './clickRange';

/** The most a page holds: BD clamps `limit` to 100, Copernica takes up to 1,000. */
export const BD_CLICK_PAGE = 100;
export const COPERNICA_CLICK_PAGE = 1000;

export type ClickSiteKind = 'bd' | 'copernica';

export interface FetchProgress {
  readonly fetched: number;
  /** The range's clicks, once the first page said. */
  readonly total: number | undefined;
  readonly requests: number;
}

/** What a large range will take, told before the rest of it is read. */
export interface FetchEstimate {
  readonly total: number;
  /** Requests still to send after the first page. */
  readonly requests: number;
  /** The least time the rate limit allows for them, from an empty window. */
  readonly ms: number;
  readonly rateLimit: RateLimit;
}

export interface FetchOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: FetchProgress) => void;
  /** The site's limit; past one window's worth of requests, `confirm` is asked first. */
  readonly rateLimit?: RateLimit | null;
  /** Asked when the rest of the range needs more requests than one window allows; false stops the fetch (a `cancelled` error). */
  readonly confirm?: (estimate: FetchEstimate) => Promise<boolean>;
  /** Every page's clicks as they come (a drill-down lists some of them); the aggregates never keep them. */
  readonly onRecords?: (records: readonly ApiRecord[]) => void;
  /** The clock that says which days a click may be on (tomorrow at the latest). */
  readonly now?: Date;
}

/** The least time `n` requests take under `limit` from an empty window: the whole windows waited between them. */
export function pacedMs(n: number, limit: RateLimit): number {
  return n <= 0 ? 0 : Math.floor((n - 1) / limit.requests) * limit.windowMs;
}

/**
 * Reads every click of the range through the site's shared, paced client, the range sent to
 * the server (BD: `date_clicked` gte/lt in 14-digit form; Copernica: `begintime`/`endtime`, see copernicaFetchRange),
 * pages as large as the API allows, and aggregates them as they arrive.
 */
export async function fetchClickInsights(api: Pick<SiteReads, 'listPage'>, kind: ClickSiteKind, bounds: DayBounds, options: FetchOptions = {}): Promise<ClickInsights> {
  const aggregator = kind === 'bd' ? new BdClickAggregator(options.now) : new CopernicaClickAggregator(options.now);
  const resource = kind === 'bd' ? USERS_CLICKS : COPERNICA_CLICKS;
  const pageSize = kind === 'bd' ? BD_CLICK_PAGE : COPERNICA_CLICK_PAGE;
  const query: ResourceQuery = kind === 'bd' ? { kind: 'bd', filters: bdRangeFilters(bounds) } : { kind: 'copernica', ...copernicaFetchRange(bounds), oldestFirst: true };
  let cursor: string | undefined;
  let total: number | undefined;
  let fetched = 0;
  let requests = 0;
  do {
    options.signal?.throwIfAborted();
    // A long job: interactive requests (opening, saving a record) go ahead of its pages.
    const request: ListRequest = { pageSize, cursor, query, signal: options.signal, background: true };
    const page = await api.listPage(resource, request);
    requests++;
    if (requests === 1) {
      total = page.total;
      const rest = total === undefined ? 0 : Math.max(0, Math.ceil(total / pageSize) - 1);
      const limit = options.rateLimit;
      if (limit && options.confirm && page.nextCursor !== undefined && rest > limit.requests) {
        const go = await options.confirm({ total: total ?? 0, requests: rest, ms: pacedMs(rest + 1, limit), rateLimit: limit });
        if (!go) throw new ApiError('cancelled', msg`Stopped before reading the rest of the range.`);
      }
    }
    // Copernica was sent a second more than the range (its edges' meaning is not documented): kept to [start, end) here.
    const records = kind === 'copernica' ? page.records.filter((r) => inCopernicaRange(r['timestamp'], bounds)) : page.records;
    aggregator.add(records);
    options.onRecords?.(records);
    fetched += page.records.length;
    options.onProgress?.({ fetched, total, requests });
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return aggregator.result(bounds);
}

/** The newest click's UTC day (undefined: no click with a valid date), and the requests it took. */
export interface NewestClick {
  readonly day: string | undefined;
  readonly requests: number;
}

/** Past this many newest clicks with a broken date the search gives up (each one costs a request). */
const NEWEST_TRIES = 3;

/**
 * The newest click with a valid date (clickWindow). BD: one request, a page of 1 ordered by
 * `date_clicked` descending between 2000 and tomorrow; a newest click whose date is not a real
 * date (20240230…) costs one more request below it, at most NEWEST_TRIES. Copernica lists newest
 * first only by counting first: one request when it holds at most one click, two otherwise.
 */
export async function findNewestClick(api: Pick<SiteReads, 'listPage'>, kind: ClickSiteKind, now: Date, signal?: AbortSignal): Promise<NewestClick> {
  const window = clickWindow(now);
  let requests = 0;
  let below: string | undefined;
  for (let i = 0; i < NEWEST_TRIES; i++) {
    if (kind === 'bd') {
      const filters = [...bdRangeFilters({ start: FIRST_CLICK_DAY, end: window.end }), ...(below ? [{ field: 'date_clicked', operator: 'lt' as const, value: below }] : [])];
      const page = await api.listPage(USERS_CLICKS, { pageSize: 1, query: { kind: 'bd', filters, order: { field: 'date_clicked', direction: 'DESC' } }, signal });
      requests++;
      const value = page.records[0]?.['date_clicked'];
      if (!value) return { day: undefined, requests };
      const day = bdClickDay(value);
      if (day !== undefined && day >= window.start && day < window.end) return { day, requests };
      below = value;
    } else {
      const page = await api.listPage(COPERNICA_CLICKS, { pageSize: 1, query: { kind: 'copernica', begintime: `${FIRST_CLICK_DAY} 00:00:00`, endtime: below ?? `${window.end} 00:00:00` }, signal });
      requests += page.total !== undefined && page.total > 1 ? 2 : 1;
      const value = page.records[0]?.['timestamp'];
      if (!value) return { day: undefined, requests };
      const day = copernicaClickDay(value);
      if (day !== undefined && day >= window.start && day < window.end) return { day, requests };
      // A timestamp in no known form cannot be stepped below.
      if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return { day: undefined, requests };
      below = value;
    }
  }
  return { day: undefined, requests };
}
