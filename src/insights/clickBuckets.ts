import { addDays, dayStartMs } from './clickRange';

/** What one bar of the clicks chart holds: a UTC day, an ISO week (Monday first), a month, a quarter or a year. */
export const BAR_UNITS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type BarUnit = (typeof BAR_UNITS)[number];

/**
 * The most bars a chart draws. At the chart's least width (480 px, see media/clickInsights) 60
 * bars are 7 px apart, each of its two bars 3 px wide; more would be hairlines.
 */
export const MAX_BARS = 60;

/** Whole UTC days, `start` included, `end` (the day after the last) excluded. */
export interface DaySpan {
  readonly start: string;
  readonly end: string;
}

function ymd(day: string): [number, number, number] {
  return [Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10))];
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first day of the unit that holds `day` (a real `YYYY-MM-DD`). */
export function barStart(day: string, unit: BarUnit): string {
  const [y, m] = ymd(day);
  switch (unit) {
    case 'day':
      return day;
    case 'week': {
      const ms = dayStartMs(day)!;
      return isoDay(ms - ((new Date(ms).getUTCDay() + 6) % 7) * 86_400_000);
    }
    case 'month':
      return isoDay(Date.UTC(y, m - 1, 1));
    case 'quarter':
      return isoDay(Date.UTC(y, Math.floor((m - 1) / 3) * 3, 1));
    case 'year':
      return isoDay(Date.UTC(y, 0, 1));
  }
}

/** The first day of the next unit after the one starting at `start`. */
function nextStart(start: string, unit: BarUnit): string {
  const [y, m] = ymd(start);
  switch (unit) {
    case 'day':
      return addDays(start, 1)!;
    case 'week':
      return addDays(start, 7)!;
    case 'month':
      return isoDay(Date.UTC(y, m, 1));
    case 'quarter':
      return isoDay(Date.UTC(y, m + 2, 1));
    case 'year':
      return isoDay(Date.UTC(y + 1, 0, 1));
  }
}

/** How many units of `unit` the days from `first` to `last` (both included) touch, counting no further than `stop`. */
function barCount(first: string, last: string, unit: BarUnit, stop: number): number {
  let n = 0;
  for (let s = barStart(first, unit); s <= last && n <= stop; s = nextStart(s, unit)) n++;
  return n;
}

/** The finest unit that draws the days from `first` to `last` in at most `maxBars` bars (years, past that: 2000 to now is 27). */
export function chooseUnit(first: string, last: string, maxBars = MAX_BARS): BarUnit {
  return BAR_UNITS.find((unit) => barCount(first, last, unit, maxBars) <= maxBars) ?? 'year';
}

/** The bars from `first` to `last` (both included) in `unit`, the first and last cut to those days. */
export function barSpans(first: string, last: string, unit: BarUnit): DaySpan[] {
  const end = addDays(last, 1)!;
  const spans: DaySpan[] = [];
  for (let s = barStart(first, unit); s < end; s = nextStart(s, unit)) {
    const next = nextStart(s, unit);
    spans.push({ start: s < first ? first : s, end: next > end ? end : next });
  }
  return spans;
}
