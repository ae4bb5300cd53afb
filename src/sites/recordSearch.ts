import { ApiError } from '../api/errors';
import type { RecordFilter } from '../api/filters';
import type { ModelName, ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import { msg } from '../api/text';
import type { SiteReads } from './siteApi';

/**
 * Finding a record on a BD site by what a person remembers of it, on the server: BD can OR only
 * within one condition on one field (a comma in the value), never across fields, so every field
 * searched is one request. The fields per resource are fixed, which caps the requests a search
 * makes; the site's client paces them under the rate limit like any other request.
 */

/** Text shorter than this is not searched (an id, all digits, is looked up from one digit on). */
export const MIN_SEARCH_LENGTH = 3;
/** How many records one request brings back (newest first). */
export const RESULTS_PER_REQUEST = 10;
/** The most requests one search makes: one per field searched (contacts 4, notifications 2; an id: one per resource). */
export const MAX_SEARCH_REQUESTS = 6;
/** How long typing must pause before a search starts. */
export const SEARCH_DELAY_MS = 300;

/** The text fields searched per resource; a resource not listed is found by id only. */
const SEARCHED_FIELDS: Partial<Record<ModelName, readonly string[]>> = {
  contacts: ['email', 'first_name', 'last_name', 'company'],
  website_notifications: ['notification_title', 'notification_message'],
};

export interface SearchRequest {
  readonly resource: ResourceDescriptor;
  /** ANDed; one request. */
  readonly filters: readonly RecordFilter[];
  /** What it looked at, for people ("email", "first_name + last_name"). */
  readonly matchedBy: string;
}

export interface SearchGroup {
  readonly resource: ResourceDescriptor;
  /** Newest first, each record once. */
  readonly records: readonly ApiRecord[];
  /** Per primary key, what found it ("email, company"). */
  readonly matchedBy: ReadonlyMap<string, string>;
  /** A request had more matches than it brought back: typing more narrows them. */
  readonly more: boolean;
  /** Requests of this resource still out. */
  readonly pending: number;
  /** The first failure of this resource's requests (its other requests still count). */
  readonly error: unknown;
}

export interface SearchResult {
  readonly text: string;
  /** In the site's resource order; a resource nothing was asked of is left out. */
  readonly groups: readonly SearchGroup[];
  readonly requests: number;
  readonly done: boolean;
}

/** Trimmed, `%` dropped (the firewall strips it anyway), commas as spaces (BD would read them as "or"), runs of space as one. */
export function normaliseSearchText(text: string): string {
  return text.replace(/%/g, '').replace(/,/g, ' ').replace(/\s+/g, ' ').trim();
}

export function isIdSearch(text: string): boolean {
  return /^[1-9]\d{0,17}$/.test(normaliseSearchText(text));
}

/** Whether `text` is long enough to search (any id is). */
export function isSearchable(text: string): boolean {
  return isIdSearch(text) || normaliseSearchText(text).length >= MIN_SEARCH_LENGTH;
}

/**
 * The requests a search for `text` makes, at most MAX_SEARCH_REQUESTS: an id (digits) is looked
 * up in every resource by primary key; a single word is searched for (`contains`, case-insensitive)
 * in each searched field (a contact only by email when there is an "@"); several words look for
 * a contact with the first ones in its first name and the last one in its last name, and for the
 * whole text in company, title and message.
 */
export function planSearch(text: string, resources: readonly ResourceDescriptor[]): SearchRequest[] {
  const value = normaliseSearchText(text);
  if (isIdSearch(value)) return resources.map((resource) => ({ resource, filters: [{ field: resource.primaryKey, operator: 'eq', value }], matchedBy: resource.primaryKey }));
  if (value.length < MIN_SEARCH_LENGTH) return [];
  const words = value.split(' ');
  const plan: SearchRequest[] = [];
  for (const resource of resources) {
    const fields = SEARCHED_FIELDS[resource.model] ?? [];
    for (const field of fields) {
      if (words.length > 1 && (field === 'email' || field === 'last_name')) continue;
      // An "@" is in an email, not in a name or a company: no request spent on those.
      if (value.includes('@') && SEARCHED_FIELDS.contacts?.includes(field) && field !== 'email') continue;
      if (words.length > 1 && field === 'first_name') {
        const first = words.slice(0, -1).join(' ');
        const last = words[words.length - 1]!;
        plan.push({ resource, filters: [{ field: 'first_name', operator: 'contains', value: first }, { field: 'last_name', operator: 'contains', value: last }], matchedBy: 'first_name + last_name' });
        continue;
      }
      plan.push({ resource, filters: [{ field, operator: 'contains', value }], matchedBy: field });
    }
  }
  return plan.slice(0, MAX_SEARCH_REQUESTS);
}

/**
 * Runs the plan for `text` on `api`, all requests at once (the client paces them), and calls
 * `onUpdate` after each reply with everything found so far. `signal` stops it: requests not
 * sent yet are never sent, and nothing is reported after it fired (the promise rejects with kind
 * `cancelled`).
 */
export async function searchRecords(
  api: SiteReads,
  text: string,
  options: { readonly signal?: AbortSignal; readonly onUpdate?: (result: SearchResult) => void; readonly perRequest?: number } = {},
): Promise<SearchResult> {
  const { signal, onUpdate } = options;
  const plan = planSearch(text, api.resources);
  const groups = new Map<ModelName, MutableGroup>();
  for (const request of plan) {
    const group = groups.get(request.resource.model) ?? { resource: request.resource, found: new Map(), more: false, pending: 0, error: undefined };
    group.pending++;
    groups.set(request.resource.model, group);
  }
  const snapshot = (done: boolean): SearchResult => ({ text, groups: [...groups.values()].map(freeze), requests: plan.length, done });
  const cancelled = (): ApiError => new ApiError('cancelled', msg`The search was cancelled.`);
  await Promise.all(
    plan.map(async (request) => {
      const group = groups.get(request.resource.model)!;
      try {
        const page = await api.listPage(request.resource, { pageSize: options.perRequest ?? RESULTS_PER_REQUEST, query: { kind: 'bd', filters: request.filters }, signal });
        const key = request.resource.primaryKey;
        for (const record of page.records) {
          const id = record[key] ?? '';
          const known = group.found.get(id);
          group.found.set(id, { record, matchedBy: known ? `${known.matchedBy}, ${request.matchedBy}` : request.matchedBy });
        }
        if (page.total !== undefined && page.total > page.records.length) group.more = true;
      } catch (error) {
        if (signal?.aborted) return;
        group.error ??= error;
      } finally {
        group.pending--;
      }
      if (!signal?.aborted) onUpdate?.(snapshot(false));
    }),
  );
  if (signal?.aborted) throw cancelled();
  return snapshot(true);
}

interface MutableGroup {
  readonly resource: ResourceDescriptor;
  readonly found: Map<string, { record: ApiRecord; matchedBy: string }>;
  more: boolean;
  pending: number;
  error: unknown;
}

function freeze(group: MutableGroup): SearchGroup {
  const entries = [...group.found.entries()].sort(([a], [b]) => compareIdsNewestFirst(a, b));
  return {
    resource: group.resource,
    records: entries.map(([, found]) => found.record),
    matchedBy: new Map(entries.map(([id, found]) => [id, found.matchedBy])),
    more: group.more,
    pending: group.pending,
    error: group.error,
  };
}

function compareIdsNewestFirst(a: string, b: string): number {
  const x = /^\d+$/.test(a) ? BigInt(a) : undefined;
  const y = /^\d+$/.test(b) ? BigInt(b) : undefined;
  if (x !== undefined && y !== undefined) return x > y ? -1 : x < y ? 1 : 0;
  return a > b ? -1 : a < b ? 1 : 0;
}

/**
 * Runs only the latest search: each `search(text)` waits `delayMs` of quiet first and aborts the
 * one before it, pending or under way (its unsent requests are never sent, its late replies
 * never shown).
 */
export class LatestSearch {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private abort: AbortController | undefined;
  private text: string | undefined;

  constructor(
    private readonly run: (text: string, signal: AbortSignal) => Promise<void>,
    private readonly delayMs = SEARCH_DELAY_MS,
  ) {}

  search(text: string): void {
    // The same text again (VS Code can say a value changed when it did not): the search for it goes on.
    if (text === this.text && this.abort && !this.abort.signal.aborted) return;
    this.cancel();
    const abort = new AbortController();
    this.abort = abort;
    this.text = text;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run(text, abort.signal).catch(() => undefined);
    }, this.delayMs);
  }

  /** Stops what is pending or running. */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.abort = undefined;
    this.text = undefined;
  }
}
