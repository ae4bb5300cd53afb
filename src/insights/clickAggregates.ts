import type { ApiRecord } from '../api/schemas';
import { barSpans, chooseUnit, type BarUnit } from './clickBuckets';
import { addDays, bdClickDay, clickWindow, copernicaClickDay, type DayBounds } from './clickRange';

/**
 * Clicks on one bar of the chart (a UTC day, week, month, quarter or year, see `unit`): all of
 * them, and the unique ones (see the kind's insights for what unique means).
 */
export interface DayCount {
  /** The bar's first day, `YYYY-MM-DD`. */
  readonly day: string;
  /** The day after its last. */
  readonly end: string;
  readonly total: number;
  readonly unique: number;
}

/** One member, click type, page, link or mailing, with its clicks and unique clicks. */
export interface RankedCount {
  readonly key: string;
  readonly total: number;
  readonly unique: number;
}

/**
 * BD users clicks. Unique is distinct `visitor_token`s: per day for `days`, over the range for
 * `uniqueVisitors`, per member / type / page over the range.
 */
export interface BdClickInsights {
  readonly kind: 'bd';
  readonly total: number;
  readonly uniqueVisitors: number;
  /** Clicks with no date_clicked, or one that is not a real date or out of range (see clickWindow): counted in the total, on no day. */
  readonly undated: number;
  readonly unit: BarUnit;
  /** At most MAX_BARS bars, gaps as zeros. */
  readonly days: readonly DayCount[];
  readonly members: readonly RankedCount[];
  readonly types: readonly RankedCount[];
  readonly froms: readonly RankedCount[];
}

/**
 * Copernica clicks. Unique is Copernica's own `unique=true`: one click per destination per
 * link, the first (lowest ID) in the range. A day's unique clicks are those first clicks made
 * that day, so the days add up to the API's unique total; a link's unique clicks are its
 * destinations; a mailing's are its distinct destination–link pairs.
 */
export interface CopernicaClickInsights {
  readonly kind: 'copernica';
  readonly total: number;
  readonly unique: number;
  /** Clicks whose timestamp is not a real date or is out of range: counted in the totals, on no day. */
  readonly undated: number;
  readonly unit: BarUnit;
  readonly days: readonly DayCount[];
  readonly links: readonly RankedCount[];
  readonly mailings: readonly RankedCount[];
}

export type ClickInsights = BdClickInsights | CopernicaClickInsights;

/** Counts per key with a set of unique ids per key. */
class Tally {
  private readonly totals = new Map<string, number>();
  private readonly uniques = new Map<string, Set<string>>();

  add(key: string, uniqueId: string | undefined): void {
    this.totals.set(key, (this.totals.get(key) ?? 0) + 1);
    if (uniqueId === undefined) return;
    let set = this.uniques.get(key);
    if (!set) this.uniques.set(key, (set = new Set()));
    set.add(uniqueId);
  }

  total(key: string): number {
    return this.totals.get(key) ?? 0;
  }

  unique(key: string): number {
    return this.uniques.get(key)?.size ?? 0;
  }

  /** Distinct unique ids over several keys (a visitor on two days of a week is one in the week). */
  uniqueAcross(keys: readonly string[]): number {
    if (keys.length === 1) return this.unique(keys[0]!);
    const all = new Set<string>();
    for (const key of keys) for (const id of this.uniques.get(key) ?? []) all.add(id);
    return all.size;
  }

  keys(): string[] {
    return [...this.totals.keys()];
  }

  /** Most clicks first; ties by key (numbers as numbers), so the order never depends on arrival. */
  ranked(): RankedCount[] {
    return this.keys()
      .map((key) => ({ key, total: this.total(key), unique: this.unique(key) }))
      .sort((a, b) => b.total - a.total || compareKeys(a.key, b.key));
  }
}

