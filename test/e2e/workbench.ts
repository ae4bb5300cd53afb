// Helpers for driving the VS Code workbench (code-server in Chromium) with Playwright.
// Shared by the e2e flows and by scripts/demo.mjs --smoke. The tsconfig has no DOM lib,
// so code that runs in the page is passed to evaluate() as a string.
import * as fs from 'fs';
import * as path from 'path';
import type { Frame, Locator, Page } from 'playwright-core';

export const EXTENSION_ID = 'directory-records.directory-records';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Opens `url` and waits until the workbench is restored (needs --vscode-option enable-smoke-test-driver). */
export async function openWorkbench(page: Page, url: string, { timeoutMs = 60_000 } = {}): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await waitForWorkbench(page, { timeoutMs });
}

export async function waitForWorkbench(page: Page, { timeoutMs = 60_000 } = {}): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'attached', timeout: timeoutMs });
  // The smoke-test driver (window.driver) resolves this once the workbench is restored.
  await page.waitForFunction('!!(window.driver && window.driver.whenWorkbenchRestored)', undefined, { timeout: timeoutMs });
  await page.evaluate('window.driver.whenWorkbenchRestored()');
  await page.locator('.part.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** The title of the extension's activity bar entry (its view container). */
export const ACTIVITY_BAR_TITLE = 'Directory Records';

/**
 * Waits until the extension's contributions are in the workbench (its activity bar entry is
 * shown). They arrive a moment after the workbench is restored.
 */
export async function waitForExtensionUi(page: Page, { timeoutMs = 30_000 } = {}): Promise<void> {
  await activityBarItem(page, ACTIVITY_BAR_TITLE).waitFor({ state: 'visible', timeout: timeoutMs });
}

/** The activity bar entry titled `title` (its label may carry a keybinding, "Explorer (Ctrl+Shift+E)", or a badge). */
export function activityBarItem(page: Page, title: string): Locator {
  return page
    .locator('.part.activitybar')
    .getByRole('tab', { name: new RegExp(`^${escapeRegExp(title)}(\\b.*)?$`) });
}

/** Clicks the activity bar entry titled `title` and waits until its container is the one shown. */
export async function clickActivityBarItem(page: Page, title: string, { timeoutMs = 30_000 } = {}): Promise<void> {
  const item = activityBarItem(page, title);
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  if ((await item.getAttribute('aria-selected')) !== 'true') await item.click();
  await item.and(page.locator('[aria-selected="true"]')).waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.part.sidebar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** The view pane titled `viewTitle` in the side bar. */
export function viewPane(page: Page, viewTitle: string): Locator {
  // The Sites view is named after its container (issue 17: "Directory Records: Sites" was cut at 300 px); flows still say 'Sites'.
  const shown = viewTitle === 'Sites' ? 'Directory Records' : viewTitle;
  const title = page.locator('.pane-header h3.title', { hasText: new RegExp(`^\\s*${escapeRegExp(shown)}\\s*$`) });
  return page.locator('.part.sidebar .pane').filter({ has: title });
}

/**
 * Waits until the view `viewTitle` is shown: its pane (with a pane header of that title) is in
 * the side bar and its body is visible. When a container has one view, VS Code merges the
 * pane header into the side bar title ("Directory Records: Sites"), so the header itself may
 * be hidden; the pane and its header are still there.
 */
export async function waitForView(page: Page, viewTitle: string, { timeoutMs = 30_000 } = {}): Promise<Locator> {
  const pane = viewPane(page, viewTitle);
  await pane.locator('.pane-body').waitFor({ state: 'visible', timeout: timeoutMs });
  return pane;
}

/** The side bar's title ("DIRECTORY RECORDS: SITES" as shown, returned as in the DOM). */
export async function sideBarTitle(page: Page): Promise<string> {
  return (await page.locator('.part.sidebar .composite.title .title-label h2').first().innerText()).trim();
}

/** Labels of the rendered tree items of view `viewTitle` (only rows scrolled into view are rendered). */
export async function treeItemLabels(page: Page, viewTitle: string): Promise<string[]> {
  const rows = viewPane(page, viewTitle).locator('.monaco-list-row .label-name');
  return (await rows.allInnerTexts()).map((t) => t.trim());
}

/** Waits until view `viewTitle` shows a tree item labelled `label` (as `treeRow` finds it) and returns it. */
export async function waitForTreeItem(page: Page, viewTitle: string, label: string, { timeoutMs = 30_000 } = {}): Promise<Locator> {
  const row = treeRow(page, viewTitle, label);
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  return row;
}

/**
 * Runs a command through the command palette: F1, type `label`, wait until the highlighted
 * entry is that command, Enter. The palette lists the commands known when it was filtered,
 * so the text is typed again every few seconds until the command shows up (an extension's
 * contributions are registered a moment after the workbench is restored).
 */
export async function runCommand(page: Page, label: string, { timeoutMs = 30_000 } = {}): Promise<void> {
  await pickFromPalette(page, label, timeoutMs);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: timeoutMs });
}

