/** JSON as people read it: two-space indent, fields in the API's order. */
export function recordText(record: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
