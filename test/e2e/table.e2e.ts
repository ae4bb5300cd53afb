// Open as Table through the real workbench (issue 20): the grid inside its webview, three cells
// edited from the keyboard and a 2×3 range pasted from the clipboard mark exactly 5 rows; Ctrl+S
// shows the review of those 5 and, on Send, exactly 5 updates each with only its changed fields;
// a record changed in the sandbox meanwhile lands in the conflict flow; no CSP violation; the
// table in the dark and light themes; a saved row's context menu opens Show Save History, which
// lists the table's save, its changes a diff of old → new. With DIRECTORY_RECORDS_UPDATE_SCREENSHOTS=1 the
// screenshots also go to docs/images/.
import * as assert from 'assert';
import type { Frame, Page } from 'playwright-core';
import { SandboxControl } from '../../sandbox/control';
import type { E2EFlow } from './harness';
import { clickActivityBarItem, clickContextMenuItem, clickDialogButton, dialogText, dismissHover, expandTreeItem, isTabDirty, pickQuickItem, quickInput, tabByResourceName, treeRow, waitForDialog, waitForDiffText, waitForNotification, waitForQuickInput, waitForView, waitForWorkbench, waitUntil, editorShot as shot, webviewFrame } from './workbench';
import { requestsSettled, sandboxSites, show, writes } from './sandboxSite';

const SITE = 'Table Site';

/**
 * Opens a resource of the site as a table from its row's context menu, as a person does. With
 * `control`: the tree reads its own first pages of the site's resources first, so the log is
 * cleared after those and the table's requests are counted alone.
 */
async function openTable(page: Page, resource: string, control?: SandboxControl): Promise<void> {
  await clickActivityBarItem(page, 'Directory Records');
  await waitForView(page, 'Sites');
  await expandTreeItem(page, 'Sites', SITE);
  await dismissHover(page);
  if (control) {
    await requestsSettled(page, control);
    await control.clearRequests();
  }
  await clickContextMenuItem(page, treeRow(page, 'Sites', new RegExp(`^${resource}$`)), 'Open as Table');
}

/** The table's webview document: the frame with the grid. */
function tableFrame(page: Page): Promise<Frame> {
  return webviewFrame(page, 'the table webview with its grid', '[role="grid"]', 60_000);
}

/** The grid cell of a data row (0 = the first record) in the column `key`. */
function cell(frame: Frame, rowIndex: number, key: string, columnIndex: number): ReturnType<Frame['locator']> {
  // aria-rowindex counts the header row as 1; aria-colindex counts from 1.
  void key;
  return frame.locator(`[role="row"][aria-rowindex="${rowIndex + 2}"] [role="gridcell"][aria-colindex="${columnIndex + 1}"]`);
}

/** Edits the active cell from the keyboard: Enter opens the editor, Ctrl+A and Backspace clear it, the value is typed, Enter commits. */
async function typeInCell(page: Page, frame: Frame, value: string): Promise<void> {
  await page.keyboard.press('Enter');
  const editor = frame.locator('input.cell-editor');
  await editor.waitFor({ state: 'visible', timeout: 10_000 });
  await waitUntil(page, 'the cell editor focused', () => editor.evaluate((e) => e.ownerDocument.activeElement === e));
  // The workbench also answers Ctrl+A (its Select All, sent to the webview a moment later): wait for it before typing.
  await page.keyboard.press('Control+A');
  await page.waitForTimeout(300);
  await page.keyboard.press('Backspace');
  await waitUntil(page, 'the cell editor empty', async () => (await editor.inputValue()) === '');
  await page.keyboard.type(value, { delay: 20 });
  await waitUntil(page, `the cell editor to hold ${value}`, async () => (await editor.inputValue()) === value);
  await page.keyboard.press('Enter');
}

async function cspViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  for (const f of page.frames()) violations.push(...(await f.evaluate(() => (globalThis as unknown as { __cspViolations?: string[] }).__cspViolations ?? []).catch(() => [] as string[])));
  return violations;
}

