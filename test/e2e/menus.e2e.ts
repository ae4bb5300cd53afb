// Every menu entry through the real workbench (issue 17): each view-title action, each inline
// and context-menu entry of every kind of tree row, and each editor-title action is triggered
// once as a person would (a click, or the context menu by keyboard), with whatever argument VS
// Code passes there. Whatever it opens (a quick pick, a dialog, a document, a panel) is then
// dismissed; none may end in an error notification or an "[error]" line in the extension's log.
import * as assert from 'assert';
import type { Locator, Page } from 'playwright-core';
import { SandboxControl } from '../../sandbox/control';
import type { E2EFlow } from './harness';
import {
  clickActivityBarItem,
  clickContextMenuItem,
  dismissHover,
  expandTreeItem,
  hideNotificationCenter,
  treeRow,
  waitForActiveTab,
  waitForView,
  waitUntil,
  contextMenuEntries,
  extensionChannelLog,
} from './workbench';
import { sandboxSites } from './sandboxSite';

const BD = 'Menu Directory';
const COPERNICA = 'Menu Copernica';

/** Opens the notification center (the status bar bell), clicking again if a click was lost. */
async function openCenter(page: Page): Promise<Locator> {
  const center = page.locator('.notifications-center.visible');
  for (let attempt = 0; attempt < 4; attempt++) {
    if (await center.isVisible()) return center;
    await page.locator('[id="status.notifications"]').click({ timeout: 10_000 }).catch(() => undefined);
    if (await center.waitFor({ state: 'visible', timeout: 4000 }).then(() => true, () => false)) return center;
    await page.keyboard.press('Escape');
  }
  throw new Error('the notification center did not open');
}

/** Error notifications now listed in the notification center; they are cleared after reading. */
async function takeErrorNotifications(page: Page): Promise<string[]> {
  const center = await openCenter(page);
  const items = center.locator('.notification-list-item').filter({ has: page.locator('.codicon-error') });
  const texts = (await items.locator('.notification-list-item-message').allInnerTexts()).map((t) => t.trim());
  await center.locator('.codicon-notifications-clear-all').first().click().catch(() => undefined);
  await hideNotificationCenter(page).catch(() => page.keyboard.press('Escape'));
  return texts;
}

/**
 * Closes whatever an entry opened that waits for the user (quick inputs, dialogs, menus), for as
 * long as new ones can still appear (a bulk action lists its records, request by request, before
 * its dialog, then builds its preview): Cancel in a dialog, Escape elsewhere; done once nothing
 * is open and the extension's log has been quiet for `quietMs`.
 */
async function dismiss(page: Page, userDataDir: string, quietMs = 2000): Promise<void> {
  let quietSince = Date.now();
  let logLength = extensionChannelLog(userDataDir).length;
  const deadline = Date.now() + 180_000;
  while (Date.now() - quietSince < quietMs && Date.now() < deadline) {
    await page.waitForTimeout(250);
    const dialog = page.locator('.monaco-dialog-box:visible');
    const open = page.locator('.quick-input-widget:visible, .monaco-menu:visible');
    const length = extensionChannelLog(userDataDir).length;
    if ((await dialog.count()) > 0) {
      const cancel = dialog.locator('.monaco-button', { hasText: /^\s*Cancel\s*$/ });
      if ((await cancel.count()) > 0) await cancel.first().click();
      else await page.keyboard.press('Escape');
      quietSince = Date.now();
    } else if ((await open.count()) > 0) {
      await page.keyboard.press('Escape');
      quietSince = Date.now();
    } else if (length !== logLength) {
      quietSince = Date.now();
    }
    logLength = length;
  }
}

/** The inline action buttons of a row (shown on hover), by accessible name. */
async function inlineActions(page: Page, row: Locator): Promise<string[]> {
  // The hover of the row before (a resource's count) can cover this one: let it close first.
  await dismissHover(page);
  await row.hover();
  const buttons = row.locator('.actions .action-label');
  await page.waitForTimeout(300);
  return (await buttons.evaluateAll((els) => (els as unknown as { getAttribute(n: string): string | null }[]).map((el) => el.getAttribute('aria-label') ?? ''))).filter(Boolean);
}

