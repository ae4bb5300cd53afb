// Where the harness keeps things: the repository, the per-user cache outside it
// (Node 24, code-server), and the gitignored test-output/ folder.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Versions the harness installs. Bumping one makes a new cache folder. */
export const NODE_MAJOR = '24';
export const CODE_SERVER_VERSION = '4.139.1';
export const APT_PACKAGES = ['chromium', 'libkrb5-dev'];

export const CACHE_ROOT =
  process.env.DIRECTORY_RECORDS_CACHE || path.join(os.homedir(), '.cache', 'directory-records');
export const NODE_CACHE_DIR = path.join(CACHE_ROOT, `node-${NODE_MAJOR}`);
export const CODE_SERVER_CACHE_DIR = path.join(CACHE_ROOT, `code-server-${CODE_SERVER_VERSION}`);
/**
 * code-server's own config file. Without one it writes ~/.config/code-server/config.yaml
 * (password auth) the first time it runs; ours lives in the cache and the flags override it.
 */
export const CODE_SERVER_CONFIG = path.join(CACHE_ROOT, 'code-server-config.yaml');
/** Written last, only after a complete install; without it the folder is wiped and reinstalled. */
export const MARKER_NAME = '.installed.json';

export const CHROMIUM_PATH = process.env.DIRECTORY_RECORDS_CHROMIUM || '/usr/bin/chromium';

export const TEST_OUTPUT = path.join(REPO_ROOT, 'test-output');
export const VSIX_PATH = path.join(REPO_ROOT, 'out', 'directory-records.vsix');
export const SANDBOX_MAIN = process.env.DIRECTORY_RECORDS_SANDBOX_MAIN || path.join(REPO_ROOT, 'out', 'sandbox', 'main.js');
export const INTEGRATION_ENTRY = path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js');
