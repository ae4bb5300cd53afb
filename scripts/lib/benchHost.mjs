#!/usr/bin/env node
// The real-VS-Code half of bench section (c) (bench/sectionExtensionHost.ts starts this as a child
// process): one sandbox, one code-server 4.139.1 and one headless Chromium, then one fresh
// extension host per planned run. Each host is a new browser context opening the workbench with
// the extension loaded from this folder (extensionDevelopmentPath; two do-nothing extensions are
// installed beside it as the activation baseline) and out/bench/host/measure.js as extensionTestsPath; the module measures inside the
// host and writes a report file, because the browser reports nothing. The reports are gathered
// into one summary file (path in the config) that the section reads.
//
//   node scripts/lib/benchHost.mjs <config.json>
//   config: { summaryFile, modes: ["activation", ..., "full"], hostTimeoutMs, fullHostTimeoutMs, entry }
//
// Everything started here is stopped on every way out (normal end, failure, timeout, signal, the
// parent going away) by the cleanup helpers shared with the test runners. Logs: test-output/bench-host/.
import fs from 'node:fs';
import path from 'node:path';
import { exitWith, installExitHandlers, isExiting, onCleanup } from './cleanup.mjs';
import { REPO_ROOT, TEST_OUTPUT } from './paths.mjs';
import {
  collectLogs,
  installVsix,
  launchChromium,
  remoteUri,
  sleep,
  startCodeServer,
  startSandbox,
  tail,
  tempDir,
  waitFor,
  workbenchUrl,
  writeUserSettings,
} from './proc.mjs';
import { run } from './run.mjs';
import { ensureTestEnv } from '../setup-test-env.mjs';

installExitHandlers('bench-host');
const started = Date.now();
const secs = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (msg) => console.log(`[bench-host] ${msg}`);

const OUT = path.join(TEST_OUTPUT, 'bench-host');
const PLAN_ENV = 'DIRECTORY_RECORDS_BENCH_PLAN';
const TRIVIAL_PUBLISHER = 'directory-records-bench';
const TRIVIAL_NAMES = ['trivial-warmup', 'trivial-baseline'];

// The section is our parent; if it goes away (killed without a chance to stop us), stop too.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid && !isExiting()) {
    console.error('[bench-host] the benchmark process went away: stopping everything');
    void exitWith(1);
  }
}, 1000).unref();

/**
 * A do-nothing extension (requires vscode as every extension does; activate returns at once), packaged as a .vsix for installing: the web
 * workbench passes only one extensionDevelopmentPath on to the extension host (the last one).
 */
async function packTrivialExtension(root, name) {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name, publisher: TRIVIAL_PUBLISHER, version: '0.0.1', engines: { vscode: '^1.101.0' }, main: './extension.js', activationEvents: [] }, null, 2),
  );
  // Like the template `yo code` makes: the API is required at the top. VS Code builds each extension's
  // API object on that first require; every extension that uses the API pays it, so the baseline does too.
  fs.writeFileSync(path.join(dir, 'extension.js'), "'use strict';\nconst vscode = require('vscode');\nexports.activate = function () { return { version: vscode.version }; };\nexports.deactivate = function () {};\n");
  const vsix = path.join(root, `${name}.vsix`);
  await run(path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: dir, capture: true });
  return vsix;
}

/** Every "Extension host with pid N exiting" line in the code-server logs, as pids. */
function exitedHostPids(userDataDir) {
  const pids = new Set();
  const logs = path.join(userDataDir, 'logs');
  if (!fs.existsSync(logs)) return pids;
  for (const rel of fs.readdirSync(logs, { recursive: true, encoding: 'utf8' })) {
    if (path.basename(rel) !== 'remoteexthost.log') continue;
    for (const m of fs.readFileSync(path.join(logs, rel), 'utf8').matchAll(/Extension host with pid (\d+) exiting with code -?\d+/g)) pids.add(Number(m[1]));
  }
  return pids;
}

function consoleErrors(consoleLog) {
  return tail(consoleLog, 400)
    .split('\n')
    .filter((l) => l.startsWith('[error]') || l.startsWith('[pageerror]'))
    .filter((l) => !/ENOTFOUND|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED/.test(l))
    .slice(-6);
}

/** Reports gathered so far; kept in the summary even when a later host fails. */
const hosts = [];

