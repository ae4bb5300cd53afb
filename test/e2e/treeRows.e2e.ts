// Rows that read at a glance (issue 10): at the default sidebar width every record row shows its
// label whole and at least the first 12 characters of its description; screenshots of each
// resource; the unread badge; context menus; a slow load's notification progress and Cancel.
// Issue 17 item 6: the view's title, every site and resource row (filtered and sorted too) and
// every click row are shown whole, not cut (scrollWidth ≤ clientWidth).
// With DIRECTORY_RECORDS_UPDATE_SCREENSHOTS=1 the screenshots are also written to docs/images/.
import * as assert from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { SandboxControl } from '../../sandbox/control';
import type { E2EFlow } from './harness';
import {
  clickActivityBarItem,
  clickContextMenuItem,
  clickNotificationButton,
  dismissHover,
  expandTreeItem,
  hideNotificationCenter,
  notificationCenterMessages,
  notificationButtons,
  pickQuickItem,
  submitQuickInput,
  treeRow,
  treeRowDescription,
  viewPane,
  waitForNotification,
  waitForTreeItem,
  waitForView,
  waitUntil,
  contextMenuEntries,
} from './workbench';
import { sandboxSites } from './sandboxSite';

const BD = 'Sandbox Directory';
const COPERNICA = 'Sandbox Copernica';
const DOCS_IMAGES = path.resolve(__dirname, '../../../docs/images');

/** Both sandbox sites in the user settings, their keys preloaded into SecretStorage on activation. */
const twoSites = sandboxSites([{ name: BD }, { name: COPERNICA, kind: 'copernica' }]);

/** What a record row's accessible name starts with (its kind), per resource. */
const RECORD_ROW = /^(Contact|Website notification|Profile click|Click) /;

interface RowMeasure {
  /** The row's place in the list (rows are rendered as they scroll into view). */
  readonly index: string;
  readonly aria: string;
  readonly label: string;
  readonly description: string;
  /** The label's own overflow: its scrollWidth is at most its clientWidth. */
  readonly labelFits: boolean;
  /** The label ends inside the row's clip box. */
  readonly labelInside: boolean;
  /** The whole row (label and description) fits its clip box: nothing is cut. */
  readonly whole: boolean;
  /** The row shows its inline actions (hovered or selected), which take room from the description. */
  readonly actionsShown: boolean;
  /** How many leading characters of the description are shown before the clip (and its ellipsis). */
  readonly descriptionShown: number;
  readonly rowWidth: number;
  /** Geometry, for the log: the clip box's width, the label's, the gap before the description, the ellipsis. */
  readonly clipWidth: number;
  readonly labelWidth: number;
  readonly gap: number;
  readonly ellipsis: number;
}

/** Measures every record row now rendered in the Sites view. */
async function measureRows(page: Page): Promise<RowMeasure[]> {
  const rows = viewPane(page, 'Sites').locator('.monaco-list-row');
  // Page code (the tsconfig has no DOM lib): elements are typed loosely here.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  return rows.evaluateAll((els: any[]) => {
    const out: any[] = [];
    for (const row of els) {
      const aria = row.getAttribute('aria-label') ?? '';
      const name = row.querySelector('.label-name');
      const clip = row.querySelector('.monaco-icon-label-container');
      if (!name || !clip) continue;
      const box = clip.getBoundingClientRect();
      const description = row.querySelector('.label-description');
      const text = description?.textContent ?? '';
      // The container cuts with an ellipsis: a character counts as shown if it ends before the ellipsis would start.
      const doc = (globalThis as any).document;
      const probe = doc.createElement('span');
      probe.textContent = '…';
      probe.style.cssText = 'position:absolute;visibility:hidden;white-space:pre';
      (description ?? name).parentElement.appendChild(probe);
      const ellipsis = probe.getBoundingClientRect().width;
      probe.remove();
      let shown = 0;
      if (description && description.firstChild) {
        const range = doc.createRange();
        const node = description.firstChild;
        const length = node.textContent.length;
        for (let i = 1; i <= length; i++) {
          range.setStart(node, 0);
          range.setEnd(node, i);
          const right = range.getBoundingClientRect().right;
          if (right > box.right - (i < length ? ellipsis : 0) + 0.5) break;
          shown = i;
        }
      }
      const nameBox = name.getBoundingClientRect();
      const overflowing = clip.scrollWidth > clip.clientWidth;
      out.push({
        index: row.getAttribute('data-index') ?? aria,
        aria,
        label: (name.textContent ?? '').trim(),
        description: text,
        labelFits: name.clientWidth === 0 || name.scrollWidth <= name.clientWidth,
        labelInside: nameBox.right <= box.right - (overflowing ? ellipsis : 0) + 0.5,
        whole: !overflowing,
        actionsShown: Array.from(row.querySelectorAll('.actions')).some((a: any) => a.getBoundingClientRect().width > 0 && (globalThis as any).getComputedStyle(a).display !== 'none'),
        descriptionShown: shown,
        rowWidth: row.getBoundingClientRect().width,
        clipWidth: box.width,
        labelWidth: nameBox.width,
        gap: description ? description.getBoundingClientRect().left - nameBox.right : 0,
        ellipsis,
      });
    }
    return out;
  }) as Promise<RowMeasure[]>;
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

