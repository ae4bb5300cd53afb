import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { SandboxControl, type SandboxInfo } from '../sandbox/control';
import { WEBSITE_NOTIFICATIONS } from '../src/api/resources';
import type { ApiRecord } from '../src/api/schemas';
import { countOutcomes } from '../src/bulk/bulkOutcome';
import { batchSizeFor, planBulk, plannedRequests } from '../src/bulk/bulkPlan';
import { runBulk } from '../src/bulk/bulkRunner';
import { SaveHistory } from '../src/records/saveHistory';
import { createSiteApi } from '../src/sites/siteApi';
import { LIMIT_REQUESTS, pacingFloorMs, pacingWindow } from './pacing';
import { now } from './stats';
import { BrokenMeasurement, type BenchOptions, type Section, type SectionResult } from './types';

/** Scaled 20× down by default, as section (b): the job takes ~30 s instead of ~10 min. */
const SCALED_WINDOW_MS = 3_000;
const RECORDS = 1_000;
/** A smaller unpaced job first (other records), so a cold JIT does not count as pacing slack. */
const WARMUP_RECORDS = 300;
const PUT = '/api/v2/website_notifications/update';

/**
 * (g) Bulk Mark as Viewed of 1,000 unread notifications through the extension's own bulk runner
 * (src/bulk/bulkRunner.ts), its save history kept as the record service keeps it, under the site's rate limit: how close to the floor the limit allows,
 * with no 429, and how many requests each record costs.
 */
