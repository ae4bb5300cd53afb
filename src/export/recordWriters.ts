import { stringify } from 'csv-stringify/sync';
import type { ApiRecord } from '../api/schemas';
import { CSV_FORMAT, csvCell } from './csvCells';
import type { ExportFormat } from './exportFormat';

/**
 * Turns records into the text of one format, a page at a time, keeping nothing of the records
 * it was given (only, for CSV, the column names): memory does not follow the count.
 */
export interface RecordWriter {
  /** The text of these records, after whatever must come before the first (a header, `[`). */
  write(records: readonly ApiRecord[]): string;
  /** The text that closes the file; the file is complete (valid JSON, a header) however many records came. */
  end(): string;
}

export interface CsvOptions {
  /** The resource's fields in API order: the header starts with them. */
  readonly columns: readonly string[];
  /** Prefix cells a spreadsheet would run as formulas with `'` (see csvCells.ts). */
  readonly formulaGuard: boolean;
  /** Start with a UTF-8 byte-order mark, so spreadsheets read the file as UTF-8. */
  readonly byteOrderMark: boolean;
}

export const UTF8_BOM = '\uFEFF';

/**
 * CSV through csv-stringify (RFC 4180 quoting: commas, quotes and any CR or LF inside values are
 * quoted; CRLF between records). Column names go through the formula guard as values do. The
 * header is the resource's fields plus the columns of the first page, in the order they first
 * appear. A column first seen on a later page is appended: rows from then on are longer than the
 * header, and `lateColumns` says which columns the header lacks, so that the file is rewritten
 * with the full header once complete (csvRewrite.ts).
 */
export class CsvWriter implements RecordWriter {
  private readonly columns: string[];
  private readonly known: Set<string>;
  private readonly late: string[] = [];
  private started = false;

  constructor(private readonly options: CsvOptions) {
    this.columns = [...options.columns];
    this.known = new Set(this.columns);
  }

  /** Every column, the header's then the late ones. */
  get allColumns(): readonly string[] {
    return [...this.columns, ...this.late];
  }

  /** The full header's cells: every column, guarded as values are (a column may be named `=HYPERLINK(…)`). */
  get headerCells(): readonly string[] {
    return this.allColumns.map((column) => csvCell(column, this.options.formulaGuard));
  }

  /** Columns first seen after the header was written. */
  get lateColumns(): readonly string[] {
    return this.late;
  }

  write(records: readonly ApiRecord[]): string {
    let head = '';
    if (!this.started) {
      for (const record of records) this.addColumns(record, this.columns);
      head = this.header();
    } else {
      for (const record of records) this.addColumns(record, this.late);
    }
    const all = this.allColumns;
    const rows = records.map((record) => all.map((column) => csvCell(record[column], this.options.formulaGuard)));
    return rows.length > 0 ? head + stringify(rows, CSV_FORMAT) : head;
  }

  end(): string {
    return this.started ? '' : this.header();
  }

  private header(): string {
    this.started = true;
    return (this.options.byteOrderMark ? UTF8_BOM : '') + stringify([this.columns.map((column) => csvCell(column, this.options.formulaGuard))], CSV_FORMAT);
  }

  private addColumns(record: ApiRecord, into: string[]): void {
    for (const name of Object.keys(record)) {
      if (this.known.has(name)) continue;
      this.known.add(name);
      into.push(name);
    }
  }
}

/** One JSON array, one record per line, values as the API sent them; `[]` when there are none. */
export class JsonArrayWriter implements RecordWriter {
  private count = 0;

  write(records: readonly ApiRecord[]): string {
    let text = '';
    for (const record of records) text += `${this.count++ === 0 ? '[\n' : ',\n'}${JSON.stringify(record)}`;
    return text;
  }

  end(): string {
    return this.count === 0 ? '[]\n' : '\n]\n';
  }
}

/** NDJSON: one record per line, each a JSON object as the API sent it. */
export class NdjsonWriter implements RecordWriter {
  write(records: readonly ApiRecord[]): string {
    let text = '';
    for (const record of records) text += `${JSON.stringify(record)}\n`;
    return text;
  }

  end(): string {
    return '';
  }
}

export function createRecordWriter(format: ExportFormat, csv: CsvOptions): RecordWriter {
  switch (format) {
    case 'csv':
      return new CsvWriter(csv);
    case 'json':
      return new JsonArrayWriter();
    case 'ndjson':
      return new NdjsonWriter();
  }
}
