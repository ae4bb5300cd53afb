import * as vscode from 'vscode';
import { Disposable } from '../lifecycle/disposable';
import type { RecordEditorDeps } from './recordEditorFeatures';
import { RECORD_SCHEME, SERVER_SCHEME } from './recordUri';

/**
 * What only a record's editor uses (the date hover, the Read-only lens, the problems, the hint
 * on the first edit) is loaded (dist/recordEditorFeatures.js) and registered when the first
 * record document opens, not at activation: a window that only browses the tree never pays
 * for it. A record document restored with the window opens before or at activation: it counts.
 */
export class RecordEditorRegistration extends Disposable {
  private loading: Promise<void> | undefined;

  constructor(private readonly deps: RecordEditorDeps) {
    super();
    this._register(vscode.workspace.onDidOpenTextDocument((document) => this.opened(document)));
    for (const document of vscode.workspace.textDocuments) this.opened(document);
  }

  private opened(document: vscode.TextDocument): void {
    if (this.loading || (document.uri.scheme !== RECORD_SCHEME && document.uri.scheme !== SERVER_SCHEME)) return;
    this.loading = import('./recordEditorFeatures').then((features) => {
      // Registered after a dispose, it is disposed at once.
      this._register(features.registerRecordEditorFeatures(this.deps));
    });
  }
}