export async function bulkMarkViewed(options: BenchOptions): Promise<SectionResult> {
  const { windowMs, rateLimit, text: windowText } = pacingWindow(options, SCALED_WINDOW_MS);
  // The sandbox runs in its own process, as a site does: its work (a read after writes re-sorts
  // 12,100 rows) must not hold up the client's timers, which would count as pacing slack.
  const sandbox = await startSandboxProcess();
  const control = sandbox.control;
  try {
    await control.configure({ rateLimit: null, latencyMs: 0, faults: { serverErrorRate: 0, dropRate: 0 }, htmlMode: null });
    const unread = async (from: number, count: number): Promise<ApiRecord[]> => {
      const records: ApiRecord[] = [];
      for (let id = from; id < from + count; id++) records.push({ ...(await control.putRecord('website_notifications', id, { notification_view: '0' })) } as ApiRecord);
      return records;
    };
    const plan = (records: ApiRecord[]) => planBulk('Bench', WEBSITE_NOTIFICATIONS, { kind: 'setFields', fields: { notification_view: '1' } }, records, 'selection');

    const warm = createSiteApi({ kind: 'brilliantDirectories', url: sandbox.info.url, secret: sandbox.info.bdKey, rateLimit: null, log: () => undefined });
    try {
      await runBulk(warm, plan(await unread(5_001, WARMUP_RECORDS)));
    } finally {
      await warm.dispose();
    }

    // The records as a listing gave them (unread), then the same limit on both sides; setting it empties the server's windows.
    const job = plan(await unread(1, RECORDS));
    // Batches sized as the extension sizes them for this limit: written within ~10 s of their read.
    const batchSize = batchSizeFor(LIMIT_REQUESTS);
    const { reads, writes } = plannedRequests(job, batchSize);
    const planned = reads + writes;
    const floor = pacingFloorMs(planned, LIMIT_REQUESTS, windowMs);
    options.progress(`  ${RECORDS} notifications, ${planned} requests planned at ${windowText}; floor ${floor} ms`);
    await control.configure({ rateLimit });
    await control.clearRequests();
    const api = createSiteApi({ kind: 'brilliantDirectories', url: sandbox.info.url, secret: sandbox.info.bdKey, rateLimit, log: () => undefined });
    let ms: number;
    let result;
    // The save history as the record service keeps it: one append per batch, not awaited by the run, awaited before it reports.
    const storage = mkdtempSync(path.join(os.tmpdir(), 'bench-history-'));
    const history = new SaveHistory({ fsPath: storage });
    let kept = 0;
    try {
      const started = now();
      const appends: Promise<void>[] = [];
      const at = new Date().toISOString();
      result = await runBulk(api, job, {
        batchSize,
        written: (batch) => void appends.push(history.append(batch.map((w) => ({ site: 'Bench', model: WEBSITE_NOTIFICATIONS.model, id: w.id, at, door: 'bulk', sent: w.sent, before: w.before, after: w.after })))),
      });
      await Promise.all(appends);
      ms = now() - started;
      for (const entry of job.entries) kept += (await history.list('Bench', WEBSITE_NOTIFICATIONS.model, entry.id)).length === 1 ? 1 : 0;
    } finally {
      await api.dispose();
      rmSync(storage, { recursive: true, force: true });
    }

    const requests = await control.requests();
    const tooMany = requests.filter((r) => r.status === 429).length;
    const puts = requests.filter((r) => r.path === PUT && r.status === 200);
    const batchReads = requests.filter((r) => r.method === 'GET' && r.query['property_operator'] === 'in' && r.status === 200);
    const perRecord = new Map<string, number>();
    for (const r of puts) perRecord.set(String(r.body['notification_id']), (perRecord.get(String(r.body['notification_id'])) ?? 0) + 1);
    const counts = countOutcomes(result.outcomes);
    let notViewed = 0;
    for (const entry of job.entries) if ((await control.getRecord('website_notifications', entry.id))?.['notification_view'] !== '1') notViewed++;
    const problems = [
      counts.done !== RECORDS && `${counts.done} records done instead of ${RECORDS}`,
      notViewed > 0 && `${notViewed} records not viewed on the server`,
      puts.length !== RECORDS && `${puts.length} updates answered 200 instead of ${RECORDS}`,
      kept !== RECORDS && `${kept} records with one save history entry instead of ${RECORDS}`,
      [...perRecord.values()].some((n) => n !== 1) && 'a record was updated more than once',
      batchReads.length !== reads && `${batchReads.length} batch reads instead of ${reads}`,
      requests.length !== puts.length + batchReads.length + tooMany && `${requests.length - puts.length - batchReads.length - tooMany} other requests`,
    ].filter((p): p is string => typeof p === 'string');
    if (problems.length > 0) throw new BrokenMeasurement(`bulk Mark as Viewed is broken: ${problems.join('; ')}.`);
    options.progress(`  wall ${ms.toFixed(0)} ms, ${tooMany} × 429, ${requests.length} requests`);
    const sent = requests.length - tooMany;

    return {
      notes: [
        `Limit ${windowText}; sandbox and client configured with the same limit.`,
        `The sandbox runs in a child process (node out/sandbox/main.js), so its own work does not delay the client's timers.`,
        `${RECORDS} unread notifications marked viewed by runBulk (the code behind Mark as Viewed on a selection and Mark All as Viewed), from an empty window, after an unpaced warm-up job of ${WARMUP_RECORDS} other records.`,
        `Requests per record: the conflict rule re-checks every record against the server before writing it (a field changed since it was listed is skipped, not overwritten), reading a batch per request with \`in\` on the primary key, sized to what the limit sends in ~10 s (min(100, floor(R / 6)) = ${batchSize} records, 1/${batchSize} request per record) so each record is written within ~10 s of its re-check read, then one PUT carrying the key and notification_view only: ${reads} + ${writes} = ${planned} requests, ${(planned / RECORDS).toFixed(2)} per record. "All matching the filter" lists the ids first: another 1/100 per record (100 per page).`,
        `Floor = floor((n − 1) / R) · W = floor(${planned - 1} / ${LIMIT_REQUESTS}) · ${windowMs} ms = ${floor} ms.`,
      ],
      rows: [
        {
          name: 'bulk wall time / floor',
          value: ms / floor,
          unit: 'ratio',
          target: { comparison: '<=', limit: 1.05 },
          method: `Wall time of the bulk job divided by floor((n − 1) / R) · W for its n = ${planned} requests.`,
        },
        {
          name: 'HTTP 429 replies',
          value: tooMany,
          unit: 'replies',
          target: { comparison: '==', limit: 0 },
          method: 'Replies with status 429 in the sandbox request log during the job.',
        },
        {
          name: 'requests per record',
          value: sent / RECORDS,
          unit: 'requests',
          note: `${batchReads.length} batch reads + ${puts.length} updates for ${RECORDS} records`,
          target: { comparison: '<=', limit: 1.07 },
          method: 'Requests the sandbox answered during the job divided by the records marked; the conflict rule needs one batched read per batch (min(100, floor(R / 6)) records: 16 at 100 a minute) plus one update per record.',
        },
        {
          name: 'bulk wall time',
          value: ms,
          unit: 'ms',
          method: 'From the call of runBulk to its result (every record settled) and its save history appended (one append per batch).',
        },
        {
          name: 'pacing floor',
          value: floor,
          unit: 'ms',
          method: 'floor((n − 1) / R) · W for the n, R and W of this run.',
        },
      ],
    };
  } finally {
    await sandbox.close();
  }
}

/** `node out/sandbox/main.js --port 0 --json` in a child process, and its control client. */
export async function startSandboxProcess(): Promise<{ info: SandboxInfo; control: SandboxControl; close: () => Promise<void> }> {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'sandbox', 'main.js'), '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before printing its address`)));
  });
  const info = JSON.parse(first) as SandboxInfo;
  return {
    info,
    control: new SandboxControl(info.url),
    close: () =>
      new Promise<void>((resolve) => {
        lines.close();
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

export const BULK_MARK_VIEWED: Section = {
  id: 'g',
  alias: 'bulk',
  title: 'Bulk Mark as Viewed under a rate limit',
  run: bulkMarkViewed,
};