/**
 * Like `runCommand`, for a command that opens its own quick pick or input box: runs it from
 * the palette and returns once the palette has given way (the widget closed, or its input no
 * longer holds the palette's ">" text).
 */
export async function startCommand(page: Page, label: string, { timeoutMs = 30_000 } = {}): Promise<void> {
  const input = await pickFromPalette(page, label, timeoutMs);
  await waitUntil(page, `the palette to close after "${label}"`, async () => !(await input.isVisible()) || !(await input.inputValue()).startsWith('>'), { timeoutMs });
}

/** Types `label` into the palette until it is the highlighted command, then presses Enter. */
async function pickFromPalette(page: Page, label: string, timeoutMs: number): Promise<ReturnType<Page['locator']>> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  if (!(await input.isVisible())) {
    // Focus the workbench (not an input field) so F1 reaches the keybinding service.
    await page.locator('.part.statusbar').click({ position: { x: 1, y: 1 }, timeout: timeoutMs }).catch(() => undefined);
    await page.keyboard.press('F1');
  }
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  const exact = new RegExp(`(^|: )${escapeRegExp(label)}$`);
  const focused = widget.locator('.monaco-list-row.focused .monaco-icon-label .label-name').first();
  const deadline = Date.now() + timeoutMs;
  let typedAt = 0;
  for (;;) {
    if (Date.now() - typedAt > 3000) {
      await input.fill('>');
      await input.fill(`>${label}`);
      typedAt = Date.now();
    }
    const text = (await focused.innerText({ timeout: 1000 }).catch(() => '')).trim();
    if (text === label || exact.test(text)) break;
    if (Date.now() > deadline) throw new Error(`command palette: "${label}" not found (highlighted: "${text}")`);
    await page.waitForTimeout(100);
  }
  await page.keyboard.press('Enter');
  return input;
}


/** Texts of the notification toasts now shown (none while the smoke-test driver is on: see `notificationCenter`). */
export async function notificationMessages(page: Page): Promise<string[]> {
  return (await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts()).map((t) => t.trim());
}

export async function screenshot(page: Page, file: string): Promise<string> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  return file;
}

// ---- the extension host's log (user-data-dir/logs/<session>/exthost*/remoteexthost.log) ----

/** Files under user-data-dir/logs whose name `matches`, sorted by path. */
function logFiles(userDataDir: string, matches: (name: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (matches(e.name)) found.push(p);
    }
  };
  walk(path.join(userDataDir, 'logs'));
  return found.sort();
}

export function extensionHostLogFiles(userDataDir: string): string[] {
  return logFiles(userDataDir, (name) => /exthost\.log$/i.test(name));
}

export function extensionHostLog(userDataDir: string): string {
  return extensionHostLogFiles(userDataDir)
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n');
}

/** The extension host's "Activating extension <id> failed" entry with its stack, if any. */
export function activationError(userDataDir: string, extensionId = EXTENSION_ID): string | undefined {
  const text = extensionHostLog(userDataDir);
  const marker = `Activating extension ${extensionId} failed`;
  const i = text.indexOf(marker);
  if (i < 0) return undefined;
  // The entry, then the error on its own "[error]" line, then the stack.
  const lines = text.slice(i).split('\n');
  const end = lines.findIndex((l, n) => n > 1 && /^\d{4}-\d\d-\d\d /.test(l) && !/\[error\]/.test(l));
  return lines
    .slice(0, end < 0 ? 12 : Math.min(end, 12))
    .map((l) => l.replace(/^\d{4}-\d\d-\d\d [\d:.]+ \[error\] /, ''))
    .join('\n');
}

/**
 * Waits until the extension host has activated the extension (its log names it) and, after
 * `settleMs`, throws if the activation failed.
 */
export async function waitForActivation(
  page: Page,
  userDataDir: string,
  { extensionId = EXTENSION_ID, timeoutMs = 30_000, settleMs = 1000 } = {},
): Promise<void> {
  const started = `_doActivateExtension ${extensionId}`;
  const deadline = Date.now() + timeoutMs;
  while (!extensionHostLog(userDataDir).includes(started)) {
    if (Date.now() > deadline) throw new Error(`the extension host did not activate ${extensionId} within ${timeoutMs / 1000} s`);
    await page.waitForTimeout(200);
  }
  await page.waitForTimeout(settleMs);
  const error = activationError(userDataDir, extensionId);
  if (error) throw new Error(error);
}

