// Click Insights over the sandbox's clicks, through the real paced SiteApi: the numbers equal
// counts this test makes itself from the raw records (its own date arithmetic, in epoch ms),
// the range reaches the server in the forms that compare right, the requests are ⌈N / page⌉,
// and a large range asks first and can be cancelled. Run again under TZ=Pacific/Auckland below.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { StoredRecord } from '../../../sandbox/server';
import { CopernicaClient } from '../../../src/api/copernicaClient';
import { USERS_CLICKS } from '../../../src/api/resources';
import type { BdClickInsights, CopernicaClickInsights } from '../../../src/insights/clickAggregates';
import { fetchClickInsights, type FetchEstimate } from '../../../src/insights/clickFetch';
import { dayBounds } from '../../../src/insights/clickRange';
import type { SiteApi } from '../../../src/sites/siteApi';
import { apiRequests } from '../support/sandboxHelpers';
import { withSandboxApi } from '../support/sandboxApi';

const DAY = 86_400_000;

/** The test's own reading of a BD 14-digit date: epoch ms, UTC. */
function bdMs(v: string | null): number | undefined {
  if (!v || !/^\d{14}$/.test(v) || v.startsWith('0000')) return undefined;
  const n = (a: number, b: number) => Number(v.slice(a, b));
  return Date.UTC(n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12), n(12, 14));
}

/** And of a Copernica timestamp. */
function copMs(v: string | null): number {
  const [d, t] = (v ?? '').split(' ');
  const [y, m, day] = d!.split('-').map(Number);
  const [h, mi, s] = t!.split(':').map(Number);
  return Date.UTC(y!, m! - 1, day!, h!, mi!, s!);
}

/** Per UTC day index since the epoch: the clicks, and the distinct values of `unique`. */
function perDay(rows: readonly StoredRecord[], at: (r: StoredRecord) => number | undefined, from: number, to: number, unique: (r: StoredRecord) => string): Map<string, { total: number; unique: Set<string> }> {
  const out = new Map<string, { total: number; unique: Set<string> }>();
  for (const r of rows) {
    const ms = at(r);
    if (ms === undefined || ms < from || ms >= to) continue;
    const dayStart = ms - (ms % DAY);
    const key = new Date(dayStart).toISOString().slice(0, 10);
    const entry = out.get(key) ?? { total: 0, unique: new Set<string>() };
    entry.total++;
    entry.unique.add(unique(r));
    out.set(key, entry);
  }
  return out;
}

