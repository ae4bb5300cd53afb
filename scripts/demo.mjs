#!/usr/bin/env node
// `npm run demo`: the packaged extension in a real VS Code (code-server) with two sites
// preconfigured against the local sandbox API, keys already stored, so nobody types one.
//   - sandbox API on a free port (7780 when free; DIRECTORY_RECORDS_DEMO_SANDBOX_PORT),
//   - code-server on a free port (8080 when free; DIRECTORY_RECORDS_DEMO_PORT), bound to
//     127.0.0.1 (DIRECTORY_RECORDS_DEMO_HOST=0.0.0.0 to reach it from elsewhere),
//   - user settings: directoryRecords.sites = a Brilliant Directories site and a Copernica site,
//   - DIRECTORY_RECORDS_DEV_SECRETS (site name → key) on the code-server process; the extension
//     imports it into SecretStorage on activation.
// Prints the URL and runs until Ctrl+C, then stops everything (whole process groups).
// code-server runs WITHOUT the smoke-test driver the test harnesses use
// (--vscode-option enable-smoke-test-driver), because that driver suppresses every
// notification toast: here a refused key, a failed save or a conflict shows as in VS Code.
//
// --smoke: start everything, load the page once in headless Chromium, check the
// "Directory Records" activity bar item and the Sites view, run "Restore Deleted Record…"
// and check that its notification shows as a toast, save test-output/demo.png, exit 0.
// --screenshots (with --smoke): also expand a site, open a record, and save the README's
// pictures under docs/images/.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { exitWith, installExitHandlers, isExiting } from './lib/cleanup.mjs';
import { REPO_ROOT, TEST_OUTPUT, VSIX_PATH } from './lib/paths.mjs';
import {
  collectLogs,
  freePort,
  installVsix,
  launchChromium,
  sleep,
  startCodeServer,
  startSandbox,
  workbenchUrl,
  writeUserSettings,
} from './lib/proc.mjs';
import { ensureTestEnv } from './setup-test-env.mjs';

installExitHandlers('demo');
const screenshots = process.argv.includes('--screenshots');
const smoke = screenshots || process.argv.includes('--smoke');
const log = (msg) => console.log(`[demo] ${msg}`);
const OUT = path.join(TEST_OUTPUT, 'demo');
const started = Date.now();

export const DEMO_SITES = (sandboxUrl) => [
  { name: 'Sandbox Directory', kind: 'brilliantDirectories', url: sandboxUrl },
  { name: 'Sandbox Copernica', kind: 'copernica', url: sandboxUrl },
];

