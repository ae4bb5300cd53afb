// Export Records… through the workbench UI (issue 11, item 1): the resource's context menu, the
// format quick pick, and code-server's save dialog (the "simple" file dialog: a quick input with
// the path, prefilled with <site>-<resource>-<date>.csv in the workspace folder).
import * as assert from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { SandboxControl } from '../../sandbox/control';
import type { E2EFlow } from './harness';
import {
  clickActivityBarItem,
  clickContextMenuItem,
  clickDialogButton,
  clickNotificationButton,
  dialogText,
  hideNotificationCenter,
  notificationButtons,
  waitForDialog,
  dismissHover,
  expandTreeItem,
  pickQuickItem,
  quickInput,
  treeRow,
  treeRowDescription,
  waitForNotification,
  waitForQuickInput,
  waitForView,
  waitUntil,
} from './workbench';
import { sandboxSites } from './sandboxSite';

const SITE = 'Sandbox Directory';

const preconfigured = sandboxSites({ name: SITE });

export const flows: E2EFlow[] = [
  {
    name: 'Export contacts to CSV from the context menu: the save dialog\'s file, parsed, holds the 238 contacts plus a header',
    ...preconfigured,
    timeoutMs: 120_000,
    async run({ page, sandbox, workspace, screenshot }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      await expandTreeItem(page, 'Sites', SITE);
      await dismissHover(page);
      const contacts = treeRow(page, 'Sites', /^Contacts$/);
      await contacts.waitFor({ state: 'visible', timeout: 30_000 });
      // The row shows before the tree's own first page (25) has arrived; only the export's requests are counted.
      await waitUntil(page, 'the tree to list the contacts', async () => /238/.test(await treeRowDescription(contacts)));
      await control.clearRequests();

      await clickContextMenuItem(page, contacts, 'Export Records…');
      await pickQuickItem(page, 'Export as', 'CSV');
      // The save dialog: code-server's simple dialog, a path in a quick input.
      const input = await waitForQuickInput(page, /Export Contacts of Sandbox Directory/);
      const day = new Date().toISOString().slice(0, 10);
      const expectedName = `Sandbox-Directory-contacts-${day}.csv`;
      await waitUntil(page, 'the dialog to suggest the file name', async () => (await input.inputValue()).endsWith(expectedName));
      const suggested = await input.inputValue();
      await screenshot('save-dialog');
      await page.keyboard.press('Enter');
      await quickInput(page).waitFor({ state: 'hidden', timeout: 30_000 });

      const file = path.join(workspace, expectedName);
      await waitForNotification(page, /Exported 238 records to/, { timeoutMs: 60_000 });
      await screenshot('exported');
      assert.ok(suggested.includes(path.basename(workspace)), `suggested in the workspace folder: ${suggested}`);
      const rows = parse(fs.readFileSync(file), { bom: true }) as string[][];
      assert.equal(rows.length, 239, '238 records plus a header');
      const header = rows[0]!;
      assert.equal(header[0], 'contact_id');
      const ids = rows.slice(1).map((row) => Number(row[0]));
      assert.deepStrictEqual([...ids].sort((a, b) => a - b), Array.from({ length: 238 }, (_, i) => i + 1), 'every contact once');
      const jane = (await control.getRecord('contacts', 1))!;
      const row = rows.find((r) => r[0] === '1')!;
      for (const [column, value] of Object.entries(jane)) assert.equal(row[header.indexOf(column)], guard(value ?? ''), `contact 1, ${column}`);
      assert.deepStrictEqual(fs.readdirSync(workspace).filter((name) => name.includes('contacts')), [expectedName], 'no temporary file left');
      const listings = (await control.requests()).filter((r) => r.path === '/api/v2/contacts/get');
      assert.deepStrictEqual(listings.map((r) => r.query['limit'] ?? '(cursor)').slice(0, 1), ['100'], 'pages of 100');
      assert.equal(listings.length, 3, '238 contacts in three pages of 100');
      assert.match(await treeRowDescription(contacts), /238/);
    },
  },
  {
    name: 'Export notifications on a slow site, Cancel in the progress notification, Keep Partial File: a .partial.csv with what was written',
    ...preconfigured,
    timeoutMs: 150_000,
    async run({ page, sandbox, workspace, screenshot, log }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      await expandTreeItem(page, 'Sites', SITE);
      await dismissHover(page);
      const notifications = treeRow(page, 'Sites', /^Website Notifications$/);
      await notifications.waitFor({ state: 'visible', timeout: 30_000 });
      const exportPages = async (): Promise<number> => (await control.requests()).filter((r) => r.path === '/api/v2/website_notifications/get' && r.query['property'] !== 'notification_view').length;

      await clickContextMenuItem(page, notifications, 'Export Records…');
      await pickQuickItem(page, 'Export as', 'CSV');
      await waitForQuickInput(page, /Export Website Notifications of Sandbox Directory/);
      // Every reply now takes 700 ms: 121 pages would take well over a minute.
      await control.configure({ latencyMs: 700 });
      try {
        await control.clearRequests();
        await page.keyboard.press('Enter');
        const progress = await waitForNotification(page, /Exporting Website Notifications of Sandbox Directory/, { timeoutMs: 20_000 });
        await waitUntil(page, 'two pages exported and the progress to say so', async () => (await exportPages()) >= 3 && /\d+ of 12100 records/.test(await progress.innerText()), { timeoutMs: 30_000 });
        log(`progress: ${(await progress.innerText()).replace(/\s+/g, ' ')}`);
        assert.ok((await notificationButtons(progress)).includes('Cancel'), 'the export can be cancelled');
        await screenshot('export-progress');
        await clickNotificationButton(progress, 'Cancel');
        const sentAtCancel = await exportPages();
        const dialog = await waitForDialog(page);
        const shown = await dialogText(dialog);
        log(`dialog: ${JSON.stringify(shown)}`);
        const written = Number(/Export cancelled after (\d+) records/.exec(shown.message)?.[1]);
        assert.ok(written >= 200 && written % 100 === 0, `records written: ${shown.message}`);
        assert.ok(shown.buttons.includes('Keep Partial File') && shown.buttons.includes('Delete Partial File'), `buttons: ${shown.buttons.join(', ')}`);
        await screenshot('keep-partial');
        await clickDialogButton(page, dialog, 'Keep Partial File');
        await hideNotificationCenter(page);
        const day = new Date().toISOString().slice(0, 10);
        const partial = path.join(workspace, `Sandbox-Directory-website_notifications-${day}.partial.csv`);
        await waitUntil(page, 'the partial file', () => fs.existsSync(partial), { timeoutMs: 15_000 });
        const rows = parse(fs.readFileSync(partial), { bom: true }) as string[][];
        assert.equal(rows.length, written + 1, 'the records written plus a header');
        assert.equal(rows[1]![0], '12100', 'newest first');
        assert.deepStrictEqual(fs.readdirSync(workspace).filter((name) => name.includes('notifications')), [path.basename(partial)], 'no temporary or whole file');
        assert.ok((await exportPages()) <= sentAtCancel + 1, 'nothing sent after Cancel but the request in flight');
      } finally {
        await control.configure({ latencyMs: 0 });
      }
    },
  },
];

/** The CSV formula guard as README "Export" describes it (on by default). */
function guard(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(value) ? `'${value}` : value;
}
