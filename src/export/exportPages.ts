import type { ApiKind, ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import type { ResourceQuery, SiteReads } from '../sites/siteApi';
import type { ExportPage } from './exportFile';

/** The largest page each API gives: BD clamps `limit` to 100; Copernica allows 1,000. */
export const EXPORT_PAGE_SIZE: Readonly<Record<ApiKind, number>> = { brilliantDirectories: 100, copernica: 1000 };

/**
 * Every record of a listing, page after page, with its filter and sort: the one place an
 * export asks the API for records (one `listPage` per page; the rate limiter paces them).
 * A page is asked for only when the previous one is written, so at most one is held.
 * Pages that follow BD's own cursor (a sort on another column) can repeat a record when the
 * data changes meanwhile: the ids already exported are remembered then (ids only), and a
 * repeat is skipped.
 */
export async function* listingPages(api: SiteReads, resource: ResourceDescriptor, query: ResourceQuery | undefined, signal?: AbortSignal): AsyncGenerator<ExportPage> {
  const pageSize = EXPORT_PAGE_SIZE[resource.api];
  let cursor: string | undefined;
  let first = true;
  let seen: Set<string> | undefined;
  do {
    // A long job: interactive requests (opening, saving a record) go ahead of its pages.
    const page = await api.listPage(resource, { pageSize, cursor, query, signal, background: true });
    let records: readonly ApiRecord[] = page.records;
    if (page.paging === 'shifting') {
      seen ??= new Set();
      const ids = seen;
      records = records.filter((record) => {
        const id = record[resource.primaryKey] ?? '';
        if (ids.has(id)) return false;
        ids.add(id);
        return true;
      });
    }
    yield first ? { records, total: page.total } : { records };
    first = false;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}

/** Records already at hand (a multi-selection in the tree): one page, no request. */
export async function* recordPages(records: readonly ApiRecord[]): AsyncGenerator<ExportPage> {
  yield { records, total: records.length };
}
