import { msg } from './text';
import { ApiError } from './errors';
import { filterQuery, keysetFilter, orderQuery, type ListOrder, type RecordFilter } from './filters';
import { checkRecordId } from './ids';
import { computeChanges, hasChanges, updateForm, type RecordChanges } from './recordChanges';
import { expectShape, notJsonError, statusError, type ReplyContext } from './replies';
import { RequestLayer, snippetOf, type HttpMethod, type QueryValue, type RawReply, type RequestLayerOptions } from './requestLayer';
import { requiredOnCreate, storedFields, type BdModel, type ResourceDescriptor } from './resources';
import { BdErrorEnvelope, BdListEnvelope, BdSingleEnvelope, BdVerifyEnvelope, BdWriteEnvelope, RECORD_SCHEMAS, hasRecordShape, type ApiRecord } from './schemas';
import { normaliseSiteUrl } from './siteUrl';

export interface BdClientOptions extends Pick<RequestLayerOptions, 'rateLimit' | 'timeoutMs' | 'retry' | 'log' | 'connections' | 'clock'> {
  readonly siteUrl: string;
  readonly apiKey: string;
}

export interface ListOptions {
  /** 1..100; the API clamps silently, so larger values are refused here instead. */
  readonly limit?: number;
  /** The previous page's `next_page`, passed back verbatim. */
  readonly cursor?: string;
  readonly filters?: readonly RecordFilter[];
  readonly order?: ListOrder;
  /**
   * Keyset paging: the last primary key seen. The page is a fresh first page (`limit` applies,
   * no cursor) of the records past that key in `order`, which must be on the primary key:
   * `pk lt key` newest first, `pk gt key` oldest first, ANDed with `filters`. Records created or
   * deleted meanwhile cannot shift it, as they shift BD's offset cursor. `total` then counts the
   * records from this page on.
   */
  readonly afterKey?: string;
  readonly signal?: AbortSignal;
  /** A bulk job's read: in the rate limiter's background lane. */
  readonly background?: boolean;
}

/** How a write goes out: `background` puts it in the rate limiter's background lane (a bulk job). */
export interface SendOptions {
  readonly background?: boolean;
  /** When the read this write was checked against came back (pacing clock): see RequestSpec.checkedAt. */
  readonly checkedAt?: number;
}

export interface RecordPage {
  readonly records: ApiRecord[];
  readonly total: number;
  readonly currentPage: number;
  readonly totalPages: number;
  /** Undefined on the last page, although BD still sends a cursor there. */
  readonly nextCursor: string | undefined;
}

export interface VerifiedKey {
  readonly website: string | undefined;
  readonly keyName: string | undefined;
}

export interface UpdateResult {
  /** False when the edit changed nothing and no request was made. */
  readonly sent: boolean;
  readonly changes: RecordChanges;
}

/** Brilliant Directories API v2. Every call goes through one RequestLayer per site. */
export class BdClient {
  readonly siteUrl: string;
  private readonly http: RequestLayer;

  constructor(options: BdClientOptions) {
    this.siteUrl = normaliseSiteUrl(options.siteUrl);
    if (!options.apiKey.trim()) throw new ApiError('invalidInput', msg`No API key is set for this site.`, { field: 'apiKey' });
    this.http = new RequestLayer({
      ...options,
      baseUrl: `${this.siteUrl}/api/v2/`,
      headers: { 'X-Api-Key': options.apiKey },
      secrets: [options.apiKey],
    });
  }

  async verifyKey(signal?: AbortSignal): Promise<VerifiedKey> {
    const reply = await this.call('GET', 'token/verify', { signal });
    const body = expectShape(BdVerifyEnvelope, reply, this.ctx('token/verify', 'GET'), 'a key check');
    return { website: body.message.website, keyName: body.message.key };
  }

  async listPage(resource: ResourceDescriptor, options: ListOptions = {}): Promise<RecordPage> {
    const model = this.modelOf(resource);
    const limit = options.limit ?? 25;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new ApiError('invalidInput', msg`A page holds 1 to 100 records (asked for ${limit}).`, { field: 'limit' });
    const endpoint = `${model}/get`;
    const filters = [...(options.filters ?? [])];
    if (options.afterKey !== undefined) {
      if (options.cursor) throw new ApiError('invalidInput', msg`A page follows either a cursor or a key, not both.`, { field: 'afterKey' });
      if (options.order?.field !== resource.primaryKey) {
        throw new ApiError('invalidInput', msg`Paging by key needs the listing ordered by ${resource.primaryKey}.`, { field: 'afterKey' });
      }
      filters.push(keysetFilter(options.order, checkRecordId(options.afterKey, `${resource.singular} id`)));
    }
    const query: Record<string, QueryValue> = {
      // With a cursor the size is inside it and `limit` is ignored by the API.
      ...(options.cursor ? { page: options.cursor } : { limit }),
      ...filterQuery(filters),
      ...orderQuery(options.order),
    };
    const reply = await this.call('GET', endpoint, { query, signal: options.signal, background: options.background });
    const body = expectShape(BdListEnvelope, reply, this.ctx(endpoint, 'GET'), 'a list of records');
    const records = body.message.map((item, index) => this.record(resource, item, reply, `message[${index}]`, endpoint, 'GET'));
    const last = body.current_page >= body.total_pages;
    return {
      records,
      total: body.total,
      currentPage: body.current_page,
      totalPages: body.total_pages,
      nextCursor: last || !body.next_page ? undefined : body.next_page,
    };
  }

