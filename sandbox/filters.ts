// Brilliant Directories' filter conditions (property / property_value / property_operator),
// compared as the MySQL column types compare.

import { parseStoredDate, type FieldValue, type ModelSchema } from './data';
import { lastParam } from './http';

/**
 * How a BD column compares in filters and in order_column, like its MySQL type: `int` columns
 * (the vendor tables' integers) as numbers; `date` columns as their stored strings (the
 * notes: an ISO value against a 14-digit column gives wrong rows); `text` as strings.
 */
type ColumnKind = 'int' | 'date' | 'text';

export function columnKind(schema: ModelSchema, column: string): ColumnKind {
  if (schema.intFields.includes(column)) return 'int';
  return Object.hasOwn(schema.dateFields, column) ? 'date' : 'text';
}

/** A string in a numeric context, as MySQL reads it: its leading number, else 0 ("12abc" → 12, "abc" → 0, "" → 0). */
export function mysqlNumber(text: string): number {
  const m = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/.exec(text);
  return m ? Number(m[1]) : 0;
}

const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function sign(d: number): number {
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

function codeUnitCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An empty date: NULL, '' or MySQL's zero date ('00000000000000', '0000-00-00 00:00:00'). */
function isEmptyDate(v: FieldValue): boolean {
  return v === null || /^[0 :-]*$/.test(v);
}

function likeToRegExp(pattern: string): RegExp {
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) src += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') src += '[\\s\\S]*';
    else if (c === '_') src += '[\\s\\S]';
    else src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 'iu');
}

type Test = (v: FieldValue) => boolean;

const VALUELESS_OPS = new Set(['is_set', 'is_not_set', 'is_null', 'is_not_null']);

const DAY_MS = 86_400_000;

/**
 * Compiles one condition on a column of the given kind; null means malformed (→ 400 Invalid
 * filter parameters). `now` (ms) is the sandbox clock, for since_days/until_days.
 */
