import * as vscode from 'vscode';
import type { RecordStore, SaveConflictError, SaveNotice } from '../documents/recordStore';
import { compareWithServer } from '../documents/serverVersionProvider';
import { parseRecordUri, recordDocumentUri } from '../documents/recordUri';

/** One notification per conflict, with the three ways out. */
export async function resolveConflict(store: RecordStore, error: SaveConflictError): Promise<void> {
  const compare = vscode.l10n.t('Compare');
  const overwrite = vscode.l10n.t('Overwrite');
  const discard = vscode.l10n.t('Discard my changes');
  const address = parseRecordUri(error.uri);
  const record = address?.kind === 'saved' ? `${address.resource.singular} ${address.id}` : error.uri.path;
  const message = vscode.l10n.t('{0} changed on the server in {1} as well as here. Nothing was sent.', record, error.fields.join(', '));
  for (;;) {
    const choice = await vscode.window.showWarningMessage(message, compare, overwrite, discard);
    if (choice === compare) {
      await compareWithServer(error.uri);
      continue;
    }
    if (choice === overwrite) await overwriteServer(store, error.uri);
    else if (choice === discard) await discardChanges(store, error.uri);
    return;
  }
}

/** Says what a save did that the user did not see: fields merged from the server, a failed re-read. */
export function showSaveNotice(notice: SaveNotice): void {
  if (notice.warning) void vscode.window.showWarningMessage(notice.text);
  else void vscode.window.showInformationMessage(notice.text);
}

/**
 * Saves my version: fields changed on both sides take my value, fields I left alone keep the
 * server's. Works from the record's editor or its Compare editor.
 */
export async function overwriteServer(store: RecordStore, target: vscode.Uri): Promise<boolean> {
  const uri = recordDocumentUri(target);
  const doc = uri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  // Only an unsaved edit can be overwritten; on a clean document the flag would arm a later save.
  if (!uri || !doc?.isDirty) return false;
  store.overwriteOnNextSave(uri);
  return doc.save();
}

/** Drops my edits and shows the server's current record. */
export async function discardChanges(store: RecordStore, target: vscode.Uri): Promise<void> {
  const uri = recordDocumentUri(target);
  const address = uri && parseRecordUri(uri);
  if (!uri || address?.kind !== 'saved') return;
  await store.discard(uri, address);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  await vscode.commands.executeCommand('workbench.action.files.revert', uri);
}
