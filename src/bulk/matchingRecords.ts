import type { RecordFilter } from '../api/filters';
import type { ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import type { SiteReads } from '../sites/siteApi';
import { BATCH_SIZE } from './bulkPlan';

export interface MatchingOptions {
  readonly signal?: AbortSignal;
  /** Records listed so far, and the count the first page gave. */
  readonly onProgress?: (listed: number, total: number | undefined) => void;
}

/**
 * Every record matching `filters`, listed 100 a page by primary key (keyset paging, so records
 * created or deleted meanwhile cannot shift a page), in the background lane. BD has no
 * filter-based write: "all matching" becomes this list of records, shown in the preview.
 */
export async function listMatching(api: Pick<SiteReads, 'listPage'>, resource: ResourceDescriptor, filters: readonly RecordFilter[], options: MatchingOptions = {}): Promise<ApiRecord[]> {
  const records: ApiRecord[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  let total: number | undefined;
  do {
    const page = await api.listPage(resource, {
      pageSize: BATCH_SIZE,
      cursor,
      query: { kind: 'bd', filters, order: { field: resource.primaryKey, direction: 'ASC' } },
      signal: options.signal,
      background: true,
    });
    total ??= page.total;
    for (const record of page.records) {
      const id = record[resource.primaryKey];
      if (!id || seen.has(id)) continue;
      seen.add(id);
      records.push(record);
    }
    options.onProgress?.(records.length, total);
    cursor = page.records.length > 0 ? page.nextCursor : undefined;
  } while (cursor !== undefined);
  return records;
}
