// Copernica GET /v2/ms/clicks: paging, time window, unique, and clicks arriving while a client pages.

import * as assert from 'node:assert/strict';
import { SandboxControl, SandboxControlError } from '../../../sandbox/control';
import { sandboxHttp, type Json } from './http';
import { withSandboxApi } from '../support/sandboxApi';

describe('sandbox Copernica clicks', () => {
  const fx = withSandboxApi('none');
  const { clicks } = sandboxHttp(() => fx.sandbox);
  const idsOf = (page: Json) => (page.data as Json[]).map((c) => c.ID as string);

  it('lists oldest first (by ID, timestamps rising) with start / limit / count / total', async () => {
    const all = await clicks({ limit: '1000' });
    assert.deepEqual([all.start, all.limit, all.count, all.total], [0, 1000, 335, 335]);
    const data = all.data as Json[];
    assert.deepEqual(data.map((c) => Number(c.ID)), Array.from({ length: 335 }, (_, i) => i + 1));
    for (let i = 1; i < data.length; i++) assert.ok((data[i].timestamp as string) >= (data[i - 1].timestamp as string));

    const page = await clicks({ start: '330', limit: '10' });
    assert.deepEqual([page.start, page.limit, page.count, page.total], [330, 10, 5, 335]);
    assert.deepEqual(idsOf(page), ['331', '332', '333', '334', '335']);
    const defaults = await clicks();
    assert.deepEqual([defaults.start, defaults.limit, defaults.count], [0, 100, 100]);
    assert.equal((await clicks({ limit: '5000' })).limit, 1000, 'at most 1000');
    const countOnly = await clicks({ limit: '0' });
    assert.deepEqual([countOnly.count, countOnly.total, (countOnly.data as Json[]).length], [0, 335, 0]);
    const noTotal = await clicks({ limit: '1', total: 'false' });
    assert.equal('total' in noTotal, false);
    assert.deepEqual(Object.keys(await clicks({ limit: '1' })), ['start', 'limit', 'count', 'total', 'data']);
  });

  it('begintime is inclusive, endtime exclusive; fields[] conditions; unique keeps the first click per destination per link', async () => {
    const first = '2014-10-14 11:33:22';
    assert.equal(idsOf(await clicks({ begintime: first, limit: '1' }))[0], '1');
    assert.equal((await clicks({ endtime: first })).total, 0);
    assert.equal((await clicks({ endtime: '2014-10-14 11:33:23' })).total, 1);
    const window = await clicks({ begintime: '2014-11-01 00:00:00', endtime: '2014-12-01', limit: '1000' });
    assert.ok((window.data as Json[]).every((c) => (c.timestamp as string) >= '2014-11-01' && (c.timestamp as string) < '2014-12-01'));
    assert.equal(window.total, fx.sandbox.store.rows('copernica_clicks').filter((c) => (c.timestamp ?? '') >= '2014-11-01' && (c.timestamp ?? '') < '2014-12-01').length);
    assert.equal((await clicks({ 'fields[]': 'timestamp>=2015-01-01 00:00:00' })).total, fx.sandbox.store.rows('copernica_clicks').filter((c) => (c.timestamp ?? '') >= '2015-01-01').length);

    const unique = await clicks({ unique: 'true', limit: '1000' });
    assert.equal(unique.total, 191);
    const firsts = new Map<string, string>();
    for (const c of fx.sandbox.store.rows('copernica_clicks')) if (!firsts.has(`${c.destination}|${c.link}`)) firsts.set(`${c.destination}|${c.link}`, c.ID as string);
    assert.deepEqual(idsOf(unique), [...firsts.values()], 'the lowest ID per destination per link');
  });

  it('addClicks appends clicks made "now" with the next IDs; a frozen endtime keeps total stable while they arrive', async () => {
    fx.sandbox.freezeClock('2026-01-02 03:04:05');
    const endtime = fx.sandbox.clock().now; // the client freezes endtime at its first page
    const firstPage = await clicks({ endtime, limit: '100' });
    assert.equal(firstPage.total, 335);

    const added = fx.sandbox.store.addClicks(3); // same second as endtime: excluded, endtime is exclusive
    assert.deepEqual(added.map((c) => c.ID), ['336', '337', '338']);
    assert.ok(added.every((c) => c.timestamp === '2026-01-02 03:04:05' && c.mailing === '10'));
    fx.sandbox.freezeClock('2026-01-02 03:04:09');
    fx.sandbox.store.addClicks(2);

    assert.equal((await clicks({ endtime, limit: '100' })).total, 335, 'stable');
    assert.equal((await clicks({ limit: '1' })).total, 340, 'the open-ended listing sees them');
    assert.deepEqual(idsOf(await clicks({ start: '335', limit: '10' })), ['336', '337', '338', '339', '340'], 'still oldest first');
  });

  it('newest first: paging backward from total under a frozen endtime shows every click once, while clicks arrive', async () => {
    fx.sandbox.freezeClock('2026-01-02 03:04:05');
    const endtime = fx.sandbox.clock().now;
    const limit = 40;
    const { total } = await clicks({ endtime, limit: '0' });
    const shown: string[] = [];
    for (let end = total as number; end > 0; end -= limit) {
      const start = Math.max(0, end - limit);
      const page = await clicks({ endtime, start: String(start), limit: String(end - start) });
      shown.push(...idsOf(page).reverse());
      fx.sandbox.store.addClicks(2);
    }
    assert.deepEqual(shown, Array.from({ length: 335 }, (_, i) => String(335 - i)));
  });

  it('over HTTP: SandboxControl.addClicks; a bad count is a 400', async () => {
    const control = new SandboxControl(fx.sandbox.url);
    await control.freezeClock('2026-05-06 07:08:09');
    const added = await control.addClicks(2);
    assert.deepEqual(added.map((c) => [c.ID, c.timestamp]), [['336', '2026-05-06 07:08:09'], ['337', '2026-05-06 07:08:09']]);
    assert.deepEqual(Object.keys(added[0]), ['ID', 'mailing', 'link', 'timestamp', 'ip', 'useragent', 'destination', 'profile', 'subprofile']);
    for (const bad of [0, -1, 1.5]) {
      await assert.rejects(control.addClicks(bad), (e: unknown) => e instanceof SandboxControlError && e.status === 400);
    }
    // Deterministic per ID: after a reset the same IDs get the same clicks.
    await control.reset();
    await control.freezeClock('2026-05-06 07:08:09');
    assert.deepEqual(await control.addClicks(2), added);
  });
});
