import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { clearSites, closeAllEditors, sandboxInfo, useSites, waitFor } from './support/world';

describe('Schema help in record documents', function () {
  this.timeout(40_000);

  before(async () => {
    await useSites([{ name: 'Schema BD', kind: 'brilliantDirectories', url: sandboxInfo().url, key: sandboxInfo().bdKey }]);
  });

  after(async () => {
    await closeAllEditors();
    await clearSites();
  });

  async function openContact(): Promise<vscode.TextDocument> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'directory-records', path: '/Schema BD/contacts/2.json' }));
    await vscode.window.showTextDocument(doc);
    return doc;
  }

  it('marks an unknown field and a non-string value before saving', async () => {
    const doc = await openContact();
    const edit = new vscode.WorkspaceEdit();
    const text = doc.getText().replace('{\n', '{\n  "citty": "Typo",\n').replace(/"active": "(\d)"/, '"active": $1');
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    await vscode.workspace.applyEdit(edit);
    const diagnostics = await waitFor('schema diagnostics', () => {
      const found = vscode.languages.getDiagnostics(doc.uri);
      return found.length >= 2 ? found : undefined;
    }, 30_000);
    const messages = diagnostics.map((d) => `${doc.getText(d.range)}: ${d.message}`).join('\n');
    assert.match(messages, /citty.*not allowed/i);
    assert.match(messages, /1: Incorrect type/i);
  });

  it('describes a field on hover, with its read-only mark', async () => {
    const doc = await openContact();
    const at = doc.positionAt(doc.getText().indexOf('"revision_timestamp"') + 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /read-only/i);
    assert.match(text, /Timestamp of last record modification/);
  });

  it('completes field names from the model', async () => {
    const doc = await openContact();
    const at = doc.positionAt(doc.getText().indexOf('{') + 1);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, at, '\n  "",');
    await vscode.workspace.applyEdit(edit);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(doc.getText().indexOf('"",') + 1));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.some((l) => l.includes('linkedin')), `completions: ${labels.slice(0, 10).join(', ')}`);
  });
});
