import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ModelName } from '../api/resources';
import type { ApiRecord } from '../api/schemas';

/** Which door a save came through: what the history list names. */
export type SaveDoor = 'document' | 'table' | 'create' | 'setFields' | 'bulk' | 'restore';

/** One save of one record: what was sent, and the server's record before and after it. */
export interface SaveHistoryEntry {
  readonly site: string;
  readonly model: ModelName;
  readonly id: string;
  /** ISO time the save went through. */
  readonly at: string;
  readonly door: SaveDoor;
  /** The fields sent (null clears a field). */
  readonly sent: Readonly<Record<string, string | null>>;
  /** The server's record just before the save; null for a record the save created. */
  readonly before: ApiRecord | null;
  /** The server's record after it (read back, or what was sent applied to `before` when not read back). */
  readonly after: ApiRecord;
}

export interface SaveHistoryLimits {
  /** Entries kept per record, newest first. */
  readonly maxEntriesPerRecord: number;
  /** Entries older than this are dropped. */
  readonly maxAgeDays: number;
}

export const DEFAULT_HISTORY_LIMITS: SaveHistoryLimits = { maxEntriesPerRecord: 20, maxAgeDays: 90 };

/** Folder of the history in the extension's global storage: one JSONL file per site and kind of record. */
export const HISTORY_FOLDER = 'save-history';
/** Below this many lines a file is never rewritten: it costs nothing to read. */
export const HISTORY_COMPACT_MIN_LINES = 1000;
/** A file with more lines than this many times its live entries is rewritten with those alone. */
export const HISTORY_COMPACT_FACTOR = 2;
/** Whatever the per-record limit, one site's kind of record keeps at most this many entries (the newest): the file stays readable at once. */
export const MAX_ENTRIES_PER_FILE = 20000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** What is known of a file without reading it again. */
interface FileState {
  lines: number;
  /** Lines per record id, to tell how many are live (at most the per-record limit each). */
  readonly perRecord: Map<string, number>;
  endsWithNewline: boolean;
}

/**
 * The save history: every save of a record, appended as one JSON line to its site and kind's
 * file (a bulk batch is one append, never one write per record). Reading applies the limits
 * (per record, age); a file grown far beyond its live entries is rewritten with them alone.
 * A line cut short by a crash is skipped. Only the entry's own fields are written: the site's
 * name, never its key. Writes are queued, so saves that run together never lose each other's lines.
 * Plain Node (no vscode): the limits come from a function the extension reads its settings in.
 */
export class SaveHistory {
  private readonly folder: string;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly states = new Map<string, FileState>();

  constructor(
    storage: Pick<{ fsPath: string }, 'fsPath'>,
    private readonly limits: () => SaveHistoryLimits = () => DEFAULT_HISTORY_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.folder = path.join(storage.fsPath, HISTORY_FOLDER);
  }

  /** Appends entries: one append per file they fall in. Resolves once they are on disk. */
  append(entries: readonly SaveHistoryEntry[]): Promise<void> {
    if (entries.length === 0) return this.queue.then(() => undefined);
    const byFile = new Map<string, SaveHistoryEntry[]>();
    for (const entry of entries) {
      const file = this.fileOf(entry.site, entry.model);
      const added = byFile.get(file) ?? [];
      added.push(ownFields(entry));
      byFile.set(file, added);
    }
    return this.enqueue(async () => {
      for (const [file, added] of byFile) await this.appendTo(file, added);
    });
  }

  /** A record's entries, newest first, within the limits. Read from the file: another window may have added some. */
  list(site: string, model: ModelName, id: string): Promise<SaveHistoryEntry[]> {
    return this.enqueue(async () => {
      const entries = (await this.read(this.fileOf(site, model))).filter((e) => e.id === id && e.site === site);
      return entries.slice(0, this.limit().maxEntriesPerRecord);
    });
  }

