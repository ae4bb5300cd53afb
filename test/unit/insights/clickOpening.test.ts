// Issue 17 item 2: Click Insights opens where the clicks are, and long ranges read. The bars
// (days, or weeks, months… when days would be too many), the range a panel opens on, the newest
// click found against the sandbox with its request cost, and which axis labels are drawn.

import { strict as assert } from 'node:assert';
import { BdClickAggregator } from '../../../src/insights/clickAggregates';
import { barSpans, barStart, chooseUnit, MAX_BARS } from '../../../src/insights/clickBuckets';
import { findNewestClick } from '../../../src/insights/clickFetch';
import { addDays, boundsHold, dayBounds, openingRange } from '../../../src/insights/clickRange';
import { labelledBars, labelStride, LABEL_GAP } from '../../../src/insights/chartAxis';
import type { SiteApi } from '../../../src/sites/siteApi';
import { apiRequests } from '../support/sandboxHelpers';
import { withSandboxApi } from '../support/sandboxApi';

/** The test's own day count, in epoch ms. */
const daysFrom = (first: string, last: string) => (Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000 + 1;

describe('Click Insights bars: days, or weeks, months, quarters, years when days are too many', () => {
  it('days up to 60, then weeks, months, quarters, years: never more than 60 bars', () => {
    assert.equal(chooseUnit('2025-03-01', '2025-03-31'), 'day');
    assert.equal(chooseUnit('2025-01-01', addDays('2025-01-01', 59)!), 'day', '60 days');
    assert.equal(chooseUnit('2025-01-01', addDays('2025-01-01', 60)!), 'week', '61 days');
    assert.equal(chooseUnit('2025-01-06', '2025-10-02'), 'week', "the demo's ~270 days");
    assert.equal(chooseUnit('2020-01-01', '2024-12-31'), 'month');
    assert.equal(chooseUnit('2015-01-01', '2026-12-08'), 'quarter');
    assert.equal(chooseUnit('2000-01-01', '2026-12-08'), 'year', 'every day a click may be on');
    for (const [first, last] of [['2025-01-01', '2025-03-02'], ['2024-12-30', '2026-02-01'], ['2001-05-05', '2026-12-08'], ['2000-01-01', '2026-12-08'], ['2025-02-28', '2025-02-28']] as const) {
      const unit = chooseUnit(first, last);
      const spans = barSpans(first, last, unit);
      assert.ok(spans.length <= MAX_BARS, `${first}..${last}: ${spans.length} ${unit} bars`);
      // The bars cover every day once, in order, from the first day to the last.
      assert.equal(spans[0]!.start, first);
      assert.equal(spans.at(-1)!.end, addDays(last, 1));
      for (let i = 1; i < spans.length; i++) assert.equal(spans[i]!.start, spans[i - 1]!.end);
      assert.equal(spans.reduce((s, b) => s + daysFrom(b.start, addDays(b.end, -1)!), 0), daysFrom(first, last));
    }
  });

  it('weeks start on Monday (UTC), months on the 1st, quarters in Jan/Apr/Jul/Oct; the first and last bar are cut to the range', () => {
    assert.equal(barStart('2025-03-05', 'week'), '2025-03-03', 'a Wednesday: the Monday before');
    assert.equal(barStart('2025-03-03', 'week'), '2025-03-03');
    assert.equal(barStart('2025-03-09', 'week'), '2025-03-03', 'a Sunday ends the week');
    assert.equal(barStart('2025-01-01', 'week'), '2024-12-30', 'across a year');
    assert.equal(barStart('2024-02-29', 'month'), '2024-02-01');
    assert.equal(barStart('2025-08-17', 'quarter'), '2025-07-01');
    assert.equal(barStart('2025-08-17', 'year'), '2025-01-01');
    assert.deepEqual(barSpans('2025-03-05', '2025-03-18', 'week'), [
      { start: '2025-03-05', end: '2025-03-10' },
      { start: '2025-03-10', end: '2025-03-17' },
      { start: '2025-03-17', end: '2025-03-19' },
    ]);
    assert.deepEqual(barSpans('2024-01-31', '2024-03-01', 'month').map((b) => [b.start, b.end]), [['2024-01-31', '2024-02-01'], ['2024-02-01', '2024-03-01'], ['2024-03-01', '2024-03-02']]);
  });

  it('a week bar counts its clicks and its distinct visitors over the week (one visitor on two days is one)', () => {
    const agg = new BdClickAggregator(new Date(Date.UTC(2025, 11, 1)));
    const click = (id: number, date: string, visitor: string) => ({ click_id: String(id), user_id: '1', click_type: 'link', click_from: 'p', visitor_token: visitor, date_clicked: date });
    agg.add([click(1, '20250303080000', 'a'), click(2, '20250304080000', 'a'), click(3, '20250309235959', 'b'), click(4, '20250310000000', 'a'), click(5, '20250601000000', 'c')]);
    const r = agg.result({});
    assert.equal(r.unit, 'week');
    assert.deepEqual(r.days.slice(0, 2), [
      { day: '2025-03-03', end: '2025-03-10', total: 3, unique: 2 },
      { day: '2025-03-10', end: '2025-03-17', total: 1, unique: 1 },
    ]);
    assert.equal(r.days.reduce((s, d) => s + d.total, 0), 5);
  });
});

describe('Click Insights opening range', () => {
  const now = new Date(Date.UTC(2026, 11, 7, 15, 0, 0));

  it('opens on the preset that holds the newest click, else the 30 days ending on it; last 30 days when there is none', () => {
    assert.deepEqual(openingRange('2026-12-07', now), { preset: 'last30' });
    assert.deepEqual(openingRange('2026-11-08', now), { preset: 'last30' }, 'the first day of the last 30');
    assert.deepEqual(openingRange('2026-11-07', now), { preset: 'last90' });
    assert.deepEqual(openingRange('2025-10-02', now), { preset: 'custom', from: '2025-09-03', to: '2025-10-02' }, "the demo's clicks end in October 2025");
    assert.deepEqual(openingRange(undefined, now), { preset: 'last30' });
    for (const newest of ['2026-12-08', '2026-12-01', '2026-09-09', '2026-09-08', '2020-02-29', '2000-01-01']) {
      const bounds = dayBounds(openingRange(newest, now), now);
      assert.ok(boundsHold(bounds, newest), `${newest}: ${JSON.stringify(bounds)} holds it`);
    }
  });
});

describe('Click Insights: the newest click against the sandbox, and what it costs', function () {
  this.timeout(30_000);
  const fx = withSandboxApi('brilliantDirectories');
  let copernica: SiteApi;
  const now = new Date();

  before(() => {
    copernica = fx.make('copernica');
  });

  /** The test's own newest valid day of the raw records. */
  function newestOf(model: 'users_clicks' | 'copernica_clicks', field: string): string {
    const days = fx.sandbox.store.rows(model).map((r) => r[field] ?? '').map((v) => (model === 'users_clicks' ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}` : v.slice(0, 10)));
    return days.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && d >= '2000-01-01').sort().at(-1)!;
  }

  it('BD: one request, a page of 1 by date_clicked descending', async () => {
    const expected = newestOf('users_clicks', 'date_clicked');
    assert.deepEqual(await findNewestClick(fx.api, 'bd', now), { day: expected, requests: 1 });
    const sent = apiRequests(fx.sandbox, 'users_clicks/get');
    assert.equal(sent.length, 1);
    assert.deepEqual([sent[0]!.query['order_column'], sent[0]!.query['order_type'], sent[0]!.query['limit']], ['date_clicked', 'DESC', '1']);
  });

  it('BD: a click dated 99991231… is passed over for free; one dated 20991231 too; one dated 20250230… costs one more request', async () => {
    const expected = newestOf('users_clicks', 'date_clicked');
    fx.sandbox.store.createRecord('users_clicks', { user_id: '1', click_type: 'link', click_name: 'x', click_from: 'p', click_url: 'https://e.invalid', date_clicked: '99991231235959' });
    fx.sandbox.store.createRecord('users_clicks', { user_id: '1', click_type: 'link', click_name: 'x', click_from: 'p', click_url: 'https://e.invalid', date_clicked: '20991231120000' });
    assert.deepEqual(await findNewestClick(fx.api, 'bd', now), { day: expected, requests: 1 });
    fx.sandbox.store.createRecord('users_clicks', { user_id: '1', click_type: 'link', click_name: 'x', click_from: 'p', click_url: 'https://e.invalid', date_clicked: `${expected.slice(0, 4)}${expected.slice(5, 7)}32120000` });
    fx.sandbox.clearRequests();
    assert.deepEqual(await findNewestClick(fx.api, 'bd', now), { day: expected, requests: 2 });
    assert.equal(apiRequests(fx.sandbox, 'users_clicks/get').length, 2);
  });

  it('Copernica: two requests (the count, then the last click); none at all is one', async () => {
    const expected = newestOf('copernica_clicks', 'timestamp');
    assert.deepEqual(await findNewestClick(copernica, 'copernica', now), { day: expected, requests: 2 });
    assert.equal(apiRequests(fx.sandbox, 'ms/clicks').length, 2);
    fx.sandbox.clearRequests();
    assert.deepEqual(await findNewestClick(copernica, 'copernica', new Date(Date.UTC(1999, 0, 1))), { day: undefined, requests: 1 }, 'a clock in 1999: no click may be on a day');
  });

  it('BD: no clicks at all is one request and no day', async () => {
    for (const r of fx.sandbox.store.rows('users_clicks')) r['date_clicked'] = null;
    assert.deepEqual(await findNewestClick(fx.api, 'bd', now), { day: undefined, requests: 1 });
  });
});

describe('Click Insights axis labels', () => {
  it('every k-th bar is labelled, k the least that keeps a gap between labels, whatever the bars and widths', () => {
    assert.equal(labelStride(20, 30), 2);
    assert.equal(labelStride(40, 30), 1);
    assert.equal(labelStride(7, 32.5), 6);
    assert.deepEqual(labelledBars(10, 3), [0, 3, 6, 9]);
    for (const step of [3, 4.5, 7, 12.7, 19, 40]) {
      for (const width of [13, 26, 32.5, 45.5]) {
        const k = labelStride(step, width);
        const centres = labelledBars(60, k).map((i) => i * step + step / 2);
        for (let i = 1; i < centres.length; i++) assert.ok(centres[i - 1]! + width / 2 + LABEL_GAP <= centres[i]! - width / 2 + 1e-9, `step ${step}, width ${width}: labels ${i - 1} and ${i} overlap`);
        if (k > 1) assert.ok((k - 1) * step < width + LABEL_GAP, `step ${step}, width ${width}: ${k} is the least stride`);
      }
    }
  });
});