describe('Click Insights against the sandbox (independent counts)', function () {
  this.timeout(60_000);
  const fx = withSandboxApi('brilliantDirectories');
  let copernica: SiteApi;

  before(() => {
    copernica = fx.make('copernica');
  });

  it('BD: clicks per UTC day and unique visitors match the raw records, with clicks one second either side of the range edges', async () => {
    // Edges: the range is 1–31 March 2025 (UTC). Clicks at 23:59:59 before it and 00:00:00 after it stay out; the first and last seconds count.
    const edge = (date: string, visitor: string) => fx.sandbox.store.createRecord('users_clicks', { date_clicked: date, visitor_token: visitor, user_id: '42', click_type: 'phone', click_from: 'profile_page' });
    edge('20250228235959', 'edge-a');
    edge('20250301000000', 'edge-b');
    edge('20250301000000', 'edge-b');
    edge('20250331235959', 'edge-c');
    edge('20250401000000', 'edge-d');
    const r = (await fetchClickInsights(fx.api, 'bd', dayBounds({ preset: 'custom', from: '2025-03-01', to: '2025-03-31' }, new Date())!)) as BdClickInsights;

    const from = Date.UTC(2025, 2, 1);
    const to = Date.UTC(2025, 3, 1);
    const rows = fx.sandbox.store.rows('users_clicks');
    const inRange = rows.filter((x) => { const ms = bdMs(x.date_clicked); return ms !== undefined && ms >= from && ms < to; });
    const expected = perDay(rows, (x) => bdMs(x.date_clicked), from, to, (x) => x.visitor_token ?? '');
    assert.ok(inRange.length > 30, `${inRange.length} clicks in March`);
    assert.equal(r.total, inRange.length);
    assert.equal(r.days.length, 31);
    for (const d of r.days) {
      const e = expected.get(d.day);
      assert.deepEqual([d.day, d.total, d.unique], [d.day, e?.total ?? 0, e?.unique.size ?? 0]);
    }
    assert.deepEqual([r.days[0]!.total, r.days[0]!.unique], [expected.get('2025-03-01')!.total, expected.get('2025-03-01')!.unique.size]);
    assert.ok(r.days.some((d) => d.unique < d.total), 'repeat visitors on some day');
    assert.equal(r.uniqueVisitors, new Set(inRange.map((x) => x.visitor_token)).size);
    const byMember = new Map<string, number>();
    for (const x of inRange) byMember.set(x.user_id!, (byMember.get(x.user_id!) ?? 0) + 1);
    const top = [...byMember].sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]))[0]!;
    assert.deepEqual([r.members[0]!.key, r.members[0]!.total], top);
    assert.equal(r.types.reduce((s, t) => s + t.total, 0), inRange.length);
    assert.equal(r.froms.reduce((s, t) => s + t.total, 0), inRange.length);

    const requests = apiRequests(fx.sandbox, 'users_clicks/get');
    assert.equal(requests.length, Math.ceil(inRange.length / 100));
    for (const q of requests.map((x) => x.query)) {
      assert.deepEqual((q['property[]'] as string[]).slice(0, 2), ['date_clicked', 'date_clicked']);
      assert.deepEqual((q['property_operator[]'] as string[]).slice(0, 2), ['gte', 'lt']);
      assert.deepEqual((q['property_value[]'] as string[]).slice(0, 2), ['20250301000000', '20250401000000']);
    }
  });

  it('BD: the sandbox answers an ISO date as live BD does, wrong rows with success; the 14-digit form and the calendar operators count right', async () => {
    const marchByMs = fx.sandbox.store.rows('users_clicks').filter((x) => { const ms = bdMs(x.date_clicked); return ms !== undefined && ms >= Date.UTC(2025, 2, 1) && ms < Date.UTC(2025, 3, 1); }).length;
    const count = async (filters: { field: string; operator: 'gte' | 'lt' | 'year_eq' | 'month_eq'; value: string }[]) => (await fx.api.listPage(USERS_CLICKS, { pageSize: 1, query: { kind: 'bd', filters } })).total;
    assert.equal(await count([{ field: 'date_clicked', operator: 'gte', value: '20250301000000' }, { field: 'date_clicked', operator: 'lt', value: '20250401000000' }]), marchByMs);
    assert.equal(await count([{ field: 'date_clicked', operator: 'year_eq', value: '2025' }, { field: 'date_clicked', operator: 'month_eq', value: '3' }]), marchByMs);
    const iso = await count([{ field: 'date_clicked', operator: 'gte', value: '2025-03-01' }, { field: 'date_clicked', operator: 'lt', value: '2025-04-01' }]);
    assert.notEqual(iso, marchByMs, 'an ISO value string-compares against 14 digits');
    assert.equal(apiRequests(fx.sandbox, 'users_clicks/get').every((x) => x.status === 200), true, 'and still answers success');
  });

  it('Copernica: per day, links and mailings match the raw records; the days\' unique clicks add up to the API\'s own unique=true total', async () => {
    const from = Date.UTC(2014, 10, 1);
    const to = Date.UTC(2014, 11, 1);
    const r = (await fetchClickInsights(copernica, 'copernica', dayBounds({ preset: 'custom', from: '2014-11-01', to: '2014-11-30' }, new Date())!)) as CopernicaClickInsights;
    const rows = fx.sandbox.store.rows('copernica_clicks');
    const inRange = rows.filter((x) => copMs(x.timestamp) >= from && copMs(x.timestamp) < to);
    const expected = perDay(rows, (x) => copMs(x.timestamp), from, to, (x) => x.ID!);
    assert.equal(r.total, inRange.length);
    assert.equal(r.days.length, 30);
    for (const d of r.days) assert.equal(d.total, expected.get(d.day)?.total ?? 0, d.day);

    assert.equal(apiRequests(fx.sandbox, 'ms/clicks').length, 1, `${inRange.length} clicks: one page of 1,000`);
    const client = new CopernicaClient({ baseUrl: fx.sandbox.url, token: fx.sandbox.copernicaToken, rateLimit: null });
    try {
      const own = await client.listClicks({ begintime: '2014-11-01 00:00:00', endtime: '2014-12-01 00:00:00', unique: true, limit: 1 });
      assert.equal(r.unique, own.total);
      assert.equal(r.days.reduce((s, d) => s + d.unique, 0), own.total);
      assert.ok(r.unique < r.total, 'repeat clicks in the range');
    } finally {
      await client.dispose();
    }
    const linkClicks = new Map<string, Set<string>>();
    for (const x of inRange) linkClicks.set(x.link!, (linkClicks.get(x.link!) ?? new Set()).add(x.destination!));
    for (const link of r.links) assert.equal(link.unique, linkClicks.get(link.key)!.size, link.key);
    assert.equal(r.mailings.reduce((s, m) => s + m.total, 0), inRange.length);
  });

  it('requests are ⌈N / page size⌉: 100 a page on BD, 1,000 on Copernica', async () => {
    fx.sandbox.store.seedClicks({ users_clicks: 1234, copernica_clicks: 2500 });
    const b = await fetchClickInsights(fx.api, 'bd', {});
    assert.equal(b.total, 1234);
    assert.equal(apiRequests(fx.sandbox, 'users_clicks/get').length, 13);
    const c = await fetchClickInsights(copernica, 'copernica', {});
    assert.equal(c.total, 2500);
    assert.equal(apiRequests(fx.sandbox, 'ms/clicks').length, 3);
  });

  it('a range needing more than one window of requests asks first, with the estimate; no stops after the first page', async () => {
    fx.sandbox.store.seedClicks({ users_clicks: 2000 });
    const asked: FetchEstimate[] = [];
    const rateLimit = { requests: 5, windowMs: 60_000 };
    await assert.rejects(
      fetchClickInsights(fx.api, 'bd', {}, { rateLimit, confirm: async (e) => (asked.push(e), false) }),
      (e: Error & { kind?: string }) => e.kind === 'cancelled',
    );
    assert.deepEqual(asked, [{ total: 2000, requests: 19, ms: Math.floor(19 / 5) * 60_000, rateLimit }]);
    assert.equal(apiRequests(fx.sandbox, 'users_clicks/get').length, 1);
    fx.sandbox.clearRequests();
    const r = await fetchClickInsights(fx.api, 'bd', {}, { rateLimit: { requests: 100, windowMs: 60_000 }, confirm: async () => assert.fail('20 requests fit one window') });
    assert.equal(r.total, 2000);
  });

  it('Cancel (AbortSignal) stops between pages', async () => {
    fx.sandbox.store.seedClicks({ users_clicks: 1000 });
    const abort = new AbortController();
    await assert.rejects(fetchClickInsights(fx.api, 'bd', {}, { signal: abort.signal, onProgress: (p) => p.requests === 3 && abort.abort() }));
    assert.equal(apiRequests(fx.sandbox, 'users_clicks/get').length, 3);
  });

  // The same tests in a zone far from UTC (and across its date line): a child mocha with TZ set.
  if (process.env['DIRECTORY_RECORDS_TZ_CHILD'] !== '1') {
    it('passes with TZ=Pacific/Auckland and TZ=America/Los_Angeles too', function () {
      this.timeout(120_000);
      const mocha = require.resolve('mocha/bin/mocha.js');
      const files = ['clickInsightsSandbox', 'clickAggregates', 'clickDates', 'clickOpening'].map((name) => path.join(__dirname, `${name}.test.js`));
      for (const tz of ['Pacific/Auckland', 'America/Los_Angeles']) {
        const run = spawnSync(process.execPath, [mocha, '--no-config', '--timeout', '60000', ...files], { env: { ...process.env, TZ: tz, DIRECTORY_RECORDS_TZ_CHILD: '1' }, encoding: 'utf8' });
        assert.equal(run.status, 0, `TZ=${tz}:\n${run.stdout}\n${run.stderr}`);
        assert.match(run.stdout, /\d+ passing/);
        assert.doesNotMatch(run.stdout, /failing|pending/);
      }
    });
  }
});
