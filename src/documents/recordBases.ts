import type * as vscode from 'vscode';
import type { ApiRecord } from '../api/schemas';

const KEY = 'directoryRecords.bases';
/** A base older than this belongs to a document long gone; it is dropped on start. */
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;

interface StoredBase {
  readonly records: ApiRecord[];
  readonly savedAt: number;
}

/**
 * What each open document's text may have come from (the store's candidate bases), kept in the workspace's state so it
 * survives a window reload: VS Code restores unsaved record documents after one, and saving
 * them must still merge against what the user started from, not against the server's
 * current version (that would silently revert a colleague's change).
 */
export class RecordBases {
  constructor(private readonly state: vscode.Memento) {
    const now = Date.now();
    const kept = Object.fromEntries(Object.entries(this.all()).filter(([, base]) => now - base.savedAt < KEEP_MS));
    void state.update(KEY, kept);
  }

  get(uri: string): ApiRecord[] | undefined {
    return this.all()[uri]?.records;
  }

  set(uri: string, records: ApiRecord[]): void {
    void this.state.update(KEY, { ...this.all(), [uri]: { records, savedAt: Date.now() } });
  }

  delete(uri: string): void {
    const all = this.all();
    if (!(uri in all)) return;
    const { [uri]: _gone, ...rest } = all;
    void this.state.update(KEY, rest);
  }

  private all(): Record<string, StoredBase> {
    return this.state.get<Record<string, StoredBase>>(KEY) ?? {};
  }
}
