/** The three date formats the APIs use, as named in the resource descriptors. */
export type ApiDateFormat = 'YYYYMMDDHHmmss' | 'YYYYMMDDHHMM' | 'YYYY-MM-DD HH:MM:SS';

const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/;
const SPACED = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Reads any of the API's date strings as wall-clock time. The sites do not say their time
 * zone, so the value is shown as written rather than shifted.
 */
export function parseApiDate(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const match = COMPACT.exec(value) ?? SPACED.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? '0')) as [number, number, number, number, number, number];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(year, month - 1, day, hour, minute, second);
  // Date rolls 31 February over into March; such a value is not a date.
  if (Number.isNaN(date.getTime()) || date.getMonth() !== month - 1 || date.getDate() !== day) return undefined;
  return date;
}

export function formatApiDate(date: Date, format: ApiDateFormat): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const [y, mo, d, h, mi, s] = [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()];
  switch (format) {
    case 'YYYYMMDDHHmmss':
      return `${p(y, 4)}${p(mo)}${p(d)}${p(h)}${p(mi)}${p(s)}`;
    case 'YYYYMMDDHHMM':
      return `${p(y, 4)}${p(mo)}${p(d)}${p(h)}${p(mi)}`;
    case 'YYYY-MM-DD HH:MM:SS':
      return `${p(y, 4)}-${p(mo)}-${p(d)} ${p(h)}:${p(mi)}:${p(s)}`;
  }
}

/**
 * The formatter dates are shown with. Building one costs far more than using it, so a tree
 * showing thousands of records builds it once and passes it along.
 */
export function apiDateFormat(locale?: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A date for people, in their locale; the raw string when it is not a date. */
export function displayApiDate(value: string | null | undefined, format: Intl.DateTimeFormat = apiDateFormat()): string {
  const date = parseApiDate(value);
  if (!date) return value ?? '';
  return format.format(date);
}

/** The day alone, short ("9/5/23" in en-US), for tree rows at the default sidebar width; tooltips say it in words. */
export function apiDayFormat(locale?: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short' });
}

/** The formatter `relativeApiDate` words with: "13 months ago", "yesterday"; short: "13 mo. ago". */
export function relativeDateFormat(locale?: string, style: Intl.RelativeTimeFormatStyle = 'long'): Intl.RelativeTimeFormat {
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style });
}

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/** Years, months and weeks are used from two on: "13 months ago" tells more than "last year". */
const FROM_TWO: ReadonlySet<Intl.RelativeTimeFormatUnit> = new Set(['year', 'month', 'week']);

/**
 * How long ago (or ahead) `date` is from `now`, in the largest whole unit: "3 days ago",
 * "yesterday", "13 months ago", "2 years ago", "in 5 minutes"; "now" within a second.
 */
export function relativeDate(date: Date, now: Date, format: Intl.RelativeTimeFormat = relativeDateFormat()): string {
  const seconds = (date.getTime() - now.getTime()) / 1000;
  const size = Math.abs(seconds);
  for (const [unit, length] of UNITS) {
    if (size >= length * (FROM_TWO.has(unit) ? 2 : 1) || unit === 'second') return format.format(Math.sign(seconds) * Math.floor(size / length) || 0, unit);
  }
  return '';
}

/** An API date string as "3 days ago"; the raw string when it is not a date, '' when empty. */
export function relativeApiDate(value: string | null | undefined, now: Date, format?: Intl.RelativeTimeFormat): string {
  const date = parseApiDate(value);
  return date ? relativeDate(date, now, format) : (value ?? '');
}
