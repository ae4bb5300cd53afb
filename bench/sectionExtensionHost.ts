import { spawn, execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { FullReport, HarnessConfig, HarnessSummary, HostMode, HostReport, MemorySample } from './host/protocol';
import { PAUSE_BEFORE_LOAD_MS } from './host/protocol';
import { median } from './stats';
import { BrokenMeasurement, type BenchOptions, type BenchRow, type Section, type SectionResult } from './types';

/** out/bench/ → repository root. */
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const RUNNER = path.join(REPO_ROOT, 'scripts', 'lib', 'benchHost.mjs');
const ENTRY = path.join(REPO_ROOT, 'out', 'bench', 'host', 'measure.js');
const DIST = path.join(REPO_ROOT, 'dist');

/** Fresh extension hosts are slow to start (a workbench each, ~10 s), so at most this many. */
const MAX_HOSTS = 9;
/** A host that measures activation only, then the full one: generous, the harness gives up earlier on a dead host. */
const HOST_TIMEOUT_MS = 120_000;
const FULL_HOST_TIMEOUT_MS = 300_000;
/** First use installs Node 24, code-server and Chromium (~2 min cold); warm it is < 10 s. */
const SETUP_ALLOWANCE_MS = 300_000;

const KB = 1000;
const MiB = 2 ** 20;

const fmt = (values: readonly number[], digits = 1): string => values.map((v) => v.toFixed(digits)).join(', ');
const mib = (bytes: number): number => bytes / MiB;

function fail(message: string): never {
  throw new BrokenMeasurement(message);
}

/** Builds dist/ as shipped (minified): the bench's own `npm run compile` leaves the development build there. */
export async function productionBundle(progress: (line: string) => void): Promise<void> {
  progress('  building the production bundle: node esbuild.mjs --production');
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['esbuild.mjs', '--production'], { cwd: REPO_ROOT, timeout: 120_000 });
    for (const line of stdout.trim().split('\n')) progress(`    ${line}`);
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    fail(`the production build failed: ${e.message}\n${e.stderr ?? ''}${e.stdout ?? ''}`);
  }
}

/**
 * Runs scripts/lib/benchHost.mjs as a child process (it owns code-server, Chromium and the sandbox
 * and stops them on every way out) and returns its summary. Its output becomes progress lines.
 */