// ---- quick input (palette, quick picks, input boxes) ----

/** The quick input widget (command palette, quick picks and input boxes). */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/**
 * Waits until the quick input is shown with a title matching `title` (e.g. "Add Site (2/4): name")
 * and returns its text field. Steps of a multi-step prompt reuse the widget, so the title is what
 * tells them apart.
 */
export async function waitForQuickInput(page: Page, title: string | RegExp, { timeoutMs = 30_000 } = {}): Promise<Locator> {
  const widget = quickInput(page);
  const pattern = typeof title === 'string' ? new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) : title;
  await widget.locator('.quick-input-title', { hasText: pattern }).waitFor({ state: 'visible', timeout: timeoutMs });
  const input = widget.locator('.quick-input-box input');
  await input.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return input.first();
}

/**
 * In a quick pick titled `title`: types `label` to filter, waits until the highlighted entry is
 * labelled `label`, and presses Enter.
 */
export async function pickQuickItem(page: Page, title: string | RegExp, label: string, { timeoutMs = 30_000 } = {}): Promise<void> {
  const input = await waitForQuickInput(page, title, { timeoutMs });
  await input.fill(label);
  const focused = quickInput(page).locator('.monaco-list-row.focused .monaco-icon-label .label-name').first();
  await focused.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }).waitFor({ state: 'visible', timeout: timeoutMs });
  await page.keyboard.press('Enter');
}

/**
 * In an input box titled `title`: types `text` the way a person would (into the focused field,
 * also a password field) and presses Enter once no validation message is shown. Waits until the
 * box titled `title` is gone (closed, or the next step shown).
 */
export async function submitQuickInput(page: Page, title: string | RegExp, text: string, { timeoutMs = 30_000 } = {}): Promise<void> {
  const input = await waitForQuickInput(page, title, { timeoutMs });
  await input.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  const widget = quickInput(page);
  // validateInput runs in the extension host; its message shows in .quick-input-message with an error style.
  const invalid = widget.locator('.quick-input-message .monaco-inputbox-message, .quick-input-box .monaco-inputbox.error');
  const deadline = Date.now() + timeoutMs;
  while ((await input.inputValue()) !== text || (await invalid.count()) > 0) {
    if (Date.now() > deadline) throw new Error(`input box "${title}": "${text}" not accepted (${(await widget.innerText().catch(() => '')).replace(/\s+/g, ' ')})`);
    await page.waitForTimeout(100);
  }
  await page.keyboard.press('Enter');
  const pattern = typeof title === 'string' ? new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) : title;
  await widget.locator('.quick-input-title', { hasText: pattern }).waitFor({ state: 'hidden', timeout: timeoutMs });
}

// ---- notifications and dialogs ----

/**
 * The notification center. With `enable-smoke-test-driver` (which the harness needs for
 * `whenWorkbenchRestored`) VS Code never shows notification toasts: every notification goes
 * straight to the center (the status bar bell gets a dot). So flows read notifications there.
 */
export function notificationCenter(page: Page): Locator {
  return page.locator('.notifications-center');
}

/** Opens the notification center (a click on the status bar bell) unless it is open. */
export async function showNotificationCenter(page: Page, { timeoutMs = 30_000 } = {}): Promise<Locator> {
  const center = page.locator('.notifications-center.visible');
  if (!(await center.isVisible())) await page.locator('[id="status.notifications"]').click({ timeout: timeoutMs });
  await center.waitFor({ state: 'visible', timeout: timeoutMs });
  return center;
}

/** Closes the notification center if it is open (the same bell toggles it). */
export async function hideNotificationCenter(page: Page, { timeoutMs = 30_000 } = {}): Promise<void> {
  const center = page.locator('.notifications-center.visible');
  if (await center.isVisible()) await page.locator('[id="status.notifications"]').click({ timeout: timeoutMs });
  await center.waitFor({ state: 'hidden', timeout: timeoutMs });
}

/**
 * Opens the notification center and waits until it lists a notification whose message
 * matches `message`; returns that entry (`.notification-list-item`). See `notificationCenter`
 * for why not a toast.
 */
export async function waitForNotification(page: Page, message: string | RegExp, { timeoutMs = 30_000 } = {}): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The workbench hides the center when its last notification closes, so an unrelated
    // notification that closes while we wait would leave ours a toast: reopen it each round.
    const center = await showNotificationCenter(page, { timeoutMs: Math.max(1_000, deadline - Date.now()) });
    const item = center
      .locator('.notification-list-item')
      .filter({ has: page.locator('.notification-list-item-message', { hasText: message }) })
      .first();
    const left = deadline - Date.now();
    try {
      await item.waitFor({ state: 'visible', timeout: Math.max(0, Math.min(left, 1_000)) });
      return item;
    } catch (error) {
      if (left <= 1_000) throw error;
    }
  }
}

