import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { RecordNode, ResourceNode } from '../../src/tree/treeNodes';
import { apiRequests, child, children, clearSites, closeAllEditors, control, editFields, extensionExports, item, openRecord, sandboxInfo, useSites, waitFor } from './support/world';

const BD = 'Save BD';

const open = (model: 'contacts' | 'website_notifications', id: string): Promise<vscode.TextDocument> => openRecord(BD, model, id);

/** Replaces the whole text, as a person typing would, leaving the document dirty. */
async function edit(doc: vscode.TextDocument, text: string): Promise<void> {
  const all = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
  const change = new vscode.WorkspaceEdit();
  change.replace(doc.uri, all, text);
  assert.ok(await vscode.workspace.applyEdit(change));
  assert.ok(doc.isDirty);
}

const writes = async (): Promise<string[]> => (await apiRequests()).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

/** Waits for the line of the extension's log that `matches` (a failed save is logged after VS Code shows its error). */
async function logLine(matches: (line: string) => boolean): Promise<string> {
  const { logUri } = await extensionExports();
  return waitFor('the failed save in the log', async () => {
    const log = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(logUri, 'Directory Records.log'))).toString('utf8');
    return log.split('\n').find(matches);
  });
}

describe('Saving records', function () {
  this.timeout(30_000);

  before(async () => {
    await control().reset();
    await useSites([{ name: BD, kind: 'brilliantDirectories', url: sandboxInfo().url, key: sandboxInfo().bdKey }]);
  });

  beforeEach(async () => {
    await control().configure({ faults: { serverErrorRate: 0, dropRate: 0 } });
  });

  afterEach(closeAllEditors);
  after(clearSites);

  it('a one-field edit sends exactly that field: GET to check, PUT with the key and the field, GET to re-read', async () => {
    const doc = await open('contacts', '5');
    await control().clearRequests();
    await editFields(doc, { city: 'Reykjavík' });
    assert.equal(await doc.save(), true);
    const requests = await apiRequests();
    assert.deepEqual(requests.map((r) => `${r.method} ${r.path}`), ['GET /api/v2/contacts/get/5', 'PUT /api/v2/contacts/update', 'GET /api/v2/contacts/get/5']);
    assert.deepEqual(requests[1]!.body, { contact_id: '5', city: 'Reykjavík' });
    assert.equal((await control().getRecord('contacts', 5))!['city'], 'Reykjavík');
    assert.equal(doc.isDirty, false);
    const stored = await control().getRecord('contacts', 5);
    await waitFor('the server version (new revision_timestamp) shown', () => doc.getText() === `${JSON.stringify(stored, null, 2)}\n`);
  });

  it('clearing a field sends it empty and names it in __clear_fields', async () => {
    await control().putRecord('contacts', 6, { company: 'Acme Corp' });
    const doc = await open('contacts', '6');
    await control().clearRequests();
    await editFields(doc, { company: '' });
    assert.equal(await doc.save(), true);
    const put = (await apiRequests()).find((r) => r.method === 'PUT')!;
    assert.deepEqual(put.body, { contact_id: '6', company: '', __clear_fields: 'company' });
    assert.equal((await control().getRecord('contacts', 6))!['company'], '');
  });

  for (const [what, mutate] of [
    ['invalid JSON', (text: string) => text.replace(/}\s*$/, '')],
    ['a value that is not an object', () => '[1, 2]\n'],
    ['a changed read-only field', (text: string) => JSON.stringify({ ...JSON.parse(text), contact_id: '9999' })],
    ['a removed read-only field', (text: string) => { const o = JSON.parse(text); delete o.revision_timestamp; return JSON.stringify(o); }],
    ['an unknown field', (text: string) => JSON.stringify({ ...JSON.parse(text), citty: 'Oops' })],
    ['a number where the API keeps strings', (text: string) => JSON.stringify({ ...JSON.parse(text), active: 1 })],
  ] as const) {
    it(`refuses ${what}: the editor stays dirty and nothing is sent`, async () => {
      const doc = await open('contacts', '7');
      const original = doc.getText();
      await control().clearRequests();
      await edit(doc, mutate(original));
      const typed = doc.getText();
      assert.equal(await doc.save(), false);
      assert.equal(doc.isDirty, true);
      assert.equal(doc.getText(), typed, 'what was typed is kept');
      assert.deepEqual(await writes(), []);
    });
  }

  it('a number where the API keeps strings: an error marker, the save fails and stays dirty, our message in the log without the key', async () => {
    const doc = await open('contacts', '7');
    await control().clearRequests();
    await edit(doc, doc.getText().replace(/"zip_code": (?:"[^"]*"|null)/, '"zip_code": 12345'));
    const marker = await waitFor('the marker on 12345', () => vscode.languages.getDiagnostics(doc.uri).find((d) => doc.getText(d.range) === '12345'), 30_000);
    assert.equal(marker.severity, vscode.DiagnosticSeverity.Error, marker.message);
    assert.equal(await doc.save(), false);
    assert.ok(doc.isDirty);
    assert.deepEqual(await writes(), []);
    const line = await logLine((l) => l.includes('/contacts/7.json') && l.includes('write "12345" with quotes'));
    assert.match(line, /\[warning\] \[Save BD\] .*Not saved/);
    assert.ok(!line.includes(sandboxInfo().bdKey) && !line.includes(sandboxInfo().bdKey.slice(0, 8)), line);
  });

  it('a save with a refused key fails, stays dirty, and the log says the key was refused without the key', async () => {
    const doc = await open('contacts', '8');
    const wrong = 'wrongkey-0123456789abcdef';
    await editFields(doc, { city: 'Tromsø' });
    try {
      await vscode.commands.executeCommand('directoryRecords.setApiKey', BD, wrong, { saveAnyway: true });
      await control().clearRequests();
      assert.equal(await doc.save(), false);
      assert.ok(doc.isDirty);
      assert.deepEqual(await writes(), []);
      const line = await logLine((l) => l.includes('/contacts/8.json') && l.includes('Not saved'));
      assert.match(line, /\[warning\] \[Save BD\] .*the key was refused/);
      const { logUri } = await extensionExports();
      const log = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(logUri, 'Directory Records.log'))).toString('utf8');
      assert.match(log, /\[Save BD\] \w+ \S+ → 401 \(the key was refused\)/, 'the request log says it in words');
      assert.ok(!log.includes(wrong.slice(0, 8)) && !log.includes(sandboxInfo().bdKey.slice(0, 8)), 'no key, not even part of one');
    } finally {
      await vscode.commands.executeCommand('directoryRecords.setApiKey', BD, sandboxInfo().bdKey, { saveAnyway: true });
    }
  });

  it('a server error during save keeps the edits, and a later save goes through', async () => {
    const doc = await open('contacts', '8');
    await editFields(doc, { city: 'Tromsø' });
    await control().clearRequests();
    await control().configure({ faults: { serverErrorRate: 1, dropRate: 0 } });
    assert.equal(await doc.save(), false);
    assert.equal(doc.isDirty, true);
    assert.match(doc.getText(), /Tromsø/);
    assert.deepEqual(await writes(), [], 'the conflict-check GET failed, so no PUT went out');
    await control().configure({ faults: { serverErrorRate: 0, dropRate: 0 } });
    assert.equal(await doc.save(), true);
    assert.equal((await control().getRecord('contacts', 8))!['city'], 'Tromsø');
  });

  describe('a conflict', () => {
    async function conflicted(id: string): Promise<vscode.TextDocument> {
      const doc = await open('contacts', id);
      await editFields(doc, { city: 'Mine' });
      // A colleague changed the same field (a conflict) and another one (theirs to keep).
      await control().putRecord('contacts', id, { city: 'Theirs', position: 'Theirs Too' });
      await control().clearRequests();
      assert.equal(await doc.save(), false, 'a field changed on both sides is caught');
      assert.equal(doc.isDirty, true);
      assert.deepEqual(await writes(), [], 'never a silent overwrite');
      return doc;
    }

    it('Compare opens server ↔ yours', async () => {
      const doc = await conflicted('10');
      await vscode.commands.executeCommand('directoryRecords.compareWithServer', doc.uri);
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab!;
      assert.ok(tab.input instanceof vscode.TabInputTextDiff);
      assert.equal(tab.input.original.scheme, 'directory-records-server');
      assert.equal(tab.input.modified.toString(), doc.uri.toString());
      const server = await vscode.workspace.openTextDocument(tab.input.original);
      assert.equal(JSON.parse(server.getText())['city'], 'Theirs');
    });

    it('Overwrite sends only the fields you changed: yours win where both changed, theirs stay elsewhere', async () => {
      const doc = await conflicted('11');
      assert.equal(await vscode.commands.executeCommand('directoryRecords.overwriteServer', doc.uri), true);
      assert.equal(doc.isDirty, false);
      const put = (await apiRequests()).filter((r) => r.method === 'PUT');
      assert.deepEqual(put.map((r) => r.body), [{ contact_id: '11', city: 'Mine' }]);
      const stored = await control().getRecord('contacts', 11);
      assert.equal(stored!['city'], 'Mine');
      assert.equal(stored!['position'], 'Theirs Too', 'a field you left alone is never sent back');
    });

    it('Discard my changes shows the server’s record', async () => {
      const doc = await conflicted('12');
      await vscode.commands.executeCommand('directoryRecords.discardChanges', doc.uri);
      await waitFor('reverted', () => !doc.isDirty);
      assert.equal(JSON.parse(doc.getText())['city'], 'Theirs');
      assert.deepEqual(await writes(), []);
    });
  });

  it('New Record… creates with the required fields, then shows the new record', async () => {
    const notifications = (await child(await child(undefined, BD), 'Website Notifications')) as ResourceNode;
    await vscode.commands.executeCommand('directoryRecords.newRecord', notifications);
    const draft = vscode.window.activeTextEditor!.document;
    assert.match(draft.uri.path, /\/website_notifications\/new-\d+\.json$/);
    const template = JSON.parse(draft.getText());
    assert.deepEqual(Object.keys(template).slice(0, 3), ['notification_status', 'notification_title', 'notification_message']);
    assert.equal('notification_id' in template, false);

    await control().clearRequests();
    await edit(draft, JSON.stringify({ ...template, notification_status: '1' }, null, 2));
    assert.equal(await draft.save(), false, 'missing required fields are refused');
    assert.deepEqual(await writes(), []);

    await edit(draft, JSON.stringify({ ...template, notification_status: '1', notification_title: 'Hello', notification_message: 'Created from VS Code' }, null, 2));
    assert.equal(await draft.save(), true);
    assert.deepEqual(await writes(), ['POST /api/v2/website_notifications/create']);
    const shown = await waitFor('the new record opened', () => {
      const uri = vscode.window.activeTextEditor?.document.uri;
      return uri && /\/website_notifications\/\d+\.json$/.test(uri.path) ? vscode.window.activeTextEditor!.document : undefined;
    });
    const id = JSON.parse(shown.getText())['notification_id'];
    assert.equal((await control().getRecord('website_notifications', id))!['notification_title'], 'Hello');
  });

  it('Delete Record removes it on the server, closes its editor, and Restore brings it back under a new id', async () => {
    const doc = await open('contacts', '20');
    const before = JSON.parse(doc.getText());
    const contacts = (await child(await child(undefined, BD), 'Contacts')) as ResourceNode;
    await children(contacts);
    assert.equal(await vscode.commands.executeCommand('directoryRecords.deleteRecord', doc.uri, { confirmed: true }), true);
    assert.equal(await control().getRecord('contacts', 20), undefined);
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === doc.uri.toString()), false);

    const newId = await vscode.commands.executeCommand<string>('directoryRecords.restoreDeleted', { site: BD, model: 'contacts', id: '20' });
    assert.ok(newId && newId !== '20');
    const restored = await control().getRecord('contacts', newId);
    assert.equal(restored!['email'], before.email);
    assert.equal(restored!['first_name'], before.first_name);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('directoryRecords.restoreDeleted', { site: BD, model: 'contacts', id: '20' })).then((r) => { if (r === undefined) throw new Error('gone from the journal'); }));
  });

  it('Mark as Viewed / Mark as Unread send one update and the tree shows it', async () => {
    const notifications = (await child(await child(undefined, BD), 'Website Notifications')) as ResourceNode;
    await vscode.commands.executeCommand('directoryRecords.refresh', notifications);
    let nodes = (await children(notifications)).filter((n) => n.type === 'record') as RecordNode[];
    const unread = nodes.find((n) => n.record['notification_view'] !== '1')!;
    await control().clearRequests();
    await vscode.commands.executeCommand('directoryRecords.markViewed', unread);
    const requests = await apiRequests();
    assert.deepEqual(requests.map((r) => `${r.method} ${r.path}`), ['PUT /api/v2/website_notifications/update']);
    assert.deepEqual(requests[0]!.body, { notification_id: unread.id, notification_view: '1' });
    nodes = (await children(notifications)).filter((n) => n.type === 'record') as RecordNode[];
    assert.match((await item(nodes.find((n) => n.id === unread.id)!)).contextValue!, /\.viewed/);
    await vscode.commands.executeCommand('directoryRecords.markUnread', nodes.find((n) => n.id === unread.id));
    assert.equal((await control().getRecord('website_notifications', unread.id))!['notification_view'], '0');
  });
});