async function runHosts(modes: HostMode[], progress: (line: string) => void): Promise<HarnessSummary> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'directory-records-bench-'));
  try {
    const summaryFile = path.join(dir, 'summary.json');
    const config: HarnessConfig = { summaryFile, modes, hostTimeoutMs: HOST_TIMEOUT_MS, fullHostTimeoutMs: FULL_HOST_TIMEOUT_MS, entry: ENTRY };
    const configFile = path.join(dir, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify(config));
    const deadlineMs = SETUP_ALLOWANCE_MS + (modes.length - 1) * HOST_TIMEOUT_MS + FULL_HOST_TIMEOUT_MS + 60_000;

    const child = spawn(process.execPath, [RUNNER, configFile], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    // If this process ends first (an error elsewhere, process.exit), the runner must still clean up.
    const killOnExit = (): void => {
      child.kill('SIGTERM');
    };
    process.on('exit', killOnExit);
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop()!;
        for (const line of lines) if (line.trim()) progress(`  ${line}`);
      });
      stream.on('end', () => pending.trim() && progress(`  ${pending}`));
    }
    let timedOut = false;
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      const timer = setTimeout(() => {
        timedOut = true;
        progress(`  the in-host benchmark did not finish within ${Math.round(deadlineMs / 1000)} s: stopping it`);
        child.kill('SIGTERM');
        // Its cleanup (SIGTERM, then SIGKILL, of code-server, Chromium, the sandbox) takes seconds; then no more waiting.
        setTimeout(() => child.kill('SIGKILL'), 45_000).unref();
      }, deadlineMs);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal });
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        progress(`  could not start ${RUNNER}: ${error.message}`);
        resolve({ code: null, signal: null });
      });
    });
    process.removeListener('exit', killOnExit);
    if (timedOut) fail(`the extension host never reported within ${Math.round(deadlineMs / 1000)} s; logs in test-output/bench-host/.`);
    if (!fs.existsSync(summaryFile)) fail(`the in-host benchmark runner ended (${exit.signal ?? `exit ${exit.code}`}) without a summary; logs in test-output/bench-host/.`);
    return JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as HarnessSummary;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function activationRows(hosts: readonly HostReport[]): { rows: BenchRow[]; notes: string[] } {
  const a = hosts.map((h) => h.activation!);
  const ours = a.map((x) => x.ms);
  const trivial = a.map((x) => x.trivialMs);
  const warmup = a.map((x) => x.warmupTrivialMs);
  const defined = (values: (number | undefined)[]): number[] => values.filter((x): x is number => x !== undefined && Number.isFinite(x));
  const code = defined(a.map((x) => x.codeLoadMs));
  const call = defined(a.map((x) => x.activateCallMs));
  const own = defined(a.map((x) => (x.codeLoadMs !== undefined && x.activateCallMs !== undefined ? x.codeLoadMs + x.activateCallMs : undefined)));
  const ownPart = a.map((x) => x.ms - x.trivialMs);
  const n = hosts.length;
  const notQuiet = a.filter((x) => !x.quiet).length;
  const seen = (values: number[]): string => (values.length === n ? '' : `; seen in ${values.length} of ${n} hosts`);
  return {
    notes: [
      `Activation: ${n} fresh extension host${n === 1 ? '' : 's'} (a new browser context and workbench each). In each, once the set of active extensions had not changed for 3 s and three setContext round trips to the workbench in a row were quick (< 5 ms, or < 1.5× the fastest seen)` +
        `${notQuiet ? ` (${notQuiet} host(s) did not get there within 20–30 s and were measured anyway)` : ''}, ` +
        'three `await vscode.extensions.getExtension(id).activate()` calls were timed with performance.now(): a do-nothing extension (warm-up), Directory Records, a second do-nothing extension (baseline). Directory Records was checked inactive first, with no sites configured and no record document open. ' +
        'A hook on Module._load timed the require() of each main file and, through a Proxy on the module, its activate() call.',
      `Activation ms per host, Directory Records: ${fmt(ours, 2)} (of which loading its main file, dist/main.js: ${fmt(code, 2)}; activate(), which loads dist/extension.js with the code cache and activates it: ${fmt(call, 2)}; dist/extension.js ${a.map((x) => (x.codeCache === 'read' ? 'read from the code cache' : 'compiled')).join(', ')}); do-nothing baseline: ${fmt(trivial, 2)} (of which loading its main file: ${fmt(defined(a.map((x) => x.trivialCodeLoadMs)), 2)}; activate(): ${fmt(defined(a.map((x) => x.trivialActivateCallMs)), 2)}); do-nothing warm-up: ${fmt(warmup, 2)}; ` +
        `workbench round trip just before: ${fmt(a.map((x) => x.roundTripMs), 2)}; require() of an empty file: ${fmt(a.map((x) => x.emptyRequireMs), 2)}.`,
      'The activation target is an absolute time on purpose: it is a budget for what a person waits for when the view opens, and VS Code itself reports activation in ms. ' +
        'The do-nothing extension goes through the same API path (VS Code preparing its context and storage, which waits on round trips to the workbench, loading the module, building the API object on its `require(\'vscode\')` as the `yo code` template does at its top, calling activate), so it is the host’s fixed cost; ' +
        'loading dist/extension.js plus activate() is the part the extension controls.',
    ],
    rows: [
      {
        name: 'activation time, in the host',
        value: median(ours),
        unit: 'ms',
        target: { comparison: '<=', limit: 20 },
        note: `median of ${n} fresh hosts; range ${Math.min(...ours).toFixed(1)}–${Math.max(...ours).toFixed(1)} ms`,
        method: 'Median over fresh extension hosts of the wall time of `await getExtension("directory-records.directory-records").activate()` called from a module running in the host (extensionTestsPath), on the not-yet-active extension; the production bundle.',
      },
      {
        name: 'activation, own part (ours − do-nothing, same host)',
        value: median(ownPart),
        unit: 'ms',
        target: { comparison: '<=', limit: 10 },
        note: `median of ${n} fresh hosts; per host ${fmt(ownPart, 1)} ms${a.some((x) => x.codeCache === 'compiled') ? `; without a code cache (the first start after an install or update): ${fmt(a.filter((x) => x.codeCache === 'compiled').map((x) => x.ms - x.trivialMs), 1)} ms` : ''}`,
        method:
          'Per host, the activation time of Directory Records minus that of the do-nothing extension activated right after it in the same host (what VS Code costs any extension is taken out); the median over the fresh hosts.',
      },
      {
        name: 'of which: loading dist/extension.js + activate()',
        value: median(own),
        unit: 'ms',
        note: `median; load ${median(code).toFixed(1)} ms + activate() ${median(call).toFixed(1)} ms${seen(own)}`,
        method: 'Per host, the time inside Module._load for dist/extension.js plus the time of the activate() call VS Code made (timed through a Proxy on the loaded module), medians.',
      },
      {
        name: 'do-nothing extension activation (baseline)',
        value: median(trivial),
        unit: 'ms',
        note: 'same API call, same hosts',
        method: 'Median of the same timing for an installed extension whose activate() returns {} (activated right after ours; another one activated before ours takes the first-call costs).',
      },
      {
        name: 'activation / do-nothing activation',
        value: median(ours) / median(trivial),
        unit: 'ratio',
        note: 'context',
        method: 'The two medians above divided.',
      },
    ],
  };
}