  /** Every page in turn. Stops on `current_page >= total_pages`, never on an empty `next_page` alone. */
  async *pages(resource: ResourceDescriptor, options: Omit<ListOptions, 'cursor'> = {}): AsyncGenerator<RecordPage> {
    const order = options.order ?? { field: resource.primaryKey, direction: 'ASC' };
    let cursor: string | undefined;
    let guard = Number.POSITIVE_INFINITY;
    do {
      const page = await this.listPage(resource, { ...options, order, cursor, limit: options.limit ?? 100 });
      // A cursor that never ends (or a server that repeats a page) must not loop forever.
      guard = Math.min(guard, page.totalPages + 1);
      yield page;
      if (page.records.length === 0) return;
      cursor = page.nextCursor;
    } while (cursor !== undefined && --guard > 0);
  }

  async *records(resource: ResourceDescriptor, options: Omit<ListOptions, 'cursor'> = {}): AsyncGenerator<ApiRecord> {
    for await (const page of this.pages(resource, options)) yield* page.records;
  }

  async get(resource: ResourceDescriptor, id: string | number, signal?: AbortSignal): Promise<ApiRecord> {
    const model = this.modelOf(resource);
    const safeId = checkRecordId(id, `${resource.singular} id`);
    const endpoint = `${model}/get/${safeId}`;
    const reply = await this.call('GET', endpoint, { signal, endpointName: `${model}/get` });
    const body = expectShape(BdSingleEnvelope, reply, this.ctx(endpoint, 'GET'), 'a record');
    const item = Array.isArray(body.message) ? body.message[0] : body.message;
    return this.record(resource, item, reply, 'message', endpoint, 'GET');
  }

