import { Pool } from 'undici';
import { BdClient } from '../src/api/bdClient';
import type { RateLimit } from '../src/api/rateLimiter';
import { WEBSITE_NOTIFICATIONS } from '../src/api/resources';
import { cpuNow, now } from './stats';

/** What one full listing saw; checked before any of its timings are believed. */
export interface ListingRun {
  readonly ms: number;
  /** Process CPU time (user + system, all threads) over the same span; sandbox included. */
  readonly cpuMs: number;
  readonly pages: number;
  readonly records: number;
  readonly uniqueIds: number;
}

/** A listing ready to run: set-up (pool, client) happens before the clock starts. */
export interface PreparedListing {
  run(): Promise<ListingRun>;
  dispose(): Promise<void>;
}

const ORDER = 'order_column=notification_id&order_type=ASC';

/** The extension's path: BdClient.pages(), with its validation, limiter (if any) and retry logic. */
export function prepareClientListing(siteUrl: string, apiKey: string, options: { limit: number; rateLimit: RateLimit | null; maxPages?: number }): PreparedListing {
  const client = new BdClient({ siteUrl, apiKey, rateLimit: options.rateLimit });
  return {
    async run() {
      const ids = new Set<string>();
      let pages = 0;
      let records = 0;
      const started = now();
      const cpuStarted = cpuNow();
      for await (const page of client.pages(WEBSITE_NOTIFICATIONS, { limit: options.limit })) {
        pages++;
        for (const record of page.records) {
          records++;
          ids.add(String(record['notification_id']));
        }
        if (options.maxPages !== undefined && pages >= options.maxPages) break;
      }
      return { ms: now() - started, cpuMs: cpuNow() - cpuStarted, pages, records, uniqueIds: ids.size };
    },
    dispose: () => client.dispose(),
  };
}

interface BareListReply {
  message: Array<Record<string, unknown>>;
  current_page: number;
  total_pages: number;
  next_page?: string;
}

/**
 * The baseline: the least code that lists correctly with the same HTTP library and the
 * same pool settings as the client (keep-alive, one request at a time), and no validation.
 */
export function prepareBareListing(siteUrl: string, apiKey: string, options: { limit: number }): PreparedListing {
  const url = new URL(siteUrl);
  const base = `${url.pathname.replace(/\/+$/, '')}/api/v2/website_notifications/get`;
  const pool = new Pool(url.origin, { connections: 6, keepAliveTimeout: 30_000, pipelining: 1 });
  const headers = { accept: 'application/json', 'X-Api-Key': apiKey };
  return {
    async run() {
      const ids = new Set<string>();
      let pages = 0;
      let records = 0;
      let path = `${base}?limit=${options.limit}&${ORDER}`;
      const started = now();
      const cpuStarted = cpuNow();
      for (;;) {
        const response = await pool.request({ method: 'GET', path, headers });
        const body = JSON.parse(await response.body.text()) as BareListReply;
        if (response.statusCode !== 200) throw new Error(`bare listing: HTTP ${response.statusCode} on ${path}`);
        pages++;
        for (const record of body.message) {
          records++;
          ids.add(String(record['notification_id']));
        }
        // BD keeps a cursor on the last page, so the page counter is the only stop signal.
        if (body.current_page >= body.total_pages || body.message.length === 0) break;
        path = `${base}?page=${encodeURIComponent(body.next_page ?? '')}&${ORDER}`;
      }
      return { ms: now() - started, cpuMs: cpuNow() - cpuStarted, pages, records, uniqueIds: ids.size };
    },
    dispose: () => pool.close(),
  };
}
