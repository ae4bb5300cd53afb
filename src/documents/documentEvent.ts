import type * as vscode from 'vscode';

/** Subscribes a listener to one of VS Code's document events (open, save, close, change). */
export type DocumentEventSource = (listener: (event: { readonly document: vscode.TextDocument }) => unknown) => vscode.Disposable;

/** Resolves on the first of `events` about the document at `uri`; its listeners go with it. */
export function documentEvent(uri: vscode.Uri, events: readonly DocumentEventSource[]): Promise<void> {
  return new Promise((resolve) => {
    const listeners = events.map((event) =>
      event(({ document }) => {
        if (document.uri.toString() !== uri.toString()) return;
        for (const listener of listeners) listener.dispose();
        resolve();
      }),
    );
  });
}
