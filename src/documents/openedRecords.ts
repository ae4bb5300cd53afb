import type { ApiRecord } from '../api/schemas';

export interface OpenedRecord {
  /** The record as the server last gave it to us: what an edit is compared against. */
  readonly record: ApiRecord;
  /** What VS Code sees as the file's version; it moves only when the text we serve changes. */
  readonly mtime: number;
}

/**
 * Remembers each open document's record as it was opened, so a save can send only what
 * changed and can tell when the server moved on in the meantime.
 */
export class OpenedRecords {
  private readonly entries = new Map<string, OpenedRecord>();
  private clock = Date.now();

  get(uri: string): OpenedRecord | undefined {
    return this.entries.get(uri);
  }

  /** A new version: VS Code is shown a later mtime if the text differs, so it reloads it. */
  set(uri: string, record: ApiRecord): OpenedRecord {
    const before = this.entries.get(uri);
    const same = before && recordText(before.record) === recordText(record);
    return this.put(uri, record, same ? before.mtime : this.tick());
  }

  /** Always a later mtime, even for the same text (forces VS Code to re-read after a save). */
  touch(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry) this.put(uri, entry.record, this.tick());
  }

  /**
   * A new base for the next save or revert, under the same mtime: VS Code checks the mtime
   * before it writes, and a later one would make it refuse the save as "modified since".
   */
  rebase(uri: string, record: ApiRecord): void {
    const before = this.entries.get(uri);
    this.put(uri, record, before?.mtime ?? this.tick());
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  private put(uri: string, record: ApiRecord, mtime: number): OpenedRecord {
    const entry = { record, mtime };
    this.entries.set(uri, entry);
    return entry;
  }

  /** Strictly increasing, so two versions within one millisecond still differ. */
  private tick(): number {
    this.clock = Math.max(this.clock + 1, Date.now());
    return this.clock;
  }
}

/** JSON as people read it: two-space indent, fields in the API's order. */
export function recordText(record: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