export const flows: E2EFlow[] = [
  {
    name: 'Table: 3 cells edited by keyboard and a 2×3 paste mark 5 rows; Ctrl+S reviews those 5 and sends exactly 5 updates of only their changed fields; a record changed meanwhile lands in the conflict flow; no CSP violation; dark and light',
    // The history diff opens beside the review, where VS Code would draw it inline (deleted lines among the new ones): side by side, each side holds only its own version.
    ...sandboxSites({ name: SITE }, { 'workbench.colorTheme': 'Default Dark Modern', 'files.autoSave': 'off', 'diffEditor.useInlineViewWhenSpaceIsLimited': false }),
    timeoutMs: 240_000,
    async run({ page, sandbox, outputDir, log }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await page.context().addInitScript({
        content: "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));",
      });
      const cspConsole: string[] = [];
      page.on('console', (m) => /Content Security Policy|Refused to (load|execute|apply)/i.test(m.text()) && cspConsole.push(m.text()));

      await openTable(page, 'Contacts', control);
      const frame = await tableFrame(page);
      await waitUntil(page, 'the first rows in the grid', async () => (await frame.locator('[role="row"][aria-rowindex="2"]').count()) > 0, { timeoutMs: 60_000 });
      const contactsReads = (await control.requests()).filter((r) => r.path.startsWith('/api/v2/contacts/'));
      log(`first screen: ${contactsReads.length} request(s) for contacts: ${contactsReads.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)}`).join(', ')}`);
      assert.strictEqual(contactsReads.length, 1, 'the first screen is one request');
      const grid = frame.locator('[role="grid"]');
      log(`grid: aria-rowcount ${await grid.getAttribute('aria-rowcount')}, ${await frame.locator('[role="row"]').count()} rows in the DOM`);
      assert.match(await frame.locator('.status').innerText(), /of [\d,.\s]+ loaded/, 'the total is shown');

      // The records of the first five rows, as the sandbox holds them.
      const ids: string[] = [];
      for (let r = 0; r < 5; r++) ids.push((await cell(frame, r, 'contact_id', 0).innerText()).trim().split(/\s/)[0]!);
      log(`rows 1-5: contacts ${ids.join(', ')}`);
      const oldFirstName = (await control.getRecord('contacts', ids[3]!))!['first_name'] ?? '';

      // Three cells edited from the keyboard: first_name (column 2) of rows 1-3.
      const marked = (n: number) => waitUntil(page, `${n} rows marked`, async () => (await frame.locator('[role="row"].row-changed').count()) === n);
      await cell(frame, 0, 'first_name', 1).click();
      await typeInCell(page, frame, 'kbd1');
      await marked(1);
      await page.keyboard.press('ArrowDown');
      await typeInCell(page, frame, 'kbd2');
      await marked(2);
      await page.keyboard.press('ArrowDown');
      await typeInCell(page, frame, 'kbd3');
      await marked(3);

      // A 2×3 range from the clipboard at row 4's first_name: first_name, last_name, email of rows 4 and 5.
      await page.evaluate((text) => (globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }).navigator.clipboard.writeText(text), 'Pa\tSte\tpa1@example.com\nPb\tSte\tpb2@example.com\n');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Control+V');
      await waitUntil(page, 'exactly 5 rows marked', async () => (await frame.locator('[role="row"].row-changed').count()) === 5, { timeoutMs: 15_000 });
      assert.match(await frame.locator('[role="row"][aria-rowindex="2"]').innerText(), /1 changed fields/, 'a changed row says so in words');
      const tab = tabByResourceName(page, 'Contacts.table');
      await waitUntil(page, 'the table tab dirty', () => isTabDirty(tab));
      await page.waitForTimeout(300);
      await shot(page, outputDir, 'table-dark', log);

      // A colleague changes the phone of row 1 meanwhile (a field I did not change): merged, still one PUT of my field.
      await control.putRecord('contacts', ids[0]!, { phone_number: '555-0199' });
      await control.clearRequests();
      await page.keyboard.press('Control+S');
      const dialog = await waitForDialog(page);
      const asked = await dialogText(dialog);
      log(`review dialog: ${asked.message} / ${asked.detail}`);
      assert.match(asked.message, /Send 5 changed Contacts/);
      assert.match(asked.detail, /15 requests/);
      // Monaco draws spaces as no-break spaces.
      const review = (await page.locator('.monaco-editor .view-lines').allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' ')).find((t) => t.includes('# Review'));
      assert.ok(review, 'the review document is shown');
      for (const id of ids) assert.ok(review.includes(`contact ${id}`), `the review lists contact ${id}`);
      assert.deepStrictEqual(writes(await control.requests()), [], 'nothing sent before Send');
      await clickDialogButton(page, dialog, 'Send');
      await waitForNotification(page, /Table save of "Table Site": \d saved, \d merged, 0 conflicts, 0 failed/, { timeoutMs: 60_000 });
      const puts = writes(await control.requests());
      log(`sent: ${show(puts).join(', ')}`);
      assert.strictEqual(puts.length, 5, 'exactly 5 updates');
      const bodies = Object.fromEntries(puts.map((p) => [(p.body as Record<string, string>)['contact_id'], p.body]));
      assert.deepStrictEqual(bodies[ids[0]!], { contact_id: ids[0], first_name: 'kbd1' });
      assert.deepStrictEqual(bodies[ids[1]!], { contact_id: ids[1], first_name: 'kbd2' });
      assert.deepStrictEqual(bodies[ids[2]!], { contact_id: ids[2], first_name: 'kbd3' });
      assert.deepStrictEqual(bodies[ids[3]!], { contact_id: ids[3], first_name: 'Pa', last_name: 'Ste', email: 'pa1@example.com' });
      assert.deepStrictEqual(bodies[ids[4]!], { contact_id: ids[4], first_name: 'Pb', last_name: 'Ste', email: 'pb2@example.com' });
      assert.strictEqual((await control.getRecord('contacts', ids[0]!))!['phone_number'], '555-0199', 'the colleague\'s phone kept');
      await waitUntil(page, 'no row marked after the save', async () => (await frame.locator('[role="row"].row-changed').count()) === 0);
      await waitUntil(page, 'the table tab clean', async () => !(await isTabDirty(tab)));

      // Row 6's city changed here and on the server: a conflict, nothing sent for it, the row stays marked and the tab dirty.
      const sixth = (await cell(frame, 5, 'contact_id', 0).innerText()).trim().split(/\s/)[0]!;
      await cell(frame, 5, 'first_name', 1).click();
      await typeInCell(page, frame, 'Mine');
      await waitUntil(page, 'row 6 marked', async () => (await frame.locator('[role="row"].row-changed').count()) === 1);
      await control.putRecord('contacts', sixth, { first_name: 'Theirs' });
      await control.clearRequests();
      await page.keyboard.press('Control+S');
      await clickDialogButton(page, await waitForDialog(page), 'Send');
      const conflict = await waitForNotification(page, /changed on the server in the fields you changed/, { timeoutMs: 60_000 });
      log(`conflict: ${await conflict.innerText()}`);
      assert.deepStrictEqual(writes(await control.requests()), [], 'nothing sent for the conflicting row');
      assert.strictEqual((await control.getRecord('contacts', sixth))!['first_name'], 'Theirs');
      await waitUntil(page, 'the conflicting row still marked and the tab dirty', async () => (await frame.locator('[role="row"].row-changed').count()) === 1 && (await isTabDirty(tab)));

      // No CSP violation in the webview's frames, nor on the console.
      const csp = (await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
      assert.deepStrictEqual(await cspViolations(page), [], 'securitypolicyviolation events');
      assert.deepStrictEqual(cspConsole, [], 'CSP messages on the console');

      // The light theme, followed live.
      await page.locator('.part.statusbar').click({ position: { x: 1, y: 1 } });
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+T');
      const themeInput = page.locator('.quick-input-widget input.input');
      await themeInput.waitFor({ state: 'visible', timeout: 30_000 });
      await themeInput.fill('Light Modern');
      await waitUntil(page, 'Light Modern to be highlighted', async () => /Light Modern/.test(await page.locator('.quick-input-widget .monaco-list-row.focused').first().innerText().catch(() => '')));
      await page.keyboard.press('Enter');
      await waitUntil(page, 'the webview to turn light', async () => (await frame.locator('body.vscode-light').count()) > 0, { timeoutMs: 30_000 });
      await page.waitForTimeout(300);
      await shot(page, outputDir, 'table-light', log);

      // Show Save History from row 4's context menu (right-click; Shift+F10 or Alt+H from the keyboard): the table's save, old → new.
      await control.clearRequests();
      await clickContextMenuItem(page, cell(frame, 3, 'first_name', 1), 'Show Save History');
      await waitForQuickInput(page, new RegExp(`^\\s*Save History of contact ${ids[3]!}\\s*$`));
      const entries = quickInput(page).locator('.monaco-list-row');
      await entries.first().waitFor({ state: 'visible' });
      const listed = await entries.allInnerTexts();
      log(`history of contact ${ids[3]!}: ${JSON.stringify(listed)}`);
      assert.strictEqual(listed.length, 1, 'one save kept');
      assert.match(listed[0]!, /saved from a table/);
      assert.ok(listed[0]!.includes(`first_name: ${oldFirstName ? JSON.stringify(oldFirstName) : '∅'} → "Pa"`), `the entry names the field old → new: ${listed[0]}`);
      await page.keyboard.press('Enter');
      await pickQuickItem(page, /^\s*Version of /, 'Show the Changes of This Save');
      const field = (value: string): string => `"first_name": ${JSON.stringify(value)}`;
      const { original, modified } = await waitForDiffText(page, (left, right) => left.includes(field(oldFirstName)) && right.includes(field('Pa')), `${oldFirstName} → Pa`);
      assert.ok(!original.includes(field('Pa')) && !modified.includes(field(oldFirstName)), `each side holds only its version; left:\n${original}\nright:\n${modified}`);
      await shot(page, outputDir, 'table-history-diff', log);
      assert.deepStrictEqual(writes(await control.requests()), [], 'showing the history sent nothing');
    },
  },
  {
    name: 'Table: 10,000 loaded notifications, scrolled page by page (one request each), keep at most 100 rows in the DOM; dates shown decoded, the raw value kept',
    ...sandboxSites({ name: SITE }, { 'directoryRecords.pageSize': 1000, 'directoryRecords.requestsPerMinute': 600 }),
    timeoutMs: 420_000,
    async run({ page, sandbox, log }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      await openTable(page, 'Website Notifications', control);
      const frame = await tableFrame(page);
      const grid = frame.locator('[role="grid"]');
      const loaded = async (): Promise<number> => Number(await grid.getAttribute('aria-rowcount')) - 1;
      await waitUntil(page, 'the first page', async () => (await loaded()) > 0, { timeoutMs: 60_000 });
      // Date columns show the date decoded in the page's language; the raw value the API keeps (what is edited) is the cell's tooltip.
      // Columns are virtualised too: scroll right until a date column is rendered.
      const dated = frame.locator('[role="gridcell"] span[title]').first();
      await waitUntil(page, 'a date column in view', async () => {
        if ((await dated.count()) > 0) return true;
        await grid.evaluate((e) => e.scrollBy({ left: 400 }));
        return false;
      }, { timeoutMs: 30_000 });
      const raw = (await dated.getAttribute('title')) ?? '';
      const decoded = (await dated.locator('span[aria-hidden="true"]').innerText()).trim();
      await grid.evaluate((e) => e.scrollTo({ left: 0 }));
      log(`a date cell: ${raw} shown as ${decoded}`);
      assert.match(raw, /^(\d{12}|\d{14}|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)$/, 'the tooltip is the raw value');
      assert.notStrictEqual(decoded, raw);
      assert.match(decoded, /\b(19|20)\d\d\b/, 'the decoded date names its year');
      // BD answers at most 100 records a page, whatever the setting asks.
      const pageSize = await loaded();
      for (let pages = 1; (await loaded()) < 10_000 && pages < 10_000 / pageSize + 5; pages++) {
        const before = await loaded();
        await grid.evaluate((e) => e.scrollTo({ top: e.scrollHeight }));
        await waitUntil(page, `the page after ${before} rows`, async () => (await loaded()) > before, { timeoutMs: 60_000 });
      }
      const rows = await loaded();
      const reads = (await control.requests()).filter((r) => r.path.startsWith('/api/v2/website_notifications/'));
      const inDom = await frame.locator('[role="row"]').count();
      log(`${rows} rows loaded with ${reads.length} requests; ${inDom} rows in the DOM (header included); aria-rowcount ${await grid.getAttribute('aria-rowcount')}`);
      assert.ok(rows >= 10_000, `${rows} rows loaded`);
      assert.strictEqual(reads.length, Math.ceil(rows / pageSize), 'one request a page');
      assert.ok(inDom <= 100, `${inDom} rows in the DOM`);
    },
  },
  {
    name: 'Table: an unsaved edit survives Developer: Reload Window (hot exit backup): the row is still marked and the tab dirty',
    ...sandboxSites({ name: SITE }, { 'files.autoSave': 'off' }),
    timeoutMs: 180_000,
    async run({ page, sandbox, log }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      await openTable(page, 'Contacts');
      let frame = await tableFrame(page);
      await waitUntil(page, 'the first rows in the grid', async () => (await frame.locator('[role="row"][aria-rowindex="2"]').count()) > 0, { timeoutMs: 60_000 });
      await cell(frame, 1, 'first_name', 1).click();
      await typeInCell(page, frame, 'kept');
      await waitUntil(page, 'the row marked', async () => (await frame.locator('[role="row"].row-changed').count()) === 1);
      const tab = tabByResourceName(page, 'Contacts.table');
      await waitUntil(page, 'the table tab dirty', () => isTabDirty(tab));
      // VS Code writes the hot-exit backup a moment after the edit.
      await page.waitForTimeout(2_000);

      await page.locator('.part.statusbar').click({ position: { x: 1, y: 1 } });
      await page.keyboard.press('F1');
      const palette = page.locator('.quick-input-widget input.input');
      await palette.fill('>Developer: Reload Window');
      await waitUntil(page, 'Reload Window to be highlighted', async () => /Reload Window/.test(await page.locator('.quick-input-widget .monaco-list-row.focused').first().innerText().catch(() => '')));
      await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), page.keyboard.press('Enter')]);
      await page.waitForTimeout(1000);
      await waitForWorkbench(page);
      frame = await tableFrame(page);
      await waitUntil(page, 'the restored row marked', async () => (await frame.locator('[role="row"].row-changed').count()) === 1, { timeoutMs: 60_000 });
      const row = await frame.locator('[role="row"].row-changed').innerText();
      log(`restored: ${row.replace(/\s+/g, ' ').slice(0, 120)}`);
      assert.match(row, /kept/);
      await waitUntil(page, 'the table tab dirty after the reload', () => isTabDirty(tabByResourceName(page, 'Contacts.table')));
    },
  },
];
