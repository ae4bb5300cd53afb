import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startSandbox } from '../sandbox/server';
import { productionBundle } from './sectionExtensionHost';
import { median } from './stats';
import { BrokenMeasurement, type BenchOptions, type BenchRow, type Section, type SectionResult } from './types';

/** out/bench/ → repository root. */
const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The build issue 19 measured its first request on: dist/siteApi.js with all of zod and undici. */
const BASELINE_COMMIT = '5e19422';
const WARMUP_RUNS = 2;
const PAGE_SIZE = 25;
const KB = 1000;
const KiB = 1024;

const run = promisify(execFile);

function fail(message: string): never {
  throw new BrokenMeasurement(message);
}

/**
 * What a fresh Node does for the extension's first request: require dist/siteApi.js, make the
 * client, list the first page of contacts from the sandbox. Timed inside the child, so Node's own
 * start is left out; printed as one JSON line.
 */
const CHILD = `
const started = performance.now();
const api = require(process.argv[1]);
const loaded = performance.now();
const site = api.createSiteApi({ kind: 'brilliantDirectories', url: process.argv[2], secret: process.argv[3], rateLimit: null, log: () => {} });
const contacts = site.resources.find((r) => r.model === 'contacts');
site.listPage(contacts, { pageSize: Number(process.argv[4]) }).then(async (page) => {
  const answered = performance.now();
  console.log(JSON.stringify({ loadMs: loaded - started, totalMs: answered - started, ids: page.records.map((r) => r.contact_id) }));
  await site.dispose();
});`;

interface ChildRun {
  readonly loadMs: number;
  readonly totalMs: number;
  readonly ids: readonly string[];
}

/** dist/siteApi.js as commit 5e19422 built it: its tree from git, this checkout's node_modules (the same zod and undici), its own esbuild.mjs. */
async function baselineBundle(dir: string, progress: (line: string) => void): Promise<string> {
  progress(`  building dist/siteApi.js at ${BASELINE_COMMIT} (git archive into ${dir}, then its esbuild.mjs --production)`);
  const tar = path.join(dir, 'tree.tar');
  try {
    await run('git', ['archive', '--format=tar', '-o', tar, BASELINE_COMMIT], { cwd: REPO_ROOT });
  } catch (error) {
    fail(`commit ${BASELINE_COMMIT} is not in this clone's history, so the baseline cannot be built (${(error as Error).message.split('\n')[0]}).`);
  }
  const tree = path.join(dir, 'tree');
  fs.mkdirSync(tree);
  await run('tar', ['-xf', tar, '-C', tree]);
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(tree, 'node_modules'), 'dir');
  try {
    await run(process.execPath, ['esbuild.mjs', '--production'], { cwd: tree, timeout: 120_000 });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    fail(`the ${BASELINE_COMMIT} build failed: ${e.message}\n${e.stderr ?? ''}`);
  }
  return path.join(tree, 'dist', 'siteApi.js');
}

/** What went into our dist/siteApi.js, from the metafile esbuild.mjs writes beside it. */
function contents(): { locales: string[]; wasm: string[]; kib: Record<'zod' | 'undici' | 'ours', number> } {
  const metaFile = path.join(REPO_ROOT, 'dist', 'meta-siteApi.json');
  if (!fs.existsSync(metaFile)) fail('dist/meta-siteApi.json is missing: esbuild.mjs did not write the metafile.');
  const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  const output = Object.entries(meta.outputs).find(([file]) => file.endsWith('siteApi.js'))?.[1] ?? fail('dist/meta-siteApi.json names no siteApi.js output.');
  const inputs = Object.entries(output.inputs).filter(([, i]) => i.bytesInOutput > 0);
  const sum = (test: (file: string) => boolean): number => inputs.filter(([file]) => test(file)).reduce((total, [, i]) => total + i.bytesInOutput, 0) / KiB;
  return {
    locales: inputs.map(([file]) => /node_modules\/zod\/.*\/locales\/([\w-]+)\.js$/.exec(file)?.[1]).filter((l): l is string => l !== undefined && l !== 'index'),
    wasm: inputs.map(([file]) => file).filter((file) => /llhttp.*-wasm\.js$/.test(file)).map((file) => path.basename(file)),
    kib: { zod: sum((f) => f.includes('node_modules/zod/')), undici: sum((f) => f.includes('node_modules/undici/')), ours: sum((f) => f.startsWith('src/')) },
  };
}

