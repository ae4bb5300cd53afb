// Tab-separated text as spreadsheets put it on the clipboard (Excel, LibreOffice, Google Sheets):
// cells split by tabs, rows by line breaks, a cell with a tab, a line break or a quote quoted
// with doubled quotes inside.

/** A range of cells as tab-separated text, one row a line. */
export function formatTsv(rows: readonly (readonly string[])[]): string {
  const cell = (text: string): string => (/[\t\n\r"]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return rows.map((row) => row.map(cell).join('\t')).join('\n');
}

/** Clipboard text as rows of cells; the line break a spreadsheet puts after the last row is not a row. */
export function parseTsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quotedCell = false;
  while (i < text.length) {
    const c = text[i]!;
    if (cell === '' && !quotedCell && c === '"') {
      // A quoted cell: up to the lone quote that ends it.
      quotedCell = true;
      i++;
      while (i < text.length) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += text[i];
        i++;
      }
      continue;
    }
    if (c === '\t') {
      row.push(cell);
      cell = '';
      quotedCell = false;
    } else if (c === '\n' || c === '\r') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      quotedCell = false;
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      cell += c;
    }
    i++;
  }
  if (cell !== '' || quotedCell || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
