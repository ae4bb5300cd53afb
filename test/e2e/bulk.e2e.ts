// Bulk actions through the real workbench (issue 11): three notifications selected with
// Ctrl+click in the Sites view, Mark as Viewed from the context menu, the preview shown and the
// modal confirmed; the sandbox must receive exactly three updates. Toasts are suppressed by the
// smoke-test driver, so the summary is read from the notification center.
import * as assert from 'assert';
import { SandboxControl } from '../../sandbox/control';
import type { E2EFlow } from './harness';
import {
  clickActivityBarItem,
  clickContextMenuItem,
  clickDialogButton,
  dialogText,
  expandTreeItem,
  notificationCenterMessages,
  treeRow,
  waitForDialog,
  waitForTreeItem,
  waitForView,
  waitUntil,
} from './workbench';
import { sandboxSites } from './sandboxSite';

const SITE = 'E2E Bulk Directory';

export const flows: E2EFlow[] = [
  {
    name: 'Bulk Mark as Viewed: Ctrl+click three notifications, Mark as Viewed, confirm the preview → exactly three updates',
    ...sandboxSites({ name: SITE }),
    timeoutMs: 90_000,
    async run({ page, sandbox, screenshot, log }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      // The three newest notifications (the top of the list), unread, with titles of their own (short: rows are fitted to the sidebar).
      const ids = ['12100', '12099', '12098'];
      const titles = ['Bulk A', 'Bulk B', 'Bulk C'];
      for (const [i, id] of ids.entries()) await control.putRecord('website_notifications', id, { notification_title: titles[i]!, notification_view: '0' });

      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      await expandTreeItem(page, 'Sites', SITE);
      await expandTreeItem(page, 'Sites', 'Website Notifications');
      for (const title of titles) await waitForTreeItem(page, 'Sites', title);
      await control.clearRequests();

      const rows = titles.map((title) => treeRow(page, 'Sites', title));
      await rows[0]!.click();
      await rows[1]!.click({ modifiers: ['ControlOrMeta'] });
      await rows[2]!.click({ modifiers: ['ControlOrMeta'] });
      await waitUntil(page, 'three rows selected', async () => (await Promise.all(rows.map((r) => r.getAttribute('aria-selected')))).every((s) => s === 'true'));
      await screenshot('bulk-selected');

      await clickContextMenuItem(page, rows[2]!, 'Mark as Viewed');
      const dialog = await waitForDialog(page);
      const { message, detail, buttons } = await dialogText(dialog);
      log(`confirm: "${message}" / "${detail}" / ${JSON.stringify(buttons)}`);
      assert.match(message, /Mark as Viewed: 3 of 3 website notifications/);
      assert.match(detail, /preview lists each record/);
      // The preview document is open behind the dialog, one record a line with old → new.
      await screenshot('bulk-preview-confirm');
      const before = (await control.requests()).filter((r) => r.method !== 'GET');
      assert.deepStrictEqual(before, [], 'nothing sent before the confirmation');
      await clickDialogButton(page, dialog, 'Send');

      await waitUntil(page, 'the three notifications viewed', async () => {
        const records = await Promise.all(ids.map((id) => control.getRecord('website_notifications', id)));
        return records.every((r) => r?.['notification_view'] === '1');
      });
      const messages = await waitUntilSummary(page);
      log(`summary: ${messages}`);
      const updates = (await control.requests()).filter((r) => r.method !== 'GET');
      assert.deepStrictEqual(updates.map((r) => `${r.method} ${r.path}`), Array(3).fill('PUT /api/v2/website_notifications/update'));
      assert.deepStrictEqual(updates.map((r) => r.body['notification_id']).sort(), [...ids].sort());
      assert.ok(updates.every((r) => r.body['notification_view'] === '1' && Object.keys(r.body).length === 2), 'the key and notification_view only');
      await screenshot('bulk-summary');
    },
  },
];

/** The job's summary line, read from the notification center. */
async function waitUntilSummary(page: Parameters<E2EFlow['run']>[0]['page']): Promise<string> {
  let found = '';
  await waitUntil(page, 'the summary notification', async () => {
    found = (await notificationCenterMessages(page)).find((m) => /Mark as Viewed: done 3/.test(m)) ?? '';
    return found !== '';
  });
  return found;
}
