import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { RecordNode, ResourceNode } from '../../src/tree/treeNodes';
import { apiRequests, child, children, clearSites, closeAllEditors, control, item, sandboxSite, useFreshSandbox } from './support/world';

const BD = 'Docs BD';
const COPERNICA = 'Docs Copernica';

describe('Record documents', function () {
  this.timeout(30_000);

  before(async () => {
    await useFreshSandbox([
      sandboxSite(BD, 'brilliantDirectories'),
      sandboxSite(COPERNICA, 'copernica'),
    ]);
  });

  afterEach(closeAllEditors);
  after(clearSites);

  it('clicking a record reads it fresh and shows pretty JSON in API field order', async () => {
    const contacts = (await child(await child(undefined, BD), 'Contacts')) as ResourceNode;
    const node = (await children(contacts)).find((n) => n.type === 'record') as RecordNode;
    await control().clearRequests();
    await vscode.commands.executeCommand('directoryRecords.openRecord', node);
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), `directory-records:/Docs%20BD/contacts/${node.id}.json`);
    assert.equal(editor.document.languageId, 'directory-records-json');
    // Only record reads count: the tree may still be prefetching other resources' first pages.
    const gets = (await apiRequests()).filter((r) => r.method === 'GET' && /\/get\/\d+$/.test(r.path));
    assert.deepEqual(gets.map((r) => r.path), [`/api/v2/contacts/get/${node.id}`], 'one GET by id, nothing else');
    const stored = await control().getRecord('contacts', node.id);
    assert.equal(editor.document.getText(), `${JSON.stringify(stored, null, 2)}\n`);
    assert.deepEqual(Object.keys(JSON.parse(editor.document.getText())), Object.keys(stored!));
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, (await item(node)).label, 'the tab is titled like the tree label');
  });

  it('Open Record by ID… opens the record, and re-opening reads the server again', async () => {
    const contacts = (await child(await child(undefined, BD), 'Contacts')) as ResourceNode;
    await vscode.commands.executeCommand('directoryRecords.openRecordById', contacts, '1');
    const doc = vscode.window.activeTextEditor!.document;
    assert.equal(JSON.parse(doc.getText())['email'], 'jane@example.com');
    await control().putRecord('contacts', 1, { city: 'Elsewhere' });
    await closeAllEditors();
    await vscode.commands.executeCommand('directoryRecords.openRecordById', contacts, '1');
    assert.equal(JSON.parse(vscode.window.activeTextEditor!.document.getText())['city'], 'Elsewhere');
  });

  it('Open Record by ID… for a missing id says so and opens nothing', async () => {
    const contacts = (await child(await child(undefined, BD), 'Contacts')) as ResourceNode;
    const result = await vscode.commands.executeCommand('directoryRecords.openRecordById', contacts, '999999');
    assert.equal(result, undefined);
    assert.equal(vscode.window.activeTextEditor?.document.uri.scheme === 'directory-records', false);
  });

  it('a Copernica click opens read-only', async () => {
    const clicks = (await child(await child(undefined, COPERNICA), 'Clicks')) as ResourceNode;
    const node = (await children(clicks)).find((n) => n.type === 'record') as RecordNode;
    await vscode.commands.executeCommand('directoryRecords.openRecord', node);
    const uri = vscode.window.activeTextEditor!.document.uri;
    assert.equal(uri.path, `/${COPERNICA}/ms_clicks/${node.id}.json`);
    assert.equal(JSON.parse(vscode.window.activeTextEditor!.document.getText())['ID'], node.id);
    const stat = await vscode.workspace.fs.stat(uri);
    assert.equal(stat.permissions, vscode.FilePermission.Readonly);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, Buffer.from('{}'))), /NoPermissions/);
  });
});
