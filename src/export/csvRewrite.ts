import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { CSV_FORMAT } from './csvCells';
import { UTF8_BOM } from './recordWriters';

/**
 * The second pass for columns first seen after the header was written: reads `from` (a CSV this
 * export wrote: a short header, rows that grow as columns appear) row by row and writes `to`
 * with the full header (`headerCells`, already guarded) and every row padded to it. Streamed both
 * ways, so memory stays bounded; values are copied as parsed, so nothing is guarded or changed
 * twice, and written with the same quoting, so a value with a line break stays in its row.
 */
export async function rewriteCsvHeader(from: string, to: string, headerCells: readonly string[], byteOrderMark: boolean): Promise<void> {
  let first = true;
  const pad = new Transform({
    objectMode: true,
    transform(row: string[], _encoding, done) {
      if (first) {
        first = false;
        done(null, [...headerCells]);
        return;
      }
      done(null, row.length < headerCells.length ? [...row, ...new Array<string>(headerCells.length - row.length).fill('')] : row);
    },
  });
  const out = createWriteStream(to, { flags: 'wx' });
  if (byteOrderMark) out.write(UTF8_BOM);
  await pipeline(
    createReadStream(from),
    parse({ bom: true, relax_column_count: true }),
    pad,
    stringify(CSV_FORMAT),
    out,
  );
}
