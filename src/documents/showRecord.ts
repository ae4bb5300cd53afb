import * as vscode from 'vscode';
import { parseRecordUri } from './recordUri';
import { apiDateFormat } from '../api/dates';

/**
 * Opens a record document titled like its tree label ("Jane Smith <jane@example.com>")
 * rather than "239.json": vscode.open's label becomes the editor's name.
 */
export async function showRecord(uri: vscode.Uri, preview: boolean): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const address = parseRecordUri(uri);
  let label: string | undefined;
  try {
    const record = JSON.parse(doc.getText()) as Record<string, string | null>;
    label = address?.kind === 'saved' ? address.resource.label(record, apiDateFormat(vscode.env.language)) : undefined;
  } catch {
    label = undefined; // an edited, broken document keeps its file name
  }
  await vscode.commands.executeCommand('vscode.open', uri, { preview }, label);
  return doc;
}
