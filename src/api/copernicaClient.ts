import { msg } from './text';
import { ApiError } from './errors';
import { expectShape, notJsonError, statusError, type ReplyContext } from './replies';
import { RequestLayer, type QueryValue, type RawReply, type RequestLayerOptions } from './requestLayer';
import { CopernicaErrorEnvelope, CopernicaPageEnvelope, RECORD_SCHEMAS, hasRecordShape, type ApiRecord } from './schemas';
import { COPERNICA_DEFAULT_URL, normaliseSiteUrl } from './siteUrl';

export const COPERNICA_MAX_LIMIT = 1000;

export interface CopernicaClientOptions extends Pick<RequestLayerOptions, 'rateLimit' | 'timeoutMs' | 'retry' | 'log' | 'connections' | 'clock'> {
  readonly token: string;
  /** Defaults to https://api.copernica.com; the sandbox uses a loopback address. */
  readonly baseUrl?: string;
}

export interface ClickQuery {
  /** `YYYY-MM-DD HH:MM:SS` */
  readonly begintime?: string;
  readonly endtime?: string;
  readonly unique?: boolean;
  readonly start?: number;
  /** 1..1000 */
  readonly limit?: number;
  /** False skips counting, which the API does much faster. */
  readonly total?: boolean;
  readonly signal?: AbortSignal;
  /** A long job's read: in the rate limiter's background lane. */
  readonly background?: boolean;
}

export interface ClickPage {
  readonly records: ApiRecord[];
  readonly start: number;
  readonly count: number;
  /** Absent when asked with total=false. */
  readonly total: number | undefined;
}

/** How far a search for one click has got, newest first. */
export interface ClickSearchProgress {
  /** Clicks compared so far. */
  readonly examined: number;
  /** Clicks in the account when the search began. */
  readonly total: number;
  /** Pages read so far, and the most the search will read. */
  readonly pagesRead: number;
  readonly maxPages: number;
}

export interface ClickSearch {
  /** Clicks per request, 1..1000 (default 1000). */
  readonly pageSize?: number;
  /** The search gives up after this many pages (default 10: the 10,000 newest clicks). */
  readonly maxPages?: number;
  readonly signal?: AbortSignal;
  /** Called once the account's size is known, then after every page. */
  readonly onProgress?: (progress: ClickSearchProgress) => void;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const CLICK_ID = /^[1-9]\d{0,18}$/;

/** Copernica REST API v2, Marketing Suite clicks (read-only). The token rides in the query string, so it is masked everywhere. */
export class CopernicaClient {
  readonly baseUrl: string;
  private readonly http: RequestLayer;

  constructor(options: CopernicaClientOptions) {
    this.baseUrl = normaliseSiteUrl(options.baseUrl ?? COPERNICA_DEFAULT_URL).replace(/\/v2$/i, '');
    if (!options.token.trim()) throw new ApiError('invalidInput', msg`No access token is set for this account.`, { field: 'token' });
    this.http = new RequestLayer({
      ...options,
      baseUrl: `${this.baseUrl}/v2/`,
      fixedQuery: { access_token: options.token },
      secrets: [options.token],
    });
  }

  /** The cheapest call that proves the token: one click, no count. */
  async verifyToken(signal?: AbortSignal): Promise<void> {
    await this.listClicks({ limit: 1, total: false, signal });
  }

  async listClicks(query: ClickQuery = {}): Promise<ClickPage> {
    const limit = query.limit ?? 100;
    const start = query.start ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > COPERNICA_MAX_LIMIT) throw new ApiError('invalidInput', msg`A page holds 1 to ${COPERNICA_MAX_LIMIT} clicks (asked for ${limit}).`, { field: 'limit' });
    if (!Number.isInteger(start) || start < 0) throw new ApiError('invalidInput', msg`The start offset must be 0 or more (got ${start}).`, { field: 'start' });
    for (const [name, value] of [['begintime', query.begintime], ['endtime', query.endtime]] as const) {
      if (value !== undefined && !TIMESTAMP.test(value)) throw new ApiError('invalidInput', msg`${name} must look like 2024-01-31 23:59:59 (got "${value}").`, { field: name });
    }
    const params: Record<string, QueryValue> = {
      begintime: query.begintime,
      endtime: query.endtime,
      unique: query.unique ? 'true' : undefined,
      start,
      limit,
      total: query.total === false ? 'false' : undefined,
    };
    const endpoint = 'ms/clicks';
    const reply = await this.http.send({ method: 'GET', path: endpoint, query: params, signal: query.signal, endpoint, background: query.background });
    const ctx = this.ctx(endpoint);
    this.throwIfError(reply, ctx);
    const body = expectShape(CopernicaPageEnvelope, reply, ctx, 'a page of clicks');
    const records = body.data.map((item, index) => {
      if (hasRecordShape(item, 'ID')) return item as ApiRecord;
      const result = RECORD_SCHEMAS.ms_clicks.safeParse(item);
      if (!result.success) {
        throw new ApiError('unexpectedReply', msg`Click ${index} in the reply to ${endpoint} is not shaped as documented (${result.error.issues[0]?.path.join('.')}: ${result.error.issues[0]?.message}).`, { endpoint, status: reply.status });
      }
      return item as ApiRecord;
    });
    return { records, start: body.start, count: body.count, total: body.total };
  }

