import * as vscode from 'vscode';
import { isApiError } from '../api/errors';
import { COMMANDS } from '../commandIds';
import { isWriteRefused } from '../sites/writeGate';

/** What fixes a failed save besides reading the log: the key, or the site's address or profile. */
type SaveFix = 'setApiKey' | 'editSite' | undefined;

function fixFor(error: unknown): SaveFix {
  // A refused key, a key without this endpoint, or no key at all.
  if (isApiError(error, 'invalidKey') || isApiError(error, 'forbidden')) return 'setApiKey';
  // An address that does not answer; a read-only profile is changed in Edit Site too.
  if (isApiError(error, 'network') || isWriteRefused(error, 'readOnly')) return 'editSite';
  return undefined;
}

/**
 * A failed save, said in our words with the actions that help; VS Code's own save error (its
 * Retry would fail the same way) only points here. Not awaited by the save: the buttons wait
 * for the user.
 */
export async function showSaveFailure(site: string, text: string, error: unknown): Promise<void> {
  const fix = fixFor(error);
  const setKey = vscode.l10n.t('Set API Key…');
  const editSite = vscode.l10n.t('Edit Site…');
  const showLog = vscode.l10n.t('Show Log');
  const actions = [...(fix === 'setApiKey' ? [setKey] : fix === 'editSite' ? [editSite] : []), showLog];
  const picked = await vscode.window.showErrorMessage(text, ...actions);
  if (picked === setKey) await vscode.commands.executeCommand(COMMANDS.setApiKey, site);
  else if (picked === editSite) await vscode.commands.executeCommand(COMMANDS.editSite, site);
  else if (picked === showLog) await vscode.commands.executeCommand(COMMANDS.showLog);
}
