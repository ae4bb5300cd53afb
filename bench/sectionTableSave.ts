import { OpenRecord } from '../src/api/openRecord';
import { CONTACTS } from '../src/api/resources';
import type { ApiRecord } from '../src/api/schemas';
import { createSiteApi } from '../src/sites/siteApi';
import { saveRows, SAVE_LANES } from '../src/table/rowSaver';
import { TableModel } from '../src/table/tableModel';
import { REQUESTS_PER_ROW } from '../src/table/tableReview';
import { LIMIT_REQUESTS, pacingFloorMs, pacingWindow } from './pacing';
import { startSandboxProcess } from './sectionBulkViewed';
import { now } from './stats';
import { BrokenMeasurement, type BenchOptions, type Section, type SectionResult } from './types';

const SCALED_WINDOW_MS = 3_000;
const ROWS = 50;

/**
 * (k) The table (issue 20): its first screen, and a save of 50 changed rows under the site's
 * rate limit. The save runs what the table's Ctrl+S runs for each row after the review — the
 * table model's row diff, then `OpenRecord.save`, the three-way merge that RecordService.save
 * calls (the extension-host wrapper adds only the change event) — through the same `saveRows`
 * (src/table/rowSaver.ts, SAVE_LANES rows in flight) as src/table/tableSave.ts.
 */
async function tableSave(options: BenchOptions): Promise<SectionResult> {
  const { windowMs, rateLimit, text: windowText } = pacingWindow(options, SCALED_WINDOW_MS);
  const sandbox = await startSandboxProcess();
  const control = sandbox.control;
  try {
    await control.configure({ rateLimit: null, latencyMs: 0, faults: { serverErrorRate: 0, dropRate: 0 }, htmlMode: null });
    // The first screen: one page of the listing, as the table reads it on opening.
    await control.clearRequests();
    const reader = createSiteApi({ kind: 'brilliantDirectories', url: sandbox.info.url, secret: sandbox.info.bdKey, rateLimit: null, log: () => undefined });
    let listed: readonly ApiRecord[];
    try {
      listed = (await reader.listPage(CONTACTS, { pageSize: 100 })).records;
    } finally {
      await reader.dispose();
    }
    const firstScreen = (await control.requests()).length;

    // 50 rows edited in the table: a city each.
    const model = new TableModel(CONTACTS.primaryKey);
    model.append(listed);
    const rows = model.ids.slice(0, ROWS);
    model.apply(rows.map((id, i) => ({ id, field: 'city', value: `Bench City ${i}` })), 'bench');
    const diffs = model.diffs();
    if (diffs.length !== ROWS) throw new BrokenMeasurement(`${diffs.length} changed rows instead of ${ROWS}`);
    const planned = ROWS * REQUESTS_PER_ROW;
    const floor = pacingFloorMs(planned, LIMIT_REQUESTS, windowMs);
    options.progress(`  ${ROWS} rows, ${planned} requests at ${windowText}; floor ${floor} ms`);

    await control.configure({ rateLimit });
    await control.clearRequests();
    const api = createSiteApi({ kind: 'brilliantDirectories', url: sandbox.info.url, secret: sandbox.info.bdKey, rateLimit, log: () => undefined });
    let ms: number;
    let saved = 0;
    try {
      const client = { get: (r: typeof CONTACTS, id: string) => api.get(r, id), update: api.update.bind(api) };
      const started = now();
      await saveRows(diffs, async (diff) => {
        const base = model.base(diff.id)!;
        const result = await new OpenRecord(base, 0).save(async () => client, CONTACTS, diff.id, { ...base, ...model.editedValues(diff.id) });
        if (result.kind === 'saved') {
          model.saved(diff.id, result.record);
          saved++;
        }
      });
      ms = now() - started;
    } finally {
      await api.dispose();
    }
    const requests = await control.requests();
    const tooMany = requests.filter((r) => r.status === 429).length;
    const puts = requests.filter((r) => r.method === 'PUT' && r.status === 200);
    const sent = requests.length - tooMany;
    const problems = [
      saved !== ROWS && `${saved} rows saved instead of ${ROWS}`,
      puts.length !== ROWS && `${puts.length} updates instead of ${ROWS}`,
      puts.some((p) => Object.keys(p.body).sort().join(',') !== 'city,contact_id') && 'an update carried more than the key and the changed field',
    ].filter((p): p is string => typeof p === 'string');
    if (problems.length > 0) throw new BrokenMeasurement(`the table save is broken: ${problems.join('; ')}.`);
    options.progress(`  wall ${ms.toFixed(0)} ms, ${tooMany} × 429, ${requests.length} requests`);
    return {
      notes: [
        `Limit ${windowText}; sandbox (child process) and client configured with the same limit.`,
        `First screen: the table reads one page of the listing when it opens (the e2e flow in test/e2e/table.e2e.ts counts the same through the workbench, and logs the DOM rows for 10,000 loaded records: 36).`,
        `Save: ${ROWS} rows with one changed field each, saved ${SAVE_LANES} at a time by OpenRecord.save (read, update with the key and the changed field only, read back: ${REQUESTS_PER_ROW} requests, the single-save count), as the table's save does after its review.`,
        `Floor = floor((n − 1) / R) · W = floor(${planned - 1} / ${LIMIT_REQUESTS}) · ${windowMs} ms = ${floor} ms.`,
      ],
      rows: [
        { name: 'table first screen requests', value: firstScreen, unit: 'requests', target: { comparison: '==', limit: 1 }, method: 'Requests the sandbox received for the listing page a table reads on opening.' },
        { name: `table save requests / (${ROWS} × single save)`, value: sent / planned, unit: 'ratio', note: `${sent} requests for ${ROWS} rows; single save = ${REQUESTS_PER_ROW}`, target: { comparison: '==', limit: 1 }, method: `Requests answered during the save divided by ${ROWS} × ${REQUESTS_PER_ROW}.` },
        { name: 'table save wall time / floor', value: ms / floor, unit: 'ratio', target: { comparison: '<=', limit: 1.05 }, method: `Wall time of the ${ROWS}-row save divided by floor((n − 1) / R) · W for its n = ${planned} requests.` },
        { name: 'table save HTTP 429 replies', value: tooMany, unit: 'replies', target: { comparison: '==', limit: 0 }, method: 'Replies with status 429 in the sandbox request log during the save.' },
        { name: 'table save wall time', value: ms, unit: 'ms', method: 'From the first row saved to the last.' },
      ],
    };
  } finally {
    await sandbox.close();
  }
}

export const TABLE_SAVE: Section = {
  id: 'k',
  alias: 'table',
  title: 'Table: first screen and a 50-row save under a rate limit',
  run: tableSave,
};
