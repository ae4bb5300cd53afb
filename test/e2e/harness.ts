// What an e2e flow is and what it gets. scripts/run-e2e.mjs loads every
// out/test/e2e/**/*.e2e.js, and runs each flow in its exported `flows` with a fresh
// code-server (fresh user-data-dir, extensions-dir with the packaged .vsix installed,
// workspace folder) and a fresh browser context, the workbench already open and ready.
import type { Page } from 'playwright-core';

/** What `node out/sandbox/main.js --port 0 --json` prints first. */
export interface SandboxInfo {
  url: string;
  bdKey: string;
  bdLimitedKey: string;
  copernicaToken: string;
}

export interface E2EContext {
  page: Page;
  sandbox: SandboxInfo;
  /** http://127.0.0.1:PORT of the code-server serving this flow. */
  serverUrl: string;
  /** The workspace folder opened in the workbench (a fresh temporary folder). */
  workspace: string;
  /** code-server's user-data-dir: User/settings.json, logs/ (exthost logs), ... */
  userDataDir: string;
  /** test-output/e2e/<flow>/: screenshots and logs of this flow go here. */
  outputDir: string;
  log(message: string): void;
  /** Saves a PNG of the page to outputDir/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
}

export interface E2EFlow {
  /** Shown in the report and matched by DIRECTORY_RECORDS_GREP (a regular expression). */
  name: string;
  /** User settings for this flow, merged over the harness's quiet defaults. */
  settings?(sandbox: SandboxInfo): Record<string, unknown>;
  /** Extra environment for the code-server process (reaches the extension host). */
  env?(sandbox: SandboxInfo): Record<string, string>;
  /** Files to create in the workspace folder before the workbench opens (relative path → content). */
  workspaceFiles?: Record<string, string>;
  /** Default 120000. */
  timeoutMs?: number;
  run(ctx: E2EContext): Promise<void>;
}
