import * as vscode from 'vscode';
import { closeTabs, siteTabs } from '../documents/recordTabs';

/**
 * Closes every tab showing a record of the site, so no document points at a site that is gone
 * or renamed. Unless told to discard, a tab with unsaved edits makes it ask first; returns how
 * many tabs were closed, or undefined when the user kept an edited record open.
 */
export async function closeSiteDocuments(site: string, options: { discard?: boolean } = {}): Promise<number | undefined> {
  const tabs = siteTabs(site);
  if (!options.discard && tabs.some((tab) => tab.isDirty)) {
    const close = vscode.l10n.t('Discard and Rename');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Records of "{0}" have unsaved edits.', site),
      { modal: true, detail: vscode.l10n.t('Renaming closes its open records. Save the ones you want to keep first, or discard their edits.') },
      close,
    );
    if (answer !== close) return undefined;
  }
  return closeTabs(tabs);
}
