import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { isApiError } from '../../src/api/errors';
import { COPERNICA_CLICKS } from '../../src/api/resources';
import type { ClickSearchProgress, SiteReads } from '../../src/sites/siteApi';
import type { RecordsTreeModel } from '../../src/tree/recordsTreeModel';
import type { RecordNode, ResourceNode, TreeNode } from '../../src/tree/treeNodes';
import { apiRequests, children, clearSites, closeAllEditors, control, extensionExports, item, labelOf, resource, sandboxSite, useFreshSandbox, waitFor } from './support/world';

const BD = 'Paging BD';
const COPERNICA = 'Paging Copernica';

async function shownIds(node: ResourceNode): Promise<string[]> {
  return (await children(node)).filter((n): n is RecordNode => n.type === 'record').map((n) => n.id);
}

async function hasLoadMore(node: ResourceNode): Promise<boolean> {
  return (await children(node)).some((n: TreeNode) => n.type === 'loadMore');
}

async function loadToTheEnd(node: ResourceNode): Promise<void> {
  for (let i = 0; (await hasLoadMore(node)) && i < 100; i++) await vscode.commands.executeCommand('directoryRecords.loadMore', node);
  assert.equal(await hasLoadMore(node), false, 'Load more never ended');
}

function countsOf(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/** The extension's own client for a site (the one the tree and the documents use), for what the UI does not reach yet. */
async function extensionApi(site: string): Promise<SiteReads> {
  const { tree } = await extensionExports();
  const model = (tree as unknown as { model?: RecordsTreeModel }).model;
  assert.ok(model, 'the tree provider keeps its model in "model"');
  const config = model.site(site);
  assert.ok(config, `no site ${site}`);
  const api = await model.api(config);
  assert.ok(api, `no key for ${site}`);
  return api;
}

describe('Paging on live data (in-host)', function () {
  this.timeout(180_000);

  before(async () => {
    await useFreshSandbox([
      sandboxSite(BD, 'brilliantDirectories'),
      sandboxSite(COPERNICA, 'copernica'),
    ]);
  });

  after(async () => {
    await closeAllEditors();
    await clearSites();
    await control().reset();
  });

  it('Load more after 5 records were created and 3 deleted elsewhere (inside pages already loaded) shows every record that existed throughout exactly once', async () => {
    const contacts = await resource(BD, 'Contacts');
    await waitFor('the contact count', async () => String((await item(contacts)).description ?? '') === '238');
    const existing = Array.from({ length: 238 }, (_, i) => String(i + 1));
    assert.equal((await shownIds(contacts)).length, 25);
    await vscode.commands.executeCommand('directoryRecords.loadMore', contacts);
    const loaded = await shownIds(contacts);
    assert.deepEqual(loaded.map(Number), Array.from({ length: 50 }, (_, i) => 238 - i), 'newest first by contact_id');

    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await control().createRecord('contacts', { first_name: `Elsewhere ${i}` }))['contact_id']!);
    // Inside the pages already loaded, the last one shown (the key the next page follows) among them.
    const deleted = [loaded[4]!, loaded[30]!, loaded[49]!];
    for (const id of deleted) assert.equal(await control().deleteRecord('contacts', id), true);

    await control().clearRequests();
    await vscode.commands.executeCommand('directoryRecords.loadMore', contacts);
    const [next] = (await apiRequests()).filter((r) => r.path === '/api/v2/contacts/get');
    assert.equal(next!.query['page'], undefined, 'no offset cursor');
    assert.equal(next!.query['limit'], '25');
    assert.deepEqual([next!.query['property'], next!.query['property_operator'], next!.query['property_value']], ['contact_id', 'lt', loaded[49]]);
    await loadToTheEnd(contacts);

    const ids = await shownIds(contacts);
    const counts = countsOf(ids);
    assert.deepEqual([...counts].filter(([, n]) => n > 1), [], 'a record is shown twice');
    const throughout = existing.filter((id) => !deleted.includes(id));
    assert.deepEqual(throughout.filter((id) => counts.get(id) !== 1), [], 'a record that existed throughout is missing');
    assert.deepEqual(ids.filter((id) => !existing.includes(id) && !created.includes(id)), []);
    // The total shown is what is shown plus what was left: here everything is shown.
    assert.equal(String((await item(contacts)).description ?? ''), ids.length.toLocaleString(vscode.env.language));
    const tooltip = (await item(contacts)).tooltip;
    assert.ok(tooltip === undefined || !String(tooltip).includes('cursor'), 'key paging needs no warning');
  });

  it('our own delete and restore update the listing in place: Load more, also after a collapse, goes on by key with no repeat and no gap', async () => {
    const contacts = await resource(BD, 'Contacts');
    await vscode.commands.executeCommand('directoryRecords.refresh', contacts);
    const { treeView } = await extensionExports();
    await treeView.reveal(contacts, { expand: true });
    await vscode.commands.executeCommand('directoryRecords.loadMore', contacts);
    const before = await shownIds(contacts);
    assert.equal(before.length, 50);
    const nodes = (await children(contacts)).filter((n): n is RecordNode => n.type === 'record');
    // Two of the first page go, one comes back under a new id.
    const gone = [nodes[2]!, nodes[7]!];
    for (const node of gone) assert.equal(await vscode.commands.executeCommand('directoryRecords.deleteRecord', node, { confirmed: true }), true);
    let shown = await shownIds(contacts);
    assert.equal(shown.length, 48);
    const restoredId = await vscode.commands.executeCommand<string>('directoryRecords.restoreDeleted', { site: BD, model: 'contacts', id: gone[0]!.id });
    assert.ok(restoredId);
    await closeAllEditors();
    shown = await shownIds(contacts);
    assert.equal(shown[0], restoredId, 'the restored record is shown on top');
    assert.equal(shown.length, 49);

    // Restore showed the record in an editor: back to the view, the resource expanded, then collapse it.
    await treeView.reveal(contacts, { expand: true });
    await vscode.commands.executeCommand('workbench.actions.treeView.directoryRecords.sites.collapseAll');
    let length = shown.length;
    await waitFor('the trim', async () => (length = (await shownIds(contacts)).length) === 24).catch((error: unknown) => {
      throw new Error(`${String(error)}: ${length} records shown, visible ${treeView.visible}`);
    });
    assert.deepEqual(await shownIds(contacts), shown.slice(0, 24), 'the first page as it stands: the restored one, minus the two deleted');
    await loadToTheEnd(contacts);
    const ids = await shownIds(contacts);
    const counts = countsOf(ids);
    assert.deepEqual([...counts].filter(([, n]) => n > 1), [], 'a record is shown twice');
    const expected = before.filter((id) => !gone.some((g) => g.id === id));
    assert.deepEqual(expected.filter((id) => !counts.has(id)), [], 'a record was skipped');
    assert.equal(counts.get(restoredId), 1);
  });

  it('Copernica: newest first; a click by id is found among the newest 10,000, bounded when older, and cancellable', async () => {
    await control().addClicks(10_000);
    const clicks = await resource(COPERNICA, 'Clicks');
    await vscode.commands.executeCommand('directoryRecords.refresh', clicks);
    const firstPage = await shownIds(clicks);
    assert.equal(firstPage.length, 25);
    const newest = Number(firstPage[0]);
    assert.ok(newest >= 10_335, `the newest click shown is ${newest}`);
    assert.deepEqual(firstPage.map(Number), Array.from({ length: 25 }, (_, i) => newest - i), 'newest first');
    const total = newest; // no click is ever deleted, so the newest id is the count
    assert.equal(labelOf(await item((await children(clicks)).at(-1)!)), `Load more (25 of ${total.toLocaleString(vscode.env.language)})`);

    const api = await extensionApi(COPERNICA);
    // A click listed: no request.
    await control().clearRequests();
    assert.equal(api.needsSearch(COPERNICA_CLICKS, firstPage[3]!), false);
    assert.equal((await api.get(COPERNICA_CLICKS, firstPage[3]!))['ID'], firstPage[3]);
    assert.deepEqual(await apiRequests(), []);

    // Not listed, among the newest 10,000: found, reporting progress.
    const wanted = String(total - 5_000);
    assert.equal(api.needsSearch(COPERNICA_CLICKS, wanted), true);
    const progress: ClickSearchProgress[] = [];
    const found = await api.get(COPERNICA_CLICKS, wanted, undefined, (p) => progress.push(p));
    assert.equal(found['ID'], wanted);
    assert.ok(progress.length >= 2 && progress.every((p) => p.total === total && p.maxPages === 10));
    assert.ok((await apiRequests()).length <= 11);
    assert.equal(api.needsSearch(COPERNICA_CLICKS, wanted), false, 'remembered once found');

    // Older than the newest 10,000: the search stops at its cap and says to open it from the list.
    await control().clearRequests();
    const capped = await api.get(COPERNICA_CLICKS, '3').then(
      () => assert.fail('found a click beyond the cap'),
      (error: unknown) => error,
    );
    assert.ok(isApiError(capped, 'notFound'));
    assert.match((capped as Error).message, /not among the 10000 newest clicks/);
    assert.match((capped as Error).message, /Open it from the Clicks list/);
    const searched = await apiRequests();
    assert.equal(searched.length, 11, 'one count and ten pages');
    assert.ok(searched.slice(1).every((r) => Number(r.query['start']) >= total - 10_000));

    // Through the document path (open by URI): it fails, and no request reads past the cap.
    await control().clearRequests();
    const uri = vscode.Uri.from({ scheme: 'directory-records', path: `/${COPERNICA}/${COPERNICA_CLICKS.model}/4.json` });
    await assert.rejects(Promise.resolve(vscode.workspace.openTextDocument(uri)));
    const opened = (await apiRequests()).filter((r) => r.path === '/v2/ms/clicks');
    assert.ok(opened.length >= 1 && opened.length <= 22, `${opened.length} requests to open one click`);
    assert.ok(opened.every((r) => r.query['limit'] === '1' || Number(r.query['start']) >= total - 10_000), 'a request read past the cap');

    // Cancelled between pages: no further request.
    await control().clearRequests();
    const controller = new AbortController();
    const cancelled = await api
      .get(COPERNICA_CLICKS, '2', controller.signal, (p) => {
        if (p.pagesRead === 2) controller.abort();
      })
      .then(
        () => assert.fail('not cancelled'),
        (error: unknown) => error,
      );
    assert.ok(isApiError(cancelled, 'cancelled'), String(cancelled));
    assert.equal((await apiRequests()).length, 3, 'the count and two pages');

    // Cancelled while a page is in flight.
    await control().configure({ latencyMs: 1_000 });
    await control().clearRequests();
    try {
      const inFlight = new AbortController();
      const started = Date.now();
      setTimeout(() => inFlight.abort(), 150);
      const error = await api.get(COPERNICA_CLICKS, '2', inFlight.signal).then(
        () => assert.fail('not cancelled'),
        (e: unknown) => e,
      );
      assert.ok(isApiError(error, 'cancelled'), String(error));
      assert.ok(Date.now() - started < 900, 'it waited for the slow reply');
      // The sandbox logs a request once its latency is over: let this one land here, not in a later test's log.
      await waitFor('the abandoned request to be logged', async () => (await apiRequests()).length === 1, 5_000);
    } finally {
      await control().configure({ latencyMs: 0 });
    }
  });
});
