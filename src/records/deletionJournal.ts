import * as vscode from 'vscode';
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

/**
 * BD has no undelete, so every record deleted from here in the last 30 days is kept, as the
 * server had it, in the extension's global storage to re-create it from. Writes are queued so
 * deletes that run together (bulk actions) never lose each other's entries.
 */
export class DeletionJournal {
  private readonly file: vscode.Uri;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(storage: vscode.Uri) {
    this.file = vscode.Uri.joinPath(storage, 'deleted-records.json');
  }

  /** Newest first, without entries older than JOURNAL_DAYS. */
  async list(): Promise<DeletedRecord[]> {
    await this.queue;
    return this.read();
  }

  add(entry: DeletedRecord): Promise<void> {
    return this.addAll([entry]);
  }

  remove(entry: DeletedRecord): Promise<void> {
    return this.removeAll([entry]);
  }

  /**
   * A bulk delete's batch, in one write of the file, before any of it is deleted. A record kept
   * already (a retry of its delete) is replaced, never listed twice.
   */
  addAll(added: readonly DeletedRecord[]): Promise<void> {
    const key = (e: DeletedRecord): string => `${e.site}\u0000${e.model}\u0000${e.id}`;
    const replaced = new Set(added.map(key));
    return this.change((entries) => [...added, ...entries.filter((e) => !replaced.has(key(e)))]);
  }

  removeAll(removed: readonly DeletedRecord[]): Promise<void> {
    const same = (e: DeletedRecord, entry: DeletedRecord): boolean => e.site === entry.site && e.model === entry.model && e.id === entry.id && e.deletedAt === entry.deletedAt;
    return this.change((entries) => entries.filter((e) => !removed.some((entry) => same(e, entry))));
  }

  private change(edit: (entries: DeletedRecord[]) => DeletedRecord[]): Promise<void> {
    const next = this.queue.then(async () => this.write(edit(await this.read())));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<DeletedRecord[]> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(this.file)).toString('utf8'));
    } catch {
      return [];
    }
    const since = Date.now() - JOURNAL_DAYS * 24 * 60 * 60 * 1000;
    return Array.isArray(parsed) ? (parsed as DeletedRecord[]).filter((e) => Date.parse(e.deletedAt) >= since) : [];
  }

  private async write(entries: DeletedRecord[]): Promise<void> {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(this.file, '..'));
    await vscode.workspace.fs.writeFile(this.file, Buffer.from(JSON.stringify(entries, null, 1)));
  }
}
