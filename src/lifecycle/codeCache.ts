import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** A CommonJS file run with V8's code cache (none without a cache folder), and how to keep the cache for the next load. */
export interface CachedModule<T> {
  readonly exports: T;
  /** Whether a cache was given and V8 took it (false: compiled from source, as on the first load). */
  readonly fromCache: boolean;
  /** Writes what V8 has compiled of the file by now, for the next load; never throws. */
  save(): Promise<void>;
}

/**
 * Loads `file` as `require` would (its own `require`, `module`, `__dirname`), but compiled
 * through `vm.Script` with a code cache kept in `cacheDir`: parsing and compiling the activation
 * bundle is most of its load, and with the cache V8 reads the compiled code instead. Node's own
 * `module.enableCompileCache` would do this for every module the shared extension host loads
 * afterwards, other extensions' too; this touches only `file`. V8 checks a cache only against the
 * source's length, so the cache is named by a hash of the source: a changed bundle never runs
 * another's code. No `cacheDir`: compiled from source, nothing written.
 */
export function loadWithCodeCache<T>(file: string, cacheDir: string | undefined): CachedModule<T> {
  const source = fs.readFileSync(file, 'utf8');
  const name = `${path.basename(file, '.js')}-${createHash('sha256').update(source).digest('hex').slice(0, 32)}.bin`;
  const cacheFile = cacheDir === undefined ? undefined : path.join(cacheDir, name);
  const cachedData = cacheFile === undefined ? undefined : readIfThere(cacheFile);
  // The wrapper CommonJS gives every file, on the file's first line (as Node's own).
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new vm.Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as T };
  const run = script.runInThisContext() as (exports: T, require: NodeJS.Require, module: { exports: T }, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return {
    exports: module.exports,
    fromCache: cachedData !== undefined && !script.cachedDataRejected,
    save: async () => {
      if (cacheDir === undefined || cacheFile === undefined) return;
      try {
        await fs.promises.mkdir(cacheDir, { recursive: true });
        // Written aside and renamed: a load meanwhile reads the old cache or the new, never half of one.
        const partial = `${cacheFile}.${process.pid}.partial`;
        await fs.promises.writeFile(partial, script.createCachedData());
        await fs.promises.rename(partial, cacheFile);
        // The caches of earlier bundles are of no further use.
        const prefix = `${path.basename(file, '.js')}-`;
        for (const old of await fs.promises.readdir(cacheDir)) if (old.startsWith(prefix) && old !== name) await fs.promises.rm(path.join(cacheDir, old), { force: true });
      } catch {
        // A cache not written costs the next load its compile, nothing else.
      }
    },
  };
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}