function bundleRows(full: FullReport, sizes: { extension: number; siteApi: number }, activationMs: number): BenchRow[] {
  return [
    {
      name: 'dist/extension.js, minified',
      value: sizes.extension / KB,
      unit: 'KB',
      target: { comparison: '<=', limit: 500 },
      note: 'loaded at activation',
      method: 'Size in bytes / 1000 of dist/extension.js from `node esbuild.mjs --production` run by this section (source map not counted).',
    },
    {
      name: 'dist/siteApi.js, minified',
      value: sizes.siteApi / KB,
      unit: 'KB',
      note: 'API clients + zod + undici; loaded on the first request',
      method: 'Size in bytes / 1000 of the second bundle from the same build.',
    },
    {
      name: 'first load of dist/siteApi.js, in the host',
      value: full.siteApiLoadMs,
      unit: 'ms',
      note: `once per host; ${(full.siteApiLoadMs / activationMs).toFixed(1)}× the median activation`,
      method: `Time inside Module._load for dist/siteApi.js when the extension required it for its first request (${full.siteApiLoadTrigger}), measured by a hook in the same host as the activation.`,
    },
    {
      name: "a command's first use: loading its feature (dist/siteCommands.js), in the host",
      value: full.featureLoadMs,
      unit: 'ms',
      note: 'once per feature per host; activation registers every command id and loads no feature',
      method: 'Time inside Module._load for dist/siteCommands.js when directoryRecords.setApiKey first ran, measured by the same hook; the feature bundles are what commands/commandFeatures.ts names.',
    },
  ];
}

function requestRows(full: FullReport): BenchRow[] {
  const e = full.expand;
  const per = Object.entries(e.perResource);
  for (const [model, count] of per) if (count === 0) fail(`expanding ${model} made no request at all, so its first page did not come from the sandbox.`);
  return [
    {
      name: 'requests per resource, expand site → expand resource → first page',
      value: Math.max(...per.map(([, c]) => c)),
      unit: 'requests',
      target: { comparison: '<=', limit: 1 },
      note: `${per.map(([m, c]) => `${m} ${c}`).join(', ')}${e.other.length ? `; ${e.other.length} other` : ''}`,
      method:
        'Sandbox request log cleared; then, as VS Code calls them, getChildren(root), getChildren(site) (which starts each resource’s first-page prefetch for its count) and getChildren(resource) for every resource, each awaited until the records came back; the log’s requests are attributed to resources by path; the largest count is shown.',
    },
    {
      name: 'requests from expanding a resource whose count is shown',
      value: e.afterCountShown,
      unit: 'requests',
      note: 'all resources together',
      method: 'After Refresh of the site, getChildren(site) and waiting until every resource showed its count, the log was cleared and getChildren(resource) called for each.',
    },
  ];
}

/** Loads taken at each end of the Load more run for its trend. */
const ENDS = 5;

