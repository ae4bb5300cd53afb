import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSeed } from '../sandbox/data';
import { CONTACTS } from '../src/api/resources';
import type { ApiRecord } from '../src/api/schemas';
import { batchSizeFor } from '../src/bulk/bulkPlan';
import { DeletionJournal, JOURNAL_DAYS, type DeletedRecord } from '../src/records/deletionJournal';
import { median, now } from './stats';
import { BrokenMeasurement, type BenchOptions, type Section, type SectionResult } from './types';

const SMALL = 1_000;
const LARGE = 4_000;
const BEFORE_LARGE = 2_000;
/** The default site pace (requestsPerMinute 100) and the batches a bulk delete makes for it. */
const DEFAULT_RPM = 100;
/** Each size run this many times, alternating, after one warm-up of each; medians reported. */
const ROUNDS = 9;

/** What a bulk delete asks of a journal: one addAll per batch, before the batch is deleted. */
interface Journal {
  addAll(entries: readonly DeletedRecord[]): Promise<void>;
  list(): Promise<DeletedRecord[]>;
}

/**
 * The journal as it was before issue 19 (src/documents/deletionJournal.ts at c3da4f1), with Node's fs
 * in place of vscode.workspace.fs: every change reads, parses, filters and rewrites the whole file.
 */
class RewritingJournal implements Journal {
  constructor(private readonly file: string) {}

  async addAll(added: readonly DeletedRecord[]): Promise<void> {
    const key = (e: DeletedRecord): string => `${e.site}\u0000${e.model}\u0000${e.id}`;
    const replaced = new Set(added.map(key));
    const entries = await this.list();
    await fs.writeFile(this.file, JSON.stringify([...added, ...entries.filter((e) => !replaced.has(key(e)))], null, 1));
  }

  async list(): Promise<DeletedRecord[]> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await fs.readFile(this.file, 'utf8'));
    } catch {
      return [];
    }
    const since = Date.now() - JOURNAL_DAYS * 24 * 60 * 60 * 1000;
    return Array.isArray(parsed) ? (parsed as DeletedRecord[]).filter((e) => Date.parse(e.deletedAt) >= since) : [];
  }
}

interface Run {
  readonly totalMs: number;
  readonly longestMs: number;
  readonly bytes: number;
}

/** A bulk delete of `records.length` contacts as the extension journals it: batch by batch. */
async function bulkDelete(journal: Journal, file: string, records: readonly ApiRecord[], batchSize: number): Promise<Run> {
  let totalMs = 0;
  let longestMs = 0;
  for (let i = 0; i < records.length; i += batchSize) {
    const deletedAt = new Date().toISOString();
    const entries = records.slice(i, i + batchSize).map((record): DeletedRecord => ({ site: 'Bench', model: 'contacts', id: record['contact_id'] ?? '', label: CONTACTS.label(record), deletedAt, record }));
    const started = now();
    await journal.addAll(entries);
    const ms = now() - started;
    totalMs += ms;
    longestMs = Math.max(longestMs, ms);
  }
  const listed = await journal.list();
  if (listed.length !== records.length) throw new BrokenMeasurement(`the journal lists ${listed.length} entries after deleting ${records.length}`);
  return { totalMs, longestMs, bytes: (await fs.stat(file)).size };
}

/** Sandbox-generated contacts, repeated under new ids until there are `count`. */
function contacts(count: number): ApiRecord[] {
  const seed = generateSeed().contacts;
  return Array.from({ length: count }, (_, i) => {
    const record = Object.fromEntries(Object.entries(seed[i % seed.length]!).map(([k, v]) => [k, v ?? ''])) as ApiRecord;
    return { ...record, contact_id: String(i + 1) };
  });
}

/**
 * (i) The deletion journal under a bulk delete of 1,000 and of 4,000 contacts: the journal's own
 * time (all its calls), the longest single call, and the same for the journal it replaced.
 */
