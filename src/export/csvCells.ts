/**
 * A cell a spreadsheet could run as a formula begins with one of these (OWASP "CSV injection"),
 * or with a line feed: a reader that drops a leading CR or tab may drop a leading LF too.
 */
const FORMULA_START = /^[=+\-@\t\r\n]/;
/** A plain number (also signed, decimal or with an exponent): a spreadsheet reads it as a number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The formula-injection guard: a cell (or a column name) that starts with `=`, `+`, `-`, `@`, a
 * tab, a carriage return or a line feed gets a leading `'`, which spreadsheets take as "text, do
 * not evaluate", as OWASP recommends. A plain number ("-5", "+31") is left alone: it cannot run,
 * and prefixing it would turn every negative amount into text. Only the first character counts:
 * a cell with a line break is quoted (CSV_FORMAT), so it is one cell that starts where it starts
 * ("Line one\n=cmd…" is text; LibreOffice agrees), and a `'` could not reach its later lines anyway.
 */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/**
 * A value as one CSV cell: a string exactly as the API sent it ("0012" stays 0012), null or a
 * missing field as an empty cell (CSV has no null: an empty string and null look alike), and
 * anything that is not a string (never sent by these APIs) as its JSON text.
 */
export function csvCell(value: unknown, formulaGuard: boolean): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return formulaGuard ? guardFormula(text) : text;
}

/**
 * csv-stringify's options for every CSV this export writes: CRLF between records, and any cell
 * with a CR or LF quoted. By itself csv-stringify quotes only cells holding the whole record
 * delimiter (CRLF), so a lone LF or CR would end the row for every other reader (and the text
 * after it, `=cmd|…`, would start a cell of its own). Delimiters and quotes are quoted anyway.
 */
export const CSV_FORMAT = { record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;
