// Dates in record documents, decoded for the hover: what a stored value means in UTC, in the
// reader's time zone, and how long ago. No vscode here, so plain-Node unit tests read it.
import { relativeDate, relativeDateFormat } from '../api/dates';

/** A stored date: 14 digits (YYYYMMDDHHmmss), 12 (YYYYMMDDHHMM, notification_date) or "YYYY-MM-DD HH:MM:SS". */
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/;
const SPACED = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

export interface StoredDate {
  /** The instant, reading the stored digits as UTC (the sites store UTC; filters compare it). */
  readonly date: Date;
  /** false for the 12-digit form, which has no seconds. */
  readonly hasSeconds: boolean;
}

export function parseStoredDate(value: string): StoredDate | undefined {
  const match = COMPACT.exec(value.trim()) ?? SPACED.exec(value.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? '0')) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 31 February over into March; such a value is not a date.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return { date, hasSeconds: match[6] !== undefined };
}

export interface DecodedDate {
  /** "5 Sep 2022, 14:26:37" (UTC). */
  readonly utc: string;
  /** "16:26:37" on the same day, else "6 Sep 2022, 01:26:37" (the reader's time zone). */
  readonly local: string;
  /** "3 years ago", "in 2 days". */
  readonly relative: string;
}

interface Parts {
  readonly day: string;
  readonly month: string;
  readonly year: string;
  readonly time: string;
}

function partsIn(date: Date, locale: string | undefined, timeZone: string | undefined, hasSeconds: boolean): Parts {
  const format = new Intl.DateTimeFormat(locale, {
    timeZone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', ...(hasSeconds ? { second: '2-digit' } : {}), hourCycle: 'h23',
  });
  const part = (type: Intl.DateTimeFormatPartTypes): string => format.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  // Day month year and a 24-hour clock whatever the locale's order, so no reader mistakes 05/09 for 9 May; the month's name is the locale's.
  const time = [part('hour'), part('minute'), ...(hasSeconds ? [part('second')] : [])].join(':');
  return { day: part('day'), month: part('month'), year: part('year'), time };
}

export interface DecodeOptions {
  readonly locale?: string;
  /** The reader's time zone; the process's own when not given. */
  readonly timeZone?: string;
  readonly now?: Date;
}

export function decodeStoredDate(stored: StoredDate, options: DecodeOptions = {}): DecodedDate {
  const utc = partsIn(stored.date, options.locale, 'UTC', stored.hasSeconds);
  const local = partsIn(stored.date, options.locale, options.timeZone, stored.hasSeconds);
  const whole = (p: Parts): string => `${p.day} ${p.month} ${p.year}, ${p.time}`;
  const sameDay = utc.day === local.day && utc.month === local.month && utc.year === local.year;
  return {
    utc: whole(utc),
    local: sameDay ? local.time : whole(local),
    relative: relativeDate(stored.date, options.now ?? new Date(), relativeDateFormat(options.locale)),
  };
}

/** A `"key": "value"` pair on one line, and where its value (quotes included) sits. */
export interface PairAt {
  readonly key: string;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

const PAIR = /"((?:[^"\\]|\\.)*)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

/** The string value under `character` on a line of a record document (one field a line, as the store writes them). */
export function pairAt(line: string, character: number): PairAt | undefined {
  for (const match of line.matchAll(PAIR)) {
    const end = match.index + match[0].length;
    const start = end - match[2]!.length - 2;
    if (character >= start && character < end) return { key: match[1]!, value: match[2]!, start, end };
  }
  return undefined;
}