function memoryRows(full: FullReport): { rows: BenchRow[]; notes: string[] } {
  const m = full.memory;
  const added = m.recordsShown - m.pageSize;
  const perK = (a: MemorySample, b: MemorySample, pick: (s: MemorySample) => number): number => mib(pick(b) - pick(a)) / (added / 1000);
  const heap = (s: MemorySample): number => s.heapUsed;
  const rss = (s: MemorySample): number => s.rss;
  const last = m.loadTrace.at(-1)!;
  // The reveal handed VS Code the first page and its Load more row; the loads the rest.
  const nodesCreated = m.pageSize + 1 + m.providerDuringLoads.nodesCreated;
  const sampling = m.gcForced
    ? 'each figure is the median of 5 process.memoryUsage() samples, each after two forced full GCs (gc exposed at run time with v8.setFlagsFromString("--expose-gc"))'
    : 'no GC could be forced, so each figure is the median of 5 process.memoryUsage() samples taken 0.6 s apart after a 3 s pause';
  const heapAdded = mib(m.loaded.heapUsed - m.firstPage.heapUsed);
  const heapRetained = mib(m.collapsed.heapUsed - m.firstPage.heapUsed);
  return {
    notes: [
      `Memory: Website Notifications revealed (expanded) in the real Sites view with directoryRecords.pageSize = ${m.pageSize}, then ${m.loads} × directoryRecords.loadMore on its node, waiting after each until VS Code had fetched the node's children again (${m.loadRequests} requests, ${m.recordsShown.toLocaleString('en')} records shown); ` +
        'then the view’s own Collapse All (VS Code reported the node collapsed, which makes the extension trim it to its first page); then reveal again; then the extension’s Refresh of the node. ' +
        `Extension host figures: ${sampling}. Per 1,000 records = growth / ${(added / 1000).toFixed(1)}.`,
      heapRetained > heapAdded / 2
        ? `After the collapse the host heap stayed at ${mib(m.collapsed.heapUsed).toFixed(1)} MiB: of the ${heapAdded.toFixed(1)} MiB the loads added, the collapse released ${Math.max(0, heapAdded - heapRetained).toFixed(1)} MiB. ` +
          `On expanding again VS Code ${m.reexpandFetched ? 'asked the provider for the children again' : `did not ask the provider for the children again and showed the ${m.reexpandRecords.toLocaleString('en')} it already had`} (${m.reexpandRequests} request${m.reexpandRequests === 1 ? '' : 's'}). ` +
          `The extension’s Refresh of the node, which tells VS Code the node changed, brought the heap to ${mib(m.refreshed.heapUsed).toFixed(1)} MiB. The collapse trims the model to its first page and tells VS Code the node changed; what the heap keeps beyond that is held outside the model's record list (not traced further).`
        : `The collapse released ${(heapAdded - heapRetained).toFixed(1)} of the ${heapAdded.toFixed(1)} MiB the loads added (heap ${mib(m.collapsed.heapUsed).toFixed(1)} MiB); expanding again made ${m.reexpandRequests} request${m.reexpandRequests === 1 ? '' : 's'}${m.reexpandFetched ? '' : ' (VS Code did not ask for the children again)'}; after Refresh ${mib(m.refreshed.heapUsed).toFixed(1)} MiB.`,
      `Loading: ${m.loads} loads, each ${PAUSE_BEFORE_LOAD_MS} ms after the previous was shown, took ${(m.loadMs / 1000).toFixed(1)} s until shown (pauses left out); the last (${(last.records - m.pageSize).toLocaleString('en')} → ${last.records.toLocaleString('en')}) ${last.shownMs.toFixed(0)} ms (the command itself ${last.commandMs.toFixed(0)} ms). ` +
        `Per load (until shown / the command itself, ms): ${m.loadTrace.filter((_, i) => i < 3 || i % 10 === 9 || i >= m.loadTrace.length - 3).map((step) => `${step.records.toLocaleString('en')}: ${step.shownMs.toFixed(0)}/${step.commandMs.toFixed(0)}`).join(', ')}. ` +
        `VS Code made ${m.providerDuringLoads.getTreeItemCalls.toLocaleString('en')} getTreeItem calls over the ${m.loads} loads (it fetches every child of a changed node again; ${m.recordsShown.toLocaleString('en')} records are shown in the end), ${(m.providerDuringLoads.getTreeItemMs / 1000).toFixed(1)} s inside getTreeItem. ` +
        `RSS (the whole host process) went from ${mib(m.firstPage.rss).toFixed(0)} to ${mib(m.loaded.rss).toFixed(0)} MiB while the heap after GC went from ${mib(m.firstPage.heapUsed).toFixed(0)} to ${mib(m.loaded.heapUsed).toFixed(0)} MiB and external memory stayed ${mib(m.loaded.external).toFixed(0)} MiB` +
        (mib(m.loaded.rss - m.firstPage.rss) > 3 * heapAdded ? ': most of the RSS growth is memory the process used while the loads were shown and has not given back to the system, not live objects; it follows the repeated full fetches rather than the record count.' : '.'),
    ],
    rows: [
      { name: 'host heap, first page shown', value: mib(m.firstPage.heapUsed), unit: 'MiB', note: `${m.pageSize} notifications (+ first pages of the other resources)`, method: 'process.memoryUsage().heapUsed in the extension host with the first page of Website Notifications shown in the Sites view.' },
      { name: `host heap after ${m.loads} × Load more`, value: mib(m.loaded.heapUsed), unit: 'MiB', note: `${m.recordsShown.toLocaleString('en')} records shown`, method: 'heapUsed after the loads, each shown by VS Code.' },
      { name: 'host heap per 1,000 records loaded', value: perK(m.firstPage, m.loaded, heap), unit: 'MiB', target: { comparison: '<=', limit: 3 }, note: 'VS Code’s own tree nodes included', method: `(heap after the loads − heap with the first page) / ${added / 1000}.` },
      { name: 'host heap after collapsing the resource', value: mib(m.collapsed.heapUsed), unit: 'MiB', note: `released ${Math.max(0, heapAdded - heapRetained).toFixed(1)} of the ${heapAdded.toFixed(1)} MiB added`, method: 'heapUsed after Collapse All in the Sites view and VS Code reporting the node collapsed (onDidCollapseElement), which trims the resource to its first page.' },
      { name: 'host heap after Refresh of the collapsed resource', value: mib(m.refreshed.heapUsed), unit: 'MiB', note: 'context', method: 'heapUsed after directoryRecords.refresh on the node (reveal had expanded it again) and VS Code fetching its first page.' },
      { name: 'host RSS, first page shown', value: mib(m.firstPage.rss), unit: 'MiB', method: 'process.memoryUsage().rss of the extension host process, same moment as the first heap figure.' },
      { name: `host RSS after ${m.loads} × Load more`, value: mib(m.loaded.rss), unit: 'MiB', method: 'rss after the loads.' },
      { name: 'host RSS per 1,000 records loaded', value: perK(m.firstPage, m.loaded, rss), unit: 'MiB', note: 'see the notes: not proportional to records', method: `(rss after the loads − rss with the first page) / ${added / 1000}.` },
      { name: 'host RSS after collapsing the resource', value: mib(m.collapsed.rss), unit: 'MiB', method: 'rss after the collapse, same moment as the heap figure.' },
      { name: `last Load more (${(last.records - m.pageSize).toLocaleString('en')} → ${last.records.toLocaleString('en')}) until shown`, value: last.shownMs, unit: 'ms', note: `first: ${m.loadTrace[0]!.shownMs.toFixed(0)} ms`, method: 'From executing directoryRecords.loadMore to VS Code having fetched the node’s children with the new page from the provider.' },
      {
        name: `Load more: the ${m.loads}th / the 1st, until shown (single loads)`,
        value: last.shownMs / m.loadTrace[0]!.shownMs,
        unit: 'ratio',
        note: `${m.loadTrace[0]!.shownMs.toFixed(0)} → ${last.shownMs.toFixed(0)} ms; context: one sample each`,
        method: 'The last Load more’s time until shown divided by the first one’s, same run.',
      },
      {
        name: `Load more: the last ${ENDS} / the first ${ENDS} (medians), until shown`,
        value: median(m.loadTrace.slice(-ENDS).map((step) => step.shownMs)) / median(m.loadTrace.slice(0, ENDS).map((step) => step.shownMs)),
        unit: 'ratio',
        target: { comparison: '<=', limit: 1.5 },
        note: `${median(m.loadTrace.slice(0, ENDS).map((step) => step.shownMs)).toFixed(0)} → ${median(m.loadTrace.slice(-ENDS).map((step) => step.shownMs)).toFixed(0)} ms; 1 is linear`,
        method: `The median time until shown of the last ${ENDS} Load mores divided by that of the first ${ENDS}, same run: one load against one swings 2× on two cores (see the per-load trace in the notes), five at each end do not. Each Load more is sent ${PAUSE_BEFORE_LOAD_MS} ms after the previous one was shown, as a person reading the rows would: VS Code holds a tree change that follows another within 200 ms (its extension host debounces them), so loads sent back to back alternate between shown at once and held 200 ms.`,
      },
      {
        name: `heap kept per load-then-Refresh cycle, per 1,000 rows shown`,
        value: mib(m.repeats.end.heapUsed - m.repeats.start.heapUsed) / m.repeats.count / (m.repeats.rowsShown / 1000),
        unit: 'MiB',
        target: { comparison: '<=', limit: 0.5 },
        note: `${m.repeats.count} cycles of ${m.repeats.loads} × Load more (${m.repeats.rowsShown.toLocaleString('en')} rows) then Refresh: heap ${mib(m.repeats.start.heapUsed).toFixed(1)} → ${mib(m.repeats.end.heapUsed).toFixed(1)} MiB`,
        method: 'Heap after GC after the last cycle minus before the first, divided by the cycles and by the thousands of rows each showed.',
      },
      {
        name: 'tree nodes VS Code created / rows shown',
        value: nodesCreated / m.recordsShown,
        unit: 'ratio',
        target: { comparison: '<=', limit: 2 },
        note: `${nodesCreated.toLocaleString('en')} nodes for ${m.recordsShown.toLocaleString('en')} rows; the last load alone ${last.nodes.toLocaleString('en')}`,
        method: 'Every element the provider’s getChildren handed VS Code (the extension host makes a tree node of each, and keeps ~190 B of it until the window reloads): the first page and its Load more row, then every call during the loads; divided by the rows shown at the end.',
      },
    ],
  };
}