  /** Every click in turn, `limit` at a time, stopping on a short page. */
  async *clicks(query: Omit<ClickQuery, 'start'> = {}): AsyncGenerator<ApiRecord> {
    const limit = query.limit ?? COPERNICA_MAX_LIMIT;
    for (let start = 0; ; start += limit) {
      const page = await this.listClicks({ ...query, start, limit, total: false });
      yield* page.records;
      if (page.count < limit || page.records.length < limit) return;
    }
  }

  /**
   * Copernica has no get-by-id for clicks: this reads the account backward from its newest click,
   * `pageSize` at a time, and stops at the click, at the oldest one, or after `maxPages` pages,
   * whichever comes first. One request counts the clicks first. Cancelled through `signal`
   * (also between pages) with kind `cancelled`; not found with kind `notFound`, saying whether
   * the whole account was read or the search stopped at its cap.
   */
  async findClick(id: string, search: ClickSearch = {}): Promise<ApiRecord> {
    const pageSize = search.pageSize ?? COPERNICA_MAX_LIMIT;
    const maxPages = search.maxPages ?? 10;
    if (!Number.isInteger(maxPages) || maxPages < 1) throw new ApiError('invalidInput', msg`A search reads at least one page (asked for ${maxPages}).`, { field: 'maxPages' });
    const endpoint = 'ms/clicks';
    if (!CLICK_ID.test(id)) throw new ApiError('notFound', msg`"${id.slice(0, 40)}" is not a click ID (a positive whole number).`, { endpoint });
    const { signal, onProgress } = search;
    const head = await this.listClicks({ start: 0, limit: 1, signal });
    if (head.total === undefined) throw new ApiError('unexpectedReply', msg`Copernica did not say how many clicks there are, so the search cannot start from the newest.`, { endpoint });
    const total = head.total;
    let end = total;
    let examined = 0;
    let pagesRead = 0;
    onProgress?.({ examined, total, pagesRead, maxPages });
    while (end > 0 && pagesRead < maxPages) {
      if (signal?.aborted) throw new ApiError('cancelled', msg`The search for click ${id} was cancelled.`, { endpoint });
      const start = Math.max(0, end - pageSize);
      const page = await this.listClicks({ start, limit: end - start, total: false, signal });
      pagesRead++;
      examined += page.records.length;
      const found = page.records.find((record) => record['ID'] === id);
      onProgress?.({ examined, total, pagesRead, maxPages });
      if (found) return found;
      end = start;
    }
    if (end === 0) throw new ApiError('notFound', msg`There is no click with ID ${id} in this Copernica account (all ${total} clicks were read).`, { endpoint });
    throw new ApiError('notFound', msg`Click ${id} is not among the ${examined} newest clicks of this Copernica account, and the search stops there. Open it from the Clicks list instead: Load more until it shows, then click it.`, { endpoint });
  }

  dispose(): Promise<void> {
    return this.http.dispose();
  }

  private throwIfError(reply: RawReply, ctx: ReplyContext): void {
    if (!reply.parsed) throw notJsonError(reply, ctx);
    const error = CopernicaErrorEnvelope.safeParse(reply.json);
    if (reply.status < 400 && !error.success) return;
    const message = error.success ? ctx.mask(error.data.error.message) : undefined;
    // Copernica answers a bad token with 400, not 401.
    if (message && /access token/i.test(message)) {
      throw new ApiError('invalidKey', msg`Copernica refused the access token ("${message}"). Create a token under Copernica's API access settings and set it for this account.`, { status: reply.status, endpoint: ctx.endpoint, serverMessage: message });
    }
    if (message && /invalid method/i.test(message)) {
      throw new ApiError('notFound', msg`Copernica does not know ${ctx.endpoint} ("${message}"). The address may not be Copernica's REST API v2.`, { status: reply.status, endpoint: ctx.endpoint, serverMessage: message });
    }
    throw statusError(reply.status >= 400 ? reply.status : 400, message, ctx);
  }

  private ctx(endpoint: string): ReplyContext {
    return { endpoint, method: 'GET', mask: (text) => this.http.mask(text) };
  }
}
