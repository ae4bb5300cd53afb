import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WEBSITE_NOTIFICATIONS, storedFields } from '../src/api/resources';
import { exportToFile } from '../src/export/exportFile';
import { EXPORT_PAGE_SIZE, listingPages } from '../src/export/exportPages';
import { createSiteApi } from '../src/sites/siteApi';
import type { RateLimit } from '../src/api/rateLimiter';
import { startSandbox } from '../sandbox/server';
import { LIMIT_REQUESTS, pacingFloorMs, pacingWindow } from './pacing';
import { now } from './stats';
import { BrokenMeasurement, type BenchOptions, type Section, type SectionResult } from './types';

/**
 * Scaled down 5× (not 20× as section b): the floor only counts the waits, and the 21 pages that
 * follow the last wait (100 notifications each, validated and written) take a fixed ~0.1–0.3 s
 * that a 3 s window would inflate into the ratio.
 */
const SCALED_WINDOW_MS = 12_000;
const NOTIFICATIONS = 12_100;

/** (d) Export Records of all 12,100 notifications under BD's rate limit: wall time against the floor the limit allows, and 429s. */
async function exportPacing(options: BenchOptions): Promise<SectionResult> {
  const { windowMs, rateLimit, text: windowText } = pacingWindow(options, SCALED_WINDOW_MS);
  const pageSize = EXPORT_PAGE_SIZE.brilliantDirectories;
  const requests = Math.ceil(NOTIFICATIONS / pageSize);
  const floor = pacingFloorMs(requests, LIMIT_REQUESTS, windowMs);
  options.progress(`  ${NOTIFICATIONS} notifications in ${requests} pages of ${pageSize} at ${windowText}; floor ${floor} ms`);

  const sandbox = await startSandbox();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'directory-records-export-bench-'));
  const exportOnce = async (rateLimit: RateLimit | null, name: string) => {
    const api = await createSiteApi({ kind: 'brilliantDirectories', url: sandbox.url, secret: sandbox.bdKey, rateLimit, log: () => undefined });
    try {
      const target = path.join(dir, name);
      const started = now();
      const outcome = await exportToFile(listingPages(api, WEBSITE_NOTIFICATIONS, undefined), {
        target,
        format: 'csv',
        csv: { columns: storedFields(WEBSITE_NOTIFICATIONS).map((f) => f.name), formulaGuard: true, byteOrderMark: true },
      });
      const ms = now() - started;
      if (outcome.status !== 'done') throw new BrokenMeasurement(`the export stopped: ${String(outcome.error)}`);
      return { ms, records: outcome.records, bytes: fs.statSync(target).size };
    } finally {
      await api.dispose();
    }
  };
  try {
    sandbox.configure({ rateLimit: null, latencyMs: 0, faults: { serverErrorRate: 0, dropRate: 0 }, htmlMode: null });
    // Unpaced warm-up (JIT, sandbox ordering cache); setting the limit afterwards empties the server's windows.
    await exportOnce(null, 'warmup.csv');
    sandbox.configure({ rateLimit });
    sandbox.clearRequests();
    const run = await exportOnce(rateLimit, 'paced.csv');
    const log = sandbox.requests();
    const tooMany = log.filter((r) => r.status === 429).length;
    const ok = log.filter((r) => r.status === 200).length;
    const problems = [
      run.records !== NOTIFICATIONS && `${run.records} records exported instead of ${NOTIFICATIONS}`,
      ok !== requests && `${ok} requests answered 200 instead of ${requests}`,
      log.length !== ok + tooMany && `${log.length - ok - tooMany} requests answered neither 200 nor 429`,
    ].filter((p): p is string => typeof p === 'string');
    if (problems.length > 0) throw new BrokenMeasurement(`paced export is broken: ${problems.join('; ')}.`);
    options.progress(`  wall ${run.ms.toFixed(0)} ms, ${tooMany} × 429, ${(run.bytes / 2 ** 20).toFixed(1)} MiB written`);
    return {
      notes: [
        `Limit ${windowText}; sandbox and client configured with the same limit.`,
        `Export Records' own path (listingPages → SiteApi.listPage, pages of ${pageSize}, newest first by key; exportToFile to CSV with the guard and BOM, temporary file renamed), ${NOTIFICATIONS.toLocaleString('en')} notifications in ${requests} requests, from an empty window, after an unpaced warm-up export.`,
        `Floor = floor((n − 1) / R) · W = floor(${requests - 1} / ${LIMIT_REQUESTS}) · ${windowMs} ms = ${floor} ms.`,
      ],
      rows: [
        {
          name: 'export wall time / floor',
          value: run.ms / floor,
          unit: 'ratio',
          target: { comparison: '<=', limit: 1.05 },
          method: `Wall time of the paced export (first request to the renamed file) divided by floor((n − 1) / R) · W for its ${requests} requests.`,
        },
        {
          name: 'HTTP 429 replies during the export',
          value: tooMany,
          unit: 'replies',
          target: { comparison: '==', limit: 0 },
          method: 'Replies with status 429 in the sandbox request log during the paced export.',
        },
        { name: 'paced export wall time', value: run.ms, unit: 'ms', method: 'First request to the complete file under its name.' },
        { name: 'export pacing floor', value: floor, unit: 'ms', method: 'floor((n − 1) / R) · W for the n, R and W of this run.' },
        { name: 'export requests sent', value: log.length, unit: 'requests', note: `${ok} answered 200`, method: 'Every request in the sandbox log during the paced export.' },
      ],
    };
  } finally {
    await sandbox.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const EXPORT_PACING: Section = {
  id: 'd',
  alias: 'export-pacing',
  title: 'Export under a rate limit',
  run: exportPacing,
};
