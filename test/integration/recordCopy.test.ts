// Named to sort after devSecrets.test.ts: that file needs the harness's own sites, and useSites
// (below) replaces them.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { RecordNode, ResourceNode } from '../../src/tree/treeNodes';
import { child, children, clearSites, closeAllEditors, control, sandboxInfo, useSites, waitFor } from './support/world';

const BD = 'Copy BD';

describe('Copy ID, Copy Email, Show Log', function () {
  this.timeout(30_000);

  before(async () => {
    await control().reset();
    await useSites([{ name: BD, kind: 'brilliantDirectories', url: sandboxInfo().url, key: sandboxInfo().bdKey }]);
  });

  afterEach(closeAllEditors);
  after(clearSites);

  async function records(resource: string): Promise<RecordNode[]> {
    const node = (await child(await child(undefined, BD), resource)) as ResourceNode;
    return (await children(node)).filter((n): n is RecordNode => n.type === 'record');
  }

  it('copies a tree row\'s id and a contact\'s email (the tree context menu)', async () => {
    const contact = (await records('Contacts')).find((n) => n.record['email']);
    assert.ok(contact, 'a contact with an email on the first page');
    await vscode.env.clipboard.writeText('');
    assert.equal(await vscode.commands.executeCommand('directoryRecords.copyId', contact), contact.id);
    assert.equal(await vscode.env.clipboard.readText(), contact.id);
    const email = contact.record['email'];
    assert.equal(await vscode.commands.executeCommand('directoryRecords.copyEmail', contact), email);
    assert.equal(await vscode.env.clipboard.readText(), email);

    const notification = (await records('Website Notifications'))[0]!;
    assert.equal(await vscode.commands.executeCommand('directoryRecords.copyId', notification), notification.id);
    assert.equal(await vscode.env.clipboard.readText(), notification.id);
    assert.equal(await vscode.commands.executeCommand('directoryRecords.copyEmail', notification), undefined, 'a notification has no email to copy');
    assert.equal(await vscode.env.clipboard.readText(), notification.id, 'the clipboard is left alone');
  });

  it('copies the open record\'s id and email as typed (the record editor)', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'directory-records', path: `/${BD}/contacts/7.json` }));
    await vscode.window.showTextDocument(doc);
    assert.equal(await vscode.commands.executeCommand('directoryRecords.copyId'), '7');
    assert.equal(await vscode.env.clipboard.readText(), '7');
    const edit = new vscode.WorkspaceEdit();
    const typed = JSON.stringify({ ...JSON.parse(doc.getText()), email: 'typed@example.com' }, null, 2);
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), typed);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(await vscode.commands.executeCommand('directoryRecords.copyEmail', doc.uri), 'typed@example.com');
    assert.equal(await vscode.env.clipboard.readText(), 'typed@example.com');
  });

  it('Show Log opens the "Directory Records" output channel', async () => {
    await vscode.commands.executeCommand('directoryRecords.showLog');
    const shown = await waitFor('the log channel shown', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && decodeURIComponent(d.uri.toString()).includes('Directory Records')),
    );
    assert.ok(shown);
  });
});