/** (h) Loading the API clients and the first answer, against the build issue 19 measured. */
export async function firstRequest(options: BenchOptions): Promise<SectionResult> {
  await productionBundle(options.progress);
  const ours = path.join(REPO_ROOT, 'dist', 'siteApi.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'directory-records-bench-baseline-'));
  const sandbox = await startSandbox();
  try {
    const baseline = await baselineBundle(dir, options.progress);
    const size = { ours: fs.statSync(ours).size, baseline: fs.statSync(baseline).size };
    const what = contents();
    const expected = sandbox.store.rows('contacts').map((r) => String(r['contact_id'])).sort((a, b) => Number(b) - Number(a)).slice(0, PAGE_SIZE);
    const once = async (bundle: string, who: string): Promise<ChildRun> => {
      const { stdout } = await run(process.execPath, ['-e', CHILD, bundle, sandbox.url, sandbox.bdKey, String(PAGE_SIZE)], { timeout: 60_000 });
      const result = JSON.parse(stdout) as ChildRun;
      // A first page other than the sandbox's newest contacts would time something else.
      if (result.ids.join() !== expected.join()) fail(`${who}'s first page was ${result.ids.length} contacts (${result.ids.slice(0, 3).join(', ')}…), not the sandbox's newest ${PAGE_SIZE}.`);
      return result;
    };
    for (let i = 0; i < WARMUP_RUNS; i++) {
      await once(ours, 'this build');
      await once(baseline, BASELINE_COMMIT);
    }
    const runs: Record<'ours' | 'baseline', ChildRun[]> = { ours: [], baseline: [] };
    const load = os.loadavg()[0]!;
    for (let round = 0; round < options.rounds; round++) {
      // Who goes first swaps every round, so drift falls on both.
      const order = round % 2 === 0 ? (['ours', 'baseline'] as const) : (['baseline', 'ours'] as const);
      for (const who of order) runs[who].push(await once(who === 'ours' ? ours : baseline, who === 'ours' ? 'this build' : BASELINE_COMMIT));
      options.progress(`  round ${round + 1}/${options.rounds}: this build ${runs.ours.at(-1)!.totalMs.toFixed(0)} ms, ${BASELINE_COMMIT} ${runs.baseline.at(-1)!.totalMs.toFixed(0)} ms`);
    }
    const total = { ours: median(runs.ours.map((r) => r.totalMs)), baseline: median(runs.baseline.map((r) => r.totalMs)) };
    const loaded = { ours: median(runs.ours.map((r) => r.loadMs)), baseline: median(runs.baseline.map((r) => r.loadMs)) };
    const list = (values: ChildRun[], pick: (r: ChildRun) => number): string => values.map((r) => pick(r).toFixed(0)).join(', ');
    const rows: BenchRow[] = [
      {
        name: 'first API request: load + first answer, this build / 5e19422',
        value: total.ours / total.baseline,
        unit: 'ratio',
        target: { comparison: '<=', limit: 0.5 },
        note: `${total.ours.toFixed(0)} ms vs ${total.baseline.toFixed(0)} ms`,
        method: `Median over fresh Node processes of the time from require() of dist/siteApi.js to the first page (${PAGE_SIZE} contacts) from the sandbox, through createSiteApi(...).listPage; this build divided by the same for commit ${BASELINE_COMMIT} built in the same run, alternating.`,
      },
      {
        name: 'load of dist/siteApi.js, this build / 5e19422',
        value: loaded.ours / loaded.baseline,
        unit: 'ratio',
        note: `${loaded.ours.toFixed(0)} ms vs ${loaded.baseline.toFixed(0)} ms`,
        method: 'Median time of the require() alone, same processes.',
      },
      {
        name: 'dist/siteApi.js, minified',
        value: size.ours / KB,
        unit: 'KB',
        target: { comparison: '<=', limit: 360 },
        note: `${BASELINE_COMMIT}: ${(size.baseline / KB).toFixed(0)} KB`,
        method: 'Size in bytes / 1000 of dist/siteApi.js from `node esbuild.mjs --production` (source map not counted); the baseline\'s from its own esbuild.mjs.',
      },
      {
        name: 'zod locales in dist/siteApi.js',
        value: what.locales.length,
        unit: 'locales',
        target: { comparison: '==', limit: 1 },
        note: what.locales.join(', '),
        method: 'Files under zod\'s locales/ with bytes in the output, from dist/meta-siteApi.json (esbuild\'s metafile).',
      },
      {
        name: 'llhttp WebAssembly copies in dist/siteApi.js',
        value: what.wasm.length,
        unit: 'copies',
        target: { comparison: '<=', limit: 1 },
        note: what.wasm.join(', '),
        method: 'undici\'s llhttp*-wasm.js files with bytes in the output, same metafile; the parser without SIMD is dist/llhttp-wasm.js, required only where SIMD fails.',
      },
    ];
    return {
      notes: [
        `Each run is a fresh Node ${process.version} process (so nothing is cached but the OS's files) that requires the bundle and asks the sandbox (in this process, on loopback, no rate limit, no added latency) for the first page; ${WARMUP_RUNS} warm-up runs each, then ${options.rounds} alternating rounds, medians reported. 1-minute load average when the rounds began: ${load.toFixed(2)} on ${os.availableParallelism()} cores.`,
        `The baseline is commit ${BASELINE_COMMIT}'s tree (git archive) built by its own esbuild.mjs --production with this checkout's node_modules (the same zod and undici versions).`,
        `Load + first answer ms, this build: ${list(runs.ours, (r) => r.totalMs)}; ${BASELINE_COMMIT}: ${list(runs.baseline, (r) => r.totalMs)}. Load alone, this build: ${list(runs.ours, (r) => r.loadMs)}; ${BASELINE_COMMIT}: ${list(runs.baseline, (r) => r.loadMs)}.`,
        `In this build's dist/siteApi.js (metafile, KiB in the output): undici ${what.kib.undici.toFixed(0)}, zod ${what.kib.zod.toFixed(0)}, our code ${what.kib.ours.toFixed(0)}.`,
      ],
      rows,
    };
  } finally {
    await sandbox.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const FIRST_REQUEST: Section = {
  id: 'h',
  alias: 'first-request',
  title: 'First API request: loading the clients and the first answer',
  run: firstRequest,
};
