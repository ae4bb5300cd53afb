import * as vscode from 'vscode';
import { recordText } from '../api/recordText';
import type { RecordStore } from './recordStore';
import { parseRecordUri, recordUri, SERVER_SCHEME } from './recordUri';

/** The record as it is on the server now, read-only, for the left side of a diff. */
export class ServerVersionProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly store: RecordStore) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const address = parseRecordUri(uri);
    if (address?.kind !== 'saved') return '';
    return recordText(await this.store.serverRecord(address));
  }
}

/** Opens server ↔ yours for a record document. */
export async function compareWithServer(uri: vscode.Uri): Promise<void> {
  const address = parseRecordUri(uri);
  if (address?.kind !== 'saved') return;
  const server = recordUri(address.site, address.model, address.id, SERVER_SCHEME).with({ query: String(Date.now()) });
  const mine = recordUri(address.site, address.model, address.id);
  await vscode.commands.executeCommand('vscode.diff', server, mine, vscode.l10n.t('{0} {1}: server ↔ yours', address.resource.singular, address.id));
}
