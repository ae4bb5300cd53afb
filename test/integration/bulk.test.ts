import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { RecordNode, ResourceNode } from '../../src/tree/treeNodes';
import { apiRequests, child, children, closeAllEditors, control, item, sandboxInfo, tooltipOf, useSites, waitFor } from './support/world';

const BD = 'Bulk BD';
const CONTACT_PUT = '/api/v2/contacts/update';
const NOTIFICATION_PUT = '/api/v2/website_notifications/update';

interface BulkResult {
  readonly job: number;
  readonly counts: { done: number; unchanged: number; skipped: number; failed: number; unknown: number; notRun: number };
}

async function setSite(extra: object = {}): Promise<void> {
  await vscode.workspace.getConfiguration('directoryRecords').update('sites', [{ name: BD, kind: 'brilliantDirectories', url: sandboxInfo().url, requestsPerMinute: 1000, ...extra }], vscode.ConfigurationTarget.Global);
}

async function resource(label: 'Contacts' | 'Website Notifications'): Promise<ResourceNode> {
  return (await child(await child(undefined, BD), label)) as ResourceNode;
}

async function records(node: ResourceNode): Promise<RecordNode[]> {
  return (await children(node)).filter((n): n is RecordNode => n.type === 'record');
}

/** The text of the job's summary document (opened by the job). */
function summaryOf(job: number): string {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'directory-records-bulk' && d.uri.query === `job=${job}&doc=summary`);
  assert.ok(doc, `the summary of job ${job} is open`);
  return doc.getText();
}

/** The ids listed under the summary's "Failed" heading. */
function failedIn(summary: string): string[] {
  const section = /^Failed \(\d+\)\n((?: {2}.*\n)*)/m.exec(summary);
  return section ? [...section[1]!.matchAll(/^ {2}contact_id (\d+)/gm)].map((m) => m[1]!).sort() : [];
}

/** Per record id, the updates the sandbox applied (answered 200, or applied with the reply dropped). */
async function appliedUpdates(path: string, key: string): Promise<Map<string, number>> {
  const applied = new Map<string, number>();
  for (const r of await apiRequests()) {
    if (r.path !== path || !(r.status === 200 || r.fault === 'applyThenDrop')) continue;
    const id = String(r.body[key]);
    applied.set(id, (applied.get(id) ?? 0) + 1);
  }
  return applied;
}

