// Helpers for driving the VS Code workbench (code-server in Chromium) with Playwright.
// Shared by the e2e flows and by scripts/demo.mjs --smoke. The tsconfig has no DOM lib,
// so code that runs in the page is passed to evaluate() as a string.
import * as fs from 'fs';
import * as path from 'path';
import type { Locator, Page } from 'playwright-core';

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

/** The activity bar entry titled `title` (its label may carry a keybinding: "Explorer (Ctrl+Shift+E)"). */
export function activityBarItem(page: Page, title: string): Locator {
  return page
    .locator('.part.activitybar')
    .getByRole('tab', { name: new RegExp(`^${escapeRegExp(title)}( \\(.*\\))?$`) });
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
  const title = page.locator('.pane-header h3.title', { hasText: new RegExp(`^\\s*${escapeRegExp(viewTitle)}\\s*$`) });
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

/** Waits until view `viewTitle` shows a tree item labelled `label` and returns it. */
export async function waitForTreeItem(page: Page, viewTitle: string, label: string, { timeoutMs = 30_000 } = {}): Promise<Locator> {
  const row = viewPane(page, viewTitle)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
    .first();
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
  await widget.waitFor({ state: 'hidden', timeout: timeoutMs });
}

/** Texts of the notification toasts now shown. */
export async function notificationMessages(page: Page): Promise<string[]> {
  return (await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts()).map((t) => t.trim());
}

export async function screenshot(page: Page, file: string): Promise<string> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  return file;
}

// ---- the extension host's log (user-data-dir/logs/<session>/exthost*/remoteexthost.log) ----

export function extensionHostLogFiles(userDataDir: string): string[] {
  const root = path.join(userDataDir, 'logs');
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
      else if (/exthost\.log$/i.test(e.name)) found.push(p);
    }
  };
  walk(root);
  return found.sort();
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
