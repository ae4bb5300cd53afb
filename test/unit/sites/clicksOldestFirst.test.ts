import { strict as assert } from 'node:assert';
import { COPERNICA_CLICKS } from '../../../src/api/resources';
import type { ResourceQuery } from '../../../src/sites/siteApi';
import { withSandboxApi } from '../support/sandboxApi';

/** Copernica has no sort parameter: oldest first is its own order (by ID), under an endtime frozen at the first page. */
describe('Copernica clicks oldest first (siteApi against the sandbox)', function () {
  this.timeout(30_000);
  const fx = withSandboxApi('copernica');

  async function all(query: ResourceQuery, between?: () => void, expectedTotal = fx.sandbox.store.count('copernica_clicks')): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    let first = true;
    do {
      const page = await fx.api.listPage(COPERNICA_CLICKS, { pageSize: 100, cursor, query });
      if (first) assert.equal(page.total, expectedTotal, 'the first page counts');
      else assert.equal(page.total, undefined, 'and only the first');
      first = false;
      assert.equal(page.paging, 'stable');
      ids.push(...page.records.map((r) => r['ID']!));
      cursor = page.nextCursor;
      between?.();
    } while (cursor !== undefined);
    return ids;
  }

  it('lists every click counted at the first page once, oldest first; clicks arriving meanwhile neither repeat nor shift any', async () => {
    const count = fx.sandbox.store.count('copernica_clicks');
    const ids = await all({ kind: 'copernica', oldestFirst: true }, () => fx.sandbox.store.addClicks(7));
    assert.equal(ids.length, count);
    assert.deepEqual(ids.map(Number), [...ids.map(Number)].sort((a, b) => a - b));
    assert.equal(new Set(ids).size, ids.length);
    const starts = fx.sandbox.requests().map((r) => r.query['start']);
    assert.deepEqual(starts.slice(0, 4), ['0', '100', '200', '300']);
    assert.equal(fx.sandbox.requests()[1]!.query['total'], 'false', 'one count, on the first page');
  });

  it('keeps the filter on every page', async () => {
    const ids = await all({ kind: 'copernica', oldestFirst: true, unique: true, begintime: '2000-01-01 00:00:00' }, undefined, 191);
    assert.equal(ids.length, 191);
    assert.ok(fx.sandbox.requests().every((r) => r.query['unique'] === 'true' && r.query['begintime'] === '2000-01-01 00:00:00'));
  });
});