export async function deletionJournal(options: BenchOptions): Promise<SectionResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'directory-records-journal-'));
  try {
    const batchSize = batchSizeFor(DEFAULT_RPM);
    const records = contacts(LARGE);
    let round = 0;
    const once = async (kind: 'append' | 'rewrite', size: number): Promise<Run> => {
      const folder = path.join(dir, String(round++));
      await fs.mkdir(folder);
      const journal = kind === 'append' ? new DeletionJournal({ fsPath: folder }) : new RewritingJournal(path.join(folder, 'deleted-records.json'));
      const file = kind === 'append' ? path.join(folder, 'deletion-journal.jsonl') : path.join(folder, 'deleted-records.json');
      const run = await bulkDelete(journal, file, records.slice(0, size), batchSize);
      await fs.rm(folder, { recursive: true, force: true });
      return run;
    };
    await once('append', SMALL);
    await once('append', LARGE);
    const append = { small: [] as Run[], large: [] as Run[] };
    for (let i = 0; i < ROUNDS; i++) {
      // Alternating, so a slower moment of the machine falls on both sizes.
      if (i % 2 === 0) {
        append.small.push(await once('append', SMALL));
        append.large.push(await once('append', LARGE));
      } else {
        append.large.push(await once('append', LARGE));
        append.small.push(await once('append', SMALL));
      }
    }
    // The old journal is quadratic: 4,000 would take a minute or more; 2,000 shows the growth.
    options.progress(`  the journal it replaced (rewritten whole on every batch): one run of ${SMALL} and of ${BEFORE_LARGE}`);
    const before = { small: await once('rewrite', SMALL), large: await once('rewrite', BEFORE_LARGE) };

    const total = (runs: Run[]): number => median(runs.map((r) => r.totalMs));
    const runs = [...append.small, ...append.large];
    const longest = median(runs.map((r) => r.longestMs));
    const longestEver = Math.max(...runs.map((r) => r.longestMs));
    const ms = (runs: Run[]): string => runs.map((r) => r.totalMs.toFixed(0)).join(', ');
    return {
      notes: [
        `Contacts generated by the sandbox (its seed, repeated under new ids), journaled as a bulk delete does it: one addAll per batch of ${batchSize} (the batch size for the default ${DEFAULT_RPM} requests per minute), before the batch would be deleted; the journal in a temporary folder on this machine's disk.`,
        `Appending journal, ${ROUNDS} rounds alternating after a warm-up of each size; total journal ms, ${SMALL.toLocaleString('en')}: ${ms(append.small)}; ${LARGE.toLocaleString('en')}: ${ms(append.large)}. File after ${LARGE.toLocaleString('en')}: ${(append.large[0]!.bytes / 2 ** 20).toFixed(2)} MiB.`,
        `The journal it replaced (bench/sectionDeletionJournal.ts RewritingJournal: the code at c3da4f1 on Node's fs), one run each: ${SMALL.toLocaleString('en')} ${before.small.totalMs.toFixed(0)} ms (longest call ${before.small.longestMs.toFixed(0)} ms), ${BEFORE_LARGE.toLocaleString('en')} ${before.large.totalMs.toFixed(0)} ms (longest call ${before.large.longestMs.toFixed(0)} ms, file ${(before.large.bytes / 2 ** 20).toFixed(2)} MiB).`,
      ],
      rows: [
        { name: `journal time, bulk delete of ${SMALL.toLocaleString('en')}`, value: total(append.small), unit: 'ms', note: 'median', method: 'Sum of the wall time of every journal.addAll call of the bulk delete, median over the rounds.' },
        { name: `journal time, bulk delete of ${LARGE.toLocaleString('en')}`, value: total(append.large), unit: 'ms', note: 'median', method: 'The same for 4,000 contacts.' },
        {
          name: `journal time ${LARGE.toLocaleString('en')} / ${SMALL.toLocaleString('en')}`,
          value: total(append.large) / total(append.small),
          unit: 'ratio',
          target: { comparison: '<=', limit: 4.5 },
          note: `rewriting journal: ${BEFORE_LARGE.toLocaleString('en')} / ${SMALL.toLocaleString('en')} = ${(before.large.totalMs / before.small.totalMs).toFixed(1)} (same run)`,
          method: 'The two medians above divided: 4.0 is linear.',
        },
        {
          name: 'longest single journal write',
          value: longest,
          unit: 'ms',
          target: { comparison: '<=', limit: 20 },
          note: `median over the runs; longest in any run ${longestEver.toFixed(0)} ms; rewriting journal at ${BEFORE_LARGE.toLocaleString('en')}: ${before.large.longestMs.toFixed(0)} ms`,
          method: 'Per run, the longest wall time of one addAll call (stringify and append of one batch; the first call of a journal also reads the file); the median of that over every run of both sizes.',
        },
        { name: `rewriting journal, bulk delete of ${BEFORE_LARGE.toLocaleString('en')} (before)`, value: before.large.totalMs, unit: 'ms', note: 'context', method: 'The journal it replaced, same records and batches, one run.' },
      ],
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export const DELETION_JOURNAL: Section = {
  id: 'i',
  alias: 'journal',
  title: 'Deletion journal under a bulk delete',
  run: deletionJournal,
};
