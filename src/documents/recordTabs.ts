import * as vscode from 'vscode';
import { RECORD_SCHEME, SERVER_SCHEME } from './recordUri';

/** The record a tab shows: a text editor's document, or the edited side of a Compare. */
function shownUri(tab: vscode.Tab): vscode.Uri | undefined {
  const input = tab.input;
  return input instanceof vscode.TabInputText ? input.uri : input instanceof vscode.TabInputTextDiff ? input.modified : undefined;
}

/** Every open tab showing a document `matches` accepts. */
function recordTabs(matches: (uri: vscode.Uri) => boolean): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => {
    const uri = shownUri(tab);
    return uri !== undefined && matches(uri);
  });
}

/** Closes these tabs without asking (their records are gone, created under another name, or the user agreed); returns how many. */
export async function closeTabs(tabs: readonly vscode.Tab[]): Promise<number> {
  if (tabs.length > 0) await vscode.window.tabGroups.close([...tabs], true);
  return tabs.length;
}

/** Closes every tab showing one of these documents: the one way a record's tabs are closed. */
export function closeRecordTabs(uris: readonly vscode.Uri[]): Promise<number> {
  const wanted = new Set(uris.map((uri) => uri.toString()));
  return closeTabs(recordTabs((uri) => wanted.has(uri.toString())));
}

/** The open tabs of a site's records (their documents, or the server's version beside them). */
export function siteTabs(site: string): vscode.Tab[] {
  const prefix = `/${site}/`;
  return recordTabs((uri) => (uri.scheme === RECORD_SCHEME || uri.scheme === SERVER_SCHEME) && uri.path.startsWith(prefix));
}
