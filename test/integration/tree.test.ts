import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { apiRequests, child, children, clearSites, closeAllEditors, control, descriptionOf, extensionExports, item, labelOf, resource, sandboxInfo, sandboxSite, settle, tooltipOf, treeChildren, useFreshSandbox, useSites, waitFor } from './support/world';
import type { TreeNode } from '../../src/tree/treeNodes';

const BD = 'Sandbox BD';
const COPERNICA = 'Sandbox Copernica';

describe('Sites tree', function () {
  this.timeout(30_000);

  before(async () => {
    await useFreshSandbox([
      sandboxSite(BD, 'brilliantDirectories'),
      sandboxSite(COPERNICA, 'copernica'),
      sandboxSite('No Key Yet', 'brilliantDirectories', { key: false }),
    ]);
  });

  after(async () => {
    await closeAllEditors();
    await clearSites();
  });

  it('lists the sites from settings, and a site without a stored key offers "Set API key…"', async () => {
    const labels = await Promise.all((await children()).map(async (n) => labelOf(await item(n))));
    assert.deepEqual(labels, [BD, COPERNICA, 'No Key Yet']);
    const noKey = await children(await child(undefined, 'No Key Yet'));
    assert.equal(noKey.length, 1);
    const keyItem = await item(noKey[0]!);
    assert.equal(labelOf(keyItem), 'Set API key…');
    assert.equal(keyItem.command?.command, 'directoryRecords.setApiKey');
  });

  it('shows the resources of each kind with their total counts', async () => {
    const bd = await child(undefined, BD);
    assert.deepEqual(await Promise.all((await children(bd)).map(async (n) => labelOf(await item(n)))), ['Contacts', 'Website Notifications', 'Users Clicks']);
    await waitFor('contact count', async () => (await descriptionOf(await resource(BD, 'Contacts'))) === '238');
    // The total, then how many of them are unread (the view's badge counts the same): whole in the
    // tooltip; the row shows them as fit the default sidebar width (issue 17: "12.1K · 4.8K unread").
    await waitFor('notification count', async () => /^12.?100 website notifications, \d{1,2}.?\d{3} unread\./.test(await tooltipOf(await resource(BD, 'Website Notifications'))));
    assert.match(await descriptionOf(await resource(BD, 'Website Notifications')), /^12(.?100|\.1K)\b/);
    const cop = await child(undefined, COPERNICA);
    assert.deepEqual(await Promise.all((await children(cop)).map(async (n) => labelOf(await item(n)))), ['Clicks']);
    await waitFor('click count', async () => (await descriptionOf(await resource(COPERNICA, 'Clicks'))) === '335');
  });

  it('expanding a resource after its count is shown costs no further request, and pages by pageSize', async () => {
    const contacts = await resource(BD, 'Contacts');
    await waitFor('contact count', async () => (await descriptionOf(contacts)) === '238');
    await control().clearRequests();
    const nodes = await children(contacts);
    assert.equal((await apiRequests()).length, 0, 'the first page came from the prefetch');
    const records = nodes.filter((n) => n.type === 'record');
    assert.equal(records.length, 25);
    const more = await item(nodes[nodes.length - 1]!);
    assert.equal(labelOf(more), 'Load more (25 of 238)');
    assert.equal(more.command?.command, 'directoryRecords.loadMore');
  });

  it('rows read at a glance: a short label, a dimmed description, stable ids and tooltips built on demand', async () => {
    const contacts = await children(await resource(BD, 'Contacts'));
    const first = contacts[0]!;
    assert.equal(first.type, 'record');
    const stored = await control().getRecord('contacts', (first as { id: string }).id);
    const treeItem = await item(first);
    const name = [stored!['first_name'], stored!['last_name']].filter(Boolean).join(' ');
    // A label is fitted to the default sidebar width: the whole of it, or its start and "…".
    const fitted = (label: string, whole: string): boolean => label === whole || (label.endsWith('…') && whole.startsWith(label.slice(0, -1)));
    if (name && stored!['email']) {
      assert.ok(fitted(labelOf(treeItem), name), `a contact is its name (${labelOf(treeItem)})…`);
      assert.equal(treeItem.description, stored!['email'], '…with its email beside it');
    }
    assert.equal(treeItem.id, `site/${BD}/contacts/${(first as { id: string }).id}`);
    assert.equal(treeItem.tooltip, undefined, 'tooltips are built on demand');
    const { tree } = await extensionExports();
    const resolved = await tree.resolveTreeItem!(treeItem, first, new vscode.CancellationTokenSource().token);
    assert.ok(resolved?.tooltip instanceof vscode.MarkdownString && resolved.tooltip.value.includes('contact_id'));

    const notifications = (await children(await resource(BD, 'Website Notifications'))).filter((n) => n.type === 'record');
    const sample = await item(notifications[0]!);
    assert.doesNotMatch(labelOf(sample), / · /, 'the date is not in the label');
    assert.match(String(sample.description), /\bago\b|^last |^yesterday|^now/, 'a notification says how long ago');
    const unread: vscode.TreeItem[] = [];
    const read: vscode.TreeItem[] = [];
    for (const n of notifications) ((await item(n)).contextValue?.includes('.unread') ? unread : read).push(await item(n));
    assert.ok(unread.length > 0 && unread.every((i) => / · unread$/.test(String(i.description))), 'unread notifications say so');
    assert.ok(read.every((i) => !String(i.description).includes('unread')));
    assert.ok(unread.every((i) => i.iconPath instanceof vscode.ThemeIcon && i.iconPath.id === 'circle-filled' && i.iconPath.color !== undefined), 'unread: a filled icon in a theme colour');
    assert.ok(read.every((i) => i.iconPath instanceof vscode.ThemeIcon && i.iconPath.id === 'circle-outline'), 'read: an empty one');

    const clicks = (await children(await resource(BD, 'Users Clicks'))).filter((n) => n.type === 'record');
    const click = clicks[0] as { record: Record<string, string> };
    const clickItem = await item(clicks[0]!);
    assert.ok(fitted(labelOf(clickItem), click.record['click_name']!), labelOf(clickItem));
    assert.match(String(clickItem.description), new RegExp(`^member ${click.record['user_id']} · \\w`));
    const copernica = (await children(await resource(COPERNICA, 'Clicks'))).filter((n) => n.type === 'record');
    const copernicaItem = await item(copernica[0]!);
    assert.match(labelOf(copernicaItem), /^(myshop\.nl\/|…\/)/, 'the link as host and path (the last segment alone when the row is narrow), no scheme or www');
    assert.match(String(copernicaItem.description), /^mailing \d+ · \w/);
  });

  it('Load more fetches exactly one more page and keeps what was shown', async () => {
    const contacts = await resource(BD, 'Contacts');
    const before = (await children(contacts)).filter((n) => n.type === 'record').map((n) => (n as { id: string }).id);
    await control().clearRequests();
    await vscode.commands.executeCommand('directoryRecords.loadMore', contacts);
    const requests = await apiRequests();
    assert.equal(requests.length, 1);
    // Paged by key (newest first): a fresh first page past the last id shown, not BD's offset cursor.
    assert.equal(requests[0]!.query['page'], undefined);
    assert.deepEqual([requests[0]!.query['property'], requests[0]!.query['property_operator'], requests[0]!.query['property_value']], ['contact_id', 'lt', before.at(-1)]);
    const after = await children(contacts);
    const ids = after.filter((n) => n.type === 'record').map((n) => (n as { id: string }).id);
    assert.equal(ids.length, 50);
    assert.deepEqual(ids.slice(0, 25), before);
    assert.equal(new Set(ids).size, 50);
    assert.equal(labelOf(await item(after[after.length - 1]!)), 'Load more (50 of 238)');
  });

  it('after Load more the rows come in groups of a page: the newest open, each one before it folded under a new id; a row\'s parent is its group', async () => {
    const contacts = await resource(BD, 'Contacts');
    const { tree } = await extensionExports();
    const groups = async (): Promise<TreeNode[]> => (await treeChildren(contacts)).filter((n) => n.type === 'page');
    const two = await groups();
    assert.deepEqual(await Promise.all(two.map(async (n) => labelOf(await item(n)))), ['1–25', '26–50']);
    assert.deepEqual(await Promise.all(two.map(async (n) => (await item(n)).collapsibleState)), [vscode.TreeItemCollapsibleState.Collapsed, vscode.TreeItemCollapsibleState.Expanded]);
    const newestId = (await item(two[1]!)).id;
    const rows = await treeChildren(two[1]!);
    assert.equal(rows.length, 25);
    assert.equal(tree.getParent!(rows[0]!), two[1], 'reveal walks up through the group');
    assert.equal(tree.getParent!(two[1]!), contacts);
    await vscode.commands.executeCommand('directoryRecords.loadMore', contacts);
    const three = await groups();
    assert.deepEqual(await Promise.all(three.map(async (n) => labelOf(await item(n)))), ['1–25', '26–50', '51–75']);
    assert.notEqual((await item(three[1]!)).id, newestId, 'the group before the newest is another element, so VS Code shows it folded');
    assert.equal((await item(three[1]!)).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.deepEqual((await treeChildren(three[1]!)).map((n) => (n as { id: string }).id), rows.map((n) => (n as { id: string }).id), 'its rows are the same');
    assert.equal((await item(three[2]!)).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.equal(labelOf(await item((await treeChildren(contacts)).at(-1)!)), 'Load more (75 of 238)');
  });

  it('a refresh keeps tree item ids stable', async () => {
    const contacts = await resource(BD, 'Contacts');
    const ids = await Promise.all((await children(contacts)).slice(0, 5).map(async (n) => (await item(n)).id));
    await vscode.commands.executeCommand('directoryRecords.refresh', contacts);
    const again = await Promise.all((await children(contacts)).slice(0, 5).map(async (n) => (await item(n)).id));
    assert.deepEqual(again, ids);
  });

  it('filters a BD resource; several conditions AND together; Clear Filter restores the listing', async () => {
    const contacts = await resource(BD, 'Contacts');
    await control().clearRequests();
    await vscode.commands.executeCommand('directoryRecords.filter', contacts, { field: 'country_code', operator: 'eq', value: 'US' });
    let requests = await apiRequests();
    assert.equal(requests.at(-1)!.query['property'], 'country_code');
    assert.equal(requests.at(-1)!.query['property_operator'], 'eq');
    const usOnly = (await children(contacts)).filter((n) => n.type === 'record');
    assert.ok(usOnly.length > 0);
    assert.ok(usOnly.every((n) => (n as { record: Record<string, unknown> }).record['country_code'] === 'US'));
    // The filter in words is the tooltip's; the row says it as fits the sidebar (issue 17).
    assert.match(await tooltipOf(contacts), /Filtered: country_code is "US"/);
    assert.match(await descriptionOf(contacts), /country_code is "US"|filtered/);

    await vscode.commands.executeCommand('directoryRecords.filter', contacts, { field: 'first_name', operator: 'starts_with', value: 'J' });
    requests = await apiRequests();
    assert.deepEqual(requests.at(-1)!.query['property[]'], ['country_code', 'first_name']);
    const both = (await children(contacts)).filter((n) => n.type === 'record');
    assert.ok(both.every((n) => String((n as { record: Record<string, unknown> }).record['first_name']).toLowerCase().startsWith('j')));
    assert.match(await tooltipOf(contacts), /Filtered: country_code is "US" and first_name starts with "J"/);

    await vscode.commands.executeCommand('directoryRecords.clearFilter', contacts);
    await waitFor('unfiltered count', async () => (await descriptionOf(contacts)) === '238');
  });

  it('an empty filtered result says the filter matched nothing and warns about unknown field names', async () => {
    const contacts = await resource(BD, 'Contacts');
    await vscode.commands.executeCommand('directoryRecords.filter', contacts, { field: 'no_such_field', operator: 'eq', value: 'x' });
    const nodes = await children(contacts);
    assert.equal(nodes.length, 1);
    const text = labelOf(await item(nodes[0]!));
    assert.match(text, /matched nothing/);
    assert.match(text, /field name it does not know/);
    await vscode.commands.executeCommand('directoryRecords.clearFilter', contacts);
  });

  it('filters Copernica clicks by time range and unique clicks', async () => {
    const clicks = await resource(COPERNICA, 'Clicks');
    await control().clearRequests();
    await vscode.commands.executeCommand('directoryRecords.filter', clicks, { kind: 'copernica', begintime: '2000-01-01 00:00:00', unique: true });
    const request = (await apiRequests()).at(-1)!;
    assert.equal(request.query['unique'], 'true');
    assert.equal(request.query['begintime'], '2000-01-01 00:00:00');
    assert.match(await tooltipOf(clicks), /unique only/);
    await vscode.commands.executeCommand('directoryRecords.clearFilter', clicks);
  });
});

describe('Sites tree errors', function () {
  this.timeout(30_000);

  afterEach(async () => {
    await control().configure({ htmlMode: null });
    await clearSites();
  });

  it('a refused key (401) shows once, on the site row, with Set API Key; the resources under it do not repeat it', async () => {
    await useSites([{ name: 'Wrong Key', kind: 'brilliantDirectories', url: sandboxInfo().url, key: 'not-a-real-key' }]);
    const site = await child(undefined, 'Wrong Key');
    await settle();
    await control().clearRequests();
    // A refresh counts the unread notifications again: refused, so one key check says the key is dead.
    await vscode.commands.executeCommand('directoryRecords.refresh', site);
    await waitFor('the site row to say the key was refused', async () => (await item(site)).contextValue?.endsWith('.deadKey'));
    const row = await item(site);
    assert.ok(row.iconPath instanceof vscode.ThemeIcon && row.iconPath.id === 'warning');
    assert.equal(row.description, 'key refused');
    assert.match(String(row.tooltip), /key was refused \(HTTP 401/);
    assert.match(String(row.accessibilityInformation?.label), /^Brilliant Directories site Wrong Key: its key was refused/);
    const below = await children(site);
    assert.equal(below.length, 1, 'no resources, each with the same error');
    const fix = await item(below[0]!);
    assert.equal(labelOf(fix), 'Set API key…');
    assert.equal(fix.command?.command, 'directoryRecords.setApiKey');
    const verifies = (await apiRequests()).filter((r) => r.path === '/api/v2/token/verify');
    assert.equal(verifies.length, 1, `one token/verify tells a dead key from an endpoint not enabled: ${JSON.stringify((await apiRequests()).map((r) => r.path))}`);
    assert.doesNotMatch(JSON.stringify([row, fix]), /not-a-real-key/);

    // The fix: a working key, and the site lists its resources again.
    await vscode.commands.executeCommand('directoryRecords.setApiKey', 'Wrong Key', sandboxInfo().bdKey, { saveAnyway: true });
    await waitFor('the site to recover', async () => !(await item(site)).contextValue?.endsWith('.deadKey') && (await children(site)).some((n) => n.type === 'resource'));
  });

  it('a key without permission for an endpoint (403) says so on that resource only, naming the endpoint and the Developer Hub', async () => {
    await useSites([{ name: 'Limited', kind: 'brilliantDirectories', url: sandboxInfo().url, key: sandboxInfo().bdLimitedKey }]);
    const clicks = await resource('Limited', 'Users Clicks');
    const error = await item((await children(clicks))[0]!);
    assert.equal(labelOf(error), 'No permission for users_clicks/get');
    assert.match(String(error.description), /Developer Hub/);
    assert.match(String(error.tooltip), /not allowed to use users_clicks\/get \(HTTP 403/);
    assert.equal(error.command?.command, 'directoryRecords.refresh');
    await waitFor('the resource row to say so', async () => (await item(clicks)).description === 'no permission');
    const contacts = (await children(await resource('Limited', 'Contacts'))).filter((n) => n.type === 'record');
    assert.equal(contacts.length, 25, 'the endpoints the key has still work');
    const site = await item(await child(undefined, 'Limited'));
    assert.ok(!site.contextValue?.includes('deadKey'), 'the site row is not blamed: the key is valid');
  });

  it('an HTML page instead of JSON is reported as such', async () => {
    await useSites([{ name: 'Firewalled', kind: 'brilliantDirectories', url: sandboxInfo().url, key: sandboxInfo().bdKey }]);
    await control().configure({ htmlMode: { status: 403 } });
    const contacts = await resource('Firewalled', 'Contacts');
    await vscode.commands.executeCommand('directoryRecords.refresh', contacts);
    const error = await item((await children(contacts))[0]!);
    assert.match(labelOf(error), /HTML page/);
    assert.match(labelOf(error), /403/);
    await control().configure({ htmlMode: null });
    await vscode.commands.executeCommand('directoryRecords.refresh', contacts);
    assert.equal((await children(contacts)).filter((n) => n.type === 'record').length, 25, 'Retry recovers once the site answers JSON');
  });
});

describe('Collapsing a resource', function () {
  this.timeout(60_000);

  after(clearSites);

  it('trims it back to its first page; expanding again costs no request and Load more goes on from page two', async () => {
    const sb = sandboxInfo();
    await useSites([{ name: 'Collapse BD', kind: 'brilliantDirectories', url: sb.url, key: sb.bdKey }]);
    const { treeView } = await extensionExports();
    const contacts = await resource('Collapse BD', 'Contacts');
    await treeView.reveal(contacts, { expand: true });
    await vscode.commands.executeCommand('directoryRecords.loadMore', contacts);
    await vscode.commands.executeCommand('directoryRecords.loadMore', contacts);
    assert.equal((await children(contacts)).filter((n) => n.type === 'record').length, 75);
    const firstPage = (await children(contacts)).filter((n) => n.type === 'record').slice(0, 25).map((n) => (n as { id: string }).id);
    await vscode.commands.executeCommand('workbench.actions.treeView.directoryRecords.sites.collapseAll');
    await waitFor('the trim', async () => (await children(contacts)).filter((n) => n.type === 'record').length === 25);
    await control().clearRequests();
    const again = (await children(contacts)).filter((n) => n.type === 'record').map((n) => (n as { id: string }).id);
    assert.deepEqual(again, firstPage);
    assert.equal((await apiRequests()).length, 0);
    await vscode.commands.executeCommand('directoryRecords.loadMore', contacts);
    const ids = (await children(contacts)).filter((n) => n.type === 'record').map((n) => (n as { id: string }).id);
    assert.equal(new Set(ids).size, 50, 'page two follows page one, no repeats');
  });
});