/** The message of a notification entry. */
export async function notificationText(item: Locator): Promise<string> {
  return (await item.locator('.notification-list-item-message').innerText()).trim();
}

/** Texts of the notifications listed in the notification center (opens it). */
export async function notificationCenterMessages(page: Page): Promise<string[]> {
  const center = await showNotificationCenter(page);
  return (await center.locator('.notification-list-item-message').allInnerTexts()).map((t) => t.trim());
}

/** The labels of the buttons of a notification entry. */
export async function notificationButtons(item: Locator): Promise<string[]> {
  return (await item.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts()).map((t) => t.trim());
}

/** The modal dialog now shown (`.monaco-dialog-box`), after waiting for it. */
export async function waitForDialog(page: Page, { timeoutMs = 30_000 } = {}): Promise<Locator> {
  const dialog = page.locator('.monaco-dialog-box').first();
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  return dialog;
}

/** The message (and detail) of a modal dialog. */
export async function dialogText(dialog: Locator): Promise<{ message: string; detail: string; buttons: string[] }> {
  const message = (await dialog.locator('.dialog-message-text').innerText()).trim();
  const detail = (await dialog.locator('.dialog-message-detail').innerText().catch(() => '')).trim();
  const buttons = (await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((t) => t.trim());
  return { message, detail, buttons };
}

/** Clicks the dialog's button labelled `label` and waits until the dialog is gone. */
export async function clickDialogButton(page: Page, dialog: Locator, label: string, { timeoutMs = 30_000 } = {}): Promise<void> {
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }).click({ timeout: timeoutMs });
  await page.locator('.monaco-dialog-box').waitFor({ state: 'hidden', timeout: timeoutMs });
}

// ---- tree views ----

/**
 * The row of view `viewTitle` whose label is `label` (string: exact; RegExp: as given). Not waited
 * for. A contact's row shows "First Last" with its email as the description; a string of the
 * form "First Last <email>" (how documents and dialogs name a contact, see `contactLabel`) also
 * finds the row whose label is the name and whose description is the email.
 */
export function treeRow(page: Page, viewTitle: string, label: string | RegExp): Locator {
  const exact = (text: string): RegExp => new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
  const rows = viewPane(page, viewTitle).locator('.monaco-list-row');
  const byLabel = rows.filter({ has: page.locator('.label-name', { hasText: typeof label === 'string' ? exact(label) : label }) });
  const parts = typeof label === 'string' ? /^(.+) <([^<>]+)>$/.exec(label) : null;
  if (!parts) return byLabel.first();
  const byNameAndEmail = rows
    .filter({ has: page.locator('.label-name', { hasText: exact(parts[1]!) }) })
    .filter({ has: page.locator('.label-description', { hasText: exact(parts[2]!) }) });
  return byLabel.or(byNameAndEmail).first();
}

/** The description shown next to a tree row's label ("238"), or "". */
export async function treeRowDescription(row: Locator): Promise<string> {
  const d = row.locator('.label-description');
  return (await d.count()) > 0 ? (await d.first().innerText()).trim() : '';
}

/**
 * Expands the collapsible row `label` of view `viewTitle` (a click on it, as a person would).
 * A click that lands while the tree re-renders the row (a count arriving, a refresh) can be
 * lost; if the row is neither expanded nor loading its children a few seconds later, it is
 * clicked again.
 */
export async function expandTreeItem(page: Page, viewTitle: string, label: string | RegExp, { timeoutMs = 30_000 } = {}): Promise<Locator> {
  const row = treeRow(page, viewTitle, label);
  const expanded = row.and(page.locator('[aria-expanded="true"]'));
  const loading = row.locator('.monaco-tl-twistie.codicon-tree-item-loading, .monaco-tl-twistie.loading');
  const deadline = Date.now() + timeoutMs;
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  for (;;) {
    if ((await row.getAttribute('aria-expanded')) !== 'true' && (await loading.count()) === 0) {
      if (Date.now() > deadline - timeoutMs + 1000) console.log(`[e2e]   tree view ${viewTitle}: "${label}" not expanded after a click; clicking again`);
      // The hover of the row clicked before (a site's address) can cover this one: a click it
      // intercepts waits in vain. Then the mouse leaves the tree, the hover closes, and it clicks again.
      const clicked = await row.click({ timeout: Math.min(5000, Math.max(1, deadline - Date.now())) }).then(() => true, () => false);
      if (!clicked) {
        if (Date.now() > deadline) throw new Error(`tree view ${viewTitle}: "${label}" could not be clicked within ${timeoutMs / 1000} s`);
        await page.mouse.move(0, 0);
        await page.waitForTimeout(500);
        continue;
      }
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`tree view ${viewTitle}: "${label}" did not expand within ${timeoutMs / 1000} s`);
    try {
      await expanded.waitFor({ state: 'visible', timeout: Math.min(5000, left) });
      return row;
    } catch {
      // not expanded yet: look again
    }
  }
}

