import * as vscode from 'vscode';
import { resourceFor } from '../api/resources';
import { recordText } from './openedRecords';
import type { RecordFileSystem } from './recordFileSystem';
import { parseRecordUri, recordUri, SERVER_SCHEME } from './recordUri';

/** The record as it is on the server now, read-only, for the left side of a diff. */
export class ServerVersionProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly files: RecordFileSystem) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const address = parseRecordUri(uri);
    if (!address?.id) return '';
    const api = await this.files.api(address);
    return recordText(await api.get(resourceFor(address.model)!, address.id));
  }
}

/** Opens server ↔ yours for a record document. */
export async function compareWithServer(uri: vscode.Uri): Promise<void> {
  const address = parseRecordUri(uri);
  if (!address?.id) return;
  const server = recordUri(address.site, address.model, address.id, SERVER_SCHEME).with({ query: String(Date.now()) });
  await vscode.commands.executeCommand('vscode.diff', server, uri, vscode.l10n.t('{0} {1}: server ↔ yours', resourceFor(address.model)!.singular, address.id));
}
