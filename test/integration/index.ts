// Entry point of the in-host integration tests: VS Code loads this module in the extension
// host (extensionTestsPath) and awaits run(). It works under both harnesses:
//  - scripts/run-integration.mjs (code-server + Chromium): the browser page reports nothing,
//    so run() writes its results as JSON to $DIRECTORY_RECORDS_TEST_RESULTS and the harness
//    waits for that file;
//  - @vscode/test-electron (scripts/run-electron.mjs): run() rejecting on a failure is what
//    makes VS Code exit non-zero.
// $DIRECTORY_RECORDS_GREP is passed to mocha's grep.
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha from 'mocha';

export interface TestFailure {
  title: string;
  fullTitle: string;
  file?: string;
  message: string;
  stack?: string;
}

export interface TestResults {
  passed: number;
  failed: number;
  pending: number;
  total: number;
  durationMs: number;
  failures: TestFailure[];
  passes: string[];
  /** The spec reporter's text, without colours. */
  report: string;
  /** Test files found and loaded. */
  files: string[];
  vscodeVersion?: string;
  finishedAt: string;
}

function findTestFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => path.join(dir, name))
    .sort((a, b) => Number(isActivationTest(b)) - Number(isActivationTest(a)) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * devSecrets.test.ts checks what activation did with the sites the harness configured before
 * it; any other file may clear those sites, so it runs first, whatever the other files are named.
 */
function isActivationTest(file: string): boolean {
  return path.basename(file) === 'devSecrets.test.js';
}

function writeResults(file: string | undefined, results: TestResults): void {
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written to a temporary name and renamed, so the harness never reads half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(results, null, 2));
  fs.renameSync(tmp, file);
}

function vscodeVersion(): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('vscode') as typeof import('vscode')).version;
  } catch {
    return undefined;
  }
}

export async function run(): Promise<void> {
  const resultsFile = process.env.DIRECTORY_RECORDS_TEST_RESULTS || undefined;
  const grep = process.env.DIRECTORY_RECORDS_GREP || undefined;
  const started = Date.now();
  const testsRoot = __dirname; // out/test/integration
  const files = findTestFiles(testsRoot);

  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: Number(process.env.DIRECTORY_RECORDS_TEST_TIMEOUT_MS) || 60_000,
    reporter: 'spec',
    ...(grep ? { grep } : {}),
  });
  for (const f of files) mocha.addFile(f);

  // Capture the spec reporter's output (it prints through Base.consoleLog) and still log it.
  const Base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void; useColors: boolean };
  const originalConsoleLog = Base.consoleLog;
  let report = '';
  Base.useColors = false;
  Base.consoleLog = (...args: unknown[]) => {
    report += `${util.format(...args)}\n`;
    originalConsoleLog(...args);
  };

  const failures: TestFailure[] = [];
  const passes: string[] = [];
  let stats: Mocha.Stats | undefined;
  try {
    stats = await new Promise<Mocha.Stats | undefined>((resolve, reject) => {
      try {
        const runner = mocha.run(() => resolve(runner.stats));
        runner.on('pass', (test) => passes.push(test.fullTitle()));
        runner.on('fail', (test, err: Error) => {
          failures.push({
            title: test.title,
            fullTitle: test.fullTitle(),
            file: test.file,
            message: err?.message ?? String(err),
            stack: err?.stack,
          });
        });
      } catch (err) {
        reject(err);
      }
    });
  } catch (err) {
    // A test file that throws while loading ends up here.
    const e = err as Error;
    failures.push({ title: 'loading the test files', fullTitle: 'loading the test files', message: e?.message ?? String(e), stack: e?.stack });
  } finally {
    Base.consoleLog = originalConsoleLog;
  }

  const failed = Math.max(failures.length, stats?.failures ?? 0);
  const results: TestResults = {
    passed: stats?.passes ?? passes.length,
    failed,
    pending: stats?.pending ?? 0,
    total: (stats?.passes ?? passes.length) + failed + (stats?.pending ?? 0),
    durationMs: Date.now() - started,
    failures,
    passes,
    report,
    files: files.map((f) => path.relative(testsRoot, f)),
    vscodeVersion: vscodeVersion(),
    finishedAt: new Date().toISOString(),
  };
  if (files.length === 0) {
    results.failed += 1;
    results.failures.push({ title: 'no tests', fullTitle: 'no tests', message: `no *.test.js files under ${testsRoot}` });
  }
  writeResults(resultsFile, results);

  if (results.failed > 0) throw new Error(`${results.failed} integration test(s) failed`);
}
