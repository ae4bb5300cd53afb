import * as vscode from 'vscode';

/** A message the extension showed while dialogs were watched. */
export interface ShownMessage {
  readonly severity: 'information' | 'warning' | 'error';
  readonly message: string;
  readonly modal: boolean;
  readonly buttons: readonly string[];
}

/** What `watchDialogs` recorded, and how to put VS Code's own functions back. */
export interface WatchedDialogs {
  readonly shown: ShownMessage[];
  /** How many save dialogs were asked for. */
  saveDialogs: number;
  restore(): void;
}

type Window = { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };

/**
 * Answers every message and save dialog the extension shows as a person pressing Escape would
 * (undefined: no button, no file), and records each. A modal dialog cannot be dismissed from
 * the extension host otherwise, and it would block the command under test for good. The test
 * and the extension share one `vscode` API object (same extension), so replacing its functions
 * here is what the extension calls.
 */
export function watchDialogs(): WatchedDialogs {
  const window = vscode.window as Window;
  const saved = {
    showInformationMessage: window.showInformationMessage,
    showWarningMessage: window.showWarningMessage,
    showErrorMessage: window.showErrorMessage,
    showSaveDialog: window.showSaveDialog,
  };
  const watched: WatchedDialogs = {
    shown: [],
    saveDialogs: 0,
    restore: () => Object.assign(window, saved),
  };
  const recorder = (severity: ShownMessage['severity']) =>
    ((message: string, ...rest: unknown[]): Thenable<undefined> => {
      const options = rest[0] !== null && typeof rest[0] === 'object' && !('title' in rest[0]) ? (rest[0] as vscode.MessageOptions) : undefined;
      const buttons = rest.filter((r): r is string | vscode.MessageItem => typeof r === 'string' || (r !== null && typeof r === 'object' && 'title' in r)).map((r) => (typeof r === 'string' ? r : r.title));
      watched.shown.push({ severity, message, modal: options?.modal === true, buttons });
      return Promise.resolve(undefined);
    }) as never;
  window.showInformationMessage = recorder('information');
  window.showWarningMessage = recorder('warning');
  window.showErrorMessage = recorder('error');
  window.showSaveDialog = () => {
    watched.saveDialogs++;
    return Promise.resolve(undefined);
  };
  return watched;
}