function saveRows(full: FullReport): BenchRow[] {
  const s = full.save;
  const sequence = s.requests.map((r) => `${r.method} ${r.path.replace('/api/v2/', '')}`).join(', ');
  return [
    {
      name: 'requests per one-field save',
      value: s.requests.length,
      unit: 'requests',
      target: { comparison: '==', limit: 3 },
      note: sequence,
      method: 'A contact opened as a document in the host, one field changed (a WorkspaceEdit), `await doc.save()`; the sandbox request log from just before the save.',
    },
    {
      name: 'fields in the PUT body',
      value: s.putFields.length,
      unit: 'fields',
      target: { comparison: '==', limit: 2 },
      note: s.putFields.join(', '),
      method: 'Names in the form body of the PUT as the sandbox parsed it.',
    },
    {
      name: 'PUT body / whole-record body',
      value: s.putBodyBytes / s.wholeRecordBytes,
      unit: 'ratio',
      note: `${s.putBodyBytes} B vs ${s.wholeRecordBytes} B (${s.wholeRecordFields} fields)`,
      method:
        'Bytes of the PUT body, re-encoded from the log exactly as the client encodes it (new URLSearchParams(form).toString(), UTF-8), divided by the bytes of the same encoding of every field of the edited record (what a whole-record PUT would carry); the headers are the same either way.',
    },
    {
      name: 'PUT body, one-field save',
      value: s.putBodyBytes,
      unit: 'bytes',
      note: s.putBodyMatchesClientEncoding ? 'equals the client’s encoding of key + field' : 'differs from the client’s encoding of key + field',
      method: 'As above; also compared with new URLSearchParams({ contact_id, city }) of the saved value.',
    },
    {
      name: 'whole-record PUT body (not sent)',
      value: s.wholeRecordBytes,
      unit: 'bytes',
      method: 'new URLSearchParams of all fields of the edited record (null as empty), UTF-8 bytes.',
    },
  ];
}

