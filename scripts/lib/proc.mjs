// Starting and stopping the harness's processes: free ports, process groups,
// code-server, the sandbox API, Chromium; and waiting for things.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { onCleanup, onExitKill } from './cleanup.mjs';
import { REPO_ROOT, SANDBOX_MAIN } from './paths.mjs';
import { run } from './run.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; throws `message` after `timeoutMs`. */
export async function waitFor(fn, { timeoutMs, intervalMs = 250, message = 'condition', abort } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (abort) {
      const why = abort();
      if (why) throw new Error(`gave up waiting for ${message}: ${why}`);
    }
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${message}`);
    await sleep(intervalMs);
  }
}

/** A free TCP port on 127.0.0.1; `preferred` is used when it is free. */
export async function freePort(preferred) {
  const tryListen = (port) =>
    new Promise((resolve) => {
      const srv = net.createServer();
      srv.unref();
      srv.once('error', () => resolve(undefined));
      srv.listen({ host: '127.0.0.1', port }, () => {
        const { port: got } = srv.address();
        srv.close(() => resolve(got));
      });
    });
  if (preferred) {
    const got = await tryListen(preferred);
    if (got) return got;
  }
  const got = await tryListen(0);
  if (!got) throw new Error('no free port on 127.0.0.1');
  return got;
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True while the group has a member that is not a zombie (zombies can't be killed, only reaped). */
function groupHasLiveMembers(pgid) {
  if (!groupAlive(pgid)) return false;
  try {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat;
      try { stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8'); } catch { continue; }
      // pid (comm) state ppid pgrp ...; comm may contain spaces and parentheses.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[2]) === pgid && rest[0] !== 'Z') return true;
    }
    return false;
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/** SIGTERM the whole process group, SIGKILL it after `graceMs` if anything is left. */
export async function killGroup(pgid, { graceMs = 5000 } = {}) {
  if (!pgid || !groupHasLiveMembers(pgid)) return;
  try { process.kill(-pgid, 'SIGTERM'); } catch {}
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && groupHasLiveMembers(pgid)) await sleep(100);
  if (groupHasLiveMembers(pgid)) {
    try { process.kill(-pgid, 'SIGKILL'); } catch {}
    const hard = Date.now() + 3000;
    while (Date.now() < hard && groupHasLiveMembers(pgid)) await sleep(100);
  }
}

/**
 * Spawns a command as the leader of its own process group (detached), with stdout/stderr
 * going to `logFile` (or handled by the caller when `pipeStdout`). Registers both an async
 * cleanup (SIGTERM, then SIGKILL, the group) and a synchronous SIGKILL of the group on exit.
 */
export function spawnGroup(name, cmd, args, { cwd = REPO_ROOT, env = process.env, logFile, pipeStdout = false } = {}) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', pipeStdout ? 'pipe' : fd, fd],
  });
  fs.closeSync(fd);
  const pgid = child.pid;
  const state = { exited: false, code: null, signal: null };
  child.on('exit', (code, signal) => Object.assign(state, { exited: true, code, signal }));
  child.on('error', (err) => Object.assign(state, { exited: true, error: err }));
  const unregisterSync = onExitKill(() => {
    try { process.kill(-pgid, 'SIGKILL'); } catch {}
  });
  let stopped;
  const stop = () =>
    (stopped ??= (async () => {
      await killGroup(pgid);
      unregisterSync();
    })());
  const unregisterAsync = onCleanup(stop);
  return {
    name,
    child,
    pid: pgid,
    state,
    logFile,
    stop: async () => {
      unregisterAsync();
      await stop();
    },
  };
}

export function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const STRIP_ENV = /^(VSCODE_|ELECTRON_RUN_AS_NODE$|ELECTRON_NO_ATTACH_CONSOLE$)/;
/** The environment for code-server: the cached Node 24 first on PATH, no VS Code variables inherited. */
export function codeServerEnv(testEnv, extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(testEnv.env)) if (!STRIP_ENV.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Installs a .vsix into `extensionsDir` with code-server's CLI. */
export async function installVsix(testEnv, { userDataDir, extensionsDir, vsix, logFile }) {
  const r = await run(
    testEnv.nodeBin,
    [testEnv.codeServerEntry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'],
    { env: codeServerEnv(testEnv), capture: true, allowFail: true },
  );
  if (logFile) fs.appendFileSync(logFile, `$ code-server --install-extension ${vsix}\n${r.stdout}${r.stderr}\n`);
  if (r.code !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
    throw new Error(`installing ${vsix} failed (exit ${r.code}):\n${(r.stdout + r.stderr).trim()}`);
  }
}

/** Default user settings: no welcome page, tips, telemetry, update or gallery noise. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
};

export function writeUserSettings(userDataDir, settings) {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
}

/** A fresh temporary folder, removed by the cleanup unless DIRECTORY_RECORDS_KEEP_TMP is set. */
export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `directory-records-${prefix}-`));
  if (!process.env.DIRECTORY_RECORDS_KEEP_TMP) onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Starts code-server on 127.0.0.1:`port` (a free one when omitted) in its own process group and
 * waits until /healthz answers. Returns { url, port, proc, stop }.
 */
export async function startCodeServer(testEnv, {
  userDataDir,
  extensionsDir,
  port,
  host = '127.0.0.1',
  env = {},
  logFile,
  smokeTestDriver = true,
  startTimeoutMs = 60_000,
}) {
  port ??= await freePort();
  const args = [
    testEnv.codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `${host}:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, `$ ${testEnv.nodeBin} ${args.join(' ')}\n`);
  const proc = spawnGroup('code-server', testEnv.nodeBin, args, { env: codeServerEnv(testEnv, env), logFile });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
        return res.ok;
      } catch {
        return false;
      }
    },
    {
      timeoutMs: startTimeoutMs,
      message: `code-server on ${url} (log: ${logFile})`,
      abort: () => (proc.state.exited ? `code-server exited (${proc.state.signal ?? proc.state.code}):\n${tail(logFile)}` : undefined),
    },
  );
  return { url, port, host, proc, stop: proc.stop, logFile };
}

