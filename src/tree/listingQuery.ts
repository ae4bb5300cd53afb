import { FILTER_OPERATORS, TIME_PRESETS, isFieldName, presetBeginTime, type ListOrder, type RecordFilter, type TimePreset } from '../api/filters';
import type { ApiKind, ResourceDescriptor } from '../api/resources';
import type { ResourceQuery } from '../sites/siteApi';

/**
 * What a person set to narrow a listing (the order is apart: `ListingSort`). BD: conditions, all
 * of which must match. Copernica: a time range, typed or relative (`preset`, fixed when the
 * listing's first page loads, so "last 7 days" stays the last 7 days after a reload), and
 * unique clicks.
 */
export type ListingFilter =
  | { readonly kind: 'bd'; readonly filters: readonly RecordFilter[] }
  | { readonly kind: 'copernica'; readonly begintime?: string; readonly endtime?: string; readonly preset?: TimePreset; readonly unique?: boolean };

/**
 * How a listing is ordered when not newest first. BD: any column, either direction (sent as
 * `order_column`/`order_type`). Copernica has no sort parameter: only its primary key ascending
 * (oldest first) differs from the default.
 */
export type ListingSort = ListOrder;

/** A resource's filter and sort as kept across window reloads. */
export interface SavedListing {
  readonly filter?: ListingFilter;
  readonly sort?: ListingSort;
}

/** No conditions is no filter; a Copernica range with nothing set is no filter either. */
export function normaliseFilter(filter: ListingFilter | undefined): ListingFilter | undefined {
  if (!filter) return undefined;
  if (filter.kind === 'bd') return filter.filters.length > 0 ? { kind: 'bd', filters: filter.filters } : undefined;
  const { begintime, endtime, preset, unique } = filter;
  // A preset is a begintime: the two never go together.
  const range = { ...(preset ? { preset } : begintime ? { begintime } : {}), ...(endtime ? { endtime } : {}), ...(unique ? { unique: true } : {}) };
  return Object.keys(range).length > 0 ? { kind: 'copernica', ...range } : undefined;
}

/** The default order (newest first by primary key) is no sort; Copernica can only be sorted oldest first. */
export function normaliseSort(resource: ResourceDescriptor, sort: ListingSort | undefined): ListingSort | undefined {
  if (!sort || !isFieldName(sort.field) || (sort.direction !== 'ASC' && sort.direction !== 'DESC')) return undefined;
  if (sort.field === resource.primaryKey && sort.direction === 'DESC') return undefined;
  if (resource.api === 'copernica' && (sort.field !== resource.primaryKey || sort.direction !== 'ASC')) return undefined;
  return { field: sort.field, direction: sort.direction };
}

/** The query a listing's first page is read with: a preset becomes a begintime as of `now`. */
export function listingQuery(kind: ApiKind, filter: ListingFilter | undefined, sort: ListingSort | undefined, now: Date): ResourceQuery | undefined {
  if (kind === 'brilliantDirectories') {
    const filters = filter?.kind === 'bd' ? filter.filters : [];
    return filters.length > 0 || sort ? { kind: 'bd', filters, ...(sort ? { order: sort } : {}) } : undefined;
  }
  const range = filter?.kind === 'copernica' ? filter : undefined;
  const begintime = range?.preset ? presetBeginTime(range.preset, now) : range?.begintime;
  const query = { begintime, endtime: range?.endtime, unique: range?.unique || undefined, oldestFirst: sort?.direction === 'ASC' || undefined };
  return Object.values(query).some((v) => v !== undefined) ? { kind: 'copernica', ...query } : undefined;
}

/** A saved listing read back, or undefined when it is not one (an older or damaged entry is dropped, not trusted). */
export function parseSavedListing(resource: ResourceDescriptor, value: unknown): SavedListing | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { filter, sort } = value as { filter?: unknown; sort?: unknown };
  const parsedFilter = normaliseFilter(parseFilter(resource, filter));
  const parsedSort = normaliseSort(resource, isOrder(sort) ? sort : undefined);
  if (!parsedFilter && !parsedSort) return undefined;
  return { ...(parsedFilter ? { filter: parsedFilter } : {}), ...(parsedSort ? { sort: parsedSort } : {}) };
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function parseFilter(resource: ResourceDescriptor, value: unknown): ListingFilter | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (resource.api === 'brilliantDirectories' && v['kind'] === 'bd' && Array.isArray(v['filters'])) {
    const filters = v['filters'].filter(isRecordFilter);
    return filters.length === v['filters'].length ? { kind: 'bd', filters } : undefined;
  }
  if (resource.api === 'copernica' && v['kind'] === 'copernica') {
    const time = (x: unknown): string | undefined => (typeof x === 'string' && TIMESTAMP.test(x) ? x : undefined);
    const preset = (TIME_PRESETS as readonly unknown[]).includes(v['preset']) ? (v['preset'] as TimePreset) : undefined;
    return { kind: 'copernica', begintime: time(v['begintime']), endtime: time(v['endtime']), preset, unique: v['unique'] === true || undefined };
  }
  return undefined;
}

function isRecordFilter(value: unknown): value is RecordFilter {
  if (typeof value !== 'object' || value === null) return false;
  const { field, operator, value: text } = value as Record<string, unknown>;
  return typeof field === 'string' && isFieldName(field) && (FILTER_OPERATORS as readonly unknown[]).includes(operator) && typeof text === 'string';
}

function isOrder(value: unknown): value is ListOrder {
  if (typeof value !== 'object' || value === null) return false;
  const { field, direction } = value as Record<string, unknown>;
  return typeof field === 'string' && (direction === 'ASC' || direction === 'DESC');
}