/**
 * Opens the context menu of a row (right-click) and chooses its entry `item` with the keyboard
 * (arrow keys, then Enter): a synthetic click on a menu entry right after the menu opens is not
 * taken by the workbench's menu.
 */
export async function clickContextMenuItem(page: Page, row: Locator, item: string, { timeoutMs = 30_000 } = {}): Promise<void> {
  const menu = page.locator('.monaco-menu').first();
  const entry = menu.getByRole('menuitem', { name: new RegExp(`^${escapeRegExp(item)}`) }).first();
  // A right-click that lands while the row re-renders (a count arriving, a hover) opens no menu: click again.
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right', timeout: timeoutMs });
    if (await entry.waitFor({ state: 'visible', timeout: attempt < 3 ? 5000 : timeoutMs }).then(() => true, () => false)) break;
    if (attempt >= 3) throw new Error(`context menu: no "${item}" after ${attempt} right-clicks`);
    await page.keyboard.press('Escape');
  }
  const count = await menu.getByRole('menuitem').count();
  for (let i = 0; i <= count; i++) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- page code; the tsconfig has no DOM lib
    const focused = await entry.evaluate((el: any) => !!el.closest('.action-item')?.classList.contains('focused') || el === el.getRootNode().activeElement);
    if (focused) break;
    if (i === count) throw new Error(`context menu: could not move to "${item}"`);
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden', timeout: timeoutMs });
}

// ---- editors ----

/** The text editor of the active editor group. */
export function activeEditor(page: Page): Locator {
  return page.locator('.part.editor .editor-group-container.active .editor-container .monaco-editor').first();
}

/** The active tab of the active editor group. */
export function activeTab(page: Page): Locator {
  return page.locator('.part.editor .editor-group-container.active .tabs-container .tab.active').first();
}

/**
 * Waits until the active tab shows the resource whose file name is `name` (e.g. "236.json") and
 * returns the tab. Matched on the tab's `data-resource-name`, not its title: a record's tab is
 * titled like its tree label ("Jane Smith <jane@example.com>").
 */
export async function waitForActiveTab(page: Page, name: string, { timeoutMs = 30_000 } = {}): Promise<Locator> {
  const tab = page.locator(`.part.editor .editor-group-container.active .tabs-container .tab.active[data-resource-name="${name.replace(/["\\]/g, '\\$&')}"]`).first();
  await tab.waitFor({ state: 'visible', timeout: timeoutMs });
  return tab;
}

/** Whether a tab shows the unsaved-changes indicator. */
export async function isTabDirty(tab: Locator): Promise<boolean> {
  return /\bdirty\b/.test((await tab.getAttribute('class')) ?? '');
}

/**
 * The text of the active editor's rendered lines, top to bottom (Monaco renders only the lines
 * in view, so a long document needs a tall viewport or scrolling).
 */
export async function editorVisibleText(page: Page): Promise<string> {
  const lines = activeEditor(page).locator('.view-lines .view-line');
  const rows = await lines.evaluateAll(
    (els) => (els as unknown as { style: { top: string }; textContent: string | null }[]).map((el) => ({ top: parseFloat(el.style.top) || 0, text: el.textContent ?? '' })),
  );
  return rows
    .sort((a, b) => a.top - b.top)
    .map((r) => r.text.replace(/\u00a0/g, ' '))
    .join('\n');
}

/** Waits until the active editor's rendered text satisfies `test`; returns that text. */
export async function waitForEditorText(page: Page, test: (text: string) => boolean, what: string, { timeoutMs = 30_000 } = {}): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (;;) {
    text = await editorVisibleText(page).catch(() => '');
    if (test(text)) return text;
    if (Date.now() > deadline) throw new Error(`editor: ${what} not shown within ${timeoutMs / 1000} s; it shows:\n${text}`);
    await page.waitForTimeout(100);
  }
}

// ---- waiting and sandbox records ----

