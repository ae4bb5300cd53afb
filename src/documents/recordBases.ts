import type * as vscode from 'vscode';
import type { ApiRecord } from '../api/schemas';

const KEY = 'directoryRecords.bases';
/** A base older than this belongs to a document long gone; it is dropped on start. */
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;

/** What is kept of an open record document across a window reload. */
export interface KeptRecord {
  /** The record the editor's unmodified text came from, as a one-entry list (the shape older versions kept). */
  readonly bases: ApiRecord[];
  /**
   * The mtime VS Code was last given: a restored unsaved document is saved with it, and a
   * later one would make VS Code refuse the save as "the content of the file is newer".
   */
  readonly mtime: number;
}

interface StoredBase extends KeptRecord {
  readonly savedAt: number;
}

/**
 * What each open document's text came from (its base), kept in the workspace's state so it
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

  get(uri: string): KeptRecord | undefined {
    const kept = this.all()[uri];
    return kept && Array.isArray(kept.bases) && typeof kept.mtime === 'number' ? kept : undefined;
  }

  set(uri: string, kept: KeptRecord): void {
    void this.state.update(KEY, { ...this.all(), [uri]: { bases: kept.bases, mtime: kept.mtime, savedAt: Date.now() } });
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
