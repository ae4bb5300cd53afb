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
  readonly record: ApiRecord;
}

export const JOURNAL_LIMIT = 100;

/**
 * BD has no undelete, so the last JSON of each deleted record is kept in the extension's
 * global storage (the most recent hundred) to re-create it from.
 */
export class DeletionJournal {
  private readonly file: vscode.Uri;

  constructor(storage: vscode.Uri) {
    this.file = vscode.Uri.joinPath(storage, 'deleted-records.json');
  }

  async list(): Promise<DeletedRecord[]> {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(this.file)).toString('utf8'));
      return Array.isArray(parsed) ? (parsed as DeletedRecord[]) : [];
    } catch {
      return [];
    }
  }

  async add(entry: DeletedRecord): Promise<void> {
    const entries = [entry, ...(await this.list())].slice(0, JOURNAL_LIMIT);
    await this.write(entries);
  }

  async remove(entry: DeletedRecord): Promise<void> {
    const entries = (await this.list()).filter((e) => !(e.site === entry.site && e.model === entry.model && e.id === entry.id && e.deletedAt === entry.deletedAt));
    await this.write(entries);
  }

  private async write(entries: DeletedRecord[]): Promise<void> {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(this.file, '..'));
    await vscode.workspace.fs.writeFile(this.file, Buffer.from(JSON.stringify(entries, null, 1)));
  }
}