/** Polls `test` every 100 ms until it is true; throws naming `what` after `timeoutMs`. */
export async function waitUntil(page: Page, what: string, test: () => Promise<boolean> | boolean, { timeoutMs = 30_000 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s: ${what}`);
    await page.waitForTimeout(100);
  }
}

/** A stored record as the sandbox's control API returns it. */
export type SandboxRecord = Record<string, string | null>;

/**
 * A contact as documents, tabs and dialogs name it ("First Last <email>", else name, email,
 * company). Its tree row shows the name with the email beside it; `treeRow` finds it by this.
 */
export function contactLabel(r: SandboxRecord): string {
  const text = (v: string | null | undefined): string => (v ?? '').trim();
  const name = [text(r['first_name']), text(r['last_name'])].filter(Boolean).join(' ');
  const email = text(r['email']);
  if (name && email) return `${name} <${email}>`;
  return name || email || text(r['company']) || `Contact ${r['contact_id'] ?? ''}`.trim();
}

/**
 * The first contact from id `from` downwards (the tree lists the newest first) that has a name,
 * an email and a one-word city (a double-click selects it), so its label and its JSON are unambiguous.
 */
export async function pickContact(getRecord: (id: number) => Promise<SandboxRecord | undefined>, from: number, { count = 25 } = {}): Promise<SandboxRecord> {
  for (let id = from; id > from - count; id--) {
    const r = await getRecord(id);
    if (r && r['first_name'] && r['email'] && r['city'] && /^[A-Za-z]+$/.test(r['city'])) return r;
  }
  throw new Error(`no contact with a name, email and one-word city among ids ${from - count + 1}–${from}`);
}

// ---- status bar, tabs, untitled editors, clipped screenshots (live-site safety flows) ----

/**
 * The status bar entry whose id ends with `idSuffix`. An extension's item created with
 * `createStatusBarItem('directoryRecords.site', …)` is rendered as `.statusbar-item` with the id
 * `<extension id>.<item id>`, so the item's own id is a suffix of it.
 */
export function statusBarItem(page: Page, idSuffix: string): Locator {
  return page.locator(`.part.statusbar .statusbar-item[id$="${idSuffix.replace(/["\\]/g, '\\$&')}"]`).first();
}

/** A status bar entry's label as shown (codicons are empty spans, so "$(shield) x" reads " x"), trimmed. */
export async function statusBarItemText(item: Locator): Promise<string> {
  return (await item.locator('.statusbar-item-label').innerText()).replace(/\s+/g, ' ').trim();
}

/** The codicon names in a status bar entry's label ("shield" for `$(shield)`). */
export async function statusBarItemIcons(item: Locator): Promise<string[]> {
  const classes = await item.locator('.statusbar-item-label .codicon').evaluateAll((els) => (els as unknown as { className: string }[]).map((el) => el.className));
  return classes.flatMap((c) => c.split(/\s+/).filter((n) => n.startsWith('codicon-')).map((n) => n.slice('codicon-'.length)));
}

/** The tab of the active editor group showing the resource named `name` (e.g. "236.json"), active or not. */
export function tabByResourceName(page: Page, name: string): Locator {
  return page.locator(`.part.editor .editor-group-container.active .tabs-container .tab[data-resource-name="${name.replace(/["\\]/g, '\\$&')}"]`).first();
}

/** Clicks the tab showing `name` and waits until it is the active one. */
export async function activateTab(page: Page, name: string, { timeoutMs = 30_000 } = {}): Promise<Locator> {
  await tabByResourceName(page, name).click({ timeout: timeoutMs });
  return waitForActiveTab(page, name, { timeoutMs });
}

/**
 * Opens a new untitled text editor with its keybinding (Ctrl+Alt+N: in the browser VS Code
 * leaves Ctrl+N to the browser), which takes the focus away from the editor before it; returns
 * its tab once it is the active one. (The palette is no help here: typing "File: New Untitled
 * Text File" highlights "File: Compare New Untitled Text Files" first.)
 */
export async function openUntitledEditor(page: Page, { timeoutMs = 30_000 } = {}): Promise<Locator> {
  const untitled = page.locator('.part.editor .tabs-container .tab[data-resource-name^="Untitled-"]');
  const before = await untitled.count();
  await page.keyboard.press('Control+Alt+N');
  await waitUntil(page, 'a new untitled tab', async () => (await untitled.count()) > before, { timeoutMs });
  const tab = page.locator('.part.editor .editor-group-container.active .tabs-container .tab.active[data-resource-name^="Untitled-"]').first();
  await tab.waitFor({ state: 'visible', timeout: timeoutMs });
  return tab;
}

/** The language shown in the status bar for the active editor ("Directory Record (JSON)"). */
export async function editorLanguageName(page: Page): Promise<string> {
  return (await page.locator('.part.statusbar [id="status.editor.mode"]').innerText()).trim();
}