  /** Creates a record; never retried on failure, so it can never be created twice. */
  async create(resource: ResourceDescriptor, fields: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<ApiRecord> {
    const model = this.modelOf(resource);
    if (!resource.canCreate) throw new ApiError('invalidInput', msg`${resource.plural} cannot be created through the API.`);
    const missing = requiredOnCreate(resource).filter((name) => !fields[name]?.trim());
    if (missing.length > 0) throw new ApiError('invalidInput', msg`A new ${resource.singular} needs ${missing.map((m) => `"${m}"`).join(', ')}.`, { field: missing[0] });
    const known = new Set(storedFields(resource).map((field) => field.name));
    const form: Record<string, string> = {};
    for (const [name, value] of Object.entries(fields)) {
      if (name === resource.primaryKey || name === resource.revisionField) continue;
      if (!known.has(name)) throw new ApiError('invalidInput', msg`"${name}" is not a field of a ${resource.singular}; the API would ignore it silently. Check the spelling.`, { field: name });
      if (value !== '') form[name] = value;
    }
    if (Object.keys(form).length === 0) throw new ApiError('invalidInput', msg`A new ${resource.singular} needs at least one field with a value.`);
    const endpoint = `${model}/create`;
    const reply = await this.call('POST', endpoint, { form, signal });
    const body = expectShape(BdWriteEnvelope, reply, this.ctx(endpoint, 'POST'), 'a created record');
    if (typeof body.message === 'string') throw new ApiError('unexpectedReply', msg`The site said "${body.message}" but did not return the new ${resource.singular}.`, { endpoint });
    return this.record(resource, body.message, reply, 'message', endpoint, 'POST');
  }

  /**
   * Sends the primary key and only what changed between the record as opened and as
   * edited. Nothing is sent when nothing changed; read-only changes are refused first.
   */
  async update(resource: ResourceDescriptor, original: ApiRecord, edited: Readonly<Record<string, unknown>>, signal?: AbortSignal, options: SendOptions = {}): Promise<UpdateResult> {
    const model = this.modelOf(resource);
    if (!resource.canUpdate) throw new ApiError('invalidInput', msg`${resource.plural} are read-only.`);
    const id = checkRecordId(original[resource.primaryKey], `${resource.singular} id`);
    const changes = computeChanges(resource, original, edited);
    if (!hasChanges(changes)) return { sent: false, changes };
    const endpoint = `${model}/update`;
    const reply = await this.call('PUT', endpoint, { form: updateForm(resource, id, changes), signal, background: options.background, checkedAt: options.checkedAt });
    expectShape(BdWriteEnvelope, reply, this.ctx(endpoint, 'PUT'), 'an update confirmation');
    return { sent: true, changes };
  }

  async delete(resource: ResourceDescriptor, id: string | number, signal?: AbortSignal, options: SendOptions = {}): Promise<void> {
    const model = this.modelOf(resource);
    if (!resource.canDelete) throw new ApiError('invalidInput', msg`${resource.plural} cannot be deleted through the API.`);
    const safeId = checkRecordId(id, `${resource.singular} id`);
    const endpoint = `${model}/delete`;
    const reply = await this.call('DELETE', endpoint, { form: { [resource.primaryKey]: safeId }, signal, background: options.background, checkedAt: options.checkedAt });
    expectShape(BdWriteEnvelope, reply, this.ctx(endpoint, 'DELETE'), 'a delete confirmation');
  }

  dispose(): Promise<void> {
    return this.http.dispose();
  }

  private async call(
    method: HttpMethod,
    endpoint: string,
    options: { query?: Record<string, QueryValue>; form?: Record<string, string>; signal?: AbortSignal; endpointName?: string; background?: boolean; checkedAt?: number },
  ): Promise<RawReply> {
    const reply = await this.http.send({ method, path: endpoint, query: options.query, form: options.form, signal: options.signal, endpoint, background: options.background, checkedAt: options.checkedAt });
    const ctx = this.ctx(options.endpointName ?? endpoint, method);
    if (!reply.parsed) throw notJsonError(reply, ctx);
    const looksLikeError = typeof reply.json === 'object' && reply.json !== null && (reply.json as { status?: unknown }).status === 'error';
    if (reply.status >= 200 && reply.status < 300 && !looksLikeError) return reply;
    const errorBody = BdErrorEnvelope.safeParse(reply.json);
    if (!errorBody.success && looksLikeError) {
      throw expectShapeError(reply, ctx);
    }
    const serverMessage = errorBody.success ? errorBody.data.message : undefined;
    const status = reply.status >= 400 ? reply.status : 400;
    // 401 and 403 look alike; one key check tells a dead key from an endpoint not enabled for it.
    if ((status === 401 || status === 403) && endpoint !== 'token/verify') {
      const keyWorks = await this.verifyKey(options.signal).then(
        () => true,
        (error: unknown) => (error instanceof ApiError && (error.kind === 'invalidKey' || error.kind === 'forbidden') ? false : undefined),
      );
      if (keyWorks === true) throw statusError(403, serverMessage, ctx);
      if (keyWorks === false) throw statusError(401, serverMessage, ctx);
    }
    throw statusError(status, serverMessage, ctx);
  }

  private record(resource: ResourceDescriptor, item: unknown, reply: RawReply, where: string, endpoint: string, method: HttpMethod): ApiRecord {
    if (hasRecordShape(item, resource.primaryKey)) return item as ApiRecord;
    const result = RECORD_SCHEMAS[resource.model].safeParse(item);
    if (!result.success) {
      throw expectShapeError(reply, this.ctx(endpoint, method), `${where}: ${result.error.issues[0]?.path.join('.')} ${result.error.issues[0]?.message}`);
    }
    // The original object, not zod's copy: zod reorders keys, and the API's order is what people see.
    return item as ApiRecord;
  }

  private modelOf(resource: ResourceDescriptor): BdModel {
    if (resource.api !== 'brilliantDirectories') throw new ApiError('invalidInput', msg`${resource.plural} are not a Brilliant Directories model.`);
    return resource.model as BdModel;
  }

  private ctx(endpoint: string, method: string): ReplyContext {
    return { endpoint, method, mask: (text) => this.http.mask(text) };
  }
}

function expectShapeError(reply: RawReply, ctx: ReplyContext, problem = 'an error reply without a "message"'): ApiError {
  // Masked whole before the cut, like every other snippet.
  const snippet = snippetOf(reply.text, 200, ctx.mask);
  return new ApiError('unexpectedReply', msg`The reply to ${ctx.endpoint} is not what the API documents (${problem}). HTTP ${reply.status}, ${reply.contentType || 'no content type'}; it began: ${snippet}`, {
    status: reply.status, endpoint: ctx.endpoint, method: ctx.method, contentType: reply.contentType, snippet,
  });
}