function compareKeys(a: string, b: string): number {
  const numeric = /^\d+$/.test(a) && /^\d+$/.test(b);
  if (numeric) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The bars to show: over the bounds, or (for "all") from the first to the last day with clicks,
 * both cut to the days a click may be on; days, or coarser units when days would be more than
 * MAX_BARS. Bars without clicks are there with zeros, so the chart's gaps are real.
 */
function bars(bounds: DayBounds, seen: readonly string[], now: Date, count: (days: readonly string[]) => { total: number; unique: number }): { unit: BarUnit; days: DayCount[] } {
  const window = clickWindow(now);
  const sorted = [...seen].sort();
  const lastAllowed = addDays(window.end, -1)!;
  const first = maxDay(bounds.start ?? sorted[0], window.start);
  // bounds.end is the day after the last.
  const last = minDay(bounds.end ? addDays(bounds.end, -1) : sorted.at(-1), lastAllowed);
  if (!first || !last || first > last) return { unit: 'day', days: [] };
  const unit = chooseUnit(first, last);
  let i = 0;
  const days = barSpans(first, last, unit).map(({ start, end }) => {
    while (i < sorted.length && sorted[i]! < start) i++;
    const inBar: string[] = [];
    for (; i < sorted.length && sorted[i]! < end; i++) inBar.push(sorted[i]!);
    return { day: start, end, ...count(inBar) };
  });
  return { unit, days };
}

function maxDay(a: string | undefined, b: string): string | undefined {
  return a === undefined ? undefined : a > b ? a : b;
}

function minDay(a: string | undefined, b: string): string | undefined {
  return a === undefined ? undefined : a < b ? a : b;
}

/** The click's day when it is a real day a click may be on, else undefined (undated). */
function validDay(day: string | undefined, window: { start: string; end: string }): string | undefined {
  return day !== undefined && day >= window.start && day < window.end ? day : undefined;
}

/** Adds BD users clicks page by page (any order); `result` gives the insights so far. */
export class BdClickAggregator {
  private readonly days = new Tally();
  private readonly members = new Tally();
  private readonly types = new Tally();
  private readonly froms = new Tally();
  private readonly visitors = new Set<string>();
  private readonly ids = new Set<string>();
  private count = 0;
  private undated = 0;
  private readonly window: { start: string; end: string };

  /** `now` sets the latest day a click may be on (tomorrow). */
  constructor(private readonly now = new Date()) {
    this.window = clickWindow(now);
  }

  add(records: readonly ApiRecord[]): void {
    for (const r of records) {
      // A click listed twice (a page that repeats) counts once.
      const id = r['click_id'];
      if (id) {
        if (this.ids.has(id)) continue;
        this.ids.add(id);
      }
      this.count++;
      const visitor = r['visitor_token'] || undefined;
      if (visitor) this.visitors.add(visitor);
      const day = validDay(bdClickDay(r['date_clicked']), this.window);
      if (day) this.days.add(day, visitor);
      else this.undated++;
      this.members.add(r['user_id'] || '', visitor);
      this.types.add(r['click_type'] || '', visitor);
      this.froms.add(r['click_from'] || '', visitor);
    }
  }

  result(bounds: DayBounds): BdClickInsights {
    const count = (days: readonly string[]) => ({ total: days.reduce((s, d) => s + this.days.total(d), 0), unique: this.days.uniqueAcross(days) });
    return {
      kind: 'bd',
      total: this.count,
      uniqueVisitors: this.visitors.size,
      undated: this.undated,
      ...bars(bounds, this.days.keys(), this.now, count),
      members: this.members.ranked(),
      types: this.types.ranked(),
      froms: this.froms.ranked(),
    };
  }
}

interface CopernicaClick {
  readonly id: number;
  readonly day: string | undefined;
  readonly link: string;
  readonly mailing: string;
  readonly destination: string;
}

/** Adds Copernica clicks page by page (any order); `result` gives the insights so far. */
export class CopernicaClickAggregator {
  private readonly days = new Tally();
  private readonly links = new Tally();
  private readonly mailings = new Tally();
  /** The first click (lowest ID) of each destination on each link: what `unique=true` keeps. */
  private readonly firsts = new Map<string, { id: number; day: string | undefined }>();
  private readonly ids = new Set<number>();
  private undated = 0;
  private readonly window: { start: string; end: string };

  /** `now` sets the latest day a click may be on (tomorrow). */
  constructor(private readonly now = new Date()) {
    this.window = clickWindow(now);
  }

  add(records: readonly ApiRecord[]): void {
    for (const r of records) {
      const click: CopernicaClick = {
        id: Number(r['ID']),
        day: validDay(copernicaClickDay(r['timestamp']), this.window),
        link: r['link'] ?? '',
        mailing: r['mailing'] ?? '',
        destination: r['destination'] ?? '',
      };
      if (this.ids.has(click.id)) continue;
      this.ids.add(click.id);
      if (click.day) this.days.add(click.day, undefined);
      else this.undated++;
      const pair = `${click.destination}\u0000${click.link}`;
      this.links.add(click.link, click.destination);
      this.mailings.add(click.mailing, pair);
      const first = this.firsts.get(pair);
      if (!first || click.id < first.id) this.firsts.set(pair, { id: click.id, day: click.day });
    }
  }

  result(bounds: DayBounds): CopernicaClickInsights {
    const uniqueByDay = new Map<string, number>();
    for (const { day } of this.firsts.values()) if (day) uniqueByDay.set(day, (uniqueByDay.get(day) ?? 0) + 1);
    const count = (days: readonly string[]) => ({ total: days.reduce((s, d) => s + this.days.total(d), 0), unique: days.reduce((s, d) => s + (uniqueByDay.get(d) ?? 0), 0) });
    return {
      kind: 'copernica',
      total: this.ids.size,
      unique: this.firsts.size,
      undated: this.undated,
      ...bars(bounds, this.days.keys(), this.now, count),
      links: this.links.ranked(),
      mailings: this.mailings.ranked(),
    };
  }
}