/** Saves a PNG of the page clipped to `target` with `margin` px around it (kept inside the page). */
export async function screenshotAround(page: Page, target: Locator, file: string, { margin = 24 } = {}): Promise<string> {
  const box = await target.boundingBox();
  if (!box) throw new Error('screenshotAround: the element is not visible');
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  const x = Math.max(0, Math.floor(box.x - margin));
  const y = Math.max(0, Math.floor(box.y - margin));
  const clip = { x, y, width: Math.min(size.width - x, Math.ceil(box.width + 2 * margin)), height: Math.min(size.height - y, Math.ceil(box.height + 2 * margin)) };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, clip });
  return file;
}

/**
 * Moves the mouse to an empty stretch of the activity bar and waits until no hover is shown. A
 * tree row's tooltip (the site's "Brilliant Directories site http://…") appears under the
 * mouse after a click on that row and covers the rows below it, and a click on one of them
 * then waits in vain ("… subtree intercepts pointer events"); under load this happens often.
 */
export async function dismissHover(page: Page, { timeoutMs = 10_000 } = {}): Promise<void> {
  const bar = await page.locator('.part.activitybar').boundingBox();
  if (bar) await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height * 0.6);
  const hover = page.locator('.context-view .hover-contents, .workbench-hover-container .workbench-hover');
  await waitUntil(page, 'the hover to close', async () => !(await hover.first().isVisible().catch(() => false)), { timeoutMs });
}

// ---- diff editors and editor title actions (merge flows) ----

/** The diff editor of the active editor group (`.monaco-diff-editor`). Not waited for. */
export function activeDiffEditor(page: Page): Locator {
  return page.locator('.part.editor .editor-group-container.active .editor-container .monaco-diff-editor').first();
}

/**
 * Waits until the active editor group shows a diff editor whose two sides satisfy `test`
 * (their rendered lines, as `editorVisibleText` reads them); returns both texts.
 */
export async function waitForDiffText(
  page: Page,
  test: (original: string, modified: string) => boolean,
  what: string,
  { timeoutMs = 30_000 } = {},
): Promise<{ original: string; modified: string }> {
  const diff = activeDiffEditor(page);
  await diff.waitFor({ state: 'visible', timeout: timeoutMs });
  const side = async (which: 'original' | 'modified'): Promise<string> => {
    const lines = diff.locator(`.editor.${which} .view-lines .view-line`);
    const rows = await lines.evaluateAll(
      (els) => (els as unknown as { style: { top: string }; textContent: string | null }[]).map((el) => ({ top: parseFloat(el.style.top) || 0, text: el.textContent ?? '' })),
    );
    return rows.sort((a, b) => a.top - b.top).map((r) => r.text.replace(/\u00a0/g, ' ')).join('\n');
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const original = await side('original').catch(() => '');
    const modified = await side('modified').catch(() => '');
    if (test(original, modified)) return { original, modified };
    if (Date.now() > deadline) throw new Error(`diff editor: ${what} not shown within ${timeoutMs / 1000} s; left:\n${original}\nright:\n${modified}`);
    await page.waitForTimeout(100);
  }
}

/**
 * The action button titled `title` in the active editor group's title bar (an extension's
 * `editor/title` navigation entry: `a.action-label` whose aria-label is the command's title,
 * with its keybinding in parentheses when it has one). Not waited for.
 */
export function editorTitleAction(page: Page, title: string): Locator {
  return page
    .locator('.part.editor .editor-group-container.active .title .editor-actions')
    .getByRole('button', { name: new RegExp(`^${escapeRegExp(title)}( \\(.*\\))?$`) })
    .first();
}

/** The labels of the action buttons in the active editor group's title bar, left to right. */
export async function editorTitleActionLabels(page: Page): Promise<string[]> {
  const actions = page.locator('.part.editor .editor-group-container.active .title .editor-actions .action-label');
  return (await actions.evaluateAll((els) => (els as unknown as { getAttribute(n: string): string | null }[]).map((el) => el.getAttribute('aria-label') ?? ''))).filter(Boolean);
}

/** Every tab of the active editor group showing the resource named `name` (a record's tab and its Compare tab). */
export function tabsByResourceName(page: Page, name: string): Locator {
  return page.locator(`.part.editor .editor-group-container.active .tabs-container .tab[data-resource-name="${name.replace(/["\\]/g, '\\$&')}"]`);
}

/** Clicks a notification entry's button labelled `label` (in the notification center). */
export async function clickNotificationButton(item: Locator, label: string, { timeoutMs = 30_000 } = {}): Promise<void> {
  await item
    .locator('.notification-list-item-buttons-container .monaco-button', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) })
    .first()
    .click({ timeout: timeoutMs });
}

