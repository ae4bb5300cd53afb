import * as vscode from 'vscode';
import type { SiteConnections } from '../sites/siteConnections';
import { registerDateHover } from './dateHover';
import { ReadOnlyLens } from './readOnlyLens';
import { RecordDiagnostics } from './recordDiagnostics';
import type { RecordStore } from './recordStore';
import { SaveHint } from './saveHint';

export interface RecordEditorDeps {
  readonly store: RecordStore;
  readonly connections: SiteConnections;
  /** Remembers that the first-edit hint was shown. */
  readonly globalState: vscode.Memento;
}

/** The record editor's helpers, registered together (see recordEditorRegistration.ts for when). */
export function registerRecordEditorFeatures(deps: RecordEditorDeps): vscode.Disposable {
  return vscode.Disposable.from(
    registerDateHover(),
    // A Read-only site's records say so at their top, with Edit Site.
    new ReadOnlyLens(deps.connections),
    new SaveHint(deps.globalState),
    new RecordDiagnostics(deps.store),
  );
}
