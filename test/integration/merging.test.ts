import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { apiRequests, clearSites, closeAllEditors, control, editFields, extensionExports, openRecord, sandboxInfo, useSites, waitFor } from './support/world';

const BD = 'Merge BD';

const open = (id: string | number): Promise<vscode.TextDocument> => openRecord(BD, 'contacts', id);

const writes = async () => (await apiRequests()).filter((r) => r.method !== 'GET');

describe('Merging concurrent edits', function () {
  this.timeout(40_000);

  before(async () => {
    await control().reset();
    await useSites([{ name: BD, kind: 'brilliantDirectories', url: sandboxInfo().url, key: sandboxInfo().bdKey }]);
  });

  afterEach(async () => {
    await closeAllEditors();
    await control().clearFaults();
    await control().unfreezeClock();
  });

  after(clearSites);

  it('a colleague\'s edit of the same field within the same second is caught, though the revision did not move', async () => {
    await control().freezeClock('2026-03-04 05:06:07');
    await control().putRecord('contacts', 30, { company: 'Earlier this second' });
    const doc = await open(30);
    const revision = JSON.parse(doc.getText())['revision_timestamp'];
    await control().putRecord('contacts', 30, { city: 'Theirs' });
    assert.equal((await control().getRecord('contacts', 30))!['revision_timestamp'], revision, 'one-second revision: it did not change');
    await editFields(doc, { city: 'Mine' });
    await control().clearRequests();
    assert.equal(await doc.save(), false);
    assert.equal(doc.isDirty, true);
    assert.deepEqual(await writes(), []);
    assert.equal((await control().getRecord('contacts', 30))!['city'], 'Theirs');
  });

  it('disjoint fields merge: the PUT carries only mine, the server keeps theirs, the editor shows both', async () => {
    await control().freezeClock('2026-03-04 05:06:08');
    const doc = await open(31);
    await control().putRecord('contacts', 31, { phone_number: '555-0199' });
    await editFields(doc, { city: 'Bergen' });
    await control().clearRequests();
    assert.equal(await doc.save(), true);
    assert.deepEqual((await writes()).map((r) => r.body), [{ contact_id: '31', city: 'Bergen' }]);
    const stored = (await control().getRecord('contacts', 31))!;
    assert.equal(stored['city'], 'Bergen');
    assert.equal(stored['phone_number'], '555-0199');
    await waitFor('the editor to show both changes', () => {
      const shown = JSON.parse(doc.getText());
      return shown['city'] === 'Bergen' && shown['phone_number'] === '555-0199';
    });
    assert.equal(doc.isDirty, false);
  });

  it('a PUT whose reply was lost after it was applied is a saved document, and the next save finds no false conflict', async () => {
    const doc = await open(32);
    await control().addFault({ method: 'PUT', path: '/api/v2/contacts/update', kind: 'applyThenDrop' });
    await editFields(doc, { city: 'Lost Reply' });
    await control().clearRequests();
    assert.equal(await doc.save(), true);
    assert.equal((await control().getRecord('contacts', 32))!['city'], 'Lost Reply');
    assert.equal((await writes()).length, 1, 'the PUT was not repeated');
    const stored = (await control().getRecord('contacts', 32))!;
    await waitFor('the server version shown', () => doc.getText() === `${JSON.stringify(stored, null, 2)}\n`);
    await editFields(doc, { company: 'Next Save' });
    await control().clearRequests();
    assert.equal(await doc.save(), true);
    assert.deepEqual((await writes()).map((r) => r.body), [{ contact_id: '32', company: 'Next Save' }]);
  });

  it('a 2xx update whose re-read fails is a saved document (with a warning), and the next save works', async () => {
    const doc = await open(35);
    // The read before the save passes; every attempt at the re-read after the PUT is dropped.
    await control().addFault({ method: 'GET', path: '/api/v2/contacts/get/35', kind: 'drop', after: 1, count: 4 });
    await editFields(doc, { city: 'Reread Lost' });
    await control().clearRequests();
    assert.equal(await doc.save(), true);
    assert.equal(doc.isDirty, false);
    assert.deepEqual((await writes()).map((r) => r.body), [{ contact_id: '35', city: 'Reread Lost' }]);
    assert.equal((await control().faults()).length, 0, 'the re-read was attempted and failed');
    await editFields(doc, { company: 'After The Lost Read' });
    await control().clearRequests();
    assert.equal(await doc.save(), true, 'no false conflict with my own write');
    assert.deepEqual((await writes()).map((r) => r.body), [{ contact_id: '35', company: 'After The Lost Read' }]);
  });

  it('a save started right after the previous one (editor still showing the old revision) is not refused', async () => {
    const doc = await open(34);
    await editFields(doc, { city: 'First' });
    assert.equal(await doc.save(), true);
    // Before the editor shows the server's version: the text still has the old revision_timestamp
    // and date_updated, which the next save must neither refuse nor send back.
    await editFields(doc, { company: 'Second' });
    await control().clearRequests();
    assert.equal(await doc.save(), true);
    assert.deepEqual((await writes()).map((r) => r.body), [{ contact_id: '34', company: 'Second' }]);
    const stored = (await control().getRecord('contacts', 34))!;
    assert.equal(stored['city'], 'First');
    assert.equal(stored['company'], 'Second');
  });

  it('after a merged save and the editor showing the server\'s version, setting a field back to its old value is sent', async () => {
    // Issue 16 case 2: the old "closest base" guess took the text saved before the merge as the
    // base, in which the title already had my value, and sent nothing while reporting success.
    const note = (await control().createRecord('website_notifications', { notification_title: 'Original title', notification_message: 'Original message', notification_status: '1' }))!;
    const id = note['notification_id']!;
    const doc = await openRecord(BD, 'website_notifications', id);
    await control().putRecord('website_notifications', id, { notification_title: 'Colleague title' });
    await editFields(doc, { notification_message: 'My message' });
    assert.equal(await doc.save(), true);
    await waitFor('the editor to show the colleague\'s title merged in', () => !doc.isDirty && JSON.parse(doc.getText())['notification_title'] === 'Colleague title');
    await editFields(doc, { notification_title: 'Original title' });
    await control().clearRequests();
    assert.equal(await doc.save(), true);
    assert.deepEqual((await writes()).map((r) => r.body), [{ notification_id: id, notification_title: 'Original title' }]);
    const stored = (await control().getRecord('website_notifications', id))!;
    assert.equal(stored['notification_title'], 'Original title');
    assert.equal(stored['notification_message'], 'My message');
  });

  it('delete then restore of a record with columns the seed tables don\'t list brings them back', async () => {
    const before = (await control().getRecord('contacts', 15))!;
    assert.equal(before['custom_status'], 'lead');
    const doc = await open(15);
    assert.equal(await vscode.commands.executeCommand('directoryRecords.deleteRecord', doc.uri, { confirmed: true }), true);
    assert.equal(await control().getRecord('contacts', 15), undefined);
    const newId = await vscode.commands.executeCommand<string>('directoryRecords.restoreDeleted', { site: BD, model: 'contacts', id: '15' });
    assert.ok(newId && newId !== '15');
    const restored = (await control().getRecord('contacts', newId))!;
    for (const field of ['custom_status', 'member_tier', 'email', 'first_name', 'last_name', 'city']) assert.equal(restored[field] ?? '', before[field] ?? '', field);
  });

  it('a refused delete leaves no journal entry; one answered 500 keeps it, and Restore creates nothing while the record exists', async () => {
    const doc = await open(16);
    await control().addFault({ method: 'DELETE', path: '/api/v2/contacts/delete', kind: 'status', status: 400 });
    assert.equal(await vscode.commands.executeCommand('directoryRecords.deleteRecord', doc.uri, { confirmed: true }), undefined);
    assert.ok(await control().getRecord('contacts', 16), 'still there');
    assert.equal(await vscode.commands.executeCommand('directoryRecords.restoreDeleted', { site: BD, model: 'contacts', id: '16' }), undefined, 'nothing to restore');

    // A 500 may come after the delete was applied: the copy is kept; while the record exists, Restore creates nothing.
    await control().addFault({ method: 'DELETE', path: '/api/v2/contacts/delete', kind: 'status', status: 500 });
    assert.equal(await vscode.commands.executeCommand('directoryRecords.deleteRecord', doc.uri, { confirmed: true }), undefined);
    assert.ok(await control().getRecord('contacts', 16), 'still there');
    const contacts = async (): Promise<number> => (await apiRequests()).filter((r) => r.path === '/api/v2/contacts/create').length;
    const createdBefore = await contacts();
    assert.equal(await vscode.commands.executeCommand('directoryRecords.restoreDeleted', { site: BD, model: 'contacts', id: '16' }), undefined, 'the record exists: no second copy');
    assert.equal(await contacts(), createdBefore);
    const { logUri } = await extensionExports();
    await waitFor('Restore to say why (the kept copy is there, the record too)', async () =>
      /still exists on "Merge BD"/.test(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(logUri, 'Directory Records.log'))).toString('utf8')));

    await control().addFault({ method: 'DELETE', path: '/api/v2/contacts/delete', kind: 'status', status: 500, apply: true });
    assert.equal(await vscode.commands.executeCommand('directoryRecords.deleteRecord', doc.uri, { confirmed: true }), true, 'applied, then 500: a read answering 404 shows it happened');
    assert.equal(await control().getRecord('contacts', 16), undefined);
    const restored = await vscode.commands.executeCommand<string>('directoryRecords.restoreDeleted', { site: BD, model: 'contacts', id: '16' });
    assert.ok(restored, 'the kept entry restores it');
  });

  it('a delete whose reply was lost keeps its journal entry', async () => {
    const doc = await open(17);

    await control().addFault({ method: 'DELETE', path: '/api/v2/contacts/delete', kind: 'applyThenDrop' });
    assert.equal(await vscode.commands.executeCommand('directoryRecords.deleteRecord', doc.uri, { confirmed: true }), true, 'a read answering 404 shows it happened');
    assert.equal(await control().getRecord('contacts', 17), undefined);
    const newId = await vscode.commands.executeCommand<string>('directoryRecords.restoreDeleted', { site: BD, model: 'contacts', id: '17' });
    assert.ok(newId, 'the kept entry restores it');
  });
});