/** A working-copy backup VS Code wrote for a dirty editor (hot exit), read from the server's user-data-dir. */
export interface WorkingCopyBackup {
  /** The backed-up resource, as the backup's first line names it ("directory-records:/Site/contacts/236.json"). */
  resource: string;
  /** The file's stat when the editor last read it (mtime, size, etag), as VS Code stores it with the backup. */
  meta: Record<string, unknown>;
  /** The dirty text. */
  text: string;
  file: string;
}

/**
 * The working-copy backups under `<userDataDir>/User/Backups/<workspace>/<scheme>/<hash>`
 * (code-server keeps them on the server, about a second after the last change of a dirty
 * editor; a window reload restores dirty editors from them). Each file is the resource URI, a
 * space and the JSON meta on its first line, then the text.
 */
export function workingCopyBackups(userDataDir: string): WorkingCopyBackup[] {
  const found: WorkingCopyBackup[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(p);
        continue;
      }
      const raw = fs.readFileSync(p, 'utf8');
      const newline = raw.indexOf('\n');
      const head = newline < 0 ? raw : raw.slice(0, newline);
      const space = head.indexOf(' ');
      let meta: Record<string, unknown> = {};
      try {
        meta = space < 0 ? {} : (JSON.parse(head.slice(space + 1)) as Record<string, unknown>);
      } catch {
        // a backup being written: its meta is read next time
      }
      found.push({ resource: decodeURIComponent(space < 0 ? head : head.slice(0, space)), meta, text: newline < 0 ? '' : raw.slice(newline + 1), file: p });
    }
  };
  walk(path.join(userDataDir, 'User', 'Backups'));
  return found;
}

// ---- view title actions and the extension's own log ----

/**
 * A view's title action (its `view/title` navigation entry, an icon button) by the command's
 * title. With one view in the container VS Code shows the view's actions in the side bar's
 * title, otherwise in the view's pane header: whichever is visible.
 */
export function viewTitleAction(page: Page, title: string): Locator {
  const label = `.action-label[aria-label^="${title.replace(/"/g, '\\"')}"]`;
  return page.locator(`.part.sidebar .composite.title ${label}, .part.sidebar .pane-header ${label}`).locator('visible=true').first();
}

/** The text of the extension's "Directory Records" log channel (user-data-dir/logs/…/Directory Records.log), "" before it exists. */
export function extensionChannelLog(userDataDir: string): string {
  return logFiles(userDataDir, (name) => name === 'Directory Records.log')
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n');
}

/** The entries of a row's context menu (first line of each), closing the menu again. */
export async function contextMenuEntries(page: Page, row: Locator): Promise<string[]> {
  await row.click({ button: 'right' });
  const menu = page.locator('.monaco-menu').first();
  await menu.waitFor({ state: 'visible', timeout: 10_000 });
  const entries = (await menu.getByRole('menuitem').allInnerTexts()).map((t) => t.split('\n')[0]!.trim()).filter(Boolean);
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden', timeout: 10_000 });
  return entries;
}

/** The messages of the error notifications in the notification center (opens it). */
export async function errorNotifications(page: Page): Promise<string[]> {
  const center = await showNotificationCenter(page);
  const items = center.locator('.notification-list-item').filter({ has: page.locator('.codicon-error') });
  return (await items.locator('.notification-list-item-message').allInnerTexts()).map((t) => t.trim());
}

/**
 * A screenshot of the editor area into the flow's output folder; with
 * DIRECTORY_RECORDS_UPDATE_SCREENSHOTS=1 also into docs/images/ (the README's pictures).
 */
export async function editorShot(page: Page, outputDir: string, name: string, log: (m: string) => void): Promise<void> {
  const file = path.join(outputDir, `${name}.png`);
  const editor = page.locator('.part.editor').first();
  const box = await editor.boundingBox();
  await page.screenshot({ path: file, ...(box ? { clip: box } : {}) });
  log(`screenshot: ${file}`);
  if (process.env['DIRECTORY_RECORDS_UPDATE_SCREENSHOTS'] === '1') {
    const docsImages = path.resolve(__dirname, '../../../docs/images');
    fs.mkdirSync(docsImages, { recursive: true });
    fs.copyFileSync(file, path.join(docsImages, `${name}.png`));
    log(`  copied to docs/images/${name}.png`);
  }
}

/** A webview's own document (code-server nests it in two iframes): the first frame where `selector` is. */
export async function webviewFrame(page: Page, what: string, selector: string, timeoutMs: number): Promise<Frame> {
  let found: Frame | undefined;
  await waitUntil(page, what, async () => {
    for (const frame of page.frames()) {
      if (await frame.locator(selector).count().catch(() => 0)) {
        found = frame;
        return true;
      }
    }
    return false;
  }, { timeoutMs });
  return found!;
}
