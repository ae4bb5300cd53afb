import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { ModelName } from '../api/resources';
import type { ApiRecord } from '../api/schemas';

export interface DeletedRecord {
  readonly site: string;
  readonly model: ModelName;
  readonly id: string;
  readonly label: string;
  /** ISO time of the delete. */
  readonly deletedAt: string;
  /** The record as read from the server just before the delete was sent. */
  readonly record: ApiRecord;
}

/** How long a deleted record can be restored from this computer. */
export const JOURNAL_DAYS = 30;

/** The journal: one JSON line per entry added or removed (JournalLine). */
export const JOURNAL_FILE = 'deletion-journal.jsonl';
/** The format before it: one JSON array, rewritten whole on every change; read once and moved over. */
export const OLD_JOURNAL_FILE = 'deleted-records.json';
/** Below this many lines a journal is never rewritten: it costs nothing to read. */
export const COMPACT_MIN_LINES = 1000;
/** A journal with more lines than this many times its live entries is rewritten with those alone. */
export const COMPACT_FACTOR = 2;

type EntryKey = Pick<DeletedRecord, 'site' | 'model' | 'id' | 'deletedAt'>;
type JournalLine = { readonly add: DeletedRecord } | { readonly remove: EntryKey };

/** What is known of the file without reading it again: lines in it, live entries, whether it ends a line. */
interface FileState {
  lines: number;
  live: number;
  endsWithNewline: boolean;
}

const recordKey = (e: Pick<DeletedRecord, 'site' | 'model' | 'id'>): string => `${e.site}\u0000${e.model}\u0000${e.id}`;
const sameEntry = (a: EntryKey, b: EntryKey): boolean => a.site === b.site && a.model === b.model && a.id === b.id && a.deletedAt === b.deletedAt;
const oldestKept = (): number => Date.now() - JOURNAL_DAYS * 24 * 60 * 60 * 1000;

/**
 * BD has no undelete, so every record deleted from here in the last 30 days is kept, as the
 * server had it, in the extension's global storage to re-create it from. A change appends its
 * lines (a bulk delete of thousands never rewrites what is there); the file is rewritten with
 * its live entries only when it has grown far larger than them. A line cut short by a crash is
 * skipped. Writes are queued so deletes that run together (bulk actions) never lose each other's entries.
 * Node's fs, not vscode.workspace.fs: global storage is on the extension host's disk, and the
 * latter cannot append.
 */
export class DeletionJournal {
  private readonly file: string;
  private readonly oldFile: string;
  private queue: Promise<unknown> = Promise.resolve();
  /** Undefined until the first change reads the file once (and moves an old-format journal over). */
  private state: FileState | undefined;

  constructor(storage: Pick<vscode.Uri, 'fsPath'>) {
    this.file = path.join(storage.fsPath, JOURNAL_FILE);
    this.oldFile = path.join(storage.fsPath, OLD_JOURNAL_FILE);
  }

