import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { ApiRecord } from '../../../src/api/schemas';
import { exportToFile, type ExportFileSystem, type ExportOutcome, type ExportPage, type ExportStopped } from '../../../src/export/exportFile';
import type { ExportFormat } from '../../../src/export/exportFormat';
import type { CsvOptions } from '../../../src/export/recordWriters';

const COLUMNS = ['id', 'name', 'note', 'zip'];
const CSV: CsvOptions = { columns: COLUMNS, formulaGuard: true, byteOrderMark: true };

/** Records with every value a CSV writer gets wrong by hand. */
const AWKWARD: ApiRecord[] = [
  { id: '1', name: 'Smith, Jane', note: 'She said "hi"', zip: '0012' },
  { id: '2', name: 'Ünïcødé 名前 🎉', note: 'line one\nline two\r\nline three', zip: null },
  { id: '3', name: '=HYPERLINK("http://evil.example","click")', note: '+1 (555) 123', zip: '-5' },
  { id: '4', name: '@SUM(A1:A2)', note: '-2+3', zip: '\tx' },
  { id: '5', name: '', note: ' leading and trailing ', zip: '00' },
];

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-test-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function* pagesOf(pages: readonly (readonly ApiRecord[])[], total?: number): AsyncGenerator<ExportPage> {
  let first = true;
  for (const records of pages) {
    yield first ? { records, total } : { records };
    first = false;
  }
}

function run(format: ExportFormat, pages: readonly (readonly ApiRecord[])[], csv: CsvOptions = CSV, name = `out.${format}`): Promise<ExportOutcome> {
  return exportToFile(pagesOf(pages, pages.flat().length), { target: path.join(dir, name), format, csv });
}

function parseCsv(file: string): string[][] {
  return parse(fs.readFileSync(file), { bom: true, relax_column_count: false }) as string[][];
}

function done(outcome: ExportOutcome): string {
  assert.equal(outcome.status, 'done', outcome.status === 'stopped' ? String(outcome.error) : '');
  return (outcome as { path: string }).path;
}

