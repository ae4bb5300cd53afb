import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { RecordNode, TreeNode } from '../../src/tree/treeNodes';
import { apiRequests, child, children, clearSites, control, extensionExports, item, labelOf, resource, sandboxInfo, sandboxSite, settle, useFreshSandbox, useSites, waitFor } from './support/world';

const BD = 'Rows BD';
const OTHER = 'Rows Other BD';
const COPERNICA = 'Rows Copernica';

async function ariaOf(node: TreeNode): Promise<string> {
  const shown = await item(node);
  assert.ok(shown.accessibilityInformation, `${labelOf(shown)} has accessibilityInformation`);
  return shown.accessibilityInformation.label;
}

/** The sandbox's own count of unread notifications (asked directly, as the extension does). */
async function unreadInSandbox(): Promise<number> {
  const sb = sandboxInfo();
  const reply = await fetch(`${sb.url}/api/v2/website_notifications/get?limit=1&property=notification_view&property_operator=eq&property_value=0`, { headers: { 'X-Api-Key': sb.bdKey } });
  return Number(((await reply.json()) as { total: string }).total);
}

describe('Tree rows for screen readers', function () {
  this.timeout(60_000);

  before(async () => {
    await useFreshSandbox([
      sandboxSite(BD, 'brilliantDirectories'),
      sandboxSite(OTHER, 'brilliantDirectories'),
      sandboxSite(COPERNICA, 'copernica'),
      sandboxSite('Rows No Key', 'brilliantDirectories', { key: false }),
    ]);
  });

  after(async () => {
    await control().configure({ htmlMode: null, latencyMs: 0 });
    await clearSites();
  });

  it('every site names itself, so two sites on one address read differently', async () => {
    const sites = await children();
    const labels = await Promise.all(sites.map(ariaOf));
    assert.equal(labels[0], `Brilliant Directories site ${BD}, ${sandboxInfo().url}`);
    assert.equal(labels[1], `Brilliant Directories site ${OTHER}, ${sandboxInfo().url}`);
    assert.equal(labels[2], `Copernica site ${COPERNICA}, ${sandboxInfo().url}`);
    for (const node of sites) assert.notEqual(await ariaOf(node), String((await item(node)).tooltip), 'not the tooltip');
  });

  it('a record reads as its kind, its row and where it is, not as its tooltip', async () => {
    const contacts = await resource(BD, 'Contacts');
    const nodes = (await children(contacts)).filter((n): n is RecordNode => n.type === 'record');
    const named = nodes.find((n) => n.record['first_name'] && n.record['last_name'] && n.record['email'])!;
    const name = `${named.record['first_name']} ${named.record['last_name']}`;
    assert.equal(await ariaOf(named), `Contact ${name}, ${named.record['email']}, in Contacts of site ${BD}`);

    const notifications = (await children(await resource(BD, 'Website Notifications'))).filter((n): n is RecordNode => n.type === 'record');
    const unread = notifications.find((n) => n.record['notification_view'] === '0')!;
    assert.match(await ariaOf(unread), new RegExp(`^Website notification .+, .+, unread, in Website Notifications of site ${BD}$`));
    const clicks = (await children(await resource(BD, 'Users Clicks'))).filter((n): n is RecordNode => n.type === 'record');
    assert.match(await ariaOf(clicks[0]!), new RegExp(`^Profile click .+, member ${clicks[0]!.record['user_id']}, .+, in Users Clicks of site ${BD}$`));
    const copernica = (await children(await resource(COPERNICA, 'Clicks'))).filter((n): n is RecordNode => n.type === 'record');
    assert.match(await ariaOf(copernica[0]!), new RegExp(`^Click myshop\\.nl/.*, mailing ${copernica[0]!.record['mailing']}, .+, in Clicks of site ${COPERNICA}$`));

    const more = (await children(contacts)).at(-1)!;
    assert.equal(more.type, 'loadMore');
    assert.match(await ariaOf(more), new RegExp(`^Load more Contacts of site ${BD}: 25 of 238 shown$`));
  });

  it('a resource reads as its name and site, also when filtered or failed', async () => {
    const contacts = await resource(BD, 'Contacts');
    await waitFor('the count', async () => (await ariaOf(contacts)) === `Contacts of site ${BD}, 238 records`);
    await vscode.commands.executeCommand('directoryRecords.filter', contacts, { field: 'country_code', operator: 'eq', value: 'US' });
    assert.match(await ariaOf(contacts), new RegExp(`^Contacts of site ${BD}, filtered: country_code .*US.*, \\d+ records$`));
    await vscode.commands.executeCommand('directoryRecords.clearFilter', contacts);

    const other = await resource(OTHER, 'Contacts');
    await control().configure({ htmlMode: { status: 403 } });
    try {
      await vscode.commands.executeCommand('directoryRecords.refresh', other);
      await children(other);
      await waitFor('the failure', async () => /HTML page/.test(await ariaOf(other)));
      assert.match(await ariaOf(other), new RegExp(`^Contacts of site ${OTHER}, `));
      const error = (await children(other))[0]!;
      assert.match(await ariaOf(error), new RegExp(`HTML page.*, in Contacts of site ${OTHER}$`));
    } finally {
      await control().configure({ htmlMode: null });
      await vscode.commands.executeCommand('directoryRecords.refresh', other);
    }
  });

  it('a message says what it is and where', async () => {
    const noKey = (await children(await child(undefined, 'Rows No Key')))[0]!;
    assert.equal(await ariaOf(noKey), 'Set API key…, No key or token is stored for "Rows No Key" yet., of site Rows No Key');
  });
});

