#!/usr/bin/env node
// Browser end-to-end tests: the packaged extension (out/directory-records.vsix) installed in a
// real VS Code (code-server 4.139.1 = VS Code 1.139.1), driven through its UI by Playwright
// in headless Chromium. Flows live in test/e2e/*.e2e.ts (compiled to out/test/e2e/) and export
// `flows: E2EFlow[]` (see test/e2e/harness.ts); helpers are in test/e2e/workbench.ts.
//
// Each flow gets its own code-server (fresh user-data-dir, extensions-dir, workspace folder)
// and browser context; the sandbox API and the browser are shared. After each flow the
// extension host log is checked for a failed activation of the extension.
//
// Run `npm run package` first (npm run test:e2e does). Env:
//   DIRECTORY_RECORDS_GREP        only flows whose name matches this regular expression
//   DIRECTORY_RECORDS_KEEP_TMP    keep the temporary folders
// On failure a screenshot and the logs go to test-output/e2e/<flow>/.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { exitWith, installExitHandlers, isExiting, onCleanup } from './lib/cleanup.mjs';
import { REPO_ROOT, TEST_OUTPUT, VSIX_PATH } from './lib/paths.mjs';
import {
  collectLogs,
  installVsix,
  launchChromium,
  startCodeServer,
  startSandbox,
  workbenchUrl,
  writeUserSettings,
} from './lib/proc.mjs';
import { ensureTestEnv } from './setup-test-env.mjs';

installExitHandlers('e2e');
const log = (msg) => console.log(`[e2e] ${msg}`);
const OUT = path.join(TEST_OUTPUT, 'e2e');
const E2E_DIR = path.join(REPO_ROOT, 'out', 'test', 'e2e');
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function findFlowFiles(dir) {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.e2e.js'))
    .map((name) => path.join(dir, name))
    .sort();
}

async function loadFlows() {
  const flows = [];
  for (const file of findFlowFiles(E2E_DIR)) {
    const mod = await import(pathToFileURL(file).href);
    const list = mod.flows ?? mod.default?.flows;
    if (!Array.isArray(list)) throw new Error(`${path.relative(REPO_ROOT, file)} exports no "flows" array`);
    for (const flow of list) flows.push({ ...flow, file: path.relative(E2E_DIR, file) });
  }
  return flows;
}

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${seconds(ms)}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function mkTemp(prefix) {
  return fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR || '/tmp'), `directory-records-e2e-${prefix}-`));
}

