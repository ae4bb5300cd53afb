// The table's clipboard text: tab-separated as spreadsheets write it (quotes around cells with a
// tab, a line break or a quote), read back cell for cell.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { formatTsv, parseTsv } from '../../../src/table/tsv';

describe('table TSV', () => {
  it('reads a spreadsheet range: tabs between cells, CRLF or LF between rows, no row for the last line break', () => {
    assert.deepEqual(parseTsv('a\tb\tc\r\nd\te\tf\r\n'), [['a', 'b', 'c'], ['d', 'e', 'f']]);
    assert.deepEqual(parseTsv('a\tb\nc\td'), [['a', 'b'], ['c', 'd']]);
    assert.deepEqual(parseTsv('one'), [['one']]);
    assert.deepEqual(parseTsv(''), []);
  });

  it('keeps empty cells, and reads quoted cells with tabs, line breaks and doubled quotes', () => {
    assert.deepEqual(parseTsv('a\t\tc\n'), [['a', '', 'c']]);
    assert.deepEqual(parseTsv('"x\ty"\t"line\nbreak"\t"say ""hi"""\n'), [['x\ty', 'line\nbreak', 'say "hi"']]);
  });

  it('writes what it reads: any range of cells comes back the same', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '\t', '\n', '\r', '"', 'é', '1') });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }).chain((w) => fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 4 })), (rows) => {
        // A row of one empty cell is an empty line, which a spreadsheet reads the same way.
        fc.pre(rows.every((row) => row.length > 1 || row[0] !== ''));
        assert.deepEqual(parseTsv(formatTsv(rows)), rows);
      }),
    );
  });
});
