#!/usr/bin/env node
// In-host integration tests in a real VS Code (code-server 4.139.1 = VS Code 1.139.1) driven by
// headless Chromium: the extension is loaded from this folder (extensionDevelopmentPath) and
// out/test/integration/index.js (extensionTestsPath) runs mocha inside the extension host and
// writes its results to a JSON file, which this script waits for.
//
// Run `npm run compile` first (npm run test:integration does). Env:
//   DIRECTORY_RECORDS_GREP        mocha grep
//   DIRECTORY_RECORDS_TIMEOUT_MS  how long to wait for the results (default 600000)
//   DIRECTORY_RECORDS_KEEP_TMP    keep the temporary workspace / user-data-dir
// Logs are kept under test-output/integration/.
import fs from 'node:fs';
import path from 'node:path';
import { exitWith, installExitHandlers, isExiting, onCleanup } from './lib/cleanup.mjs';
import { INTEGRATION_ENTRY, REPO_ROOT, TEST_OUTPUT } from './lib/paths.mjs';
import {
  collectLogs,
  launchChromium,
  remoteUri,
  startCodeServer,
  startSandbox,
  tail,
  tempDir,
  waitFor,
  workbenchUrl,
  writeUserSettings,
} from './lib/proc.mjs';
import { ensureTestEnv } from './setup-test-env.mjs';

installExitHandlers('integration');
const log = (msg) => console.log(`[integration] ${msg}`);
const started = Date.now();
const secs = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

const OUT = path.join(TEST_OUTPUT, 'integration');
const timeoutMs = Number(process.env.DIRECTORY_RECORDS_TIMEOUT_MS) || 10 * 60_000;

/** The "Extension host with pid N exiting with code C" line of the extension host log, if any. */
function extensionHostExit(userDataDir) {
  const root = path.join(userDataDir, 'logs');
  if (!fs.existsSync(root)) return undefined;
  for (const session of fs.readdirSync(root)) {
    const file = path.join(root, session, 'exthost1', 'remoteexthost.log');
    if (!fs.existsSync(file)) continue;
    const m = fs.readFileSync(file, 'utf8').match(/Extension host with pid \d+ exiting with code -?\d+/);
    if (m) return m[0];
  }
  return undefined;
}

const logPaths = { exthost: [] };
function printLogPaths({ withTail = false } = {}) {
  console.log('');
  log(`logs kept in ${OUT}/:`);
  console.log(`  code-server:     ${path.join(OUT, 'code-server.log')}`);
  console.log(`  sandbox:         ${path.join(OUT, 'sandbox.log')}`);
  console.log(`  browser console: ${path.join(OUT, 'browser-console.log')}`);
  for (const d of logPaths.exthost) console.log(`  extension host:  ${d}`);
  if (withTail) {
    const codeServerTail = tail(path.join(OUT, 'code-server.log'), 15);
    if (codeServerTail) console.log(`--- last lines of code-server.log ---\n${codeServerTail}\n---`);
  }
}

