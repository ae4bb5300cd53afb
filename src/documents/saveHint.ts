import * as vscode from 'vscode';
import { RECORD_SCHEME } from './recordUri';

const SHOWN_KEY = 'directoryRecords.saveHintShown';

/**
 * Tells the user once, the first time they edit a record, that records go to the site only
 * on an explicit save: Auto Save is off for them whatever the global setting says.
 */
export class SaveHint implements vscode.Disposable {
  private subscription: vscode.Disposable | undefined;

  constructor(private readonly state: vscode.Memento) {
    if (state.get<boolean>(SHOWN_KEY)) return;
    this.subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.scheme !== RECORD_SCHEME || !event.document.isDirty || event.contentChanges.length === 0) return;
      this.dispose();
      void this.state.update(SHOWN_KEY, true);
      void vscode.window.showInformationMessage(vscode.l10n.t('Records are sent to the site only when you save them (Ctrl+S). Auto Save is off for records, so nothing half-typed reaches the site.'));
    });
  }

  dispose(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
  }
}
