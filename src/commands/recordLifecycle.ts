import * as vscode from 'vscode';
import { compareWithServer } from '../documents/serverVersionProvider';
import { showRecord } from '../documents/showRecord';
import type { RecordEvents, RecordFileSystem, SaveConflictError } from '../documents/recordFileSystem';
import { parseRecordUri, recordUri } from '../documents/recordUri';
import { recordText } from '../documents/openedRecords';
import { readOnlyFieldNames, resourceFor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import type { RecordsTreeModel } from '../tree/recordsTreeModel';

/** What the editor and tree do when a document is saved, created, or runs into a conflict. */
export function recordEvents(model: RecordsTreeModel, files: () => RecordFileSystem): RecordEvents {
  return {
    saved(address, record) {
      model.replaceRecord(address, record);
    },
    created(address, record, draft) {
      model.addRecord(address, record);
      // The draft is saved now; swap its tab for the real record's document.
      setTimeout(async () => {
        const target = recordUri(address.site, address.model, address.id!);
        await showRecord(target, false);
        const draftTabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === draft.toString());
        await vscode.window.tabGroups.close(draftTabs, true);
        files().forget(draft);
      }, 0);
    },
    conflict(error: SaveConflictError) {
      void resolveConflict(files(), error);
    },
  };
}

async function resolveConflict(files: RecordFileSystem, error: SaveConflictError): Promise<void> {
  const compare = vscode.l10n.t('Compare');
  const overwrite = vscode.l10n.t('Overwrite');
  const discard = vscode.l10n.t('Discard my changes');
  for (;;) {
    const choice = await vscode.window.showWarningMessage(error.message, compare, overwrite, discard);
    if (choice === compare) {
      await compareWithServer(error.uri);
      continue;
    }
    if (choice === overwrite) await overwriteServer(files, error.uri, error.server);
    else if (choice === discard) await discardChanges(files, error.uri, error.server);
    return;
  }
}

/** Saves your version over the server's: the base becomes the server's current record, so every differing field is sent. */
export async function overwriteServer(files: RecordFileSystem, uri: vscode.Uri, server?: ApiRecord): Promise<boolean> {
  const current = server ?? (await files.serverRecord(uri));
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!doc) return false;
  files.rebase(uri, current);
  // Read-only fields (the revision stamp) are the server's to set: take its values, keep the rest as typed.
  const address = parseRecordUri(uri);
  const resource = address && resourceFor(address.model);
  let mine: Record<string, unknown> | undefined;
  try {
    mine = JSON.parse(doc.getText()) as Record<string, unknown>;
  } catch {
    mine = undefined; // the save below reports the broken JSON
  }
  if (resource && mine && typeof mine === 'object' && !Array.isArray(mine)) {
    let changed = false;
    for (const name of readOnlyFieldNames(resource)) {
      if (name in mine && mine[name] !== current[name]) {
        mine[name] = current[name] ?? null;
        changed = true;
      }
    }
    if (changed) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), recordText(mine));
      await vscode.workspace.applyEdit(edit);
    }
  }
  return doc.save();
}

/** Drops your edits and shows the server's current record. */
export async function discardChanges(files: RecordFileSystem, uri: vscode.Uri, server?: ApiRecord): Promise<void> {
  files.rebase(uri, server ?? (await files.serverRecord(uri)));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.revert', uri);
}
