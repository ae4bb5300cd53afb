import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SaveHistoryEntry } from '../../src/records/saveHistory';
import type { RecordNode, ResourceNode } from '../../src/tree/treeNodes';
import { apiRequests, child, children, clearSites, closeAllEditors, control, editFields, extensionExports, openRecord, sandboxInfo, useSites, waitFor } from './support/world';

const BD = 'History BD';

type Window = { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
type Item = vscode.QuickPickItem & { readonly entry?: SaveHistoryEntry };
/** Answers one quick pick: the item to pick among those shown, or undefined (Escape). */
type PickAnswer = (items: readonly Item[]) => Item | undefined;

/**
 * Answers the quick picks in order as a person would and records what each showed; `restore`
 * puts VS Code's function back. A pick with no answer left fails the test.
 */
function answerPicks(answers: PickAnswer[]): { shown: { title: string | undefined; items: readonly Item[] }[]; restore(): void } {
  const window = vscode.window as Window;
  const saved = window.showQuickPick;
  const shown: { title: string | undefined; items: readonly Item[] }[] = [];
  window.showQuickPick = (async (items: readonly Item[] | Thenable<readonly Item[]>, options?: vscode.QuickPickOptions) => {
    const list = await items;
    shown.push({ title: options?.title, items: list });
    const answer = answers.shift();
    assert.ok(answer, `an unexpected quick pick: ${options?.title}`);
    return answer(list);
  }) as never;
  return { shown, restore: () => { window.showQuickPick = saved; } };
}

const escape: PickAnswer = () => undefined;
const byLabel = (label: RegExp): PickAnswer => (items) => {
  const found = items.find((i) => i.kind !== vscode.QuickPickItemKind.Separator && label.test(i.label));
  assert.ok(found, `no item ${String(label)} among ${items.map((i) => i.label).join(' | ')}`);
  return found;
};
const entryWhere = (test: (entry: SaveHistoryEntry) => boolean): PickAnswer => (items) => {
  const found = items.find((i) => i.entry && test(i.entry));
  assert.ok(found, 'no history entry as expected');
  return found;
};

/** The record's history entries as Show Save History lists them (newest first), the pick then left with Escape. */
async function listed(target: unknown): Promise<SaveHistoryEntry[]> {
  const picks = answerPicks([escape]);
  try {
    await vscode.commands.executeCommand('directoryRecords.showSaveHistory', target);
  } finally {
    picks.restore();
  }
  return (picks.shown[0]?.items ?? []).flatMap((i) => (i.entry ? [i.entry] : []));
}

/** The history's files: the extension's global storage is <user data>/User/globalStorage/<id>, its log folder <user data>/logs/<session>/exthost1/<id>. */
async function historyFiles(): Promise<string[]> {
  const { logUri } = await extensionExports();
  const userData = path.resolve(logUri.fsPath, '..', '..', '..', '..');
  const folder = path.join(userData, 'User', 'globalStorage', 'directory-records.directory-records', 'save-history');
  assert.ok(fs.existsSync(folder), `the save history is kept in ${folder}`);
  return fs.readdirSync(folder).filter((f) => f.endsWith('.jsonl')).map((f) => path.join(folder, f));
}

const plain = (id: string, resource = 'contacts'): object => ({ site: BD, resource, id });
const writes = async (): Promise<number> => (await apiRequests()).filter((r) => r.method !== 'GET').length;

async function resourceNode(label: 'Contacts' | 'Website Notifications'): Promise<ResourceNode> {
  return (await child(await child(undefined, BD), label)) as ResourceNode;
}

async function records(node: ResourceNode): Promise<RecordNode[]> {
  return (await children(node)).filter((n): n is RecordNode => n.type === 'record');
}

describe('Save history (in-host)', function () {
  this.timeout(60_000);
  let configured: unknown;

  before(async () => {
    configured = vscode.workspace.getConfiguration('directoryRecords').inspect('sites')?.globalValue;
    await control().reset();
    await useSites([{ name: BD, kind: 'brilliantDirectories', url: sandboxInfo().url, key: sandboxInfo().bdKey }]);
    await vscode.workspace.getConfiguration('directoryRecords').update('sites', [{ name: BD, kind: 'brilliantDirectories', url: sandboxInfo().url, requestsPerMinute: 1000 }], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('directoryRecords.clearSaveHistory', { confirmed: true });
  });

  afterEach(closeAllEditors);
  after(async () => {
    await clearSites();
    if (configured !== undefined) await vscode.workspace.getConfiguration('directoryRecords').update('sites', configured, vscode.ConfigurationTarget.Global);
  });

  it('a document save adds one entry: what was sent, the record before and after', async () => {
    const before = (await control().getRecord('contacts', 12))!;
    const doc = await openRecord(BD, 'contacts', 12);
    await editFields(doc, { city: 'Tromsø' });
    assert.equal(await doc.save(), true);
    const entries = await listed(doc.uri);
    assert.equal(entries.length, 1);
    const [entry] = entries as [SaveHistoryEntry];
    assert.equal(entry.door, 'document');
    assert.deepEqual(entry.sent, { city: 'Tromsø' });
    assert.equal(entry.before?.['city'], before['city']);
    assert.equal(entry.after['city'], 'Tromsø');
    // The record as the server has it after the save (read back: its new revision included).
    assert.deepEqual(entry.after, await control().getRecord('contacts', 12));
    // Kept in the global storage, without the site's key.
    const text = (await historyFiles()).map((f) => fs.readFileSync(f, 'utf8')).join('');
    assert.ok(text.includes('Tromsø'));
    assert.ok(!text.includes(sandboxInfo().bdKey), 'no key in the history');
  });

  it('a bulk Set Field adds one entry per record written', async () => {
    const contacts = await resourceNode('Contacts');
    await vscode.commands.executeCommand('directoryRecords.filter', contacts, { kind: 'bd', filters: [{ field: 'contact_id', operator: 'between', value: '60,62' }] });
    const nodes = await records(contacts);
    assert.equal(nodes.length, 3);
    const result = await vscode.commands.executeCommand<{ counts: { done: number } }>('directoryRecords.setField', nodes[0], nodes, { field: 'company', value: 'History Co', confirmed: true });
    assert.equal(result?.counts.done, 3);
    for (const node of nodes) {
      const entries = await listed(plain(node.id));
      assert.equal(entries.length, 1, `one entry for ${node.id}`);
      assert.equal(entries[0]!.door, 'bulk');
      assert.deepEqual(entries[0]!.sent, { company: 'History Co' });
      assert.equal(entries[0]!.before?.['company'], node.record['company']);
      assert.equal(entries[0]!.after['company'], 'History Co');
    }
    await vscode.commands.executeCommand('directoryRecords.clearFilter', contacts);
  });

  it('Mark as Viewed on one notification adds one entry (the fields set)', async () => {
    const notifications = await resourceNode('Website Notifications');
    const unread = (await records(notifications)).find((n) => n.record['notification_view'] !== '1');
    assert.ok(unread);
    await vscode.commands.executeCommand('directoryRecords.markViewed', unread);
    const entries = await listed(unread);
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.door, 'setFields');
    assert.equal(entries[0]!.after['notification_view'], '1');
  });

  it('a new record\'s save (create) adds one entry: nothing before, the fields sent, the record read back', async () => {
    const notifications = await resourceNode('Website Notifications');
    await vscode.commands.executeCommand('directoryRecords.newRecord', notifications);
    const draft = vscode.window.activeTextEditor!.document;
    const fields = { ...JSON.parse(draft.getText()), notification_status: '1', notification_title: 'History', notification_message: 'Created for the history' };
    const all = new vscode.Range(draft.positionAt(0), draft.positionAt(draft.getText().length));
    const change = new vscode.WorkspaceEdit();
    change.replace(draft.uri, all, JSON.stringify(fields, null, 2));
    assert.ok(await vscode.workspace.applyEdit(change));
    assert.equal(await draft.save(), true);
    const created = (await control().requests()).find((r) => r.method === 'POST' && r.path === '/api/v2/website_notifications/create');
    assert.ok(created);
    const shown = await waitFor('the new record opened', () => {
      const uri = vscode.window.activeTextEditor?.document.uri;
      return uri && /\/website_notifications\/\d+\.json$/.test(uri.path) ? vscode.window.activeTextEditor!.document : undefined;
    });
    const id = String(JSON.parse(shown.getText())['notification_id']);
    const entries = await listed(plain(id, 'website_notifications'));
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.door, 'create');
    assert.equal(entries[0]!.before, null);
    assert.equal(entries[0]!.sent['notification_title'], 'History');
    assert.deepEqual(entries[0]!.after, await control().getRecord('website_notifications', id));
  });

  it('a restore of a deleted record adds one entry for the new record', async () => {
    const id = '33';
    const kept = (await control().getRecord('contacts', id))!;
    const doc = await openRecord(BD, 'contacts', id);
    assert.equal(await vscode.commands.executeCommand('directoryRecords.deleteRecord', doc.uri, { confirmed: true }), true);
    const newId = await vscode.commands.executeCommand<string>('directoryRecords.restoreDeleted', { site: BD, model: 'contacts', id });
    assert.ok(newId && newId !== id);
    const entries = await listed(plain(newId));
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.door, 'restore');
    assert.equal(entries[0]!.before, null);
    assert.equal(entries[0]!.after['email'], kept['email']);
    assert.equal(entries[0]!.sent['email'], kept['email']);
  });

  it('Show Save History lists the saves newest first; a version\'s changes open as a diff of before → after', async () => {
    const doc = await openRecord(BD, 'contacts', 14);
    await editFields(doc, { city: 'First City' });
    assert.equal(await doc.save(), true);
    await waitFor('the saved version loaded', () => !doc.isDirty && JSON.parse(doc.getText()).city === 'First City');
    await editFields(doc, { city: 'Second City' });
    assert.equal(await doc.save(), true);
    const picks = answerPicks([entryWhere((e) => e.after['city'] === 'First City'), byLabel(/Changes of This Save/)]);
    let opened: { left: string; right: string } | undefined;
    try {
      opened = await vscode.commands.executeCommand('directoryRecords.showSaveHistory', doc.uri);
    } finally {
      picks.restore();
    }
    assert.deepEqual(picks.shown[0]!.items.map((i) => i.entry?.after['city']), ['Second City', 'First City']);
    assert.match(picks.shown[0]!.items[1]!.detail!, /city: .* → "First City"/);
    assert.ok(opened);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff is open');
    assert.equal(tab.input.original.toString(), opened.left);
    assert.equal(tab.input.modified.toString(), opened.right);
    const left = JSON.parse((await vscode.workspace.openTextDocument(tab.input.original)).getText());
    const right = JSON.parse((await vscode.workspace.openTextDocument(tab.input.modified)).getText());
    assert.notEqual(left.city, 'First City');
    assert.equal(right.city, 'First City');
  });

  it('Compare with Current opens the version beside the record document', async () => {
    const doc = await openRecord(BD, 'contacts', 14);
    const picks = answerPicks([entryWhere((e) => e.after['city'] === 'First City'), byLabel(/Compare with Current/)]);
    let opened: { left: string; right: string } | undefined;
    try {
      opened = await vscode.commands.executeCommand('directoryRecords.showSaveHistory', plain('14'));
    } finally {
      picks.restore();
    }
    assert.equal(opened?.right, doc.uri.toString());
    assert.equal(JSON.parse((await vscode.workspace.openTextDocument(vscode.Uri.parse(opened!.left))).getText()).city, 'First City');
  });

  it('Restore This Version leaves the record\'s editor dirty with that version\'s fields, and sends nothing', async () => {
    await control().clearRequests();
    const picks = answerPicks([entryWhere((e) => e.after['city'] === 'First City'), byLabel(/Restore This Version/)]);
    try {
      assert.equal(await vscode.commands.executeCommand('directoryRecords.showSaveHistory', plain('14')), true);
    } finally {
      picks.restore();
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'directory-records' && d.uri.path === `/${BD}/contacts/14.json`);
    assert.ok(doc?.isDirty, 'the record\'s editor holds an unsaved change');
    assert.equal(JSON.parse(doc.getText()).city, 'First City');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), doc.uri.toString());
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await writes(), 0, 'nothing was sent');
    assert.equal((await control().getRecord('contacts', 14))!['city'], 'Second City');
    // Reverted here so the next tests start clean.
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('Restore This Version on a history diff\'s title restores the version it shows, unsaved, sending nothing', async () => {
    const entry = (await listed(plain('14'))).find((e) => e.after['city'] === 'First City');
    assert.ok(entry);
    await control().clearRequests();
    const version = vscode.Uri.from({ scheme: 'directory-records-history', path: `/${BD}/contacts/14.json`, query: new URLSearchParams({ at: entry.at, side: 'after' }).toString() });
    assert.equal(await vscode.commands.executeCommand('directoryRecords.restoreHistoryVersion', version), true);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'directory-records' && d.uri.path === `/${BD}/contacts/14.json`);
    assert.ok(doc?.isDirty);
    assert.equal(JSON.parse(doc.getText()).city, 'First City');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await writes(), 0, 'nothing was sent');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('Clear Save History empties it: the record lists no saves', async () => {
    assert.ok((await listed(plain('14'))).length > 0);
    assert.equal(await vscode.commands.executeCommand('directoryRecords.clearSaveHistory', { confirmed: true }), true);
    const picks = answerPicks([]);
    try {
      await vscode.commands.executeCommand('directoryRecords.showSaveHistory', plain('14'));
    } finally {
      picks.restore();
    }
    assert.equal(picks.shown.length, 0, 'no list: nothing is kept');
    assert.deepEqual(await historyFiles().catch(() => []), [], 'no file left');
  });
});