/** The side bar's title as shown, and whether it is cut (its scrollWidth beyond its clientWidth). */
async function measureTitle(page: Page): Promise<{ text: string; whole: boolean; scrollWidth: number; clientWidth: number }> {
  const title = page.locator('.part.sidebar .composite.title .title-label h2').first();
  /* eslint-disable @typescript-eslint/no-explicit-any */
  return title.evaluate((el: any) => ({ text: el.textContent ?? '', whole: el.scrollWidth <= el.clientWidth, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

/** Cut rows that are not records (sites, resources, messages), except one showing its inline actions. */
function cutOtherRows(rows: readonly RowMeasure[]): string[] {
  return rows.filter((row) => !RECORD_ROW.test(row.aria) && !row.actionsShown && !row.whole).map((row) => `row cut: "${row.label}" — "${row.description}" (${row.aria})`);
}

/** Measures every record row under the expanded resource, scrolling the view to render them all. */
async function measureAllRecordRows(page: Page, expected: number): Promise<RowMeasure[]> {
  const pane = viewPane(page, 'Sites');
  const list = pane.locator('.monaco-list').first();
  const seen = new Map<string, RowMeasure>();
  const box = await list.boundingBox();
  if (!box) throw new Error('the Sites tree is not visible');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let step = 0; step < 20 && seen.size < expected; step++) {
    for (const row of await measureRows(page)) if (RECORD_ROW.test(row.aria)) seen.set(row.index, row);
    await page.mouse.wheel(0, box.height / 2);
    await page.waitForTimeout(150);
  }
  await page.mouse.wheel(0, -100_000);
  await page.waitForTimeout(150);
  await noHover(page);
  return [...seen.values()];
}

/**
 * Moves the mouse off the tree and closes any hover (a record's tooltip opens under a mouse left
 * on the list while scrolling, and can stay until Escape).
 */
async function noHover(page: Page): Promise<void> {
  const hover = page.locator('.context-view .hover-contents, .workbench-hover-container .workbench-hover');
  const bar = await page.locator('.part.activitybar').boundingBox();
  for (let attempt = 0; attempt < 3; attempt++) {
    if (bar) await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height * 0.6);
    if (!(await hover.first().isVisible().catch(() => false))) return;
    await page.keyboard.press('Escape');
    await hover.first().waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
  }
  await dismissHover(page);
}

/** Collapses the row `label` if it is expanded (a click on its twistie). */
async function collapse(page: Page, label: string): Promise<void> {
  const row = treeRow(page, 'Sites', label);
  if ((await row.getAttribute('aria-expanded')) === 'true') {
    await row.locator('.monaco-tl-twistie').click();
    await waitUntil(page, `"${label}" to collapse`, async () => (await row.getAttribute('aria-expanded')) === 'false');
  }
}

/** The records rendered under a resource: rows whose accessible name says they are in it. */
function recordRowsOf(page: Page, resource: string, site: string): Locator {
  return viewPane(page, 'Sites').locator(`.monaco-list-row[aria-label$=" in ${resource} of site ${site}"]`);
}

/** A PNG of the side bar (and the activity bar beside it) at its width as shown. */
async function sidebarShot(page: Page, outputDir: string, name: string, log: (m: string) => void): Promise<void> {
  await noHover(page);
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar) throw new Error('the side bar is not visible');
  const clip = { x: 0, y: 0, width: Math.ceil(sidebar.x + sidebar.width), height: Math.ceil(sidebar.y + sidebar.height) };
  const file = path.join(outputDir, `${name}.png`);
  await page.screenshot({ path: file, clip });
  log(`screenshot: ${file}`);
  if (process.env['DIRECTORY_RECORDS_UPDATE_SCREENSHOTS'] === '1') {
    fs.mkdirSync(DOCS_IMAGES, { recursive: true });
    fs.copyFileSync(file, path.join(DOCS_IMAGES, `${name}.png`));
    log(`  copied to docs/images/${name}.png`);
  }
}

export const flows: E2EFlow[] = [
  {
    name: 'Tree rows at the default sidebar width: every record row shows its label whole and 12+ characters of its description; screenshots of each resource; the unread badge; context menus',
    ...twoSites,
    timeoutMs: 180_000,
    async run({ page, sandbox, outputDir, log }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      const sidebar = (await page.locator('.part.sidebar').boundingBox())!;
      log(`side bar width as shown by default: ${Math.round(sidebar.width)} px`);
      const title = await measureTitle(page);
      log(`view title: "${title.text}" (scrollWidth ${title.scrollWidth}, clientWidth ${title.clientWidth})`);
      const failures: string[] = [];
      if (!title.whole) failures.push(`view title cut: "${title.text}"`);

      // The view's badge: the unread notifications of the BD site, counted on load.
      // (While the extension activates, the same spot shows a progress badge without a number.)
      // The entry's accessible name then carries the badge's tooltip too: "Directory Records - 4,776 unread …".
      const entry = page.locator('.part.activitybar').getByRole('tab', { name: /^Directory Records - [\d,.]+ unread website notifications/ });
      const badge = entry.locator('.badge-content', { hasText: /\d/ }).first();
      await badge.waitFor({ state: 'visible', timeout: 30_000 });
      log(`activity bar badge: "${(await badge.innerText()).trim()}" (${await entry.getAttribute('aria-label')})`);

      const resources: { site: string; resource: string; shot: string }[] = [
        { site: BD, resource: 'Contacts', shot: 'tree-contacts' },
        { site: BD, resource: 'Website Notifications', shot: 'tree-notifications' },
        { site: BD, resource: 'Users Clicks', shot: 'tree-users-clicks' },
        { site: COPERNICA, resource: 'Clicks', shot: 'tree-copernica-clicks' },
      ];
      let previous: { site: string; resource: string } | undefined;
      for (const { site, resource, shot } of resources) {
        if (previous) {
          await collapse(page, previous.resource);
          if (previous.site !== site) await collapse(page, previous.site);
        }
        await expandTreeItem(page, 'Sites', site);
        await expandTreeItem(page, 'Sites', resource);
        await waitUntil(page, `records under ${resource}`, async () => (await recordRowsOf(page, resource, site).count()) > 10);
        await noHover(page);
        const rows = await measureAllRecordRows(page, 25);
        const g = rows[0];
        log(`${resource}: ${rows.length} record rows measured, e.g. "${g?.label}" — "${g?.description}" (clip ${g?.clipWidth.toFixed(1)} px, label ${g?.labelWidth.toFixed(1)}, gap ${g?.gap.toFixed(1)}, ellipsis ${g?.ellipsis.toFixed(1)}, row ${g?.rowWidth})`);
        assert.strictEqual(rows.length, 25, `${resource}: every row of the first page is measured`);
        const clicks = resource.endsWith('Clicks');
        for (const row of rows) {
          // A click row tells itself apart by its member (or mailing) and day: the description is shown whole.
          const wanted = clicks ? row.description.length : Math.min(12, row.description.length);
          if (!row.labelFits || !row.labelInside) failures.push(`${resource}: label cut: "${row.label}" (${row.aria})`);
          if (row.descriptionShown < wanted) failures.push(`${resource}: description shows ${row.descriptionShown} of its first ${wanted} characters: "${row.description}" (label "${row.label}")`);
        }
        const others = await measureRows(page);
        log(`${resource}: other rows: ${others.filter((r) => !RECORD_ROW.test(r.aria)).map((r) => `"${r.label}" "${r.description}"${r.whole ? '' : ' (cut)'}${r.actionsShown ? ' (actions shown)' : ''}`).join(', ')}`);
        failures.push(...cutOtherRows(others));
        await sidebarShot(page, outputDir, shot, log);
        previous = { site, resource };
      }

      // A filtered and sorted resource: its row still shows whole (the tooltip has the filter and sort in words).
      await collapse(page, 'Clicks');
      await collapse(page, COPERNICA);
      await expandTreeItem(page, 'Sites', BD);
      const usersClicks = await waitForTreeItem(page, 'Sites', 'Users Clicks');
      await clickContextMenuItem(page, usersClicks, 'Filter…');
      await pickQuickItem(page, 'Filter Users Clicks (1/3): column', 'user_id');
      await pickQuickItem(page, 'Filter Users Clicks (2/3): user_id …', 'is');
      await submitQuickInput(page, 'Filter Users Clicks (3/3): user_id is …', '42');
      await waitUntil(page, 'Users Clicks to be filtered', async () => /filtered/.test((await treeRow(page, 'Sites', 'Users Clicks').getAttribute('aria-label')) ?? ''));
      await clickContextMenuItem(page, treeRow(page, 'Sites', 'Users Clicks'), 'Sort…');
      await pickQuickItem(page, 'Sort Users Clicks (1/2): by', 'date_clicked');
      await pickQuickItem(page, 'Sort Users Clicks (2/2): date_clicked', 'Ascending');
      await waitUntil(page, 'Users Clicks to be sorted', async () => /Sorted by date_clicked/.test((await treeRow(page, 'Sites', 'Users Clicks').getAttribute('aria-label')) ?? ''));
      await waitUntil(page, 'Users Clicks to count', async () => /\d+ records/.test((await treeRow(page, 'Sites', 'Users Clicks').getAttribute('aria-label')) ?? ''));
      // No row selected (a selected row shows its inline actions over its description): Escape in the tree clears it.
      await viewPane(page, 'Sites').locator('.monaco-list').first().focus();
      await page.keyboard.press('Escape');
      await noHover(page);
      const filtered = (await measureRows(page)).filter((r) => r.aria.startsWith('Users Clicks of site'));
      log(`filtered resource: ${filtered.map((r) => `"${r.label}" "${r.description}"${r.whole ? '' : ' (cut)'}${r.actionsShown ? ' (actions shown)' : ''}`).join(', ')}`);
      assert.strictEqual(filtered.length, 1, 'the Users Clicks row is measured');
      failures.push(...cutOtherRows(filtered));
      if (filtered[0]!.actionsShown && !filtered[0]!.whole) failures.push(`filtered row measured with its actions shown: "${filtered[0]!.description}"`);
      await sidebarShot(page, outputDir, 'tree-filtered', log);
      assert.deepStrictEqual(failures, [], failures.join('\n'));

      // Context menus carry what the inline icons do.
      const contacts = await waitForTreeItem(page, 'Sites', 'Contacts');
      const entries = await contextMenuEntries(page, contacts);
      log(`Contacts' context menu: ${entries.join(' | ')}`);
      for (const wanted of ['Filter', 'Refresh']) assert.ok(entries.some((e) => e.startsWith(wanted)), `"${wanted}" in the context menu: ${entries.join(', ')}`);
      const siteEntries = await contextMenuEntries(page, treeRow(page, 'Sites', BD));
      assert.ok(siteEntries.some((e) => e.startsWith('Refresh')), `"Refresh" in the site's context menu: ${siteEntries.join(', ')}`);
    },
  },
  {
    name: 'A load past 2 s shows notification progress with Cancel; Cancel leaves the resource "cancelled", Load again loads it',
    ...twoSites,
    timeoutMs: 120_000,
    async run({ page, sandbox, screenshot, log }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      await waitForTreeItem(page, 'Sites', BD);
      // Every API answer now takes 10 s: expanding the site starts three loads that outlast 2 s
      // by long enough to find their notification and press its Cancel.
      await control.configure({ latencyMs: 10_000 });
      try {
        await expandTreeItem(page, 'Sites', BD);
        log(`expanded; Contacts shows "${await treeRowDescription(treeRow(page, 'Sites', 'Contacts'))}"`);
        const progress = await waitForNotification(page, /Contacts of Sandbox Directory/, { timeoutMs: 20_000 }).catch(async (error: unknown) => {
          log(`notification center: ${JSON.stringify(await notificationCenterMessages(page))}; Contacts shows "${await treeRowDescription(treeRow(page, 'Sites', 'Contacts'))}"`);
          throw error;
        });
        log(`progress notification: ${(await progress.innerText()).replace(/\s+/g, ' ')}`);
        assert.ok((await notificationButtons(progress)).includes('Cancel'), 'the progress can be cancelled');
        await screenshot('slow-load-progress');
        await clickNotificationButton(progress, 'Cancel');
        await hideNotificationCenter(page);
        const contacts = treeRow(page, 'Sites', 'Contacts');
        await waitUntil(page, 'Contacts to say it was cancelled', async () => (await treeRowDescription(contacts)) === 'cancelled', { timeoutMs: 15_000 });
      } finally {
        await control.configure({ latencyMs: 0 });
      }
      await expandTreeItem(page, 'Sites', 'Contacts');
      const cancelled = await waitForTreeItem(page, 'Sites', 'Loading was cancelled.');
      assert.strictEqual(await treeRowDescription(cancelled), 'Load again');
      await cancelled.click();
      await waitUntil(page, 'the contacts to load again', async () => (await recordRowsOf(page, 'Contacts', BD).count()) > 0, { timeoutMs: 30_000 });
      await screenshot('loaded-again');
    },
  },
];
