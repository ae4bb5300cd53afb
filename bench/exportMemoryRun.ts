// Run by path from bench/sectionExportMemory.ts as `node --expose-gc out/bench/exportMemoryRun.js
// <sandbox url> <key> <records> <file>`: exports the notifications with id ≤ <records> to CSV
// through Export Records' own path, sampling heapUsed after a forced GC after every page and every 25 ms, and
// prints one JSON line: { records, pages, baseline, peak, samples }.

import { WEBSITE_NOTIFICATIONS, storedFields } from '../src/api/resources';
import { exportToFile } from '../src/export/exportFile';
import { listingPages } from '../src/export/exportPages';
import { createSiteApi } from '../src/sites/siteApi';

/** What one memory run measured; bytes. */
export interface ExportMemoryReport {
  readonly records: number;
  readonly pages: number;
  readonly lateColumns: number;
  readonly baseline: number;
  readonly peak: number;
  readonly samples: number;
}

async function main(): Promise<void> {
  const [url, key, count, file] = process.argv.slice(2);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!url || !key || !count || !file || !gc) throw new Error('usage: node --expose-gc exportMemoryRun.js <url> <key> <records> <file>');
  const api = createSiteApi({ kind: 'brilliantDirectories', url, secret: key, rateLimit: null, log: () => undefined });
  const heap = (): number => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  const baseline = heap();
  let peak = baseline;
  let samples = 0;
  let pages = 0;
  const sample = (): void => {
    samples++;
    peak = Math.max(peak, heap());
  };
  // Between pages (what the export keeps) and every 25 ms (mid-page, during the second pass): live memory after a full GC each time.
  const timer = setInterval(sample, 25);
  const outcome = await exportToFile(listingPages(api, WEBSITE_NOTIFICATIONS, { kind: 'bd', filters: [{ field: 'notification_id', operator: 'lte', value: count }] }), {
    target: file,
    format: 'csv',
    csv: { columns: storedFields(WEBSITE_NOTIFICATIONS).map((f) => f.name), formulaGuard: true, byteOrderMark: true },
    onProgress: () => {
      pages++;
      sample();
    },
  });
  clearInterval(timer);
  sample();
  await api.dispose();
  if (outcome.status !== 'done') throw new Error(`export stopped: ${String(outcome.error)}`);
  const report: ExportMemoryReport = { records: outcome.records, pages, lateColumns: outcome.lateColumns.length, baseline, peak, samples };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