function compileCondition(opRaw: string, value: string | undefined, kind: ColumnKind, now: number): Test | null {
  const op = opRaw.toLowerCase();
  if (VALUELESS_OPS.has(op)) {
    switch (op) {
      case 'is_set': return (v) => v !== null && v !== '';
      case 'is_not_set': return (v) => v === null || v === '';
      case 'is_null': return (v) => v === null;
      default: return (v) => v !== null;
    }
  }
  if (value === undefined) return null;
  // SQL semantics: NULL never satisfies a comparison, not even ne / not_like; the one
  // exception is below (lt/lte/until_days on a date column also match empty dates).
  const dateTest = (pred: (d: Date) => boolean): Test => (v) => {
    if (v === null) return false;
    const d = parseStoredDate(v);
    return d !== null && pred(d);
  };
  const orEmptyDate = (t: Test): Test => (kind === 'date' ? (v) => isEmptyDate(v) || t(v) : t);
  const intArg = (re: RegExp, min: number, max: number): number | null => {
    if (!re.test(value)) return null;
    const n = Number(value);
    return n >= min && n <= max ? n : null;
  };
  // int: numbers, as MySQL converts the value; otherwise strings, equality case-insensitive
  // (the notes), order by code unit.
  const compare = kind === 'int' ? (a: string, b: string) => sign(mysqlNumber(a) - mysqlNumber(b)) : codeUnitCompare;
  const equal = kind === 'int' ? (a: string, b: string) => mysqlNumber(a) === mysqlNumber(b) : (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  switch (op) {
    case 'eq': return (v) => v !== null && equal(v, value);
    case 'ne': return (v) => v !== null && !equal(v, value);
    case 'lt': case 'lte': case 'gt': case 'gte': {
      if (value === '') return null;
      const ok = { lt: (c: number) => c < 0, lte: (c: number) => c <= 0, gt: (c: number) => c > 0, gte: (c: number) => c >= 0 }[op];
      const test: Test = (v) => v !== null && ok(compare(v, value));
      return op === 'lt' || op === 'lte' ? orEmptyDate(test) : test;
    }
    case 'in': case 'not_in': {
      if (value === '') return null;
      let items = value.split(',').map((s) => s.trim());
      // Mixed types: on an int column the values that are not numbers are silently dropped.
      if (kind === 'int') items = items.filter((s) => NUMERIC.test(s));
      // One lookup per row, as an index would answer it (equal() compared every item with every row).
      const wanted = new Set<number | string>(items.map((item) => (kind === 'int' ? mysqlNumber(item) : item.toLowerCase())));
      const has = (v: string) => wanted.has(kind === 'int' ? mysqlNumber(v) : v.toLowerCase());
      return op === 'in' ? (v) => v !== null && has(v) : (v) => v !== null && !has(v);
    }
    case 'between': {
      const items = value.split(',').map((s) => s.trim());
      if (items.length !== 2 || items.some((s) => s === '')) return null;
      const [lo, hi] = items;
      return (v) => v !== null && compare(v, lo) >= 0 && compare(v, hi) <= 0;
    }
    case 'like': case 'not_like': {
      // The firewall strips "%": it never arrives, so only "_" works as a wildcard.
      const pattern = value.replace(/%/g, '');
      if (pattern === '') return null;
      const re = likeToRegExp(pattern);
      return op === 'like' ? (v) => v !== null && re.test(v) : (v) => v !== null && !re.test(v);
    }
    case 'contains': case 'not_contains': case 'starts_with': case 'ends_with': {
      // A comma-separated value means OR (not_contains: none of them).
      const needles = value.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
      if (needles.length === 0) return null;
      const has = {
        contains: (s: string) => needles.some((n) => s.includes(n)),
        not_contains: (s: string) => !needles.some((n) => s.includes(n)),
        starts_with: (s: string) => needles.some((n) => s.startsWith(n)),
        ends_with: (s: string) => needles.some((n) => s.endsWith(n)),
      }[op];
      return (v) => v !== null && has(v.toLowerCase());
    }
    case 'since_days': case 'until_days': {
      const n = intArg(/^\d+$/, 0, 100_000);
      if (n === null) return null;
      const cutoff = now - n * DAY_MS;
      return op === 'since_days' ? dateTest((d) => d.getTime() >= cutoff) : orEmptyDate(dateTest((d) => d.getTime() < cutoff));
    }
    case 'year_eq': {
      const n = intArg(/^\d{4}$/, 1000, 9999);
      return n === null ? null : dateTest((d) => d.getUTCFullYear() === n);
    }
    case 'month_eq': {
      const n = intArg(/^\d{1,2}$/, 1, 12);
      return n === null ? null : dateTest((d) => d.getUTCMonth() + 1 === n);
    }
    case 'day_eq': {
      const n = intArg(/^\d{1,2}$/, 1, 31);
      return n === null ? null : dateTest((d) => d.getUTCDate() === n);
    }
    case 'length_eq': {
      const n = intArg(/^\d+$/, 0, Number.MAX_SAFE_INTEGER);
      return n === null ? null : (v) => v !== null && [...v].length === n;
    }
    default:
      return null; // unknown word, or a symbol form such as "<"
  }
}

interface Condition {
  column: string;
  test: Test;
}

export function parseFilters(params: URLSearchParams, schema: ModelSchema, now: number): Condition[] | null {
  const raw: { column: string; op: string; value: string | undefined }[] = [];
  if (params.has('property') || params.has('property_value') || params.has('property_operator')) {
    const column = lastParam(params, 'property');
    if (!column) return null;
    raw.push({ column, op: lastParam(params, 'property_operator') || 'eq', value: lastParam(params, 'property_value') });
  }
  const props = params.getAll('property[]');
  const values = params.getAll('property_value[]');
  const ops = params.getAll('property_operator[]');
  if (props.length || values.length || ops.length) {
    if (!props.length) return null;
    if (ops.length && ops.length !== props.length) return null;
    const opAt = (i: number) => (ops.length ? ops[i] : '') || 'eq';
    // Values may be omitted entirely only when every operator takes none.
    const valuesOmitted = values.length === 0 && props.every((_, i) => VALUELESS_OPS.has(opAt(i).toLowerCase()));
    if (values.length !== props.length && !valuesOmitted) return null;
    for (let i = 0; i < props.length; i++) {
      if (!props[i]) return null;
      raw.push({ column: props[i], op: opAt(i), value: valuesOmitted ? undefined : values[i] });
    }
  }
  const out: Condition[] = [];
  for (const r of raw) {
    const test = compileCondition(r.op, r.value, columnKind(schema, r.column), now);
    if (!test) return null;
    out.push({ column: r.column, test });
  }
  return out;
}
