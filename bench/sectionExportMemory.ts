import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startSandbox } from '../sandbox/server';
import type { ExportMemoryReport } from './exportMemoryRun';
import { now } from './stats';
import { BrokenMeasurement, type BenchOptions, type Section, type SectionResult } from './types';

const RUNNER = path.join(__dirname, 'exportMemoryRun.js');
const MiB = 2 ** 20;
const SIZES = [10_000, 100_000] as const;
/** The seed's 12,100 plus these: enough for the larger export. */
const EXTRA_NOTIFICATIONS = 90_000;

/**
 * (e) Export memory: the export runs in its own plain Node process (`--expose-gc`), so its heap
 * holds nothing but the export; the sandbox, seeded with 102,100 notifications, runs here.
 */
async function exportMemory(options: BenchOptions): Promise<SectionResult> {
  options.progress(`  seeding the sandbox with ${(12_100 + EXTRA_NOTIFICATIONS).toLocaleString('en')} notifications`);
  const sandbox = await startSandbox({ extraNotifications: EXTRA_NOTIFICATIONS });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'directory-records-export-memory-'));
  try {
    const runs: (ExportMemoryReport & { ms: number; bytes: number })[] = [];
    for (const size of SIZES) {
      const file = path.join(dir, `notifications-${size}.csv`);
      const started = now();
      const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', RUNNER, sandbox.url, sandbox.bdKey, String(size), file], { timeout: 600_000, maxBuffer: 1 << 20 });
      const report = JSON.parse(stdout.trim().split('\n').pop()!) as ExportMemoryReport;
      const ms = now() - started;
      if (report.records !== size) throw new BrokenMeasurement(`the export of ${size} notifications wrote ${report.records}`);
      const bytes = fs.statSync(file).size;
      fs.rmSync(file);
      options.progress(`  ${size} records: ${report.pages} pages, peak heap growth ${((report.peak - report.baseline) / MiB).toFixed(2)} MiB over ${report.samples} samples, ${(bytes / MiB).toFixed(1)} MiB written, ${(ms / 1000).toFixed(1)} s`);
      runs.push({ ...report, ms, bytes });
    }
    const growth = runs.map((r) => (r.peak - r.baseline) / MiB);
    return {
      notes: [
        `Sandbox seeded with ${EXTRA_NOTIFICATIONS.toLocaleString('en')} notifications beyond the 12,100 (startSandbox({ extraNotifications })), no rate limit; the export filters notification_id lte N, newest first, pages of 100, to CSV (guard, BOM; the late column notification_priority triggers the second pass).`,
        `Each export runs in a fresh \`node --expose-gc\` process (bench/exportMemoryRun.ts); heapUsed is read after a forced GC after every page and every 25 ms; growth = peak − the reading before the first request.`,
        ...runs.map((r) => `${r.records.toLocaleString('en')} records: ${r.pages} pages, ${r.samples} samples, ${(r.bytes / MiB).toFixed(1)} MiB of CSV, ${(r.ms / 1000).toFixed(1)} s.`),
      ],
      rows: [
        ...runs.map((r, i) => ({
          name: `peak heap growth, ${r.records.toLocaleString('en')} records`,
          value: growth[i]!,
          unit: 'MiB',
          target: { comparison: '<=' as const, limit: 32 },
          method: 'Largest heapUsed after a forced GC during the export, minus heapUsed before it, in a process that does nothing else.',
        })),
        {
          name: 'growth difference, 100,000 vs 10,000 records',
          value: Math.abs(growth[1]! - growth[0]!),
          unit: 'MiB',
          target: { comparison: '<=', limit: 4 },
          method: 'The two peak growths apart: memory must not follow the record count.',
        },
      ],
    };
  } finally {
    await sandbox.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const EXPORT_MEMORY: Section = {
  id: 'e',
  alias: 'export-memory',
  title: 'Export memory',
  run: exportMemory,
};