  /** Removes every entry of every site. */
  clear(): Promise<void> {
    return this.enqueue(async () => {
      await fs.rm(this.folder, { recursive: true, force: true });
      this.states.clear();
    });
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private limit(): SaveHistoryLimits {
    const given = this.limits();
    // A setting typed as 0 or a negative number keeps one entry, one day: the history is never silently off.
    return { maxEntriesPerRecord: Math.max(1, Math.floor(given.maxEntriesPerRecord)), maxAgeDays: Math.max(1, given.maxAgeDays) };
  }

  /** A hash, not the site's name: a name may hold characters a file name cannot. */
  private fileOf(site: string, model: ModelName): string {
    const hash = createHash('sha256').update(site).digest('hex').slice(0, 16);
    return path.join(this.folder, `${model}-${hash}.jsonl`);
  }

  private async appendTo(file: string, added: readonly SaveHistoryEntry[]): Promise<void> {
    const state = await this.open(file);
    const text = added.map((entry) => JSON.stringify(entry)).join('\n');
    // A line cut short by a crash ends here, so it cannot swallow the first of these.
    await fs.appendFile(file, `${state.endsWithNewline ? '' : '\n'}${text}\n`);
    state.lines += added.length;
    state.endsWithNewline = true;
    for (const entry of added) state.perRecord.set(entry.id, (state.perRecord.get(entry.id) ?? 0) + 1);
    if (this.needsCompaction(state)) await this.compact(file);
  }

  private needsCompaction(state: FileState): boolean {
    const max = this.limit().maxEntriesPerRecord;
    let live = 0;
    for (const count of state.perRecord.values()) live += Math.min(count, max);
    live = Math.min(live, MAX_ENTRIES_PER_FILE);
    return state.lines >= HISTORY_COMPACT_MIN_LINES && state.lines > HISTORY_COMPACT_FACTOR * live;
  }

  /** The first append to a file reads it once; later ones only append. */
  private async open(file: string): Promise<FileState> {
    const known = this.states.get(file);
    if (known) return known;
    await fs.mkdir(path.dirname(file), { recursive: true });
    const { entries, lines, endsWithNewline } = await this.replay(file);
    const state: FileState = { lines, perRecord: countPerRecord(entries), endsWithNewline };
    this.states.set(file, state);
    if (this.needsCompaction(state)) await this.compact(file);
    return this.states.get(file)!;
  }

  /** Rewrites the file with its live entries, through a temporary file so a crash leaves one or the other. */
  private async compact(file: string): Promise<void> {
    const entries = await this.read(file);
    const tmp = `${file}.${process.pid}.tmp`;
    // Oldest first, as appends leave them.
    await fs.writeFile(tmp, [...entries].reverse().map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    await fs.rename(tmp, file);
    this.states.set(file, { lines: entries.length, perRecord: countPerRecord(entries), endsWithNewline: true });
  }

  /** The live entries of a file, newest first: within the age, per-record and per-file limits. */
  private async read(file: string): Promise<SaveHistoryEntry[]> {
    const { entries } = await this.replay(file);
    const { maxEntriesPerRecord, maxAgeDays } = this.limit();
    const since = this.now() - maxAgeDays * DAY_MS;
    const perRecord = new Map<string, number>();
    const live: SaveHistoryEntry[] = [];
    for (const entry of entries.reverse()) {
      if (Date.parse(entry.at) < since) continue;
      const key = `${entry.site}\u0000${entry.id}`;
      const count = perRecord.get(key) ?? 0;
      if (count >= maxEntriesPerRecord) continue;
      perRecord.set(key, count + 1);
      live.push(entry);
      if (live.length >= MAX_ENTRIES_PER_FILE) break;
    }
    return live;
  }

  /** Every readable line of a file, in file order (oldest first); unreadable lines are skipped. */
  private async replay(file: string): Promise<{ entries: SaveHistoryEntry[]; lines: number; endsWithNewline: boolean }> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      return { entries: [], lines: 0, endsWithNewline: true };
    }
    const entries: SaveHistoryEntry[] = [];
    let lines = 0;
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      lines++;
      const entry = parseEntry(raw);
      if (entry) entries.push(entry);
    }
    return { entries, lines, endsWithNewline: text.length === 0 || text.endsWith('\n') };
  }
}

function countPerRecord(entries: readonly SaveHistoryEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.id, (counts.get(entry.id) ?? 0) + 1);
  return counts;
}

/** The entry's own fields only, whatever else the object carries. */
function ownFields(entry: SaveHistoryEntry): SaveHistoryEntry {
  const { site, model, id, at, door, sent, before, after } = entry;
  return { site, model, id, at, door, sent, before, after };
}

// Every door, checked by the type: a door added to SaveDoor and not here would make its entries unreadable.
const DOORS: ReadonlySet<string> = new Set(Object.keys({ document: true, table: true, create: true, setFields: true, bulk: true, restore: true } satisfies Record<SaveDoor, true>));

function parseEntry(raw: string): SaveHistoryEntry | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const e = parsed as Record<string, unknown>;
  const isRecord = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (typeof e['site'] !== 'string' || typeof e['model'] !== 'string' || typeof e['id'] !== 'string' || typeof e['at'] !== 'string') return undefined;
  if (typeof e['door'] !== 'string' || !DOORS.has(e['door']) || !isRecord(e['sent']) || !isRecord(e['after'])) return undefined;
  if (e['before'] !== null && !isRecord(e['before'])) return undefined;
  return ownFields(e as unknown as SaveHistoryEntry);
}