async function runFlow({ flow, index, testEnv, sandbox, browser, workbench }) {
  const dir = path.join(OUT, `${String(index + 1).padStart(2, '0')}-${slug(flow.name)}`);
  fs.mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  const userDataDir = mkTemp('user-data');
  const extensionsDir = mkTemp('extensions');
  const workspace = mkTemp('workspace');
  const removeDirs = () => {
    if (process.env.DIRECTORY_RECORDS_KEEP_TMP) return;
    for (const d of [userDataDir, extensionsDir, workspace]) fs.rmSync(d, { recursive: true, force: true });
  };
  // Registered before code-server starts, so on Ctrl+C it runs after code-server is stopped.
  const unregisterDirs = onCleanup(removeDirs);
  let server;
  let context;
  let page;
  let error;
  try {
    writeUserSettings(userDataDir, flow.settings ? flow.settings(sandbox.info) : {});
    for (const [rel, content] of Object.entries(flow.workspaceFiles ?? {})) {
      fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
      fs.writeFileSync(path.join(workspace, rel), content);
    }
    await installVsix(testEnv, { userDataDir, extensionsDir, vsix: VSIX_PATH, logFile: path.join(dir, 'install.log') });
    server = await startCodeServer(testEnv, {
      userDataDir,
      extensionsDir,
      logFile: path.join(dir, 'code-server.log'),
      env: {
        DIRECTORY_RECORDS_SANDBOX: JSON.stringify(sandbox.info),
        ...(flow.env ? flow.env(sandbox.info) : {}),
      },
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    const consoleLog = path.join(dir, 'browser-console.log');
    page.on('console', (m) => fs.appendFileSync(consoleLog, `[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => fs.appendFileSync(consoleLog, `[pageerror] ${e.stack ?? e}\n`));
    const ctx = {
      page,
      sandbox: sandbox.info,
      serverUrl: server.url,
      workspace,
      userDataDir,
      outputDir: dir,
      log: (m) => log(`  ${m}`),
      screenshot: (name) => workbench.screenshot(page, path.join(dir, `${name}.png`)),
    };
    await withTimeout(
      (async () => {
        await workbench.openWorkbench(page, workbenchUrl(server, workspace));
        await workbench.waitForExtensionUi(page);
        await flow.run(ctx);
      })(),
      flow.timeoutMs ?? 120_000,
      'the flow',
    );
    const activation = workbench.activationError(userDataDir);
    if (activation) throw new Error(`the extension failed to activate:\n${activation}`);
  } catch (err) {
    error = err;
  }

  const ms = Date.now() - t0;
  if (isExiting()) return false; // Ctrl+C: the stop in progress cleans up; nothing to report.
  if (error) {
    const artifacts = [];
    if (page) {
      const shot = path.join(dir, 'failure.png');
      if (await page.screenshot({ path: shot }).then(() => true, () => false)) artifacts.push(['screenshot', shot]);
    }
    for (const d of collectLogs(userDataDir, path.join(dir, 'logs'))) artifacts.push(['extension host log', d]);
    artifacts.push(['code-server log', path.join(dir, 'code-server.log')]);
    if (fs.existsSync(path.join(dir, 'browser-console.log'))) artifacts.push(['browser console', path.join(dir, 'browser-console.log')]);
    log(`✘ ${flow.name} (${seconds(ms)})`);
    console.log(`    ${String(error?.stack ?? error).split('\n').join('\n    ')}`);
    for (const [what, p] of artifacts) console.log(`    ${what}: ${p}`);
  } else {
    log(`✔ ${flow.name} (${seconds(ms)})`);
  }

  await context?.close().catch(() => {});
  await server?.stop();
  unregisterDirs();
  removeDirs();
  return !error;
}

async function main() {
  if (!fs.existsSync(VSIX_PATH)) throw new Error(`${path.relative(REPO_ROOT, VSIX_PATH)} is missing: run "npm run package" first`);
  if (!fs.existsSync(E2E_DIR)) throw new Error(`${path.relative(REPO_ROOT, E2E_DIR)} is missing: run "npm run package" (or tsc -p .) first`);
  const testEnv = await ensureTestEnv();
  const workbench = await import(pathToFileURL(path.join(E2E_DIR, 'workbench.js')).href);
  let flows = await loadFlows();
  const grep = process.env.DIRECTORY_RECORDS_GREP;
  if (grep) flows = flows.filter((f) => new RegExp(grep, 'i').test(f.name));
  if (flows.length === 0) throw new Error(`no e2e flows found${grep ? ` matching ${grep}` : ''} in ${E2E_DIR}`);

  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const sandbox = await startSandbox({ logFile: path.join(OUT, 'sandbox.log') });
  log(`sandbox API on ${sandbox.info.url}; ${flows.length} flow(s); code-server ${testEnv.codeServerVersion}`);
  const { browser } = await launchChromium(testEnv);

  let passed = 0;
  let failed = 0;
  for (const [index, flow] of flows.entries()) {
    if (await runFlow({ flow, index, testEnv, sandbox, browser, workbench })) passed += 1;
    else failed += 1;
  }
  return { passed, failed };
}

let code = 1;
try {
  const { passed, failed } = await main();
  code = failed > 0 ? 1 : 0;
  log(`took ${seconds(Date.now() - started)}${failed ? `; artifacts in ${OUT}` : ''}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
} catch (err) {
  // After Ctrl+C the stop in progress makes the steps fail; it reports and exits by itself.
  if (isExiting()) await exitWith(1);
  console.error(`[e2e] ERROR: ${err?.stack ?? err}`);
  console.log('e2e: 0 passed, 1 failed');
}
await exitWith(code);