async function main() {
  if (!fs.existsSync(VSIX_PATH)) throw new Error(`${path.relative(REPO_ROOT, VSIX_PATH)} is missing: run "npm run package" first (npm run demo does)`);
  const testEnv = await ensureTestEnv();

  // A fresh state every time, kept under test-output/demo/ so its logs can be read afterwards.
  fs.rmSync(OUT, { recursive: true, force: true });
  const userDataDir = path.join(OUT, 'user-data');
  const extensionsDir = path.join(OUT, 'extensions');
  const workspace = path.join(OUT, 'workspace');
  for (const d of [userDataDir, extensionsDir, workspace]) fs.mkdirSync(d, { recursive: true });

  const sandboxPort = await freePort(Number(process.env.DIRECTORY_RECORDS_DEMO_SANDBOX_PORT) || 7780);
  const sandbox = await startSandbox({ port: sandboxPort, logFile: path.join(OUT, 'sandbox.log') });
  const sites = DEMO_SITES(sandbox.info.url);
  writeUserSettings(userDataDir, { 'directoryRecords.sites': sites });
  const secrets = {
    'Sandbox Directory': sandbox.info.bdKey,
    'Sandbox Copernica': sandbox.info.copernicaToken,
  };

  await installVsix(testEnv, { userDataDir, extensionsDir, vsix: VSIX_PATH, logFile: path.join(OUT, 'install.log') });
  const host = process.env.DIRECTORY_RECORDS_DEMO_HOST || '127.0.0.1';
  const port = await freePort(Number(process.env.DIRECTORY_RECORDS_DEMO_PORT) || 8080);
  const server = await startCodeServer(testEnv, {
    userDataDir,
    extensionsDir,
    port,
    host,
    logFile: path.join(OUT, 'code-server.log'),
    // No smoke-test driver: it hides notification toasts (see the top of this file).
    smokeTestDriver: false,
    env: {
      DIRECTORY_RECORDS_DEV_SECRETS: JSON.stringify(secrets),
      DIRECTORY_RECORDS_SANDBOX: JSON.stringify(sandbox.info),
    },
  });
  const url = workbenchUrl(server, workspace);

  if (smoke) return runSmoke(testEnv, url, userDataDir, sandbox.info.url);

  console.log('');
  log(`sandbox API:  ${sandbox.info.url}`);
  log(`sites:        ${sites.map((s) => `${s.name} (${s.kind})`).join(', ')}; keys preloaded`);
  log(`Add Site, Brilliant Directories: address ${sandbox.info.url}, key ${sandbox.info.bdKey} (${sandbox.info.bdLimitedKey}: 403 on Users Clicks; any other key is refused)`);
  log(`Copernica token: ${sandbox.info.copernicaToken}`);
  log(`logs:         ${OUT}`);
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Open in a browser:`);
  console.log(`\n    ${url}\n`);
  log('Ctrl+C stops everything.');
  for (;;) {
    if (server.proc.state.exited) throw new Error(`code-server exited (${server.proc.state.signal ?? server.proc.state.code}); log: ${server.logFile}`);
    if (sandbox.proc.state.exited) throw new Error(`the sandbox exited (${sandbox.proc.state.signal ?? sandbox.proc.state.code}); log: ${sandbox.logFile}`);
    await sleep(1000);
  }
}

/**
 * Opens the workbench without the smoke-test driver (so without its whenWorkbenchRestored()):
 * waits for the workbench's parts, then for the extension's activity bar entry.
 */
async function openWorkbenchWithoutDriver(workbench, page, url, timeoutMs = 60_000) {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await page.locator('.monaco-workbench').waitFor({ state: 'attached', timeout: timeoutMs });
  for (const part of ['.part.activitybar', '.part.statusbar']) await page.locator(part).waitFor({ state: 'visible', timeout: timeoutMs });
  await workbench.waitForExtensionUi(page, { timeoutMs });
}

/** Runs a command that shows a notification and waits for it as a toast (not only in the center). */
async function checkToast(workbench, page) {
  await workbench.runCommand(page, 'Directory Records: Restore Deleted Record…');
  const toast = page.locator('.notifications-toasts .notification-toast').first();
  await toast.waitFor({ state: 'visible', timeout: 15_000 }).catch(() => {
    throw new Error('"Restore Deleted Record…" showed no notification toast: is code-server running with the smoke-test driver?');
  });
  return (await workbench.notificationMessages(page)).join(' | ');
}

/** The README's pictures: the Sites tree expanded with records, and a record open as JSON. */
async function takeScreenshots(workbench, page, sandboxUrl) {
  const { SandboxControl } = await import(pathToFileURL(path.join(REPO_ROOT, 'out', 'sandbox', 'control.js')).href);
  const control = new SandboxControl(sandboxUrl);
  const dir = path.join(REPO_ROOT, 'docs', 'images');
  // Close the toast so it does not cover the pictures.
  await page.keyboard.press('Escape');
  await page.locator('.notifications-toasts .notification-toast').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  // A wider side bar, so the record labels are not cut short: drag the sash between it and the editor.
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (sidebar) {
    const x = sidebar.x + sidebar.width + 1;
    await page.mouse.move(x, 400);
    await page.mouse.down();
    await page.mouse.move(x + 120, 400, { steps: 5 });
    await page.mouse.up();
  }
  await workbench.expandTreeItem(page, 'Sites', 'Sandbox Directory');
  await workbench.expandTreeItem(page, 'Sites', 'Contacts');
  const contact = await workbench.pickContact((id) => control.getRecord('contacts', id), 238);
  const label = workbench.contactLabel(contact);
  const row = await workbench.waitForTreeItem(page, 'Sites', label);
  await page.mouse.move(900, 700); // no hover tooltip over the tree
  log(`screenshot: ${await workbench.screenshot(page, path.join(dir, 'sites-tree.png'))}`);
  await row.click();
  const id = contact['contact_id'];
  await workbench.waitForActiveTab(page, `${id}.json`);
  await workbench.waitForEditorText(page, (t) => t.includes(`"contact_id": "${id}"`), `contact ${id}`);
  await page.mouse.move(1150, 600); // right of the text: no hover
  await page.waitForTimeout(500);
  log(`screenshot: ${await workbench.screenshot(page, path.join(dir, 'record-json.png'))}`);
  // Schema help: the hover on a date value, the field's description (read-only) and the date decoded.
  const value = workbench.activeEditor(page).locator('.view-line', { hasText: '"revision_timestamp"' }).locator('span', { hasText: /^"\d{4}-\d\d-\d\d\s\d\d:\d\d:\d\d"$/ }).first();
  await value.hover();
  await page.locator('.monaco-hover').filter({ hasText: /\S/ }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.waitForTimeout(300);
  log(`screenshot: ${await workbench.screenshot(page, path.join(dir, 'record-hover.png'))}`);
}

async function runSmoke(testEnv, url, userDataDir, sandboxUrl) {
  const workbench = await import(pathToFileURL(path.join(REPO_ROOT, 'out', 'test', 'e2e', 'workbench.js')).href);
  const shot = path.join(TEST_OUTPUT, 'demo.png');
  const { browser } = await launchChromium(testEnv);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await openWorkbenchWithoutDriver(workbench, page, url);
    log('activity bar item "Directory Records" is there');
    await workbench.clickActivityBarItem(page, workbench.ACTIVITY_BAR_TITLE);
    await workbench.waitForView(page, 'Sites');
    await workbench.waitForActivation(page, userDataDir);
    // Show the configured sites in the screenshot when the tree lists them (not required).
    await workbench.waitForTreeItem(page, 'Sites', 'Sandbox Directory', { timeoutMs: 10_000 }).catch(() => undefined);
    const labels = await workbench.treeItemLabels(page, 'Sites');
    log(`Sites view shows: ${labels.length ? labels.join(', ') : '(no tree items)'}`);
    log(`notification toast shown: ${await checkToast(workbench, page)}`);
    await workbench.screenshot(page, shot);
    log(`screenshot: ${shot}`);
    if (screenshots) await takeScreenshots(workbench, page, sandboxUrl);
    log(`smoke OK in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (err) {
    await workbench.screenshot(page, shot).catch(() => undefined);
    const logs = collectLogs(userDataDir, path.join(OUT, 'logs'));
    console.error(`[demo] smoke FAILED: ${err?.message ?? err}`);
    console.error(`[demo] screenshot: ${shot}`);
    for (const d of logs) console.error(`[demo] extension host log: ${d}`);
    console.error(`[demo] code-server log: ${path.join(OUT, 'code-server.log')}`);
    return 1;
  }
}

let code = 1;
try {
  code = await main();
} catch (err) {
  // After Ctrl+C the stop in progress makes the steps fail; it reports and exits by itself.
  if (isExiting()) await exitWith(1);
  console.error(`[demo] ERROR: ${err?.message ?? err}`);
}
await exitWith(code ?? 1);