async function main() {
  for (const [file, hint] of [
    [INTEGRATION_ENTRY, 'npm run compile'],
    [path.join(REPO_ROOT, 'dist', 'extension.js'), 'npm run compile'],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(REPO_ROOT, file)} is missing: run "${hint}" first`);
  }
  const testEnv = await ensureTestEnv();
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });

  const sandbox = await startSandbox({ logFile: path.join(OUT, 'sandbox.log') });
  log(`sandbox API on ${sandbox.info.url}`);

  const workspace = tempDir('workspace');
  const userDataDir = tempDir('user-data');
  const extensionsDir = tempDir('extensions');
  const resultsDir = tempDir('results');
  const resultsFile = path.join(resultsDir, 'results.json');
  // Two sites present at activation with keys offered through DIRECTORY_RECORDS_DEV_SECRETS: the
  // import must fill in the loopback one only (test/integration/devSecrets.test.ts).
  const devSites = [
    { name: 'Dev Loopback', kind: 'brilliantDirectories', url: sandbox.info.url },
    { name: 'Dev Remote', kind: 'brilliantDirectories', url: 'https://dev-remote.invalid' },
  ];
  writeUserSettings(userDataDir, { 'directoryRecords.sites': devSites });
  let logsCollected = false;
  const collect = () => {
    if (logsCollected) return;
    logsCollected = true;
    logPaths.exthost = collectLogs(userDataDir, path.join(OUT, 'logs'));
  };
  // Also on Ctrl+C / timeouts: runs after code-server is stopped, before its user-data-dir goes.
  onCleanup(collect);

  const server = await startCodeServer(testEnv, {
    userDataDir,
    extensionsDir,
    logFile: path.join(OUT, 'code-server.log'),
    env: {
      DIRECTORY_RECORDS_TEST_RESULTS: resultsFile,
      DIRECTORY_RECORDS_SANDBOX: JSON.stringify(sandbox.info),
      // Remote first: once the loopback key has landed, the remote one has been decided.
      DIRECTORY_RECORDS_DEV_SECRETS: JSON.stringify({ 'Dev Remote': sandbox.info.bdKey, 'Dev Loopback': sandbox.info.bdKey }),
      ...(process.env.DIRECTORY_RECORDS_GREP ? { DIRECTORY_RECORDS_GREP: process.env.DIRECTORY_RECORDS_GREP } : {}),
    },
  });
  log(`code-server ${testEnv.codeServerVersion} on ${server.url} (${secs()})`);

  let outcome;
  try {
    const { browser } = await launchChromium(testEnv);
    const page = await browser.newPage();
    const consoleLog = path.join(OUT, 'browser-console.log');
    page.on('console', (m) => fs.appendFileSync(consoleLog, `[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => fs.appendFileSync(consoleLog, `[pageerror] ${e.stack ?? e}\n`));
    let crashed;
    let exthostGoneSince;
    page.on('crash', () => (crashed = 'the browser page crashed'));

    const url = workbenchUrl(server, workspace, [
      ['extensionDevelopmentPath', remoteUri(server.port, REPO_ROOT)],
      ['extensionTestsPath', remoteUri(server.port, INTEGRATION_ENTRY)],
    ]);
    fs.writeFileSync(path.join(OUT, 'url.txt'), `${url}\n`);
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    log(`workbench loading; waiting up to ${timeoutMs / 1000} s for the extension host to run the tests`);

    await waitFor(() => fs.existsSync(resultsFile), {
      timeoutMs,
      intervalMs: 500,
      message: `the test results (${resultsFile})`,
      abort: () => {
        if (crashed) return crashed;
        if (server.proc.state.exited) return `code-server exited (${server.proc.state.signal ?? server.proc.state.code})`;
        // The extension host ended without results (the test module failed to load, a crash).
        const exited = extensionHostExit(userDataDir);
        if (exited && !fs.existsSync(resultsFile)) {
          exthostGoneSince ??= Date.now();
          if (Date.now() - exthostGoneSince > 3000) {
            const errors = tail(consoleLog, 400)
              .split('\n')
              .filter((l) => l.startsWith('[error]') || l.startsWith('[pageerror]'))
              // The gallery and telemetry hosts are unreachable offline: noise.
              .filter((l) => !/ENOTFOUND|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED/.test(l))
              .slice(-6);
            return `the extension host exited without writing results: "${exited}"${errors.length ? `\nbrowser console errors:\n  ${errors.join('\n  ')}` : ''}`;
          }
        }
        return undefined;
      },
    });
    outcome = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    fs.copyFileSync(resultsFile, path.join(OUT, 'results.json'));
    await page.screenshot({ path: path.join(OUT, 'workbench.png') }).catch(() => {});
  } finally {
    collect();
  }
  console.log('');
  console.log(outcome.report.trimEnd());
  if (outcome.failures.length && !outcome.report.includes('failing')) {
    // Failures the reporter did not print (a test file that threw while loading).
    for (const f of outcome.failures) console.log(`  FAIL ${f.fullTitle}: ${f.message}\n${f.stack ?? ''}`);
  }
  if (outcome.failed > 0) printLogPaths();
  console.log('');
  log(`VS Code ${outcome.vscodeVersion ?? '?'}; ${outcome.files.length} test file(s); took ${secs()}`);
  return outcome;
}

let code = 1;
try {
  const outcome = await main();
  code = outcome.failed > 0 ? 1 : 0;
  console.log(`integration: ${outcome.passed} passed, ${outcome.failed} failed`);
} catch (err) {
  // After Ctrl+C the stop in progress makes the steps fail; it reports and exits by itself.
  if (isExiting()) await exitWith(1);
  console.error(`[integration] ERROR: ${err?.message ?? err}`);
  if (fs.existsSync(OUT)) printLogPaths({ withTail: true });
  console.log('integration: 0 passed, 1 failed');
}
await exitWith(code);
