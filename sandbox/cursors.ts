// Brilliant Directories' paging: the page cursor (base64 "page*_*limit"), the page size, and the
// list order that pages are cut from, cached per model and order.

import { fnv1a, SCHEMAS, type BdModelName, type StoredRecord } from './data';
import { columnKind, mysqlNumber } from './filters';
import type { State } from './state';

export const DEFAULT_LIMIT = 25;

const MAX_LIMIT = 100;

export function clampLimit(raw: string | undefined): number {
  const m = raw === undefined ? null : /^\s*([+-]?\d+)/.exec(raw);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isFinite(n) || n < 1) return DEFAULT_LIMIT;
  return Math.min(n, MAX_LIMIT);
}

export function encodeCursor(page: number, limit: number): string {
  return Buffer.from(`${page}*_*${limit}`, 'utf8').toString('base64');
}

export function decodeCursor(cursor: string): { page: number; limit: number } | null {
  // An unencoded "+" arrives as a space; put it back before decoding.
  const text = cursor.replace(/ /g, '+');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  const m = /^(\d+)\*_\*(\d+)$/.exec(Buffer.from(text, 'base64').toString('utf8'));
  if (!m) return null;
  const page = Number(m[1]);
  return page >= 1 ? { page, limit: clampLimit(m[2]) } : null;
}

/**
 * All rows of a model in list order. Without a (known) order column the order is
 * stable but deliberately not by primary key, like the live service. Ordered
 * columns compare as their MySQL type (int columns as numbers, others by code unit),
 * NULL (or a custom column the record does not carry) first ascending, ties by
 * primary key. Cached because 12k-row sorts add up when a client pages through everything.
 */
export function orderedRows(state: State, model: BdModelName, column: string | null, desc: boolean): StoredRecord[] {
  const pk = SCHEMAS[model].pk;
  // By primary key (or the key's hash, the default order) an update cannot move a row, and rows
  // are updated in place: only adding or removing records re-sorts, as an index on the key would.
  const byKey = column === null || column === pk;
  const generation = byKey ? state.store.membershipGeneration() : state.store.mutationGeneration();
  const cacheKey = `${model}|${column ?? ''}|${desc ? 'DESC' : 'ASC'}`;
  const cached = state.orderCache.get(cacheKey);
  if (cached && cached.generation === generation) return cached.rows;
  let rows: StoredRecord[];
  if (column === null) {
    const decorated = state.store.rows(model).map((r) => ({ h: fnv1a(`${model}:${r[pk]}`), id: Number(r[pk]), r }));
    decorated.sort((a, b) => a.h - b.h || a.id - b.id);
    rows = decorated.map((d) => d.r);
  } else {
    // Decorated once: converting inside the comparator dominated on 12k rows.
    const numeric = columnKind(SCHEMAS[model], column) === 'int';
    const decorated = state.store.rows(model).map((r) => {
      const v = r[column] ?? null;
      return { v, n: v !== null && numeric ? mysqlNumber(v) : NaN, id: Number(r[pk]), r };
    });
    decorated.sort((a, b) => {
      let c: number;
      if (a.v === null || b.v === null) c = a.v === b.v ? 0 : a.v === null ? -1 : 1;
      else if (numeric) c = a.n - b.n;
      else c = a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
      return (desc ? -c : c) || a.id - b.id;
    });
    rows = decorated.map((d) => d.r);
  }
  if (state.orderCache.size > 64) state.orderCache.clear(); // bound memory; rebuilt on demand
  state.orderCache.set(cacheKey, { generation, rows });
  return rows;
}
