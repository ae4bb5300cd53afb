import { msg } from '../api/text';
import { BdClient, type UpdateResult } from '../api/bdClient';
import { CopernicaClient } from '../api/copernicaClient';
import { ApiError } from '../api/errors';
import type { RecordFilter } from '../api/filters';
import type { RateLimit } from '../api/rateLimiter';
import type { RequestLogEntry } from '../api/requestLayer';
import { BD_RESOURCES, COPERNICA_RESOURCES, type ApiKind, type ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';

/** What narrows a listing: ANDed conditions on BD, a time range on Copernica. */
export type ResourceQuery =
  | { readonly kind: 'bd'; readonly filters: readonly RecordFilter[] }
  | { readonly kind: 'copernica'; readonly begintime?: string; readonly endtime?: string; readonly unique?: boolean };

export interface ListedPage {
  readonly records: readonly ApiRecord[];
  readonly total: number | undefined;
  /** Opaque: a BD cursor or a Copernica offset. Undefined on the last page. */
  readonly nextCursor: string | undefined;
}

/** The same operations over both APIs, so the tree and the documents need not care which one a site speaks. */
export interface SiteApi {
  readonly kind: ApiKind;
  readonly resources: readonly ResourceDescriptor[];
  verify(signal?: AbortSignal): Promise<void>;
  listPage(resource: ResourceDescriptor, pageSize: number, cursor: string | undefined, query: ResourceQuery | undefined, signal?: AbortSignal): Promise<ListedPage>;
  get(resource: ResourceDescriptor, id: string, signal?: AbortSignal): Promise<ApiRecord>;
  update(resource: ResourceDescriptor, original: ApiRecord, edited: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<UpdateResult>;
  create(resource: ResourceDescriptor, fields: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<ApiRecord>;
  delete(resource: ResourceDescriptor, id: string, signal?: AbortSignal): Promise<void>;
  dispose(): Promise<void>;
}

export interface SiteApiOptions {
  readonly kind: ApiKind;
  readonly url: string | undefined;
  readonly secret: string;
  readonly rateLimit: RateLimit | null;
  readonly log: (entry: RequestLogEntry) => void;
}

export function createSiteApi(options: SiteApiOptions): SiteApi {
  return options.kind === 'brilliantDirectories' ? new BdSiteApi(options) : new CopernicaSiteApi(options);
}

class BdSiteApi implements SiteApi {
  readonly kind = 'brilliantDirectories';
  readonly resources = BD_RESOURCES;
  private readonly client: BdClient;

  constructor(options: SiteApiOptions) {
    if (!options.url) throw new ApiError('invalidInput', msg`This Brilliant Directories site has no "url" in its settings.`, { field: 'url' });
    this.client = new BdClient({ siteUrl: options.url, apiKey: options.secret, rateLimit: options.rateLimit, log: options.log });
  }

  async verify(signal?: AbortSignal): Promise<void> {
    await this.client.verifyKey(signal);
  }

  async listPage(resource: ResourceDescriptor, pageSize: number, cursor: string | undefined, query: ResourceQuery | undefined, signal?: AbortSignal): Promise<ListedPage> {
    const filters = query?.kind === 'bd' ? query.filters : [];
    // BD's default order is not stable; newest first is what a person browsing expects.
    const page = await this.client.listPage(resource, { limit: pageSize, cursor, filters, order: { field: resource.orderField, direction: 'DESC' }, signal });
    return { records: page.records, total: page.total, nextCursor: page.nextCursor };
  }

  get(resource: ResourceDescriptor, id: string, signal?: AbortSignal): Promise<ApiRecord> {
    return this.client.get(resource, id, signal);
  }

  update(resource: ResourceDescriptor, original: ApiRecord, edited: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<UpdateResult> {
    return this.client.update(resource, original, edited, signal);
  }

  create(resource: ResourceDescriptor, fields: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<ApiRecord> {
    return this.client.create(resource, fields, signal);
  }

  delete(resource: ResourceDescriptor, id: string, signal?: AbortSignal): Promise<void> {
    return this.client.delete(resource, id, signal);
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
  private readonly seen = new Map<string, ApiRecord>();

  constructor(options: SiteApiOptions) {
    this.client = new CopernicaClient({ baseUrl: options.url, token: options.secret, rateLimit: options.rateLimit, log: options.log });
  }

  verify(signal?: AbortSignal): Promise<void> {
    return this.client.verifyToken(signal);
  }

  async listPage(_resource: ResourceDescriptor, pageSize: number, cursor: string | undefined, query: ResourceQuery | undefined, signal?: AbortSignal): Promise<ListedPage> {
    const start = cursor ? Number(cursor) : 0;
    const range = query?.kind === 'copernica' ? query : undefined;
    // Only the first page pays for a count; later pages skip it, which Copernica answers much faster.
    const page = await this.client.listClicks({ start, limit: pageSize, total: start === 0, begintime: range?.begintime, endtime: range?.endtime, unique: range?.unique, signal });
    for (const record of page.records) this.remember(record);
    const end = start + page.records.length;
    const more = page.total !== undefined ? end < page.total : page.records.length === pageSize;
    return { records: page.records, total: page.total, nextCursor: more ? String(end) : undefined };
  }

  async get(resource: ResourceDescriptor, id: string, signal?: AbortSignal): Promise<ApiRecord> {
    const known = this.seen.get(id);
    if (known) return known;
    for await (const record of this.client.clicks({ signal })) {
      this.remember(record);
      if (record[resource.primaryKey] === id) return record;
    }
    throw new ApiError('notFound', msg`There is no click with ID ${id} in this Copernica account.`, { endpoint: 'ms/clicks' });
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

  private remember(record: ApiRecord): void {
    const id = record['ID'];
    if (id) this.seen.set(id, record);
  }
}

function readOnly(resource: ResourceDescriptor): ApiError {
  return new ApiError('invalidInput', msg`Copernica ${resource.plural.toLowerCase()} are read-only: the API has no create, update or delete for them.`);
}
