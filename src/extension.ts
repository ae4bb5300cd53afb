import * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Wiring arrives with the sites, tree and documents.
}

export function deactivate(): void {}
