import * as path from 'node:path';
import type * as vscode from 'vscode';
import type * as Entry from './extension';
import type { DirectoryRecordsExports } from './extension';
import { loadWithCodeCache } from './lifecycle/codeCache';

/** The cache is written this long after an uncached activation, so it holds what the first seconds of use compiled too. */
const SAVE_AFTER_MS = 10_000;

/**
 * package.json's main (dist/main.js): loads the activation bundle (dist/extension.js) with V8's
 * code cache kept in the extension's global storage, then activates it. Nothing else.
 */
export function activate(context: vscode.ExtensionContext): DirectoryRecordsExports {
  const bundle = path.join(__dirname, 'extension.js');
  // Global storage off the local disk (a virtual file system): no cache, compiled each time.
  const cacheDir = context.globalStorageUri.scheme === 'file' ? path.join(context.globalStorageUri.fsPath, 'code-cache') : undefined;
  const loaded = loadWithCodeCache<typeof Entry>(bundle, cacheDir);
  const exports = loaded.exports.activate(context);
  if (cacheDir && !loaded.fromCache) {
    const timer = setTimeout(() => void loaded.save(), SAVE_AFTER_MS);
    context.subscriptions.push({ dispose: () => clearTimeout(timer) });
  }
  return exports;
}

export function deactivate(): void {}