  /** Newest first, without entries older than JOURNAL_DAYS. Read from the file: another window may have added some. */
  async list(): Promise<DeletedRecord[]> {
    await this.queue;
    const next = this.queue.then(async () => {
      await this.migrate();
      return (await this.read()).entries;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  add(entry: DeletedRecord): Promise<void> {
    return this.addAll([entry]);
  }

  remove(entry: DeletedRecord): Promise<void> {
    return this.removeAll([entry]);
  }

  /**
   * A bulk delete's batch, in one append, before any of it is deleted. A record kept already
   * (a retry of its delete) is replaced, never listed twice.
   */
  addAll(added: readonly DeletedRecord[]): Promise<void> {
    // Written last to first: replaying puts each line on top, so the batch lists in its own order.
    const lines = [...added].reverse().map((entry): JournalLine => ({ add: entry }));
    return this.change(lines, added.length);
  }

  removeAll(removed: readonly DeletedRecord[]): Promise<void> {
    const lines = removed.map((e): JournalLine => ({ remove: { site: e.site, model: e.model, id: e.id, deletedAt: e.deletedAt } }));
    return this.change(lines, -removed.length);
  }

  private change(lines: readonly JournalLine[], liveDelta: number): Promise<void> {
    if (lines.length === 0) return this.queue.then(() => undefined);
    const next = this.queue.then(async () => {
      const state = await this.open();
      const text = lines.map((line) => JSON.stringify(line)).join('\n');
      // A line cut short by a crash ends here, so it cannot swallow the first of these.
      await fs.appendFile(this.file, `${state.endsWithNewline ? '' : '\n'}${text}\n`);
      state.lines += lines.length;
      state.live = Math.max(0, state.live + liveDelta);
      state.endsWithNewline = true;
      if (state.lines >= COMPACT_MIN_LINES && state.lines > COMPACT_FACTOR * state.live) await this.compact();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The first change reads the file once; later ones only append. */
  private async open(): Promise<FileState> {
    if (this.state) return this.state;
    // VS Code names the extension's global storage folder but does not create it.
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await this.migrate();
    const { entries, lines, endsWithNewline } = await this.read();
    this.state = { lines, live: entries.length, endsWithNewline };
    if (lines >= COMPACT_MIN_LINES && lines > COMPACT_FACTOR * entries.length) await this.compact();
    return this.state;
  }

  /** Rewrites the file with its live entries (expired ones dropped), through a temporary file so a crash leaves one or the other. */
  private async compact(): Promise<void> {
    const { entries } = await this.read();
    await this.replace(entries);
    this.state = { lines: entries.length, live: entries.length, endsWithNewline: true };
  }

  private async replace(entries: readonly DeletedRecord[]): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const text = [...entries].reverse().map((entry) => `${JSON.stringify({ add: entry } satisfies JournalLine)}\n`).join('');
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, this.file);
  }

  /** An old-format journal (a JSON array) becomes the new file; a journal already there wins over it. */
  private async migrate(): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(this.oldFile, 'utf8');
    } catch {
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed)) {
      // Unreadable (cut short by a crash of the old version): kept aside for a person, not read again.
      await fs.rename(this.oldFile, `${this.oldFile}.unreadable`);
      return;
    }
    if (!(await exists(this.file))) {
      const since = oldestKept();
      await this.replace((parsed as unknown[]).filter((e): e is DeletedRecord => isEntry(e) && Date.parse(e.deletedAt) >= since));
    }
    await fs.rm(this.oldFile, { force: true });
  }

  /** Replays the file: newest first, expired and unreadable lines left out. */
  private async read(): Promise<{ entries: DeletedRecord[]; lines: number; endsWithNewline: boolean }> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch {
      return { entries: [], lines: 0, endsWithNewline: true };
    }
    const live = new Map<string, DeletedRecord>();
    let lines = 0;
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      lines++;
      const line = parseLine(raw);
      if (!line) continue;
      if ('add' in line) {
        const key = recordKey(line.add);
        // Delete first: a Map keeps first-insertion order, and a replaced entry goes on top.
        live.delete(key);
        live.set(key, line.add);
      } else {
        const key = recordKey(line.remove);
        const kept = live.get(key);
        if (kept && sameEntry(kept, line.remove)) live.delete(key);
      }
    }
    const since = oldestKept();
    const entries = [...live.values()].filter((e) => Date.parse(e.deletedAt) >= since).reverse();
    return { entries, lines, endsWithNewline: text.length === 0 || text.endsWith('\n') };
  }
}

function parseLine(raw: string): JournalLine | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const line = parsed as Record<string, unknown>;
  if (isEntry(line['add'])) return { add: line['add'] };
  if (isKey(line['remove'])) return { remove: line['remove'] };
  return undefined;
}

function isKey(value: unknown): value is EntryKey {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return typeof e['site'] === 'string' && typeof e['model'] === 'string' && typeof e['id'] === 'string' && typeof e['deletedAt'] === 'string';
}

function isEntry(value: unknown): value is DeletedRecord {
  return isKey(value) && typeof (value as unknown as Record<string, unknown>)['record'] === 'object' && (value as unknown as Record<string, unknown>)['record'] !== null;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}
