/** A cell a spreadsheet could run as a formula begins with one of these (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number (also signed, decimal or with an exponent): a spreadsheet reads it as a number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The formula-injection guard: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return gets a leading `'`, which spreadsheets take as "text, do not evaluate", as OWASP
 * recommends. A plain number ("-5", "+31") is left alone: it cannot run, and prefixing it would
 * turn every negative amount into text.
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