describe('Bulk actions', function () {
  this.timeout(60_000);

  /** The sites configured before (the harness's, which later test files expect to find). */
  let configured: unknown;

  before(async () => {
    configured = vscode.workspace.getConfiguration('directoryRecords').inspect('sites')?.globalValue;
    await control().reset();
    await useSites([{ name: BD, kind: 'brilliantDirectories', url: sandboxInfo().url, key: sandboxInfo().bdKey }]);
    await setSite();
  });

  afterEach(async () => {
    await control().configure({ faults: { serverErrorRate: 0, dropRate: 0 } });
    await control().clearFaults();
    await closeAllEditors();
    await setSite();
  });

  after(async () => {
    await vscode.commands.executeCommand('directoryRecords.removeSite', BD, { confirmed: true });
    await vscode.workspace.getConfiguration('directoryRecords').update('sites', configured, vscode.ConfigurationTarget.Global);
  });

  it('Set Field on all matching, with 10 % injected 500s and replies lost after the write: the summary lists exactly the failures, Retry fixes them, no record updated twice', async () => {
    const contacts = await resource('Contacts');
    await vscode.commands.executeCommand('directoryRecords.filter', contacts, { kind: 'bd', filters: [{ field: 'contact_id', operator: 'lte', value: '60' }] });
    await records(contacts);
    await control().clearRequests();
    await control().configure({ faults: { serverErrorRate: 0.1, dropRate: 0, seed: 11 } });
    // Three writes are applied and their replies dropped (the connection closes after the update).
    await control().addFault({ method: 'PUT', path: CONTACT_PUT, kind: 'applyThenDrop', count: 3, after: 4 });
    const first = await vscode.commands.executeCommand<BulkResult>('directoryRecords.setFieldAllMatching', contacts, { field: 'company', value: 'Bulk Co', confirmed: true });
    await control().configure({ faults: { serverErrorRate: 0, dropRate: 0 } });
    assert.ok(first, 'the job ran');
    const puts = (await apiRequests()).filter((r) => r.path === CONTACT_PUT);
    const answered500 = [...new Set(puts.filter((r) => r.status === 500).map((r) => String(r.body['contact_id'])))].sort();
    assert.ok(answered500.length > 0, 'the seeded faults hit some writes (else this test proves nothing)');
    assert.equal(puts.filter((r) => r.fault === 'applyThenDrop').length, 3);
    // Exactly the writes answered 500 failed; the three lost replies were read back and counted done.
    assert.deepEqual(failedIn(summaryOf(first.job)), answered500);
    assert.equal(first.counts.failed + first.counts.unknown, answered500.length);
    assert.equal(first.counts.done + first.counts.unchanged, 60 - answered500.length);
    for (const id of answered500) assert.notEqual((await control().getRecord('contacts', id))!['company'], 'Bulk Co');

    const retry = await vscode.commands.executeCommand<BulkResult>('directoryRecords.retryBulk', first.job, { confirmed: true });
    assert.ok(retry);
    assert.equal(retry.counts.failed + retry.counts.unknown + retry.counts.notRun, 0);
    await waitFor('the summary to list no failure', () => failedIn(summaryOf(first.job)).length === 0 && /^Done \(60\)$/m.test(summaryOf(first.job)));
    const applied = await appliedUpdates(CONTACT_PUT, 'contact_id');
    for (const [id, n] of applied) assert.equal(n, 1, `contact ${id} updated ${n} times`);
    for (let id = 1; id <= 60; id++) assert.equal((await control().getRecord('contacts', id))!['company'], 'Bulk Co', `contact ${id}`);
    // Reads went in batches: never one GET per record.
    assert.equal((await apiRequests()).filter((r) => /\/contacts\/get\/\d+$/.test(r.path)).length, 0);
  });

  it('a record changed on the server after it was listed is not overwritten, and the tree shows the rest changed', async () => {
    const contacts = await resource('Contacts');
    await vscode.commands.executeCommand('directoryRecords.filter', contacts, { kind: 'bd', filters: [{ field: 'contact_id', operator: 'between', value: '70,72' }] });
    const nodes = await records(contacts);
    assert.equal(nodes.length, 3);
    await control().putRecord('contacts', nodes[1]!.id, { city: 'Changed Elsewhere' });
    await control().clearRequests();
    const result = await vscode.commands.executeCommand<BulkResult>('directoryRecords.setField', nodes[0], nodes, { field: 'city', value: 'Oslo', confirmed: true });
    assert.deepEqual(result?.counts, { done: 2, unchanged: 0, skipped: 1, failed: 0, unknown: 0, notRun: 0 });
    assert.equal((await control().getRecord('contacts', nodes[1]!.id))!['city'], 'Changed Elsewhere');
    assert.deepEqual((await apiRequests()).filter((r) => r.method === 'PUT').map((r) => r.body['contact_id']).sort(), [nodes[0]!.id, nodes[2]!.id].sort());
    assert.match(summaryOf(result!.job), /changed on the server since it was listed \(city\), skipped/);
    const shown = await records(contacts);
    assert.equal(shown.find((n) => n.id === nodes[0]!.id)!.record['city'], 'Oslo');
  });

  it('Mark as Viewed on a multi-selection of notifications sends one update for each unread one', async () => {
    const notifications = await resource('Website Notifications');
    await vscode.commands.executeCommand('directoryRecords.clearFilter', notifications);
    const unread = (await records(notifications)).filter((n) => n.record['notification_view'] !== '1').slice(0, 3);
    assert.equal(unread.length, 3);
    await control().clearRequests();
    const result = await vscode.commands.executeCommand<BulkResult>('directoryRecords.markViewed', unread[1], unread, { confirmed: true });
    assert.equal(result?.counts.done, 3);
    const puts = (await apiRequests()).filter((r) => r.path === NOTIFICATION_PUT);
    assert.deepEqual(puts.map((r) => r.body['notification_id']).sort(), unread.map((n) => n.id).sort());
    for (const node of unread) assert.match((await item((await records(notifications)).find((n) => n.id === node.id)!)).contextValue!, /\.viewed/);
  });

  it('a selection mixing kinds is refused, with nothing sent', async () => {
    const mixed = [(await records(await resource('Contacts')))[0]!, (await records(await resource('Website Notifications')))[0]!];
    await control().clearRequests();
    assert.equal(await vscode.commands.executeCommand('directoryRecords.deleteRecord', mixed[0], mixed, { confirmed: true }), undefined);
    assert.deepEqual((await apiRequests()).map((r) => r.method).filter((m) => m !== 'GET'), []);
  });

  it('Mark All as Viewed respects the filter; the unread count on the row follows', async () => {
    const notifications = await resource('Website Notifications');
    await vscode.commands.executeCommand('directoryRecords.filter', notifications, { kind: 'bd', filters: [{ field: 'notification_id', operator: 'lte', value: '150' }] });
    await records(notifications);
    const unreadBefore = await waitFor('the unread count on the row', async () => /(\d[\d,.]*) unread/.exec(await tooltipOf(notifications))?.[1]);
    const inFilter = [];
    for (let id = 1; id <= 150; id++) if ((await control().getRecord('website_notifications', id))!['notification_view'] === '0') inFilter.push(String(id));
    const outside = (await control().getRecord('website_notifications', 151))!['notification_view'];
    await control().clearRequests();
    const result = await vscode.commands.executeCommand<BulkResult>('directoryRecords.markAllViewed', notifications, { confirmed: true });
    assert.equal(result?.counts.done, inFilter.length);
    const puts = (await apiRequests()).filter((r) => r.path === NOTIFICATION_PUT);
    assert.deepEqual(puts.map((r) => String(r.body['notification_id'])).sort(), inFilter.sort());
    assert.equal((await control().getRecord('website_notifications', 151))!['notification_view'], outside, 'outside the filter: untouched');
    const expected = Number(unreadBefore.replace(/\D/g, '')) - inFilter.length;
    await waitFor(`the row to say ${expected} unread`, async () => (await tooltipOf(notifications)).replace(/[,.\u00a0\u202f]/g, '').includes(`${expected} unread`));
  });

  it('a filter on a column the resource does not have is refused before anything is sent', async () => {
    const notifications = await resource('Website Notifications');
    await vscode.commands.executeCommand('directoryRecords.filter', notifications, { kind: 'bd', filters: [{ field: 'notifcation_title', operator: 'eq', value: 'x' }] });
    await records(notifications);
    await control().clearRequests();
    assert.equal(await vscode.commands.executeCommand('directoryRecords.markAllViewed', notifications, { confirmed: true }), undefined);
    assert.deepEqual(await apiRequests(), []);
    await vscode.commands.executeCommand('directoryRecords.clearFilter', notifications);
  });

  it('Set Field checks the value against the field before anything is sent', async () => {
    const notifications = await resource('Website Notifications');
    const nodes = (await records(notifications)).slice(0, 2);
    await control().clearRequests();
    assert.equal(await vscode.commands.executeCommand('directoryRecords.setField', nodes[0], nodes, { field: 'notification_view', value: 'yes', confirmed: true }), undefined);
    assert.equal(await vscode.commands.executeCommand('directoryRecords.setField', nodes[0], nodes, { field: 'notification_id', value: '5', confirmed: true }), undefined);
    assert.equal(await vscode.commands.executeCommand('directoryRecords.setFieldAllMatching', notifications, { field: 'no_such_field', value: 'x', confirmed: true }), undefined);
    assert.deepEqual((await apiRequests()).filter((r) => r.method !== 'GET' || r.query['property_operator'] === 'in' || r.query['limit'] === '100'), []);
  });

  it('a read-only site refuses every bulk action with no request', async () => {
    const nodes = (await records(await resource('Website Notifications'))).slice(0, 3);
    const contacts = await resource('Contacts');
    await setSite({ writeProfile: 'readOnly' });
    await control().clearRequests();
    assert.equal(await vscode.commands.executeCommand('directoryRecords.markViewed', nodes[0], nodes, { confirmed: true }), undefined);
    assert.equal(await vscode.commands.executeCommand('directoryRecords.deleteRecord', nodes[0], nodes, { confirmed: true }), undefined);
    assert.equal(await vscode.commands.executeCommand('directoryRecords.setFieldAllMatching', contacts, { field: 'company', value: 'X', confirmed: true }), undefined);
    // The settings change makes the tree and the unread badge list again; the bulk actions sent nothing of their own.
    const bulk = (await apiRequests()).filter((r) => r.method !== 'GET' || r.query['property_operator'] === 'in' || r.query['limit'] === '100');
    assert.deepEqual(bulk, []);
  });

  it('on a confirm site the preview is the confirmation: no dialog per record', async () => {
    const nodes = (await records(await resource('Website Notifications'))).slice(3, 5);
    await setSite({ writeProfile: 'confirm' });
    await control().clearRequests();
    // A dialog per record would block here until the test timed out.
    const result = await vscode.commands.executeCommand<BulkResult>('directoryRecords.markUnread', nodes[0], nodes, { confirmed: true });
    assert.equal((result?.counts.done ?? 0) + (result?.counts.unchanged ?? 0), 2);
    const puts = (await apiRequests()).filter((r) => r.path === NOTIFICATION_PUT);
    assert.equal(puts.length, result?.counts.done);
  });

  it('Delete on a selection journals every record first, closes their open documents; Restore Deleted brings one back', async () => {
    const contacts = await resource('Contacts');
    await vscode.commands.executeCommand('directoryRecords.filter', contacts, { kind: 'bd', filters: [{ field: 'contact_id', operator: 'between', value: '80,81' }] });
    const nodes = await records(contacts);
    const open = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'directory-records', path: `/${BD}/contacts/${nodes[0]!.id}.json` }));
    await vscode.window.showTextDocument(open);
    const result = await vscode.commands.executeCommand<BulkResult>('directoryRecords.deleteRecord', nodes[0], nodes, { confirmed: true });
    assert.equal(result?.counts.done, 2);
    for (const node of nodes) assert.equal(await control().getRecord('contacts', node.id), undefined);
    assert.equal((await records(contacts)).length, 0, 'gone from the tree');
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === open.uri.toString());
    assert.equal(tabs.length, 0, 'the deleted record\'s document was closed');
    const newId = await vscode.commands.executeCommand<string>('directoryRecords.restoreDeleted', { site: BD, model: 'contacts', id: nodes[0]!.id });
    assert.equal((await control().getRecord('contacts', newId))!['email'], nodes[0]!.record['email']);
    await vscode.commands.executeCommand('directoryRecords.clearFilter', contacts);
  });
  it('Bulk delete with an unknown outcome: the kept copy stays, Restore refuses while the record exists, Retry keeps one copy only', async () => {
    const contacts = await resource('Contacts');
    await vscode.commands.executeCommand('directoryRecords.filter', contacts, { kind: 'bd', filters: [{ field: 'contact_id', operator: 'between', value: '90,91' }] });
    const nodes = await records(contacts);
    assert.equal(nodes.length, 2);
    const [first] = nodes as [RecordNode, RecordNode];
    await control().clearRequests();
    // The first delete is lost before the server processes it, and the re-read after it fails: the outcome stays unknown.
    await control().addFault({ method: 'DELETE', path: '/api/v2/contacts/delete', kind: 'drop' });
    await control().addFault({ method: 'GET', path: '/api/v2/contacts/get', kind: 'status', status: 500, after: 1, count: 4 });
    const run = await vscode.commands.executeCommand<BulkResult>('directoryRecords.deleteRecord', first, nodes, { confirmed: true });
    await control().clearFaults();
    assert.equal(run?.counts.done, 1);
    assert.equal(run?.counts.unknown, 1);
    assert.ok(await control().getRecord('contacts', first.id), 'the lost delete did not happen');
    const creates = async (): Promise<number> => (await apiRequests()).filter((r) => r.method === 'POST' && r.path === '/api/v2/contacts/create').length;
    assert.equal(await vscode.commands.executeCommand('directoryRecords.restoreDeleted', { site: BD, model: 'contacts', id: first.id }), undefined, 'refused: the record still exists');
    assert.equal(await creates(), 0, 'no second copy created');
    const retry = await vscode.commands.executeCommand<BulkResult>('directoryRecords.retryBulk', run!.job, { confirmed: true });
    assert.equal(retry?.counts.done, 2);
    assert.equal(await control().getRecord('contacts', first.id), undefined);
    const newId = await vscode.commands.executeCommand<string>('directoryRecords.restoreDeleted', { site: BD, model: 'contacts', id: first.id });
    assert.ok(newId && newId !== first.id);
    assert.equal(await vscode.commands.executeCommand('directoryRecords.restoreDeleted', { site: BD, model: 'contacts', id: first.id }), undefined, 'kept once, restored once');
    assert.equal(await creates(), 1);
    await vscode.commands.executeCommand('directoryRecords.clearFilter', contacts);
  });
  it('Bulk runs: a second Mark All as Viewed (or Retry) while one runs on the same site and resource is refused; each record is written once', async () => {
    const notifications = await resource('Website Notifications');
    const ids = Array.from({ length: 24 }, (_, k) => 401 + k);
    for (const id of ids) await control().putRecord('website_notifications', id, { notification_view: '0' });
    await vscode.commands.executeCommand('directoryRecords.filter', notifications, { kind: 'bd', filters: [{ field: 'notification_id', operator: 'between', value: '401,424' }] });
    await records(notifications);
    await control().clearRequests();
    await control().configure({ latencyMs: 250 });
    try {
      const first = Promise.resolve(vscode.commands.executeCommand<BulkResult>('directoryRecords.markAllViewed', notifications, { confirmed: true }));
      await waitFor('the first run to send a write', async () => (await apiRequests()).some((r) => r.path === NOTIFICATION_PUT));
      assert.equal(await vscode.commands.executeCommand('directoryRecords.markAllViewed', notifications, { confirmed: true }), undefined, 'refused while the first runs');
      const done = await first;
      assert.equal(done?.counts.done, ids.length);
    } finally {
      await control().configure({ latencyMs: 0 });
    }
    const applied = await appliedUpdates(NOTIFICATION_PUT, 'notification_id');
    assert.deepEqual([...applied.keys()].sort(), ids.map(String).sort());
    assert.ok([...applied.values()].every((n) => n === 1), `each record written once: ${JSON.stringify([...applied])}`);
    await vscode.commands.executeCommand('directoryRecords.clearFilter', notifications);
  });
});
