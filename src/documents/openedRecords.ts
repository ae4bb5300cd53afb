import type { ApiRecord } from '../api/schemas';

export interface OpenedRecord {
  /** The record as the server last gave it to us: what an edit is compared against. */
  record: ApiRecord;
  mtime: number;
  fetchedAt: number;
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

  set(uri: string, record: ApiRecord): OpenedRecord {
    // Strictly increasing, so VS Code always notices a new version even within one millisecond.
    this.clock = Math.max(this.clock + 1, Date.now());
    const entry = { record, mtime: this.clock, fetchedAt: Date.now() };
    this.entries.set(uri, entry);
    return entry;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }
}

/** JSON as people read it: two-space indent, fields in the API's order. */
export function recordText(record: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
