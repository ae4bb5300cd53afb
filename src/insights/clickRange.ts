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

/** Whether the days hold `day` (undefined bounds: a range that is not valid holds nothing). */
export function boundsHold(bounds: DayBounds | undefined, day: string): boolean {
  return bounds !== undefined && (!bounds.start || day >= bounds.start) && (!bounds.end || day < bounds.end);
}

/** The days a panel opens on when the newest click is `newest`: 30 of them ending there, so a month of clicks is shown. */
const OPENING_DAYS = 30;

/**
 * The range a panel opens on: "last 30 days" when it holds the newest click (or there is none),
 * else "last 90 days" when that does, else the 30 days ending on the newest click's day.
 */
export function openingRange(newest: string | undefined, now: Date): ClickRange {
  if (newest === undefined || dayStartMs(newest) === undefined) return { preset: 'last30' };
  for (const preset of ['last30', 'last90'] as const) if (boundsHold(dayBounds({ preset }, now), newest)) return { preset };
  return { preset: 'custom', from: addDays(newest, 1 - OPENING_DAYS), to: newest };
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

/** The first day a click may be on: an earlier date is a placeholder or a broken clock, not a click. */
export const FIRST_CLICK_DAY = '2000-01-01';

/**
 * The days a click may be on: from 2000 to tomorrow (UTC), so a clock a little ahead still
 * counts. A date outside them (99991231…, 19700101…) is counted as undated, on no day.
 */
export function clickWindow(now: Date): { readonly start: string; readonly end: string } {
  return { start: FIRST_CLICK_DAY, end: utcDay(now.getTime() + 2 * DAY_MS) };
}

/** `YYYY-MM-DD` when the six parts make a real date and time (2024-02-30 and 25:61 do not). */
function realDay(y: string, mo: string, d: string, h = '00', mi = '00', s = '00'): string | undefined {
  const day = `${y}-${mo}-${d}`;
  if (dayStartMs(day) === undefined) return undefined;
  return Number(h) <= 23 && Number(mi) <= 59 && Number(s) <= 59 ? day : undefined;
}

/** The UTC day of a BD 14-digit `date_clicked`; undefined for an empty or zero date, or one that is not a real date and time. */
export function bdClickDay(value: string | null | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2}))?$/.exec(value ?? '');
  return m ? realDay(m[1]!, m[2]!, m[3]!, m[4], m[5], m[6]) : undefined;
}

/** The UTC day of a Copernica `timestamp` (`YYYY-MM-DD HH:MM:SS`); undefined when it is not a real date and time. */
export function copernicaClickDay(value: string | null | undefined): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?$/.exec(value ?? '');
  return m ? realDay(m[1]!, m[2]!, m[3]!, m[4], m[5], m[6]) : undefined;
}

/**
 * What is sent to Copernica for the days: begintime one second early, because its documentation
 * says "after" and "before" without saying whether the edges are in; `inCopernicaRange` then
 * keeps exactly [start 00:00:00, end 00:00:00), so a click at midnight is in one day only.
 */
export function copernicaFetchRange(bounds: DayBounds): { begintime?: string; endtime?: string } {
  const before = bounds.start ? addDays(bounds.start, -1) : undefined;
  return { ...(before ? { begintime: `${before} 23:59:59` } : {}), ...copernicaRange({ end: bounds.end }) };
}

/** Whether a Copernica click belongs to the days (half-open); a timestamp in no known form is kept, to be counted as undated. */
export function inCopernicaRange(timestamp: string | null | undefined, bounds: DayBounds): boolean {
  if (!timestamp || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(timestamp)) return true;
  const { begintime, endtime } = copernicaRange(bounds);
  return (!begintime || timestamp >= begintime) && (!endtime || timestamp < endtime);
}