describe('Refused keys and tokens', function () {
  this.timeout(60_000);

  afterEach(clearSites);

  it('a refused Copernica token shows on the site row; a refresh checks the token once again', async () => {
    await useSites([{ name: 'Bad Token', kind: 'copernica', url: sandboxInfo().url, key: 'not-a-token' }]);
    const site = await child(undefined, 'Bad Token');
    await settle();
    await control().clearRequests();
    await children(site);
    await waitFor('the site row to say the token was refused', async () => (await item(site)).contextValue === 'site.copernica.deadKey');
    assert.equal((await item(site)).description, 'token refused');
    assert.equal((await children(site)).length, 1);
    // The listing (refused) and one token check, not one error per resource.
    const requests = await apiRequests();
    assert.ok(requests.length <= 2, JSON.stringify(requests.map((r) => r.path)));
    await control().clearRequests();
    await vscode.commands.executeCommand('directoryRecords.refresh', site);
    await children(site);
    await waitFor('the verdict again', async () => (await item(site)).contextValue === 'site.copernica.deadKey');
  });

  it('an expanded site with a refused key shows only the fix, with no request per resource', async () => {
    await useSites([{ name: 'Dead Key', kind: 'brilliantDirectories', url: sandboxInfo().url, key: 'dead-key' }]);
    const site = await child(undefined, 'Dead Key');
    await waitFor('the verdict', async () => (await item(site)).contextValue?.endsWith('.deadKey'));
    await settle();
    await waitFor('the verdict after the late refreshes', async () => (await item(site)).contextValue?.endsWith('.deadKey'));
    await control().clearRequests();
    const below = await children(site);
    assert.deepEqual(await Promise.all(below.map(async (n) => labelOf(await item(n)))), ['Set API key…']);
    assert.equal((await apiRequests()).length, 0);
    assert.match(await ariaOf(below[0]!), /^Set API key…, The API key was refused .*, of site Dead Key$/);
  });
});