export const flows: E2EFlow[] = [
  {
    name: 'Every menu entry through the real UI: view title, inline and context menus of each kind of row, editor title; no error notification, no [error] in the log',
    ...sandboxSites(
      [
        // The sandbox's own limit is none: a fast pace lets a bulk action list 12,100 records in seconds.
        { name: BD, requestsPerMinute: 1000 },
        { name: COPERNICA, kind: 'copernica', requestsPerMinute: 1000 },
      ],
      { 'files.autoSave': 'off' },
    ),
    timeoutMs: 900_000,
    async run({ page, sandbox, userDataDir, log, screenshot }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      await page.setViewportSize({ width: 1400, height: 1100 });
      await clickActivityBarItem(page, 'Directory Records');
      const pane = await waitForView(page, 'Sites');
      const triggered: string[] = [];
      const problems: string[] = [];

      let logLinesSeen = 0;
      /** After each entry: what it opened is dismissed; a new "[error]" line in the extension's log is a problem. */
      const check = async (what: string): Promise<void> => {
        // A bulk action lists every matching record and builds its preview before its dialog.
        await dismiss(page, userDataDir, /All Matching|Mark All/.test(what) ? 8000 : 1500);
        const errors = extensionChannelLog(userDataDir).split('\n').filter((l) => /\[error\]/.test(l));
        if (errors.length > logLinesSeen) {
          problems.push(`${what}: ${errors.slice(logLinesSeen).join(' | ')}`);
          await screenshot(`problem-${problems.length}`);
          logLinesSeen = errors.length;
        }
        triggered.push(what);
      };
      /** After each group of entries: no error notification (read once per group: the center is slow to open). */
      const checkNotifications = async (group: string): Promise<void> => {
        const errors = await takeErrorNotifications(page);
        if (errors.length > 0) problems.push(`${group} (one of its entries): error notification ${errors.join(' | ')}`);
      };

      // ---- the view's title bar: the icons, then the "…" menu ----
      const title = page.locator('.part.sidebar .composite.title, .part.sidebar .pane-header').first();
      await title.hover();
      const titleButtons = page.locator('.part.sidebar .title-actions .action-label, .part.sidebar .pane-header .actions .action-label');
      const titleNames = [...new Set((await titleButtons.evaluateAll((els) => (els as unknown as { getAttribute(n: string): string | null }[]).map((el) => el.getAttribute('aria-label') ?? ''))).filter((n) => n && !/^(More Actions|Views and More Actions)/.test(n)))];
      log(`view title actions: ${titleNames.join(' | ')}`);
      assert.ok(titleNames.some((n) => /^Add Site/.test(n)), `the + (Add Site) is in the title bar: ${titleNames.join(', ')}`);
      for (const name of titleNames) {
        await title.hover();
        await page.locator('.part.sidebar').getByRole('button', { name, exact: true }).first().click();
        if (/^Add Site/.test(name)) {
          // The + must open Add Site's first step, whatever argument the title bar passes.
          await page.locator('.quick-input-widget:visible').waitFor({ timeout: 15_000 });
          assert.match(await page.locator('.quick-input-widget:visible').innerText(), /Add Site/);
        }
        await check(`view title: ${name}`);
      }
      await checkNotifications('view title');
      const more = page.locator('.part.sidebar').getByRole('button', { name: /^(More Actions|Views and More Actions)/ }).first();
      await more.click();
      const overflow = page.locator('.monaco-menu').first();
      await overflow.waitFor({ state: 'visible', timeout: 10_000 });
      const overflowEntries = (await overflow.getByRole('menuitem').allInnerTexts()).map((t) => t.split('\n')[0]!.trim()).filter(Boolean);
      await page.keyboard.press('Escape');
      const ours = overflowEntries.filter((e) => /^(Open Record by I[dD]|Restore Deleted|Show Log)/.test(e));
      log(`view title "…" entries of ours: ${ours.join(' | ')}`);
      assert.ok(ours.length >= 3, `the "…" menu holds Open Record by Id, Restore Deleted, Show Log: ${overflowEntries.join(', ')}`);
      for (const entry of ours) {
        await more.click();
        await overflow.waitFor({ state: 'visible', timeout: 10_000 });
        await overflow.getByRole('menuitem', { name: new RegExp(`^${entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first().hover();
        await page.keyboard.press('Enter');
        await check(`view title …: ${entry}`);
      }
      await checkNotifications('view title …');

      // ---- each kind of tree row: inline icons, then every context-menu entry ----
      const exercise = async (kind: string, find: () => Locator): Promise<void> => {
        const row = find();
        await row.waitFor({ state: 'visible', timeout: 30_000 });
        for (const name of await inlineActions(page, row)) {
          const current = find();
          await current.hover();
          await current.getByRole('button', { name, exact: true }).first().click();
          await check(`${kind} inline: ${name}`);
        }
        const entries = await contextMenuEntries(page, find());
        log(`${kind} context menu: ${entries.join(' | ')}`);
        for (const entry of entries) {
          await clickContextMenuItem(page, find(), entry);
          await check(`${kind} menu: ${entry}`);
        }
        await checkNotifications(kind);
      };

      await exercise('BD site row', () => treeRow(page, 'Sites', BD));
      await exercise('Copernica site row', () => treeRow(page, 'Sites', COPERNICA));
      await expandTreeItem(page, 'Sites', BD);
      for (const resource of ['Contacts', 'Website Notifications', 'Users Clicks']) {
        await exercise(`${resource} resource row`, () => treeRow(page, 'Sites', resource));
      }
      const recordRow = (resource: string, site: string): Locator => pane.locator(`.monaco-list-row[aria-label$=" in ${resource} of site ${site}"]`).first();
      for (const resource of ['Contacts', 'Website Notifications', 'Users Clicks']) {
        await expandTreeItem(page, 'Sites', resource);
        await exercise(`${resource} record row`, () => recordRow(resource, BD));
        const loadMore = pane.locator('.monaco-list-row', { hasText: /^\s*Load more/ }).first();
        if (resource === 'Contacts' && (await loadMore.count()) > 0) await exercise('Load more row', () => pane.locator('.monaco-list-row', { hasText: /^\s*Load more/ }).first());
        await treeRow(page, 'Sites', resource).locator('.monaco-tl-twistie').click();
      }
      await treeRow(page, 'Sites', BD).locator('.monaco-tl-twistie').click();
      await expandTreeItem(page, 'Sites', COPERNICA);
      await exercise('Copernica clicks resource row', () => treeRow(page, 'Sites', 'Clicks'));
      await expandTreeItem(page, 'Sites', 'Clicks');
      await exercise('Copernica click record row', () => recordRow('Clicks', COPERNICA));

      // ---- a record's editor title: Compare with Server, Delete Record; in the diff, Overwrite and Discard ----
      await treeRow(page, 'Sites', COPERNICA).locator('.monaco-tl-twistie').click();
      await expandTreeItem(page, 'Sites', BD);
      await expandTreeItem(page, 'Sites', 'Contacts');
      await recordRow('Contacts', BD).click();
      await waitUntil(page, 'a contact open', async () => (await page.locator('.part.editor .tab.active[data-resource-name$=".json"]').count()) > 0);
      const tabName = (await page.locator('.part.editor .tab.active').first().getAttribute('data-resource-name'))!;
      await waitForActiveTab(page, tabName);
      const editorActions = page.locator('.part.editor .editor-group-container.active .title .editor-actions .action-label');
      const editorNames = async (): Promise<string[]> => (await editorActions.evaluateAll((els) => (els as unknown as { getAttribute(n: string): string | null }[]).map((el) => el.getAttribute('aria-label') ?? ''))).filter((n) => n && !/^(More Actions|Split Editor|Open Changes|Close)/.test(n));
      // Delete Record shows once VS Code knows the file is writable (its stat): wait for it.
      await waitUntil(page, 'Delete Record in the record editor\'s title', async () => (await editorNames()).some((n) => /^Delete Record/.test(n)), { timeoutMs: 20_000 });
      const recordActions = await editorNames();
      log(`record editor title actions: ${recordActions.join(' | ')}`);
      assert.ok(recordActions.some((n) => /^Compare/.test(n)), `Compare in the editor title: ${recordActions.join(', ')}`);
      for (const name of recordActions.filter((n) => !/^Compare/.test(n))) {
        await page.locator('.part.editor .editor-group-container.active .title .editor-actions').getByRole('button', { name, exact: true }).first().click();
        await check(`record editor title: ${name}`);
      }
      await checkNotifications('record editor title');
      const compare = recordActions.find((n) => /^Compare/.test(n))!;
      await page.locator('.part.editor .editor-group-container.active .title .editor-actions').getByRole('button', { name: compare, exact: true }).first().click();
      await check(`record editor title: ${compare}`);
      await waitUntil(page, 'the diff editor', async () => (await page.locator('.part.editor .editor-group-container.active .monaco-diff-editor').count()) > 0);
      const diffActions = (await editorNames()).filter((n) => /^(Overwrite|Discard)/.test(n));
      log(`diff editor title actions: ${diffActions.join(' | ')}`);
      assert.equal(diffActions.length, 2, `Overwrite and Discard in the diff editor's title: ${(await editorNames()).join(', ')}`);
      for (const name of diffActions) {
        const button = page.locator('.part.editor .editor-group-container.active .title .editor-actions').getByRole('button', { name, exact: true }).first();
        if ((await button.count()) === 0) continue; // Discard may close the diff
        await button.click();
        await check(`diff editor title: ${name}`);
      }
      await checkNotifications('diff editor title');

      log(`triggered ${triggered.length} entries`);
      assert.ok(triggered.length >= 30, `at least 30 entries triggered (${triggered.length})`);
      assert.deepStrictEqual(problems, [], problems.join('\n'));
    },
  },
];
