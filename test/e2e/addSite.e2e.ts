// Add Site through the UI (issue 4): the welcome button, the four prompts, the tree it fills,
// paging with "Load more", opening a record; and a failed key check: what was typed is kept,
// and Retry asks only for what was wrong (the key, or the address).
import * as assert from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { SandboxControl } from '../../sandbox/control';
import type { E2EFlow } from './harness';
import {
  clickActivityBarItem,
  clickNotificationButton,
  contactLabel,
  expandTreeItem,
  hideNotificationCenter,
  notificationButtons,
  notificationText,
  pickContact,
  pickQuickItem,
  startCommand,
  submitQuickInput,
  treeItemLabels,
  treeRow,
  treeRowDescription,
  viewPane,
  waitForActiveTab,
  waitForEditorText,
  waitForNotification,
  waitForQuickInput,
  waitForTreeItem,
  waitForView,
  waitUntil,
} from './workbench';

const SITE = 'My Sandbox Directory';

export const flows: E2EFlow[] = [
  {
    name: 'Add Site: welcome button → kind, name, address, key → the site lists 238 contacts, pages, opens one',
    timeoutMs: 60_000,
    async run({ page, sandbox, screenshot, log }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      // Tall enough that the whole first page of contacts (30 rows) is rendered.
      await page.setViewportSize({ width: 1280, height: 1200 });

      await clickActivityBarItem(page, 'Directory Records');
      const pane = await waitForView(page, 'Sites');
      const addButton = pane.locator('.welcome-view-content .monaco-button', { hasText: /^\s*Add Site\s*$/ });
      await addButton.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await pane.locator('.welcome-view-content').innerText(), /No sites are configured yet/);
      await addButton.click();

      await pickQuickItem(page, 'Add Site (1/5): kind', 'Brilliant Directories');
      await submitQuickInput(page, 'Add Site (2/5): name', SITE);
      await submitQuickInput(page, 'Add Site (3/5): address', sandbox.url);
      await pickQuickItem(page, 'Add Site (4/5): write profile', 'Normal');
      const keyBox = await waitForQuickInput(page, 'Add Site (5/5): key');
      assert.strictEqual(await keyBox.getAttribute('type'), 'password', 'the key is typed into a password box');
      await submitQuickInput(page, 'Add Site (5/5): key', sandbox.bdKey);
      await waitForNotification(page, `Added "${SITE}"; the key works.`);
      await hideNotificationCenter(page);

      // The key was checked against the site before it was saved.
      const verify = (await control.requests()).filter((r) => r.path === '/api/v2/token/verify');
      assert.ok(verify.length >= 1 && verify.every((r) => r.apiKeyPresent && r.status === 200), `token/verify: ${JSON.stringify(verify)}`);

      const siteRow = await waitForTreeItem(page, 'Sites', SITE);
      assert.ok((await treeRowDescription(siteRow)).includes(new URL(sandbox.url).hostname), 'the site row shows its address');
      await expandTreeItem(page, 'Sites', SITE);
      const contacts = await waitForTreeItem(page, 'Sites', 'Contacts');
      await waitForTreeItem(page, 'Sites', 'Website Notifications');
      await waitForTreeItem(page, 'Sites', 'Users Clicks');
      await waitUntil(page, 'Contacts shows its count 238', async () => (await treeRowDescription(contacts)) === '238');
      await screenshot('site-added');

      await expandTreeItem(page, 'Sites', 'Contacts');
      const more = await waitForTreeItem(page, 'Sites', 'Load more (25 of 238)');
      // Contacts' children: 25 records and the Load more row (aria-setsize counts the siblings).
      assert.strictEqual(await more.getAttribute('aria-setsize'), '26');
      assert.strictEqual(await more.getAttribute('aria-posinset'), '26');
      const records = viewPane(page, 'Sites').locator('.monaco-list-row[aria-level="3"]');
      assert.strictEqual(await records.count(), 26, 'all 25 records and Load more are rendered');
      const first = await pickContact((id) => control.getRecord('contacts', id), 238);
      const label = contactLabel(first);
      await waitForTreeItem(page, 'Sites', label);
      await screenshot('first-page');

      await more.click();
      // The second page arrives as a group of its own, open, and the first page folds into the
      // group "1–25": Contacts now has three children (two groups and Load more) and the new rows
      // sit one level deeper. (VS Code builds anew every child of a node that changed; the groups
      // keep that to one page per Load more.)
      const newest = await waitForTreeItem(page, 'Sites', '26–50');
      await waitUntil(page, 'the newest group open', async () => (await newest.getAttribute('aria-expanded')) === 'true');
      const firstGroup = await waitForTreeItem(page, 'Sites', '1–25');
      assert.strictEqual(await firstGroup.getAttribute('aria-expanded'), 'false', 'the first page folded');
      const moreNow = await waitForTreeItem(page, 'Sites', 'Load more (50 of 238)');
      assert.strictEqual(await moreNow.getAttribute('aria-setsize'), '3');
      const grouped = viewPane(page, 'Sites').locator('.monaco-list-row[aria-level="4"]');
      await waitUntil(page, 'the second page of contacts in its group', async () => (await grouped.first().getAttribute('aria-setsize')) === '25');
      assert.strictEqual(await treeRow(page, 'Sites', 'Load more (25 of 238)').count(), 0);
      await screenshot('second-page');

      // Open the contact: it is on the first page, so open that group, then click it.
      await expandTreeItem(page, 'Sites', '1–25');
      const row = await waitForTreeItem(page, 'Sites', label);
      await row.click();
      const id = first['contact_id']!;
      const tab = await waitForActiveTab(page, `${id}.json`);
      // The tab is titled like the tree row, not "236.json".
      assert.strictEqual((await tab.locator('.tab-label .label-name').first().innerText()).trim(), label);
      const text = await waitForEditorText(page, (t) => t.includes(`"contact_id": "${id}"`) && t.includes('"email"'), `contact ${id}`);
      const stored = await control.getRecord('contacts', id);
      assert.ok(stored, `the sandbox has contact ${id}`);
      assert.ok(text.includes(`"contact_id": "${stored['contact_id']}"`), text);
      assert.ok(text.includes(`"email": ${JSON.stringify(stored['email'])}`), text);
      assert.ok(text.includes(`"first_name": ${JSON.stringify(stored['first_name'])}`), text);
      log(`opened ${label}; tree shows ${(await treeItemLabels(page, 'Sites')).length} rows`);
      await screenshot('record-open');
    },
  },
  {
    name: 'Add Site: a refused key shows why (401); closing the message keeps the answers, Retry asks only for the key',
    async run({ page, sandbox, screenshot, userDataDir }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      await startCommand(page, 'Directory Records: Add Site…');
      await pickQuickItem(page, 'Add Site (1/5): kind', 'Brilliant Directories');
      await submitQuickInput(page, 'Add Site (2/5): name', 'Wrong Key Site');
      await submitQuickInput(page, 'Add Site (3/5): address', sandbox.url);
      await pickQuickItem(page, 'Add Site (4/5): write profile', 'Confirm every write');
      await submitQuickInput(page, 'Add Site (5/5): key', 'not-the-key');

      const toast = await waitForNotification(page, /Could not verify "Wrong Key Site"/);
      const message = await notificationText(toast);
      assert.match(message, /401/);
      assert.match(message, /refused/i);
      assert.match(message, /Retry asks for the key again\./);
      assert.deepStrictEqual(await notificationButtons(toast), ['Retry', 'Save Anyway']);
      await screenshot('wrong-key');

      const verifies = async () => (await control.requests()).filter((r) => r.path === '/api/v2/token/verify');
      assert.deepStrictEqual((await verifies()).map((r) => r.status), [401]);
      // Not saved: the Sites view still shows its welcome.
      assert.ok(await viewPane(page, 'Sites').locator('.welcome-view-content').isVisible(), 'the welcome is still shown');
      assert.strictEqual(await treeRow(page, 'Sites', 'Wrong Key Site').count(), 0);

      // Closing the message loses nothing: the next Add Site offers to continue, and asks only for the key.
      await clearNotification(page, toast);
      await startCommand(page, 'Directory Records: Add Site…');
      await pickQuickItem(page, 'Add Site', 'Continue with "Wrong Key Site"');
      const keyBox = await waitForQuickInput(page, 'Add Site: key for "Wrong Key Site"');
      assert.strictEqual(await keyBox.getAttribute('type'), 'password');
      assert.strictEqual(await keyBox.inputValue(), 'not-the-key', 'the key typed before is kept');
      await submitQuickInput(page, 'Add Site: key for "Wrong Key Site"', 'still-not-the-key');
      const again = await waitForNotification(page, /Could not verify "Wrong Key Site"/);
      assert.deepStrictEqual((await verifies()).map((r) => r.status), [401, 401]);

      // Retry asks for the key again (nothing else); the right one adds the site as typed the first time.
      await clickNotificationButton(again, 'Retry');
      await closeNotificationCenter(page);
      await submitQuickInput(page, 'Add Site: key for "Wrong Key Site"', sandbox.bdKey);
      await waitForNotification(page, 'Added "Wrong Key Site"; the key works.');
      await closeNotificationCenter(page);
      assert.deepStrictEqual((await verifies()).map((r) => r.status), [401, 401, 200]);
      const siteRow = await waitForTreeItem(page, 'Sites', 'Wrong Key Site');
      assert.ok((await treeRowDescription(siteRow)).includes(new URL(sandbox.url).hostname), 'the address typed the first time');
      assert.deepStrictEqual(userSites(userDataDir), [{ name: 'Wrong Key Site', kind: 'brilliantDirectories', url: sandbox.url, writeProfile: 'confirm' }]);
      await screenshot('added-after-retry');
    },
  },
  {
    name: 'Add Site: an address that does not answer → Retry asks only for the address, the key is kept',
    async run({ page, sandbox, userDataDir }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      await startCommand(page, 'Directory Records: Add Site…');
      await pickQuickItem(page, 'Add Site (1/5): kind', 'Brilliant Directories');
      await submitQuickInput(page, 'Add Site (2/5): name', 'Moved Site');
      // Port 9 (discard) on the loopback: nothing listens, the connection is refused at once.
      await submitQuickInput(page, 'Add Site (3/5): address', 'http://127.0.0.1:9');
      await pickQuickItem(page, 'Add Site (4/5): write profile', 'Normal');
      await submitQuickInput(page, 'Add Site (5/5): key', sandbox.bdKey);

      const failed = await waitForNotification(page, /Could not verify "Moved Site"/);
      assert.match(await notificationText(failed), /Retry asks for the address again\./);
      await clickNotificationButton(failed, 'Retry');
      await closeNotificationCenter(page);
      const addressBox = await waitForQuickInput(page, 'Add Site: address of "Moved Site"');
      assert.strictEqual(await addressBox.inputValue(), 'http://127.0.0.1:9', 'the address typed before is kept');
      await submitQuickInput(page, 'Add Site: address of "Moved Site"', sandbox.url);
      await waitForNotification(page, 'Added "Moved Site"; the key works.');
      const verifies = (await control.requests()).filter((r) => r.path === '/api/v2/token/verify');
      assert.deepStrictEqual(verifies.map((r) => r.status), [200], 'the kept key went to the new address only');
      assert.deepStrictEqual(userSites(userDataDir), [{ name: 'Moved Site', kind: 'brilliantDirectories', url: sandbox.url }]);
    },
  },
];

/** Closes one notification with its X, as a person would (hover the entry, click "Clear Notification"). */
async function clearNotification(page: Page, item: Locator): Promise<void> {
  await item.hover();
  await item.locator('.action-label.codicon-notifications-clear').click();
  await item.waitFor({ state: 'detached', timeout: 10_000 });
  await closeNotificationCenter(page);
}

/**
 * Leaves the notification center closed. Once its last notification is gone (cleared, or its
 * button clicked) it hides by itself, a moment later: a click on the bell (a toggle) at that
 * moment opens it again, so this waits for that first, then uses the center's own Hide button.
 */
async function closeNotificationCenter(page: Page): Promise<void> {
  const center = page.locator('.notifications-center.visible');
  if (await center.waitFor({ state: 'hidden', timeout: 1_500 }).then(() => true, () => false)) return;
  await center.locator('.action-label.codicon-notifications-hide').click({ timeout: 2_000 }).catch(() => undefined);
  await center.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** directoryRecords.sites as written to the user's settings.json. */
function userSites(userDataDir: string): unknown {
  const settings = JSON.parse(fs.readFileSync(path.join(userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
  return settings['directoryRecords.sites'];
}