/** (c) Figures that only mean something inside a real VS Code extension host. */
export async function extensionHost(options: BenchOptions): Promise<SectionResult> {
  for (const [file, hint] of [
    [ENTRY, 'npm run compile'],
    [RUNNER, 'the repository is incomplete'],
    [path.join(REPO_ROOT, 'out', 'sandbox', 'main.js'), 'npm run compile'],
  ] as const) {
    if (!fs.existsSync(file)) fail(`${path.relative(REPO_ROOT, file)} is missing (${hint}).`);
  }
  await productionBundle(options.progress);
  const sizes = { extension: fs.statSync(path.join(DIST, 'extension.js')).size, siteApi: fs.statSync(path.join(DIST, 'siteApi.js')).size };

  const hostCount = Math.max(1, Math.min(options.rounds, MAX_HOSTS));
  const modes: HostMode[] = [...Array.from({ length: hostCount - 1 }, (): HostMode => 'activation'), 'full'];
  options.progress(`  ${hostCount} fresh extension host(s): ${hostCount - 1} for activation only, then one for activation and the rest`);
  const summary = await runHosts(modes, options.progress);

  const hostError = summary.hosts.find((h) => h.error);
  if (hostError) fail(`extension host ${hostError.index} (${hostError.mode}) could not measure: ${hostError.error!.split('\n').slice(0, 3).join(' | ')} (logs in ${path.relative(REPO_ROOT, summary.logDir)}/).`);
  if (!summary.ok) fail(`${summary.error ?? 'the in-host benchmark failed'} (logs in ${path.relative(REPO_ROOT, summary.logDir)}/).`);
  if (summary.hosts.length !== modes.length) fail(`${summary.hosts.length} of ${modes.length} extension hosts reported.`);
  const fullHost = summary.hosts.at(-1)!;
  if (!fullHost.full || summary.hosts.some((h) => !h.activation)) fail('a host report lacks its figures.');
  const full = fullHost.full;
  // The hosts load dist/ from this working tree; another build in between would make the figures about other code.
  const changed = summary.hosts.filter((h) => h.activation!.bundleBytes !== sizes.extension);
  if (changed.length > 0 || full.siteApiBytes !== sizes.siteApi) {
    fail(`dist/ changed during the run (another build?): dist/extension.js was ${sizes.extension} bytes when built, ${[...new Set(summary.hosts.map((h) => h.activation!.bundleBytes))].join('/')} in the hosts; dist/siteApi.js ${sizes.siteApi} vs ${full.siteApiBytes}.`);
  }
  if (full.memory.recordsShown !== full.memory.pageSize * (full.memory.loads + 1)) fail(`${full.memory.recordsShown} records shown after the loads instead of ${full.memory.pageSize * (full.memory.loads + 1)}.`);

  const activation = activationRows(summary.hosts);
  const memory = memoryRows(full);
  const activationMedian = median(summary.hosts.map((h) => h.activation!.ms));
  return {
    notes: [
      `Real VS Code: code-server ${summary.codeServerVersion ?? '?'} (VS Code ${fullHost.vscodeVersion}), extension host on Node ${fullHost.nodeVersion}, headless Chromium driving the workbench, the sandbox API on loopback; ` +
        'the extension loaded from this folder (extensionDevelopmentPath) with the production bundle this section builds (dist/ keeps it afterwards), out/bench/host/measure.js running in the host (extensionTestsPath). ' +
        `${summary.seconds.toFixed(0)} s for the hosts; logs in test-output/bench-host/.`,
      ...activation.notes,
      `Bundles: the API clients with zod and undici are ${(sizes.siteApi / KB / KB).toFixed(2)} MB minified, ${(sizes.siteApi / sizes.extension).toFixed(0)}× the rest of the extension, so esbuild.mjs puts them in dist/siteApi.js, which the extension requires on its first request; activation loads only dist/extension.js.`,
      `Requests: one BD site (requestsPerMinute 1000, so the client's own limiter paces nothing), key set with the real Set API Key command, default page size ${full.expand.pageSize}; expanding the site and each resource took ${full.expand.ms.toFixed(0)} ms in all.`,
      ...memory.notes,
      ...fullHost.log.filter((line) => line.startsWith('reveal ')).map((line) => `Retried in the host: ${line}.`),
      `Save: contact ${full.save.requests[0]?.path.split('/').pop() ?? '?'}, field "${full.save.field}" changed, save took ${full.save.ms.toFixed(0)} ms (GET for the conflict check, PUT, GET to re-read).`,
    ],
    rows: [...activation.rows, ...bundleRows(full, sizes, activationMedian), ...requestRows(full), ...memory.rows, ...saveRows(full)],
  };
}

export const EXTENSION_HOST: Section = {
  id: 'c',
  alias: 'host',
  title: 'In a real VS Code extension host',
  run: extensionHost,
};