/**
 * Starts the sandbox API (node out/sandbox/main.js --port P --json) in its own process group
 * and reads the one JSON line it prints first: { url, bdKey, bdLimitedKey, copernicaToken }.
 */
export async function startSandbox({ port = 0, logFile, timeoutMs = 30_000 } = {}) {
  if (!fs.existsSync(SANDBOX_MAIN)) {
    throw new Error(`${path.relative(REPO_ROOT, SANDBOX_MAIN)} is missing: run "npm run compile" first (or the sandbox is not written yet)`);
  }
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, `$ node ${SANDBOX_MAIN} --port ${port} --json\n`);
  const proc = spawnGroup('sandbox', process.execPath, [SANDBOX_MAIN, '--port', String(port), '--json'], {
    logFile,
    pipeStdout: true,
  });
  const info = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox printed no JSON line within ${timeoutMs / 1000} s (log: ${logFile})`)), timeoutMs);
    const rl = readline.createInterface({ input: proc.child.stdout });
    let got = false;
    rl.on('line', (line) => {
      fs.appendFileSync(logFile, `${line}\n`);
      if (got) return;
      const trimmed = line.trim();
      if (!trimmed.startsWith('{')) return;
      try {
        const parsed = JSON.parse(trimmed);
        if (typeof parsed.url !== 'string') throw new Error('no "url" in the sandbox JSON line');
        got = true;
        clearTimeout(timer);
        resolve(parsed);
      } catch (err) {
        clearTimeout(timer);
        reject(new Error(`sandbox printed a line that is not its JSON info: ${trimmed} (${err.message})`));
      }
    });
    proc.child.on('exit', (code, signal) => {
      if (got) return;
      clearTimeout(timer);
      // Let the log catch up before showing it.
      setTimeout(() => reject(new Error(`sandbox exited (${signal ?? code}) before printing its JSON line:\n${tail(logFile)}`)), 100);
    });
  });
  return { info, proc, stop: proc.stop, logFile };
}

/** Direct children of this process, from /proc. */
function childPids(parent = process.pid) {
  const pids = [];
  let entries;
  try { entries = fs.readdirSync('/proc'); } catch { return pids; }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[1]) === parent && rest[0] !== 'Z') pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

/** The recipe's Chromium flags for a root user on a headless machine. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Launches Debian's Chromium with playwright-core. Playwright's own SIGINT/SIGTERM handlers are
 * off so our cleanup decides the order; the browser (its own process group) is closed by the
 * cleanup and SIGKILLed on exit as the last resort.
 */
export async function launchChromium(testEnv, { headless = true } = {}) {
  const { chromium } = await import('playwright-core');
  // Playwright's Browser does not expose the process: the new child of ours is the browser
  // (it is spawned detached, so its pid is also its process group).
  const before = new Set(childPids());
  const browser = await chromium.launch({
    executablePath: testEnv.chromiumPath,
    headless,
    args: CHROMIUM_ARGS,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const pid = childPids().find((p) => !before.has(p));
  const unregisterSync = onExitKill(() => {
    if (!pid) return;
    try { process.kill(-pid, 'SIGKILL'); } catch {}
    try { process.kill(pid, 'SIGKILL'); } catch {}
  });
  let closed;
  const close = () =>
    (closed ??= (async () => {
      await Promise.race([browser.close().catch(() => {}), sleep(10_000)]);
      if (pid) await killGroup(pid, { graceMs: 1000 });
      unregisterSync();
    })());
  const unregisterAsync = onCleanup(close);
  return {
    browser,
    close: async () => {
      unregisterAsync();
      await close();
    },
  };
}

/** The vscode-remote URI code-server's workbench understands for a path on the server. */
export function remoteUri(port, absPath) {
  return `vscode-remote://127.0.0.1:${port}${absPath.split(path.sep).map(encodeURIComponent).join('/')}`;
}

/** The workbench URL for `folder`, with an optional test payload ([[key, value], ...]). */
export function workbenchUrl(server, folder, payload) {
  const params = new URLSearchParams();
  params.set('folder', folder);
  if (payload) params.set('payload', JSON.stringify(payload));
  return `${server.url}/?${params.toString()}`;
}

/** Copies code-server's log folder (user-data-dir/logs) to `dest`; returns the exthost log folders found. */
export function collectLogs(userDataDir, dest) {
  const src = path.join(userDataDir, 'logs');
  if (!fs.existsSync(src)) return [];
  fs.mkdirSync(dest, { recursive: true });
  fs.cpSync(src, dest, { recursive: true });
  // The exthost folders, not those nested inside one.
  const exthost = /^exthost\d*$/;
  return fs
    .readdirSync(dest, { recursive: true, encoding: 'utf8' })
    .filter((rel) => {
      const parts = rel.split(path.sep);
      return exthost.test(parts.at(-1)) && !parts.slice(0, -1).some((part) => exthost.test(part));
    })
    .map((rel) => path.join(dest, rel))
    .filter((p) => fs.statSync(p).isDirectory());
}
