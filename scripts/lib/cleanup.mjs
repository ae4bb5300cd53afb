// One place that stops everything a script started, on every way out: normal end,
// failure, timeout, uncaught error, Ctrl+C (SIGINT), SIGTERM, SIGHUP.
//
// Async cleanups (close the browser, stop a server and wait for it) run in reverse order of
// registration from exitWith() and from the signal / uncaught handlers. Each process group
// we start also registers a synchronous kill that runs from process.on('exit') as the last
// resort, so even a process.exit() somewhere else leaves nothing behind.

const asyncCleanups = [];
const syncKills = new Set();
let exiting = false;

/** Registers an async cleanup; returns a function that unregisters it. */
export function onCleanup(fn) {
  asyncCleanups.push(fn);
  return () => {
    const i = asyncCleanups.indexOf(fn);
    if (i >= 0) asyncCleanups.splice(i, 1);
  };
}

/** Registers a synchronous last-resort kill (run from 'exit'); returns an unregister function. */
export function onExitKill(fn) {
  syncKills.add(fn);
  return () => syncKills.delete(fn);
}

export async function runCleanups() {
  while (asyncCleanups.length) {
    const fn = asyncCleanups.pop();
    try {
      await fn();
    } catch (err) {
      console.error(`[cleanup] ${err?.message ?? err}`);
    }
  }
}

/** True once a signal, an uncaught error or exitWith() started stopping everything. */
export function isExiting() {
  return exiting;
}

/**
 * Runs every cleanup (once), then exits with `code`. When a stop is already under way (Ctrl+C),
 * it never resolves: that stop decides the exit code.
 */
export async function exitWith(code) {
  if (exiting) return new Promise(() => {});
  exiting = true;
  // A second Ctrl+C or a hung cleanup must not keep us here forever.
  const guard = setTimeout(() => process.exit(code), 30_000);
  guard.unref();
  await runCleanups();
  process.exit(code);
}

let installed = false;
/** Installs the signal / uncaught handlers. Call once, at the top of a script. */
export function installExitHandlers(label = 'harness') {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const kill of syncKills) {
      try {
        kill();
      } catch {
        // best effort
      }
    }
  });
  const signals = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [sig, code] of Object.entries(signals)) {
    process.on(sig, () => {
      if (exiting) {
        console.error(`\n[${label}] ${sig} again: killing everything now`);
        process.exit(code);
      }
      console.error(`\n[${label}] ${sig}: stopping everything`);
      void exitWith(code);
    });
  }
  process.on('uncaughtException', (err) => {
    console.error(`[${label}] uncaught error:`, err);
    void exitWith(1);
  });
  process.on('unhandledRejection', (err) => {
    console.error(`[${label}] unhandled rejection:`, err);
    void exitWith(1);
  });
}
