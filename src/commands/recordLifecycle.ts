import * as vscode from 'vscode';
import { compareWithServer } from '../documents/serverVersionProvider';
import type { RecordEvents, RecordFileSystem, SaveConflictError } from '../documents/recordFileSystem';
import { recordUri } from '../documents/recordUri';
import type { RecordsTreeModel } from '../tree/recordsTreeModel';

/** What the editor and tree do when a document is saved, created, or runs into a conflict. */
export function recordEvents(model: RecordsTreeModel, files: () => RecordFileSystem): RecordEvents {
  const t = vscode.l10n.t;
  return {
    saved(address, record) {
      model.replaceRecord(address, record);
    },
    created(address, record, draft) {
      model.addRecord(address, record);
      // The draft is saved now; swap its tab for the real record's document.
      setTimeout(async () => {
        const target = recordUri(address.site, address.model, address.id!);
        await vscode.window.showTextDocument(target, { preview: false });
        const draftTabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === draft.toString());
        await vscode.window.tabGroups.close(draftTabs, true);
        files().forget(draft);
      }, 0);
    },
    conflict(error: SaveConflictError) {
      void resolveConflict(files(), error, t);
    },
  };
}

async function resolveConflict(files: RecordFileSystem, error: SaveConflictError, t: typeof vscode.l10n.t): Promise<void> {
  const compare = t('Compare');
  const overwrite = t('Overwrite');
  const discard = t('Discard my changes');
  for (;;) {
    const choice = await vscode.window.showWarningMessage(error.message, compare, overwrite, discard);
    if (choice === compare) {
      await compareWithServer(error.uri);
      continue;
    }
    if (choice === overwrite) {
      // Your version against the server's current one: the next save sends every field where they differ.
      files.rebase(error.uri, error.server);
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === error.uri.toString());
      await doc?.save();
    } else if (choice === discard) {
      files.rebase(error.uri, error.server);
      const doc = await vscode.workspace.openTextDocument(error.uri);
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    return;
  }
}
