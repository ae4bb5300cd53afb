import { isApiError } from '../api/errors';
import { myChanges } from '../api/recordMerge';
import { readOnlyFieldNames, storedFields, type ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import { msg, type LocalisableText } from '../api/text';
import type { CellEdit, CellValue, TableColumn } from './tableProtocol';

/**
 * Why a cell may not take `value`, by the rules a record document's save applies (the merge's
 * `myChanges`: read-only fields, unknown fields, strings only) and the field's documented
 * length; undefined when it may.
 */
export function cellRefusal(resource: ResourceDescriptor, base: ApiRecord, field: string, value: CellValue): LocalisableText | undefined {
  try {
    myChanges(resource, base, { ...base, [field]: value });
  } catch (error) {
    if (isApiError(error, 'invalidInput')) return error.text;
    throw error;
  }
  const max = resource.fields.find((f) => f.name === field)?.maxLength;
  if (max !== undefined && value !== null && value.length > max) return msg`"${field}" holds at most ${max} characters; this value has ${value.length}.`;
  return undefined;
}

/** The columns: the resource's stored fields in its order, then every other column the loaded records have, in the order first seen. */
export function tableColumns(resource: ResourceDescriptor, records: Iterable<ApiRecord>): TableColumn[] {
  const readOnly = readOnlyFieldNames(resource);
  const columns: TableColumn[] = storedFields(resource).map((field) => ({
    key: field.name,
    description: field.description,
    readOnly: readOnly.has(field.name) || !resource.canUpdate,
    ...(field.values?.length ? { values: field.values } : {}),
    ...(field.dateFormat ? { date: true } : {}),
  }));
  const known = new Set(columns.map((c) => c.key));
  for (const record of records) {
    for (const key of Object.keys(record)) {
      if (known.has(key)) continue;
      known.add(key);
      // A site's own column: editable like any field the record has (a document saves it too).
      columns.push({ key, description: '', readOnly: readOnly.has(key) || !resource.canUpdate });
    }
  }
  return columns;
}

export type PastePlan = { readonly kind: 'cells'; readonly cells: CellEdit[] } | { readonly kind: 'refused'; readonly reason: LocalisableText };

/**
 * Where a pasted range lands: from `rowIndex` down the loaded rows and from the first of
 * `columns` (the visible columns from the active one on) to the right. A range that would touch
 * a read-only column, reach past the visible columns or run past the loaded rows is refused
 * whole: nothing is changed.
 */
export function planPaste(grid: readonly (readonly string[])[], rowIds: readonly string[], rowIndex: number, columns: readonly TableColumn[]): PastePlan {
  const width = Math.max(0, ...grid.map((row) => row.length));
  if (grid.length === 0 || width === 0) return { kind: 'refused', reason: msg`The clipboard holds no cells to paste.` };
  if (rowIndex < 0 || rowIndex + grid.length > rowIds.length) {
    return { kind: 'refused', reason: msg`The pasted range has ${grid.length} rows, but only ${Math.max(0, rowIds.length - rowIndex)} loaded rows are there from this one down. Scroll to load more, then paste again. Nothing was changed.` };
  }
  if (width > columns.length) {
    return { kind: 'refused', reason: msg`The pasted range has ${width} columns, but only ${columns.length} columns are there from this one to the right. Nothing was changed.` };
  }
  const readOnly = columns.slice(0, width).find((column) => column.readOnly);
  if (readOnly) return { kind: 'refused', reason: msg`The pasted range covers the read-only column "${readOnly.key}". Nothing was changed.` };
  const cells: CellEdit[] = [];
  grid.forEach((row, r) => row.forEach((value, c) => cells.push({ id: rowIds[rowIndex + r]!, field: columns[c]!.key, value })));
  return { kind: 'cells', cells };
}
