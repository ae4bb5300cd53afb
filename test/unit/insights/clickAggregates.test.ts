// Click Insights aggregation on fixed inputs: days in UTC, unique visitors (BD), Copernica's
// "one click per destination per link", rankings, and the ranges as whole UTC days.

import { strict as assert } from 'node:assert';
import { BdClickAggregator, CopernicaClickAggregator } from '../../../src/insights/clickAggregates';
import { bdRangeFilters, copernicaRange, dayBounds } from '../../../src/insights/clickRange';

const bd = (id: number, date: string | null, visitor: string, user: string, type = 'link', from = 'profile_page') => ({
  click_id: String(id), user_id: user, click_type: type, click_from: from, visitor_token: visitor, date_clicked: date,
});
const cop = (id: number, timestamp: string, destination: string, link: string, mailing = '2') => ({ ID: String(id), timestamp, destination, link, mailing });

describe('Click Insights aggregation (fixed inputs)', () => {
  it('BD: a day is a UTC day of the stored 14 digits; unique is distinct visitor_token per day; undated and repeated clicks', () => {
    const agg = new BdClickAggregator();
    agg.add([
      bd(1, '20250301235959', 'v1', '42'),
      bd(2, '20250302000000', 'v1', '42', 'phone'),
      bd(3, '20250302000001', 'v2', '7', 'email', 'search_results'),
      bd(4, '20250302120000', 'v1', '42'),
      bd(5, null, 'v3', '7'),
      bd(6, '00000000000000', 'v3', '9'),
    ]);
    agg.add([bd(4, '20250302120000', 'v1', '42')]); // a page that repeats a click
    const r = agg.result(dayBounds({ preset: 'custom', from: '2025-02-28', to: '2025-03-03' }, new Date())!);
    assert.equal(r.total, 6);
    assert.equal(r.undated, 2);
    assert.equal(r.uniqueVisitors, 3);
    assert.deepEqual(r.days, [
      { day: '2025-02-28', end: '2025-03-01', total: 0, unique: 0 },
      { day: '2025-03-01', end: '2025-03-02', total: 1, unique: 1 },
      { day: '2025-03-02', end: '2025-03-03', total: 3, unique: 2 },
      { day: '2025-03-03', end: '2025-03-04', total: 0, unique: 0 },
    ]);
    assert.deepEqual(r.members, [{ key: '42', total: 3, unique: 1 }, { key: '7', total: 2, unique: 2 }, { key: '9', total: 1, unique: 1 }]);
    assert.deepEqual(r.types.map((t) => [t.key, t.total, t.unique]), [['link', 4, 2], ['email', 1, 1], ['phone', 1, 1]], 'most first, ties by name');
    assert.deepEqual(r.froms.map((t) => [t.key, t.total, t.unique]), [['profile_page', 5, 2], ['search_results', 1, 1]]);
  });

  it('BD "all": the days run from the first to the last click, gaps as zeros', () => {
    const agg = new BdClickAggregator();
    agg.add([bd(1, '20250110080000', 'a', '1'), bd(2, '20250107080000', 'b', '1')]);
    const r = agg.result({});
    assert.deepEqual(r.days.map((d) => `${d.day}:${d.total}`), ['2025-01-07:1', '2025-01-08:0', '2025-01-09:0', '2025-01-10:1']);
  });

  it('Copernica: the first click (lowest ID) of each destination on each link is unique, on its own day, whatever the arrival order', () => {
    const agg = new CopernicaClickAggregator();
    agg.add([cop(5, '2014-11-02 00:00:00', 'd1', 'L1'), cop(9, '2014-11-02 10:00:00', 'd2', 'L1', '3')]);
    agg.add([cop(2, '2014-11-01 23:59:59', 'd1', 'L1'), cop(3, '2014-11-01 23:59:59', 'd1', 'L2'), cop(7, '2014-11-02 08:00:00', 'd1', 'L2')]);
    const r = agg.result({ start: '2014-11-01', end: '2014-11-03' });
    assert.equal(r.total, 5);
    assert.equal(r.unique, 3, 'd1·L1, d1·L2, d2·L1');
    assert.deepEqual(r.days, [
      { day: '2014-11-01', end: '2014-11-02', total: 2, unique: 2 },
      { day: '2014-11-02', end: '2014-11-03', total: 3, unique: 1 },
    ]);
    assert.deepEqual(r.links, [{ key: 'L1', total: 3, unique: 2 }, { key: 'L2', total: 2, unique: 1 }]);
    assert.deepEqual(r.mailings, [{ key: '2', total: 4, unique: 2 }, { key: '3', total: 1, unique: 1 }]);
    assert.equal(r.days.reduce((s, d) => s + d.unique, 0), r.unique);
  });

  it('ranges are whole UTC days: the last N days end today (UTC) whatever the local zone', () => {
    const late = new Date(Date.UTC(2025, 2, 1, 23, 59, 59));
    const early = new Date(Date.UTC(2025, 2, 2, 0, 0, 0));
    assert.deepEqual(dayBounds({ preset: 'last7' }, late), { start: '2025-02-23', end: '2025-03-02' });
    assert.deepEqual(dayBounds({ preset: 'last7' }, early), { start: '2025-02-24', end: '2025-03-03' });
    assert.deepEqual(dayBounds({ preset: 'last30' }, late), { start: '2025-01-31', end: '2025-03-02' });
    assert.deepEqual(dayBounds({ preset: 'all' }, late), {});
    assert.deepEqual(dayBounds({ preset: 'custom', from: '2024-12-31', to: '2025-01-01' }, late), { start: '2024-12-31', end: '2025-01-02' });
    assert.equal(dayBounds({ preset: 'custom', from: '2025-02-30', to: '2025-03-01' }, late), undefined, 'not a real day');
    assert.equal(dayBounds({ preset: 'custom', from: '2025-03-02', to: '2025-03-01' }, late), undefined, 'backwards');
    assert.equal(dayBounds({ preset: 'custom' }, late), undefined);
  });

  it('the range goes to BD as 14-digit gte/lt on date_clicked and to Copernica as begintime/endtime', () => {
    const bounds = { start: '2025-02-23', end: '2025-03-02' };
    assert.deepEqual(bdRangeFilters(bounds), [
      { field: 'date_clicked', operator: 'gte', value: '20250223000000' },
      { field: 'date_clicked', operator: 'lt', value: '20250302000000' },
    ]);
    assert.deepEqual(copernicaRange(bounds), { begintime: '2025-02-23 00:00:00', endtime: '2025-03-02 00:00:00' });
    assert.deepEqual(bdRangeFilters({}), []);
    assert.deepEqual(copernicaRange({}), {});
  });
});
