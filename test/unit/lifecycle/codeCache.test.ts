import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadWithCodeCache } from '../../../src/lifecycle/codeCache';

interface Loaded {
  readonly answer: number;
  readonly sibling: string;
  readonly dirname: string;
  readonly filename: string;
  readonly sameExports: boolean;
}

/**
 * Loads in a new Node process, as a new extension host would: within one process V8 keeps what
 * it compiled and would not even look at a cache for the same source.
 */
function loadInFreshProcess(file: string, cacheDir: string | undefined): { fromCache: boolean; answer: number } {
  const loader = require.resolve('../../../src/lifecycle/codeCache');
  const script = `const l = require(${JSON.stringify(loader)}).loadWithCodeCache(process.argv[1], process.argv[2] || undefined); process.stdout.write(JSON.stringify({ fromCache: l.fromCache, answer: l.exports.answer }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script, file, cacheDir ?? ''], { encoding: 'utf8' })) as { fromCache: boolean; answer: number };
}

describe('loadWithCodeCache (the activation bundle loaded with V8 code cache)', () => {
  let dir: string;
  let file: string;
  let cacheDir: string;
  const caches = (): string[] => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'directory-records-code-cache-'));
    file = path.join(dir, 'bundle.js');
    cacheDir = path.join(dir, 'storage', 'code-cache');
    fs.writeFileSync(path.join(dir, 'sibling.js'), "module.exports = 'next to the bundle';\n");
    fs.writeFileSync(
      file,
      "'use strict';\nconst sibling = require('./sibling.js');\nexports.answer = 42;\nexports.sibling = sibling;\nexports.dirname = __dirname;\nexports.filename = __filename;\nexports.sameExports = module.exports === exports && this === exports;\n",
    );
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs the file as require would: its exports, a relative require beside it, __dirname, __filename', () => {
    const loaded = loadWithCodeCache<Loaded>(file, cacheDir);
    assert.deepEqual({ ...loaded.exports }, { answer: 42, sibling: 'next to the bundle', dirname: dir, filename: file, sameExports: true });
    assert.equal(loaded.fromCache, false, 'no cache yet');
    assert.deepEqual(caches(), [], 'nothing written before save()');
  });

  it('writes the cache on save (creating its folder) and the next load takes it, with the same result', async () => {
    await loadWithCodeCache<Loaded>(file, cacheDir).save();
    assert.equal(caches().length, 1, `one cache, no partial file left: ${caches().join(', ')}`);
    assert.match(caches()[0]!, /^bundle-[0-9a-f]{32}\.bin$/);
    assert.deepEqual(loadInFreshProcess(file, cacheDir), { fromCache: true, answer: 42 });
  });

  it('a changed bundle of the same length does not run the old cache (V8 checks only the length: the cache is named by the source hash); its own cache replaces the old', async () => {
    await loadWithCodeCache<Loaded>(file, cacheDir).save();
    const before = caches();
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('exports.answer = 42', 'exports.answer = 43'));
    assert.deepEqual(loadInFreshProcess(file, cacheDir), { fromCache: false, answer: 43 });
    await loadWithCodeCache<Loaded>(file, cacheDir).save();
    assert.equal(caches().length, 1);
    assert.notDeepEqual(caches(), before);
    assert.deepEqual(loadInFreshProcess(file, cacheDir), { fromCache: true, answer: 43 });
  });

  it('a cache file of garbage is refused, not fatal; without a cache folder, nothing is read or written', async () => {
    await loadWithCodeCache<Loaded>(file, cacheDir).save();
    const cacheFile = path.join(cacheDir, caches()[0]!);
    fs.writeFileSync(cacheFile, Buffer.from('not a code cache'));
    assert.deepEqual(loadInFreshProcess(file, cacheDir), { fromCache: false, answer: 42 });
    const uncached = loadWithCodeCache<Loaded>(file, undefined);
    await uncached.save();
    assert.equal(uncached.fromCache, false);
    assert.equal(fs.readFileSync(cacheFile, 'utf8'), 'not a code cache', 'left alone');
  });
});
