import type { RecordFilter } from '../api/filters';

/** The ranges the panel offers; `custom` takes typed days. */
export const RANGE_PRESETS = ['last7', 'last30', 'last90', 'all', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** What a person chose: a preset, or (custom) the first and last UTC day, `YYYY-MM-DD`, both included. */
export interface ClickRange {
  readonly preset: RangePreset;
  readonly from?: string;
  readonly to?: string;
}

/** A range resolved against a clock: whole UTC days, `start` included, `end` excluded; both absent for "all". */
export interface DayBounds {
  /** `YYYY-MM-DD`, the first day. */
  readonly start?: string;
  /** `YYYY-MM-DD`, the day after the last. */
  readonly end?: string;
}

const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const PRESET_DAYS: Readonly<Record<'last7' | 'last30' | 'last90', number>> = { last7: 7, last30: 30, last90: 90 };

/** `YYYY-MM-DD` of a UTC instant. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The UTC day `n` days after `day` (n may be negative); undefined when `day` is not a real date. */
export function addDays(day: string, n: number): string | undefined {
  const ms = dayStartMs(day);
  return ms === undefined ? undefined : utcDay(ms + n * DAY_MS);
}

/** Midnight UTC of a `YYYY-MM-DD` day, or undefined when it is not a real date (2025-02-30). */
export function dayStartMs(day: string): number | undefined {
  const m = DAY.exec(day);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return utcDay(ms) === day ? ms : undefined;
}

/**
 * Whole UTC days: "last N days" are the N days ending today (UTC), today included; custom is
 * from its first to its last day, both included; "all" has no bounds. Undefined when a custom
 * range is not two real days in order.
 */
export function dayBounds(range: ClickRange, now: Date): DayBounds | undefined {
  const today = utcDay(now.getTime());
  switch (range.preset) {
    case 'all':
      return {};
    case 'custom': {
      if (!range.from || !range.to || dayStartMs(range.from) === undefined || dayStartMs(range.to) === undefined || range.from > range.to) return undefined;
      return { start: range.from, end: addDays(range.to, 1) };
    }
    default:
      return { start: addDays(today, 1 - PRESET_DAYS[range.preset]), end: addDays(today, 1) };
  }
}

/** `YYYY-MM-DD` → BD's stored 14-digit form at midnight, `YYYYMMDD000000`. */
export function bdDigits(day: string): string {
  return `${day.replaceAll('-', '')}000000`;
}

/**
 * BD conditions on `date_clicked` for the days: `gte` and `lt` with 14-digit values, the form the
 * column is stored in (an ISO value string-compares wrong and still answers success). `gte`
 * also leaves out clicks without a date, which `lt` alone would let in.
 */
export function bdRangeFilters(bounds: DayBounds): RecordFilter[] {
  const filters: RecordFilter[] = [];
  if (bounds.start) filters.push({ field: 'date_clicked', operator: 'gte', value: bdDigits(bounds.start) });
  if (bounds.end) filters.push({ field: 'date_clicked', operator: 'lt', value: bdDigits(bounds.end) });
  return filters;
}

/** Copernica's `begintime` (inclusive) and `endtime` (exclusive) for the days, `YYYY-MM-DD HH:MM:SS`. */
export function copernicaRange(bounds: DayBounds): { begintime?: string; endtime?: string } {
  return {
    ...(bounds.start ? { begintime: `${bounds.start} 00:00:00` } : {}),
    ...(bounds.end ? { endtime: `${bounds.end} 00:00:00` } : {}),
  };
}

/** The UTC day of a BD 14-digit `date_clicked`, or undefined for an empty or zero date. */
export function bdClickDay(value: string | null | undefined): string | undefined {
  if (!value || !/^\d{8}/.test(value) || /^0{8}/.test(value)) return undefined;
  return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
}

/** The UTC day of a Copernica `timestamp` (`YYYY-MM-DD HH:MM:SS`). */
export function copernicaClickDay(value: string | null | undefined): string | undefined {
  return value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

/** Every day from `first` to `last`, both included (at most `cap` of them). */
export function daysBetween(first: string, last: string, cap = 20_000): string[] {
  const days: string[] = [];
  for (let day: string | undefined = first; day !== undefined && day <= last && days.length < cap; day = addDays(day, 1)) days.push(day);
  return days;
}
