// Issue 16 case 6: one bad date must not break Click Insights. A date that is not a real day
// (20240230…), or out of range (before 2000, or after tomorrow: 99991231…), is counted as undated;
// the days span the valid clicks only; a range's bars are bounded. And Copernica's begintime /
// endtime: a click at exactly the next day's 00:00:00 is in one day's range only, whichever way
// the server reads "after" and "before".

import { strict as assert } from 'node:assert';
import type { ApiRecord } from '../../../src/api/schemas';
import { BdClickAggregator, CopernicaClickAggregator, type ClickInsights } from '../../../src/insights/clickAggregates';
import { fetchClickInsights } from '../../../src/insights/clickFetch';
import type { ListedPage, ListRequest, SiteApi } from '../../../src/sites/siteApi';

const bd = (id: number, date: string | null, visitor = `v${id % 7}`) => ({ click_id: String(id), user_id: String(id % 5), click_type: 'link', click_from: 'profile_page', visitor_token: visitor, date_clicked: date });
const cop = (id: number, timestamp: string) => ({ ID: String(id), timestamp, destination: `d${id % 3}`, link: `L${id % 2}`, mailing: '1' });

/** 529 clicks on 2025 days, one every ~13 hours from 6 January, in the 14-digit form. */
function validBdClicks(): ReturnType<typeof bd>[] {
  const out: ReturnType<typeof bd>[] = [];
  for (let i = 0; i < 529; i++) {
    const d = new Date(Date.UTC(2025, 0, 6) + i * 13 * 3_600_000).toISOString();
    out.push(bd(i + 1, `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}${d.slice(11, 13)}${d.slice(14, 16)}${d.slice(17, 19)}`));
  }
  return out;
}

const realDay = (day: string) => /^\d{4}-\d{2}-\d{2}$/.test(day) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
const undatedOf = (r: ClickInsights): number | undefined => (r as { undated?: number }).undated;
const dayTotal = (r: ClickInsights): number => r.days.reduce((s, d) => s + d.total, 0);

describe('Click Insights with bad dates (issue 16 case 6)', () => {
  it('BD "all": a click dated 20240230… is undated; the other 529 are on their days, every click counted once', () => {
    const agg = new BdClickAggregator();
    agg.add([...validBdClicks(), bd(530, '20240230120000')]);
    const r = agg.result({});
    assert.equal(r.total, 530);
    assert.equal(r.undated, 1);
    assert.equal(dayTotal(r), 529, 'every valid click is on a day');
    assert.ok(r.days.every((d) => realDay(d.day)), `real days only: ${r.days.slice(0, 3).map((d) => d.day).join(', ')}`);
    assert.equal(r.days[0]!.day, '2025-01-06', 'the days start at the first valid click');
  });

  it('BD "all": a click dated 99991231…, one from 1999 and a time of 25:61 are undated; the bars stay few and end at the last valid click', () => {
    const agg = new BdClickAggregator();
    agg.add([...validBdClicks(), bd(530, '99991231235959'), bd(531, '19991231120000'), bd(532, '20250301256100')]);
    const r = agg.result({});
    assert.equal(r.total, 532);
    assert.equal(r.undated, 3);
    assert.equal(dayTotal(r), 529);
    assert.ok(r.days.length <= 60, `${r.days.length} bars`);
    const lastValid = new Date(Date.UTC(2025, 0, 6) + 528 * 13 * 3_600_000).toISOString().slice(0, 10);
    assert.ok(r.days.at(-1)!.day <= lastValid, `the last bar (${r.days.at(-1)!.day}) starts by the last valid click (${lastValid})`);
    assert.ok(JSON.stringify(r).length < 20_000, `the message is small (${JSON.stringify(r).length} characters)`);
  });

  it('a range of many years has a bounded number of bars, and all its clicks are on them', () => {
    const agg = new BdClickAggregator();
    agg.add([bd(1, '20010315080000'), bd(2, '20250301080000'), bd(3, '20250302080000')]);
    const r = agg.result({ start: '2000-01-01', end: '2026-01-01' });
    assert.ok(r.days.length <= 60, `${r.days.length} bars`);
    assert.equal(dayTotal(r), 3);
  });

  it('Copernica: timestamps that are not real days or out of range are counted as undated, not on a day', () => {
    const agg = new CopernicaClickAggregator();
    agg.add([cop(1, '2025-03-01 10:00:00'), cop(2, '2024-02-30 10:00:00'), cop(3, '9999-12-31 23:59:59'), cop(4, '2025-03-03 08:00:00'), cop(5, 'garbage')]);
    const r = agg.result({});
    assert.equal(r.total, 5);
    assert.equal(undatedOf(r), 3);
    assert.equal(dayTotal(r), 2);
    assert.deepEqual([r.days[0]!.day, r.days.at(-1)!.day], ['2025-03-01', '2025-03-03']);
  });
});

/**
 * A Copernica that serves `clicks` for ms/clicks with its own reading of begintime and endtime
 * ("after which", "before which": inclusive or not), oldest first, all in one page.
 */
function copernicaServer(clicks: readonly ApiRecord[], inclusive: boolean): Pick<SiteApi, 'listPage'> {
  return {
    listPage: async (_resource, request: ListRequest): Promise<ListedPage> => {
      const q = request.query?.kind === 'copernica' ? request.query : undefined;
      const records = clicks.filter((c) => {
        const ts = c['timestamp']!;
        if (q?.begintime && (inclusive ? ts < q.begintime : ts <= q.begintime)) return false;
        if (q?.endtime && (inclusive ? ts > q.endtime : ts >= q.endtime)) return false;
        return true;
      });
      return { records, total: records.length, nextCursor: undefined, paging: 'stable' };
    },
  };
}

describe('Copernica\'s begintime/endtime edge (issue 16 case 6)', () => {
  const clicks = [cop(1, '2025-03-01 00:00:00'), cop(2, '2025-03-01 12:00:00'), cop(3, '2025-03-02 00:00:00'), cop(4, '2025-03-02 23:59:59'), cop(5, '2025-03-03 00:00:00')];
  for (const inclusive of [true, false]) {
    it(`a click at exactly the next day's 00:00:00 is in one day only (a server reading the bounds as ${inclusive ? 'inclusive' : 'exclusive'})`, async () => {
      const api = copernicaServer(clicks, inclusive);
      const first = await fetchClickInsights(api, 'copernica', { start: '2025-03-01', end: '2025-03-02' });
      const second = await fetchClickInsights(api, 'copernica', { start: '2025-03-02', end: '2025-03-03' });
      assert.equal(first.total, 2, '1 March: 00:00:00 and 12:00:00');
      assert.equal(second.total, 2, '2 March: 00:00:00 and 23:59:59');
      assert.deepEqual(second.days.map((d) => [d.day, d.total]), [['2025-03-02', 2]]);
    });
  }
});