describe('Export to a file (src/export)', () => {
  it('CSV: commas, quotes, line breaks, emoji and leading zeros come back exactly; null is an empty cell; formula cells are guarded', async () => {
    const file = done(await run('csv', [AWKWARD.slice(0, 2), AWKWARD.slice(2)]));
    const bytes = fs.readFileSync(file);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
    const rows = parseCsv(file);
    assert.deepEqual(rows[0], COLUMNS);
    assert.deepEqual(rows.slice(1), [
      ['1', 'Smith, Jane', 'She said "hi"', '0012'],
      ['2', 'Ünïcødé 名前 🎉', 'line one\nline two\r\nline three', ''],
      ['3', `'=HYPERLINK("http://evil.example","click")`, `'+1 (555) 123`, '-5'],
      ['4', `'@SUM(A1:A2)`, `'-2+3`, `'\tx`],
      ['5', '', ' leading and trailing ', '00'],
    ]);
  });

  it('CSV with the guard and the byte-order mark off: every value exactly as the API sent it', async () => {
    const file = done(await run('csv', [AWKWARD], { columns: COLUMNS, formulaGuard: false, byteOrderMark: false }));
    assert.notEqual(fs.readFileSync(file)[0], 0xef);
    const rows = parseCsv(file);
    assert.deepEqual(rows.slice(1), AWKWARD.map((r) => COLUMNS.map((c) => r[c] ?? '')));
  });

  it('NDJSON: one record per line, values and nulls exactly as sent; JSON: one array', async () => {
    const ndjson = done(await run('ndjson', [AWKWARD.slice(0, 3), [], AWKWARD.slice(3)]));
    const lines = fs.readFileSync(ndjson, 'utf8').split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    assert.deepEqual(lines.map((line) => JSON.parse(line) as unknown), AWKWARD);
    const json = done(await run('json', [AWKWARD.slice(0, 3), AWKWARD.slice(3)]));
    assert.deepEqual(JSON.parse(fs.readFileSync(json, 'utf8')), AWKWARD);
    const empty = done(await run('json', [[]], CSV, 'empty.json'));
    assert.deepEqual(JSON.parse(fs.readFileSync(empty, 'utf8')), []);
  });

  it('CSV header: the fields in API order, then the first page\'s own columns; no records still gets the header', async () => {
    const file = done(await run('csv', [[{ id: '1', custom: 'a', name: 'x' }]]));
    assert.deepEqual(parseCsv(file), [[...COLUMNS, 'custom'], ['1', 'x', '', '', 'a']]);
    const none = done(await run('csv', [[]], CSV, 'none.csv'));
    assert.deepEqual(parseCsv(none), [COLUMNS]);
  });

  it('CSV: a column first seen on a later page gets into the header (second pass), earlier rows get an empty cell', async () => {
    const outcome = await run('csv', [[{ id: '1', name: 'a' }], [{ id: '2', late: 'x,"y"' }], [{ id: '3', later: 'z' }, { id: '4', late: 'w' }]]);
    const file = done(outcome);
    assert.deepEqual(outcome.status === 'done' && outcome.lateColumns, ['late', 'later']);
    assert.deepEqual(parseCsv(file), [
      [...COLUMNS, 'late', 'later'],
      ['1', 'a', '', '', '', ''],
      ['2', '', '', '', 'x,"y"', ''],
      ['3', '', '', '', '', 'z'],
      ['4', '', '', '', 'w', ''],
    ]);
    assert.equal(fs.readFileSync(file)[0], 0xef, 'the rewrite keeps the byte-order mark');
    assert.deepEqual(fs.readdirSync(dir), ['out.csv'], 'no temporary file left');
  });

  it('is written under a temporary name beside the target and renamed when complete', async () => {
    const target = path.join(dir, 'out.ndjson');
    const seen: string[][] = [];
    async function* watched(): AsyncGenerator<ExportPage> {
      yield { records: [AWKWARD[0]!] };
      seen.push(fs.readdirSync(dir));
      yield { records: [AWKWARD[1]!] };
    }
    done(await exportToFile(watched(), { target, format: 'ndjson', csv: CSV }));
    assert.equal(seen[0]!.length, 1);
    assert.match(seen[0]![0]!, /^\.out\.ndjson\.[0-9a-f]+\.tmp$/, 'only the temporary file while it runs');
    assert.deepEqual(fs.readdirSync(dir), ['out.ndjson']);
  });

  describe('stopped part-way', () => {
    async function cancelAfter(format: ExportFormat, pages: number): Promise<ExportStopped> {
      const abort = new AbortController();
      async function* source(): AsyncGenerator<ExportPage> {
        for (let page = 0; ; page++) {
          if (page === pages) abort.abort();
          abort.signal.throwIfAborted();
          yield { records: [{ id: String(page * 2 + 1), name: `n${page}` }, { id: String(page * 2 + 2), extra: page === 1 ? 'late' : null }], total: 100 };
        }
      }
      const outcome = await exportToFile(source(), { target: path.join(dir, `out.${format}`), format, csv: CSV, signal: abort.signal });
      assert.equal(outcome.status, 'stopped');
      return outcome as ExportStopped;
    }

    it('cancel, keep: the records written so far, as a complete CSV named partial (late columns in its header); no temporary file', async () => {
      const stopped = await cancelAfter('csv', 3);
      assert.equal(stopped.cancelled, true);
      assert.equal(stopped.records, 6);
      const kept = await stopped.keep();
      assert.equal(kept, path.join(dir, 'out.partial.csv'));
      assert.deepEqual(fs.readdirSync(dir), ['out.partial.csv']);
      const rows = parseCsv(kept);
      assert.deepEqual(rows[0], [...COLUMNS, 'extra']);
      assert.deepEqual(rows.slice(1).map((r) => r[0]), ['1', '2', '3', '4', '5', '6']);
      assert.equal(rows[4]![4], 'late');
      await assert.rejects(stopped.discard(), /already/);
    });

    it('cancel, keep: a partial JSON file is still one valid array', async () => {
      const stopped = await cancelAfter('json', 2);
      const kept = await stopped.keep();
      assert.equal(path.basename(kept), 'out.partial.json');
      assert.deepEqual((JSON.parse(fs.readFileSync(kept, 'utf8')) as ApiRecord[]).map((r) => r['id']), ['1', '2', '3', '4']);
    });

    it('cancel, delete: nothing is left, not even the temporary file', async () => {
      const stopped = await cancelAfter('ndjson', 2);
      await stopped.discard();
      assert.deepEqual(fs.readdirSync(dir), []);
    });

    it('cancel before the first page: keep gives a header-only CSV', async () => {
      const stopped = await cancelAfter('csv', 0);
      assert.equal(stopped.records, 0);
      assert.deepEqual(parseCsv(await stopped.keep()), [COLUMNS]);
    });

    it('a failing listing stops the same way, with its error and not as cancelled', async () => {
      async function* failing(): AsyncGenerator<ExportPage> {
        yield { records: [AWKWARD[0]!] };
        throw new Error('HTTP 500');
      }
      const outcome = await exportToFile(failing(), { target: path.join(dir, 'out.csv'), format: 'csv', csv: CSV });
      assert.equal(outcome.status, 'stopped');
      const stopped = outcome as ExportStopped;
      assert.equal(stopped.cancelled, false);
      assert.match(String(stopped.error), /HTTP 500/);
      assert.equal(stopped.records, 1);
      await stopped.discard();
      assert.deepEqual(fs.readdirSync(dir), []);
    });

    it('an existing file at the target is left untouched until the export completes', async () => {
      fs.writeFileSync(path.join(dir, 'out.ndjson'), 'old');
      const stopped = await cancelAfter('ndjson', 1);
      assert.equal(fs.readFileSync(path.join(dir, 'out.ndjson'), 'utf8'), 'old');
      await stopped.discard();
      assert.deepEqual(fs.readdirSync(dir), ['out.ndjson']);
    });
  });

  describe('the disk fails', () => {
    /**
     * The real file functions, except that writes fail with ENOSPC (asynchronously, as a full disk
     * does) once `okWrites` writes have succeeded.
     */
    function fullDiskAfter(okWrites: number): ExportFileSystem & { writes: number } {
      const files = {
        writes: 0,
        open: fs.open,
        close: fs.close,
        write: (fd: number, buffer: Buffer, offset: number, length: number, position: number | null, callback: (error: Error | null, written?: number) => void): void => {
          files.writes++;
          if (files.writes <= okWrites) {
            fs.write(fd, buffer, offset, length, position, callback);
            return;
          }
          setImmediate(() => callback(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })));
        },
      };
      return files;
    }

    it('a failed write the stream had buffered (a small export) ends with the disk\'s error and no temporary file, never a hang', async () => {
      const fileSystem = fullDiskAfter(0);
      const target = path.join(dir, 'out.json');
      await assert.rejects(exportToFile(pagesOf([AWKWARD.slice(0, 2)], 2), { target, format: 'json', csv: CSV, fileSystem }), /ENOSPC/);
      assert.ok(fileSystem.writes > 0, 'the export wrote through the failing file functions');
      assert.deepEqual(fs.readdirSync(dir), [], 'no temporary file left, and no target');
    });

    it('a disk failure between pages stops the export with that error (not cancelled); delete leaves nothing', async () => {
      const fileSystem = fullDiskAfter(1);
      async function* slowPages(): AsyncGenerator<ExportPage> {
        for (let page = 0; page < 5; page++) {
          yield { records: [{ id: String(page), name: `n${page}` }], total: 5 };
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
      const outcome = await exportToFile(slowPages(), { target: path.join(dir, 'out.csv'), format: 'csv', csv: CSV, fileSystem });
      assert.equal(outcome.status, 'stopped');
      const stopped = outcome as ExportStopped;
      assert.equal(stopped.cancelled, false);
      assert.match(String(stopped.error), /ENOSPC/);
      assert.ok(stopped.records < 5, `stopped before the end (${stopped.records} records handed to the file)`);
      await stopped.discard();
      assert.deepEqual(fs.readdirSync(dir), []);
    });

    it('keeping the partial file of a failed disk fails with the disk\'s error and removes the temporary file', async () => {
      const fileSystem = fullDiskAfter(1);
      async function* slowPages(): AsyncGenerator<ExportPage> {
        for (let page = 0; page < 5; page++) {
          yield { records: [{ id: String(page) }], total: 5 };
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
      const stopped = (await exportToFile(slowPages(), { target: path.join(dir, 'out.json'), format: 'json', csv: CSV, fileSystem })) as ExportStopped;
      assert.equal(stopped.status, 'stopped');
      await assert.rejects(stopped.keep(), /ENOSPC/);
      assert.deepEqual(fs.readdirSync(dir), []);
    });
  });

  it('a Cancel that comes after the last page (during the CSV header rewrite) does not abort the export: the file is complete', async () => {
    const abort = new AbortController();
    // Cancel arrives as the temporary file is closed: every page is written, the header pass has not started.
    const fileSystem: ExportFileSystem = {
      open: fs.open,
      write: fs.write,
      close: (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
        abort.abort();
        fs.close(fd, callback);
      },
    };
    const target = path.join(dir, 'out.csv');
    const outcome = await exportToFile(pagesOf([[{ id: '1', name: 'a' }], [{ id: '2', late: 'x' }]]), { target, format: 'csv', csv: CSV, signal: abort.signal, fileSystem });
    assert.ok(abort.signal.aborted, 'the cancel came during the final pass');
    assert.equal(outcome.status, 'done', outcome.status === 'stopped' ? String(outcome.error) : '');
    assert.deepEqual(parseCsv(target), [
      [...COLUMNS, 'late'],
      ['1', 'a', '', '', ''],
      ['2', '', '', '', 'x'],
    ]);
    assert.deepEqual(fs.readdirSync(dir), ['out.csv']);
  });
});
