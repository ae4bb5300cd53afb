import * as vscode from 'vscode';
import type { ApiRecord } from '../api/schemas';
import type { RecordsChange } from '../records/recordsChange';
import { closeRecordTabs } from './recordTabs';
import { documentEvent, type DocumentEventSource } from './documentEvent';
import { recordUri } from './recordUri';
import { showRecord } from './showRecord';

/** A draft was created on the server: its tab becomes the real record's document. */
export async function showCreatedRecord(change: RecordsChange, record: ApiRecord, forget: (uri: vscode.Uri) => void): Promise<void> {
  const draft = change.draft;
  // The draft's save is still under way when the service says it was created: let it finish first.
  if (draft) await documentEvent(draft, [whenSaved, whenClosed]);
  await showRecord(recordUri(change.site, change.resource.model, record[change.resource.primaryKey] ?? ''), false);
  if (!draft) return;
  await closeRecordTabs([draft]);
  forget(draft);
}

const whenSaved: DocumentEventSource = (listener) => vscode.workspace.onDidSaveTextDocument((document) => listener({ document }));
const whenClosed: DocumentEventSource = (listener) => vscode.workspace.onDidCloseTextDocument((document) => listener({ document }));
