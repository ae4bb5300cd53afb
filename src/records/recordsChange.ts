import type * as vscode from 'vscode';
import type { ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';

/** One record of a site, by kind and id. */
export interface RecordRef {
  readonly site: string;
  readonly resource: ResourceDescriptor;
  readonly id: string;
}

/**
 * What one write (or one bulk run) changed on a site, as the record service reports it to the
 * tree, the open documents, the unread badge and Click Insights. Records of one kind of one site.
 */
export interface RecordsChange {
  readonly site: string;
  readonly resource: ResourceDescriptor;
  /** Records as the server holds them after an update. */
  readonly saved: readonly ApiRecord[];
  /** Records created (a draft saved, a record restored), as read back. */
  readonly created: readonly ApiRecord[];
  /** Ids deleted. */
  readonly deleted: readonly string[];
  /** The draft document a created record came from: its tab becomes the record's. */
  readonly draft?: vscode.Uri;
  /** Records beyond those named may have changed (a job over all matching records): listings and counts are read again. */
  readonly beyond: boolean;
}
