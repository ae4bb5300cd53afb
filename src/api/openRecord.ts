import { changedFields } from './recordMerge';
import { editedRecord, saveEdit, type RecordClient, type SaveResult } from './recordSave';
import type { PacingClock } from './rateLimiter';
import { recordText } from './recordText';
import type { ResourceDescriptor } from './resources';
import type { ApiRecord } from './schemas';

/**
 * What one open record document is based on. Two records matter: the server's as last read
 * (`served`, what the document gets whenever the editor loads it) and the one the editor's
 * unmodified text came from (`shown`, the base of the next save's merge). They differ after a
 * save until the editor loads the server's version, and while the user types before it does;
 * only the editor can say which it holds, so it is told (editorHolds) rather than guessed.
 */
export class OpenRecord {
  /** VS Code's version of the file; it moves only when the served text changes. */
  mtime: number;

  constructor(
    public served: ApiRecord,
    mtime: number,
    public shown: ApiRecord = served,
  ) {
    this.mtime = mtime;
  }

  /** The editor holds `text` unmodified (it loaded or reverted the file): when that is the served record, it shows it now. */
  editorHolds(text: string): void {
    if (text === recordText(this.served)) this.shown = this.served;
  }

  /** A read of the server's record; true when it differs from what was served. */
  serverRead(record: ApiRecord): boolean {
    if (changedFields(this.served, record).length === 0) return false;
    this.served = record;
    return true;
  }

  /** Discard: the document shows the server's record as it is now. */
  reset(record: ApiRecord): void {
    this.served = record;
    this.shown = record;
  }

  /**
   * Saves the editor's text. After a save the server's version is served, while the editor
   * holds the text just saved until it loads that version: a save starting in between edits
   * the saved text, so that is its base.
   */
  async save(connect: () => Promise<RecordClient>, resource: ResourceDescriptor, id: string, edited: Readonly<Record<string, unknown>>, preferMine = false, clock?: PacingClock): Promise<SaveResult> {
    const result = await saveEdit(connect, resource, id, this.shown, edited, preferMine, clock);
    if (result.kind === 'saved') {
      this.served = result.record;
      this.shown = editedRecord(edited);
    }
    return result;
  }
}
