import * as vscode from 'vscode';
import { renderText } from '../api/text';
import { Disposable } from '../lifecycle/disposable';
import { recordProblems } from './recordProblems';
import type { RecordStore } from './recordStore';
import { parseRecordUri, RECORD_SCHEME } from './recordUri';

/**
 * Error markers for what a save would refuse (an unknown field, a value that is not a string,
 * a read-only field changed). The JSON schema cannot do it: VS Code shows its findings as
 * warnings, and it knows the model, not this record, so a site's own columns looked unknown.
 */
export class RecordDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('directory-records'));

  constructor(private readonly store: RecordStore) {
    super();
    for (const subscription of [
      vscode.workspace.onDidOpenTextDocument((doc) => this.check(doc)),
      vscode.workspace.onDidChangeTextDocument(({ document }) => this.check(document)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.collection.delete(doc.uri)),
    ]) this._register(subscription);
    for (const doc of vscode.workspace.textDocuments) this.check(doc);
  }

  private check(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== RECORD_SCHEME) return;
    const address = parseRecordUri(doc.uri);
    if (!address) return;
    const text = doc.getText();
    let served: Parameters<typeof recordProblems>[2] = 'draft';
    if (address.kind === 'saved') {
      // The save's own base, so a marker and a refusal always agree (also between a save and the reload after it).
      const base = this.store.shownOf(doc.uri);
      // Not read in this window (a restored editor): the save asks to reopen it; nothing to compare with.
      if (!base) return this.collection.delete(doc.uri);
      served = base;
    }
    this.collection.set(
      doc.uri,
      recordProblems(address.resource, text, served).map((problem) => {
        const range = new vscode.Range(doc.positionAt(problem.offset), doc.positionAt(problem.offset + problem.length));
        const diagnostic = new vscode.Diagnostic(range, renderText(problem.text, (template, args) => vscode.l10n.t(template, ...args)), vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'Directory Records';
        return diagnostic;
      }),
    );
  }
}