describe('Unread notifications badge', function () {
  this.timeout(60_000);

  before(async () => {
    await useFreshSandbox([
      sandboxSite(BD, 'brilliantDirectories'),
      sandboxSite(OTHER, 'brilliantDirectories'),
      sandboxSite(COPERNICA, 'copernica'),
    ]);
  });

  after(async () => {
    await clearSites();
    await control().reset();
  });

  it('counts with one notification_view eq 0, limit=1 request per BD site on refresh', async () => {
    const unread = await unreadInSandbox();
    assert.ok(unread > 0);
    const { treeView } = await extensionExports();
    await settle();
    await control().clearRequests();
    await vscode.commands.executeCommand('directoryRecords.refresh');
    const isCount = (r: { path: string; query: Record<string, unknown> }): boolean => r.path === '/api/v2/website_notifications/get' && r.query['property'] === 'notification_view';
    await waitFor('the counts', async () => (await apiRequests()).filter(isCount).length >= 2);
    await settle();
    await waitFor('the badge', () => treeView.badge?.value === 2 * unread);
    const counts = (await apiRequests()).filter(isCount);
    assert.equal(counts.length, 2, `one per BD site, none for Copernica: ${JSON.stringify((await apiRequests()).map((r) => [r.path, r.query]))}`);
    for (const r of counts) {
      assert.equal(r.query['property_operator'], 'eq');
      assert.equal(r.query['property_value'], '0');
      assert.equal(r.query['limit'], '1');
    }
    assert.match(String(treeView.badge?.tooltip), new RegExp(`unread website notifications .*${BD}`));

    // Refreshing one site counts that site again, and only it.
    await control().clearRequests();
    await vscode.commands.executeCommand('directoryRecords.refresh', await child(undefined, BD));
    await waitFor('the recount', async () => (await apiRequests()).some((r) => r.query['property'] === 'notification_view'));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await apiRequests()).filter((r) => r.query['property'] === 'notification_view').length, 1);
  });

  it('Mark as Viewed and Mark as Unread move the count without counting again', async () => {
    const { treeView } = await extensionExports();
    // Both BD sites counted (they share the sandbox's notifications): a count still arriving would move the badge too.
    const unreadEach = await unreadInSandbox();
    await waitFor('both sites counted', () => treeView.badge?.value === 2 * unreadEach);
    const before = treeView.badge!.value;
    const notifications = (await children(await resource(BD, 'Website Notifications'))).filter((n): n is RecordNode => n.type === 'record');
    const unread = notifications.find((n) => n.record['notification_view'] === '0')!;
    await control().clearRequests();
    await vscode.commands.executeCommand('directoryRecords.markViewed', unread);
    await waitFor('one fewer unread', () => treeView.badge?.value === before - 1);
    const viewed = (await children(await resource(BD, 'Website Notifications'))).find((n): n is RecordNode => n.type === 'record' && n.id === unread.id)!;
    await vscode.commands.executeCommand('directoryRecords.markUnread', viewed);
    await waitFor('the count back', () => treeView.badge?.value === before);
    assert.equal((await apiRequests()).filter((r) => r.query['property'] === 'notification_view').length, 0);
  });

  it('deleting an unread notification and restoring it move the count without counting again', async () => {
    const { treeView } = await extensionExports();
    // Both BD sites counted (they share the sandbox's notifications): a count still arriving would move the badge too.
    const unreadEach = await unreadInSandbox();
    await waitFor('both sites counted', () => treeView.badge?.value === 2 * unreadEach);
    const before = treeView.badge!.value;
    const notifications = (await children(await resource(BD, 'Website Notifications'))).filter((n): n is RecordNode => n.type === 'record');
    const unread = notifications.find((n) => n.record['notification_view'] === '0')!;
    await control().clearRequests();
    await vscode.commands.executeCommand('directoryRecords.deleteRecord', unread, { confirmed: true });
    await waitFor('one fewer unread', () => treeView.badge?.value === before - 1);
    await vscode.commands.executeCommand('directoryRecords.restoreDeleted', { site: BD, model: 'website_notifications', id: unread.id });
    await waitFor('the count back', () => treeView.badge?.value === before);
    assert.equal((await apiRequests()).filter((r) => r.query['property'] === 'notification_view').length, 0);
  });
});
