// Running a command to completion, with its output shown or captured.
import { spawn } from 'node:child_process';
import { onExitKill } from './cleanup.mjs';

/**
 * Runs `cmd args`, output inherited (shown) unless `capture` is set.
 * Resolves with { code, stdout, stderr }; rejects on a non-zero exit unless `allowFail`.
 */
export function run(cmd, args, { cwd, env, capture = false, allowFail = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: env ?? process.env,
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    });
    // If we are stopped (Ctrl+C, a runner's cleanup) the command must not outlive us.
    const unregister = onExitKill(() => {
      try { child.kill('SIGTERM'); } catch {}
    });
    let stdout = '';
    let stderr = '';
    if (capture) {
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
    }
    child.on('error', (err) => (allowFail ? resolve({ code: -1, stdout, stderr: String(err) }) : reject(err)));
    child.on('close', (code, signal) => {
      unregister();
      const result = { code: code ?? 128, signal, stdout, stderr };
      if (code === 0 || allowFail) resolve(result);
      else {
        const err = new Error(`${cmd} ${args.join(' ')} exited with ${signal ?? code}${capture ? `\n${stderr.slice(-4000)}` : ''}`);
        err.result = result;
        reject(err);
      }
    });
  });
}
