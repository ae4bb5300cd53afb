#!/usr/bin/env node
// The same in-host integration tests (out/test/integration/index.js) under Electron VS Code via
// @vscode/test-electron, for machines that can download VS Code (this project's dev machines
// and CI cannot: use `npm run test:integration`, the code-server harness, there).
// Needs a display on Linux (run under xvfb-run when there is none).
// Env: DIRECTORY_RECORDS_VSCODE_VERSION (default "stable"), DIRECTORY_RECORDS_GREP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exitWith, installExitHandlers, isExiting, onCleanup } from './lib/cleanup.mjs';
import { INTEGRATION_ENTRY, REPO_ROOT, TEST_OUTPUT } from './lib/paths.mjs';
import { startSandbox } from './lib/proc.mjs';

installExitHandlers('electron');
const OUT = path.join(TEST_OUTPUT, 'electron');

async function main() {
  if (!fs.existsSync(INTEGRATION_ENTRY)) throw new Error('out/test/integration/index.js is missing: run "npm run compile" first');
  const { runTests } = await import('@vscode/test-electron');
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const sandbox = await startSandbox({ logFile: path.join(OUT, 'sandbox.log') });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'directory-records-electron-'));
  onCleanup(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const workspace = path.join(tmp, 'workspace');
  const userDataDir = path.join(tmp, 'user-data');
  fs.mkdirSync(workspace, { recursive: true });
  const resultsFile = path.join(OUT, 'results.json');

  let exitCode;
  try {
    exitCode = await runTests({
      version: process.env.DIRECTORY_RECORDS_VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: INTEGRATION_ENTRY,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', userDataDir],
      extensionTestsEnv: {
        DIRECTORY_RECORDS_TEST_RESULTS: resultsFile,
        DIRECTORY_RECORDS_SANDBOX: JSON.stringify(sandbox.info),
        ...(process.env.DIRECTORY_RECORDS_GREP ? { DIRECTORY_RECORDS_GREP: process.env.DIRECTORY_RECORDS_GREP } : {}),
      },
    });
  } catch (err) {
    if (!fs.existsSync(resultsFile)) {
      throw new Error(
        `@vscode/test-electron failed: ${err?.message ?? err}\n` +
          '  (it downloads VS Code; without internet use "npm run test:integration", the code-server harness)',
        { cause: err },
      );
    }
    exitCode = 1;
  }
  if (!fs.existsSync(resultsFile)) throw new Error(`VS Code exited (${exitCode}) without writing ${resultsFile}`);
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  return { ...results, exitCode };
}

let code = 1;
try {
  const r = await main();
  code = r.failed > 0 || r.exitCode ? 1 : 0;
  console.log(`integration: ${r.passed} passed, ${r.failed} failed`);
} catch (err) {
  // After Ctrl+C the stop in progress makes the steps fail; it reports and exits by itself.
  if (isExiting()) await exitWith(1);
  console.error(`[electron] ERROR: ${err?.message ?? err}`);
  console.log('integration: 0 passed, 1 failed');
}
await exitWith(code);
