import { sameValue } from '../api/recordMerge';
import type { ApiRecord } from '../api/schemas';
import type { CellEdit, CellValue } from './tableProtocol';

/** One cell as an edit found it and left it; undefined: not edited (the server's value shows). */
export interface CellChange {
  readonly id: string;
  readonly field: string;
  readonly before: CellValue | undefined;
  readonly after: CellValue | undefined;
}

/** One step of the editor's undo stack: the cells it changed. */
export interface TableEdit {
  readonly label: string;
  readonly cells: readonly CellChange[];
}

/** A changed field of a row, old → new. */
export interface FieldDiff {
  readonly field: string;
  readonly old: CellValue;
  readonly new: CellValue;
}

export interface RowDiff {
  readonly id: string;
  readonly fields: readonly FieldDiff[];
}

/** What a backup holds: each edited row's base (the server's record the edits were made on) and its edited values. */
export interface TableSnapshot {
  readonly rows: readonly { readonly id: string; readonly base: ApiRecord; readonly edited: Readonly<Record<string, CellValue>> }[];
}

/**
 * The table's records and what was edited in them, without VS Code: the loaded records in
 * listing order (`base`: the server's record the row's edits are made on) and, per row, the
 * edited values. A cell counts as changed while its edited value differs from the base's.
 */
export class TableModel {
  private readonly order: string[] = [];
  private readonly bases = new Map<string, ApiRecord>();
  private readonly edited = new Map<string, Map<string, CellValue>>();

  constructor(private readonly primaryKey: string) {}

  get ids(): readonly string[] {
    return this.order;
  }

  base(id: string): ApiRecord | undefined {
    return this.bases.get(id);
  }

  /** A page's records, after those loaded; a record already loaded keeps its place and its edits (a backup's base stays its base). */
  append(records: readonly ApiRecord[]): void {
    for (const record of records) {
      const id = record[this.primaryKey];
      if (!id || this.bases.has(id)) continue;
      this.order.push(id);
      this.bases.set(id, record);
    }
  }

  /** The row's edited values (changed or not), by field. */
  editedValues(id: string): Readonly<Record<string, CellValue>> {
    return Object.fromEntries(this.edited.get(id) ?? []);
  }

  /** The value the table shows. */
  value(id: string, field: string): CellValue | undefined {
    const row = this.edited.get(id);
    if (row?.has(field)) return row.get(field) ?? null;
    return this.bases.get(id)?.[field];
  }

  /** Applies cell edits (an edit setting a cell to what it holds already is left out); undefined when nothing changes. */
  apply(cells: readonly CellEdit[], label: string): TableEdit | undefined {
    const changes: CellChange[] = [];
    for (const cell of cells) {
      if (!this.bases.has(cell.id)) continue;
      const before = this.edited.get(cell.id)?.get(cell.field);
      if (this.value(cell.id, cell.field) === cell.value) continue;
      // Back to the server's value: the cell is no longer edited.
      const after = (this.bases.get(cell.id)![cell.field] ?? null) === cell.value ? undefined : cell.value;
      changes.push({ id: cell.id, field: cell.field, before, after });
    }
    if (changes.length === 0) return undefined;
    const edit = { label, cells: changes };
    this.redo(edit);
    return edit;
  }

  undo(edit: TableEdit): void {
    for (const cell of [...edit.cells].reverse()) this.set(cell.id, cell.field, cell.before);
  }

  redo(edit: TableEdit): void {
    for (const cell of edit.cells) this.set(cell.id, cell.field, cell.after);
  }

  /** Revert Cell / Revert Row as an edit (undoable); undefined when nothing was edited there. */
  revert(id: string, field: string | undefined, label: string): TableEdit | undefined {
    const row = this.edited.get(id);
    if (!row) return undefined;
    const fields = field === undefined ? [...row.keys()] : row.has(field) ? [field] : [];
    if (fields.length === 0) return undefined;
    const edit: TableEdit = { label, cells: fields.map((name) => ({ id, field: name, before: row.get(name), after: undefined })) };
    this.redo(edit);
    return edit;
  }

  /** Each row with a changed cell: the fields old → new, in row order. */
  diffs(): RowDiff[] {
    const out: RowDiff[] = [];
    for (const id of this.order) {
      const diff = this.diff(id);
      if (diff) out.push(diff);
    }
    return out;
  }

  diff(id: string): RowDiff | undefined {
    const row = this.edited.get(id);
    const base = this.bases.get(id);
    if (!row || !base) return undefined;
    const fields = [...row].filter(([field, value]) => !sameValue(base[field], value)).map(([field, value]) => ({ field, old: base[field] ?? null, new: value }));
    return fields.length > 0 ? { id, fields } : undefined;
  }

  /** A save went through: the server's record is the row's base and its edits are gone. */
  saved(id: string, record: ApiRecord): void {
    this.bases.set(id, record);
    this.edited.delete(id);
  }

  /** Discard: the row shows the server's record as it is now. */
  reset(id: string, record: ApiRecord): void {
    this.saved(id, record);
  }

  /** Every edit dropped (Revert): the rows show the records as loaded. */
  clearEdits(): void {
    this.edited.clear();
  }

  snapshot(): TableSnapshot {
    return { rows: [...this.edited].filter(([, row]) => row.size > 0).map(([id, row]) => ({ id, base: this.bases.get(id)!, edited: Object.fromEntries(row) })) };
  }

  /** A backup read back: its rows first, on their old bases (a save merges against what they were edited on). */
  restore(snapshot: TableSnapshot): void {
    for (const row of snapshot.rows) {
      if (!this.bases.has(row.id)) this.order.push(row.id);
      this.bases.set(row.id, row.base);
      this.edited.set(row.id, new Map(Object.entries(row.edited)));
    }
  }

  private set(id: string, field: string, value: CellValue | undefined): void {
    let row = this.edited.get(id);
    if (value === undefined) {
      row?.delete(field);
      if (row?.size === 0) this.edited.delete(id);
      return;
    }
    if (!row) this.edited.set(id, (row = new Map()));
    row.set(field, value);
  }
}

/** Reads a backup's JSON; undefined when it is not one. */
export function parseSnapshot(value: unknown): TableSnapshot | undefined {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { rows?: unknown }).rows)) return undefined;
  const isValues = (x: unknown): x is Record<string, CellValue> =>
    typeof x === 'object' && x !== null && Object.values(x).every((v) => v === null || typeof v === 'string');
  const rows = (value as { rows: unknown[] }).rows;
  const ok = rows.every((r) => typeof r === 'object' && r !== null && typeof (r as { id?: unknown }).id === 'string' && isValues((r as { base?: unknown }).base) && isValues((r as { edited?: unknown }).edited));
  return ok ? (value as TableSnapshot) : undefined;
}
