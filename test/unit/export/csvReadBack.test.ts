import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ApiRecord } from '../../../src/api/schemas';
import { exportToFile, type ExportPage } from '../../../src/export/exportFile';
import type { CsvOptions } from '../../../src/export/recordWriters';

/**
 * The CSV export read back by a parser that is not ours (Python's `csv` module, strict), so that
 * a quoting mistake cannot be hidden by csv-parse agreeing with csv-stringify.
 */
function readWithPython(file: string): string[][] {
  const script = [
    'import csv, json, sys',
    "with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:",
    '    rows = list(csv.reader(f, strict=True))',
    'sys.stdout.write(json.dumps(rows))',
  ].join('\n');
  const run = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  if (run.error) assert.fail(`python3 is needed to read the CSV back with an independent parser, and could not be run: ${run.error.message}`);
  assert.equal(run.status, 0, `python3 could not read the CSV: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[][];
}

/** A plain number: spreadsheets read it as a number, never as a formula ("-5", "+31", "1.5e3"). */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Would a spreadsheet start this cell as a formula? A cell starting with `'` is text. Otherwise
 * the cell's first character counts, after any leading tab, CR or LF that a reader may drop
 * (which is why OWASP lists tab and CR). A quoted multi-line cell is one cell that starts with its
 * own first character: LibreOffice keeps "Line\n=1+1" as text (checked with soffice --convert-to).
 */
function startsAsFormula(cell: string): boolean {
  if (cell.startsWith("'")) return false;
  return /^[\t\r\n]*[=+\-@]/.test(cell) && !PLAIN_NUMBER.test(cell);
}

/** May the guard have put a `'` before this value? Only if it could be taken for a formula or starts with a control character. */
function mayBeGuarded(value: string): boolean {
  return startsAsFormula(value) || /^[\t\r\n]/.test(value);
}

const COLUMNS = ['id', 'name', 'note'];
const HYPERLINK = '=HYPERLINK("http://x","y")';

/** Lone LFs and CRs, formulas after them, formulas in column names; the last two records bring columns the first page lacks. */
const FIRST_PAGE: ApiRecord[] = [
  { id: '1', name: "Line one\n=cmd|' /C calc'!A0", note: '\n=4+4', '@first': 'x' },
  { id: '2', name: '\r=9+9', note: 'An ordinary message\non two lines', '@first': null },
  { id: '3', name: 'a lone CR\rin the middle', note: 'ends with a line feed\n', '@first': '-5' },
  { id: '4', name: 'a,"b"\r\n=c', note: '\n\r\n', '@first': '+1+1' },
];
const LATER_PAGE: ApiRecord[] = [
  { id: '5', [HYPERLINK]: 'clicked', 'two\nlines': '-2+3', '\r=9+9': '@SUM(A1:A2)' },
  { id: '6', note: 'x\r', [HYPERLINK]: '\t=1+1', 'two\nlines': 'Line one\n=cmd' },
];
const ALL_COLUMNS = [...COLUMNS, '@first', HYPERLINK, 'two\nlines', '\r=9+9'];

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-readback-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function exportCsv(pages: readonly (readonly ApiRecord[])[], csv: CsvOptions): Promise<string> {
  async function* source(): AsyncGenerator<ExportPage> {
    for (const records of pages) yield { records };
  }
  const target = path.join(dir, 'out.csv');
  const outcome = await exportToFile(source(), { target, format: 'csv', csv });
  assert.equal(outcome.status, 'done', outcome.status === 'stopped' ? String(outcome.error) : '');
  return target;
}

/** One row per record plus the header; every header and value as sent, or (guard on) with a leading `'` where it was needed; nothing a spreadsheet runs. */
function assertReadBack(rows: string[][], records: readonly ApiRecord[], guard: boolean): void {
  assert.equal(rows.length, records.length + 1, `one header and ${records.length} rows, read ${rows.length}: ${JSON.stringify(rows)}`);
  const expected = [ALL_COLUMNS, ...records.map((record) => ALL_COLUMNS.map((column) => record[column] ?? ''))];
  rows.forEach((row, r) => {
    assert.equal(row.length, ALL_COLUMNS.length, `row ${r} has ${row.length} cells: ${JSON.stringify(row)}`);
    row.forEach((cell, c) => {
      const source = expected[r]![c]!;
      const where = `${r === 0 ? 'header' : `row ${r}`}, column ${c}: ${JSON.stringify(cell)} for ${JSON.stringify(source)}`;
      if (guard && cell !== source) assert.ok(mayBeGuarded(source) && cell === `'${source}`, where);
      else assert.equal(cell, source, where);
      if (guard) assert.ok(!startsAsFormula(cell), `a spreadsheet would run ${where}`);
    });
  });
}

describe('CSV export read back by an independent parser (Python csv)', () => {
  it('the test data holds cells and column names a spreadsheet would run, and values that need quoting', () => {
    const values = [...FIRST_PAGE, ...LATER_PAGE].flatMap((record) => Object.values(record)).filter((v): v is string => typeof v === 'string');
    for (const risky of ['\n=4+4', '\r=9+9', '+1+1', '\t=1+1', '-2+3']) assert.ok(values.includes(risky) && startsAsFormula(risky), risky);
    for (const column of [HYPERLINK, '@first', '\r=9+9']) assert.ok(startsAsFormula(column), column);
    assert.ok(!startsAsFormula('-5') && !startsAsFormula("'=x") && !startsAsFormula('a=b'), 'the predicate is not "anything with a sign"');
  });

  it('guard on, late columns (header rewritten): one row per record, values exact after the guard\'s \', no formula in any header or cell', async () => {
    const file = await exportCsv([FIRST_PAGE, LATER_PAGE], { columns: COLUMNS, formulaGuard: true, byteOrderMark: true });
    assertReadBack(readWithPython(file), [...FIRST_PAGE, ...LATER_PAGE], true);
  });

  it('guard on, every column on the first page (no rewrite): the same', async () => {
    const records = [{ ...FIRST_PAGE[0]!, ...LATER_PAGE[0]!, id: '1' }, ...FIRST_PAGE.slice(1), LATER_PAGE[1]!];
    const file = await exportCsv([records], { columns: COLUMNS, formulaGuard: true, byteOrderMark: false });
    assertReadBack(readWithPython(file), records, true);
  });

  it('guard off: still one row per record, every header and value byte-identical', async () => {
    const file = await exportCsv([FIRST_PAGE, LATER_PAGE], { columns: COLUMNS, formulaGuard: false, byteOrderMark: true });
    assertReadBack(readWithPython(file), [...FIRST_PAGE, ...LATER_PAGE], false);
  });
});