async function main(config) {
  const testEnv = await ensureTestEnv();
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  if (!fs.existsSync(config.entry)) throw new Error(`${path.relative(REPO_ROOT, config.entry)} is missing: run "npm run compile" first`);

  const sandbox = await startSandbox({ logFile: path.join(OUT, 'sandbox.log') });
  log(`sandbox API on ${sandbox.info.url}`);
  const trivialRoot = tempDir('bench-trivial');
  const workspace = tempDir('bench-workspace');
  const userDataDir = tempDir('bench-user-data');
  const extensionsDir = tempDir('bench-extensions');
  const resultsDir = tempDir('bench-results');
  const planFile = path.join(resultsDir, 'plan.json');
  writeUserSettings(userDataDir, {});
  for (const name of TRIVIAL_NAMES) {
    const vsix = await packTrivialExtension(trivialRoot, name);
    await installVsix(testEnv, { userDataDir, extensionsDir, vsix, logFile: path.join(OUT, 'install.log') });
  }
  log(`baseline extensions ${TRIVIAL_NAMES.join(', ')} installed (${secs()})`);
  let logsCollected = false;
  const collect = () => {
    if (logsCollected) return;
    logsCollected = true;
    collectLogs(userDataDir, path.join(OUT, 'logs'));
  };
  onCleanup(collect);

  const server = await startCodeServer(testEnv, {
    userDataDir,
    extensionsDir,
    logFile: path.join(OUT, 'code-server.log'),
    env: { [PLAN_ENV]: planFile, DIRECTORY_RECORDS_SANDBOX: JSON.stringify(sandbox.info) },
  });
  log(`code-server ${testEnv.codeServerVersion} on ${server.url} (${secs()})`);
  const { browser } = await launchChromium(testEnv);
  const consoleLog = path.join(OUT, 'browser-console.log');

  const url = workbenchUrl(server, workspace, [
    ['extensionDevelopmentPath', remoteUri(server.port, REPO_ROOT)],
    ['extensionTestsPath', remoteUri(server.port, config.entry)],
  ]);
  fs.writeFileSync(path.join(OUT, 'url.txt'), `${url}\n`);

  for (let i = 0; i < config.modes.length; i++) {
    const index = i + 1;
    const mode = config.modes[i];
    const resultsFile = path.join(resultsDir, `host-${index}.json`);
    fs.writeFileSync(planFile, JSON.stringify({ index, mode, resultsFile, userDataDir }));
    const exitedBefore = exitedHostPids(userDataDir);
    // A fresh browser context per host: nothing of the previous window's state (open views) is restored.
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      fs.appendFileSync(consoleLog, `--- host ${index} (${mode}) ---\n`);
      page.on('console', (m) => fs.appendFileSync(consoleLog, `[${m.type()}] ${m.text()}\n`));
      page.on('pageerror', (e) => fs.appendFileSync(consoleLog, `[pageerror] ${e.stack ?? e}\n`));
      let crashed;
      page.on('crash', () => (crashed = 'the browser page crashed'));
      let goneSince;
      const hostStarted = Date.now();
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      const timeoutMs = mode === 'full' ? config.fullHostTimeoutMs : config.hostTimeoutMs;
      await waitFor(() => fs.existsSync(resultsFile), {
        timeoutMs,
        intervalMs: 200,
        message: `host ${index} (${mode}) to report (${resultsFile})`,
        abort: () => {
          if (crashed) return crashed;
          if (server.proc.state.exited) return `code-server exited (${server.proc.state.signal ?? server.proc.state.code})`;
          const exited = [...exitedHostPids(userDataDir)].filter((pid) => !exitedBefore.has(pid));
          if (exited.length > 0 && !fs.existsSync(resultsFile)) {
            goneSince ??= Date.now();
            if (Date.now() - goneSince > 3000) {
              const errors = consoleErrors(consoleLog);
              return `the extension host (pid ${exited.join(', ')}) exited without reporting${errors.length ? `\nbrowser console errors:\n  ${errors.join('\n  ')}` : ''}`;
            }
          }
          return undefined;
        },
      });
      const report = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
      hosts.push(report);
      const a = report.activation;
      log(
        `host ${index}/${config.modes.length} (${mode}, pid ${report.pid}) reported after ${((Date.now() - hostStarted) / 1000).toFixed(1)} s` +
          (a ? `: activation ${a.ms.toFixed(2)} ms, trivial ${a.trivialMs.toFixed(2)} ms` : '') +
          (report.error ? `; ERROR: ${report.error.split('\n')[0]}` : ''),
      );
      if (report.error) break;
      // run() resolving makes VS Code end that extension host; let it go before the next one starts.
      await waitFor(() => exitedHostPids(userDataDir).has(report.pid), { timeoutMs: 15_000, intervalMs: 200, message: `extension host ${report.pid} to exit` }).catch(() =>
        log(`extension host ${report.pid} did not log its exit within 15 s; going on`),
      );
      if (mode === 'full') await page.screenshot({ path: path.join(OUT, 'workbench.png') }).catch(() => {});
    } finally {
      await Promise.race([context.close().catch(() => {}), sleep(10_000)]);
    }
  }
  collect();
  return { codeServerVersion: testEnv.codeServerVersion, hosts };
}

const configFile = process.argv[2];
if (!configFile) {
  console.error('usage: node scripts/lib/benchHost.mjs <config.json>');
  process.exit(2);
}
const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
let summary;
let code = 0;
try {
  const result = await main(config);
  summary = { ok: true, ...result, logDir: OUT, seconds: (Date.now() - started) / 1000 };
} catch (err) {
  if (isExiting()) await exitWith(1);
  code = 1;
  summary = { ok: false, error: String(err?.message ?? err), hosts, logDir: OUT, seconds: (Date.now() - started) / 1000 };
  console.error(`[bench-host] ERROR: ${summary.error}`);
  const codeServerTail = tail(path.join(OUT, 'code-server.log'), 10);
  if (codeServerTail) console.error(`--- last lines of ${path.join(OUT, 'code-server.log')} ---\n${codeServerTail}\n---`);
}
const tmp = `${config.summaryFile}.${process.pid}.tmp`;
fs.writeFileSync(tmp, JSON.stringify(summary, null, 2));
fs.renameSync(tmp, config.summaryFile);
await exitWith(code);
