import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { InsightsOutcome } from '../../src/insights/clickInsightsPanel';
import { dayBounds } from '../../src/insights/clickRange';
import { apiRequests, clearSites, closeAllEditors, control, sandboxInfo, sandboxSite, useFreshSandbox, useSites } from './support/world';

// (Named to run after devSecrets.test.ts, which needs the sites configured before any test clears them.)
// Issue 12: Show Click Insights opens one webview panel per site and click resource; the numbers
// are kept per site and range (a second show sends nothing) until Refresh reads the site again.

const BD = 'Insights BD';
const COPERNICA = 'Insights Copernica';
const MARCH = { preset: 'custom', from: '2025-03-01', to: '2025-03-31' } as const;

function insightsTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('directoryRecords.clickInsights'));
}

/** The sandbox's clicks of March 2025 (UTC), counted here from the raw records. */
async function marchClicks(): Promise<number> {
  let count = 0;
  const from = Date.UTC(2025, 2, 1);
  const to = Date.UTC(2025, 3, 1);
  for (let id = 1; id <= 420; id++) {
    const v = (await control().getRecord('users_clicks', id))?.['date_clicked'];
    if (!v) continue;
    const ms = Date.UTC(Number(v.slice(0, 4)), Number(v.slice(4, 6)) - 1, Number(v.slice(6, 8)), Number(v.slice(8, 10)), Number(v.slice(10, 12)), Number(v.slice(12, 14)));
    if (ms >= from && ms < to) count++;
  }
  return count;
}

/** The UTC day of the newest click among the sandbox's raw records, counted here. */
async function newestDay(model: 'users_clicks' | 'copernica_clicks', count: number, field: string): Promise<string> {
  let newest = '';
  for (let id = 1; id <= count; id++) {
    const v = (await control().getRecord(model, id))?.[field] ?? '';
    const day = model === 'users_clicks' ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}` : v.slice(0, 10);
    if (v && day > newest) newest = day;
  }
  return newest;
}

describe('Click Insights (in-host)', function () {
  this.timeout(60_000);

  before(async () => {
    await useFreshSandbox([
      sandboxSite(BD, 'brilliantDirectories'),
      sandboxSite(COPERNICA, 'copernica'),
    ]);
  });

  afterEach(closeAllEditors);
  after(clearSites);

  it('opens a panel per site and resource; the numbers are kept per range until Refresh', async () => {
    const expected = await marchClicks();
    await control().clearRequests();
    const first = await vscode.commands.executeCommand<InsightsOutcome>('directoryRecords.showClickInsights', { site: BD, model: 'users_clicks' }, MARCH);
    assert.equal(first.status, 'ready');
    assert.equal(first.total, expected);
    assert.equal(first.fromCache, false);
    const reads = (await apiRequests()).filter((r) => r.path === '/api/v2/users_clicks/get');
    assert.equal(reads.length, Math.ceil(expected / 100));
    assert.deepEqual(reads[0]!.query['property_value[]'], ['20250301000000', '20250401000000']);
    assert.equal(insightsTabs().length, 1);
    assert.equal(insightsTabs()[0]!.label, `Click Insights: ${BD} · Users Clicks`);

    await control().clearRequests();
    const again = await vscode.commands.executeCommand<InsightsOutcome>('directoryRecords.showClickInsights', { site: BD, model: 'users_clicks' }, MARCH);
    assert.deepEqual([again.status, again.total, again.fromCache], ['ready', expected, true]);
    assert.equal((await apiRequests()).filter((r) => r.path === '/api/v2/users_clicks/get').length, 0, 'kept: nothing sent');
    assert.equal(insightsTabs().length, 1, 'the same panel, revealed');

    await control().clearRequests();
    const refreshed = await vscode.commands.executeCommand<InsightsOutcome>('directoryRecords.showClickInsights', { site: BD, model: 'users_clicks' }, MARCH, { refresh: true });
    assert.deepEqual([refreshed.status, refreshed.total, refreshed.fromCache], ['ready', expected, false]);
    assert.equal((await apiRequests()).filter((r) => r.path === '/api/v2/users_clicks/get').length, Math.ceil(expected / 100));

    const copernica = await vscode.commands.executeCommand<InsightsOutcome>('directoryRecords.showClickInsights', { site: COPERNICA, model: 'ms_clicks' }, { preset: 'all' });
    assert.deepEqual([copernica.status, copernica.total], ['ready', 335]);
    assert.equal(copernica.unique, 191, "Copernica's own unique=true total of the seed");
    assert.equal(insightsTabs().length, 2, 'one panel per site and resource');
  });

  it('opens, when no range is asked for, on the range that holds the newest click: one request to find it on BD, two on Copernica (issue 17)', async () => {
    for (const [site, model, raw, count, field, probePath] of [
      [BD, 'users_clicks', 'users_clicks', 420, 'date_clicked', '/api/v2/users_clicks/get'],
      [COPERNICA, 'ms_clicks', 'copernica_clicks', 335, 'timestamp', '/v2/ms/clicks'],
    ] as const) {
      const newest = await newestDay(raw, count, field);
      await control().clearRequests();
      const opened = await vscode.commands.executeCommand<InsightsOutcome>('directoryRecords.showClickInsights', { site, model });
      assert.equal(opened.status, 'ready', site);
      const bounds = dayBounds(opened.range, new Date());
      assert.ok(bounds?.start !== undefined && bounds.end !== undefined && bounds.start <= newest && newest < bounds.end, `${site}: ${JSON.stringify(opened.range)} holds the newest click, ${newest}`);
      assert.ok((opened.total ?? 0) > 0, `${site}: ${opened.total} clicks shown`);
      assert.equal((opened as { newest?: string }).newest, newest, `${site}: the newest click's day is said`);
      const sent = (await apiRequests()).filter((r) => r.path === probePath);
      const probes = site === BD ? sent.filter((r) => r.query['order_column'] === 'date_clicked') : sent.filter((r) => r.query['limit'] === '1');
      assert.equal(probes.length, site === BD ? 1 : 2, `${site}: requests to find the newest click`);

      // Refresh reads the range and the newest click again (new clicks may have come), on the same range.
      await control().clearRequests();
      const refreshed = await vscode.commands.executeCommand<InsightsOutcome>('directoryRecords.showClickInsights', { site, model }, undefined, { refresh: true });
      assert.deepEqual([refreshed.status, refreshed.range, refreshed.total, refreshed.fromCache], ['ready', opened.range, opened.total, false]);
      const again = (await apiRequests()).filter((r) => r.path === probePath);
      assert.equal((site === BD ? again.filter((r) => r.query['order_column'] === 'date_clicked') : again.filter((r) => r.query['limit'] === '1')).length, probes.length, `${site}: looked for again`);
      await closeAllEditors();
    }
  });

  it('a custom range that is not two days in order is refused in words, with nothing sent', async () => {
    await control().clearRequests();
    const outcome = await vscode.commands.executeCommand<InsightsOutcome>('directoryRecords.showClickInsights', { site: BD, model: 'users_clicks' }, { preset: 'custom', from: '2025-03-31', to: '2025-03-01' });
    assert.equal(outcome.status, 'error');
    assert.equal((await apiRequests()).length, 0);
  });

  it('Edit Site pointing the name at another address reads that address: the numbers kept for the old one are not shown', async () => {
    const sb = sandboxInfo();
    const show = (): Thenable<InsightsOutcome> => vscode.commands.executeCommand<InsightsOutcome>('directoryRecords.showClickInsights', { site: BD, model: 'users_clicks' }, MARCH);
    await show();
    const kept = await show();
    assert.deepEqual([kept.status, kept.fromCache], ['ready', true], 'kept for the site as first configured');

    // Another origin (the same sandbox, so the numbers can be read there too), as Edit Site would save it.
    const elsewhere = sb.url.replace('127.0.0.1', 'localhost');
    assert.notEqual(new URL(elsewhere).origin, new URL(sb.url).origin);
    await useSites([
      { name: BD, kind: 'brilliantDirectories', url: elsewhere, key: sb.bdKey },
      { name: COPERNICA, kind: 'copernica', url: sb.url, key: sb.copernicaToken },
    ]);
    await control().clearRequests();
    const moved = await show();
    assert.deepEqual([moved.status, moved.fromCache], ['ready', false], moved.status);
    assert.ok((await apiRequests()).some((r) => r.path === '/api/v2/users_clicks/get'), 'read from the new address');
  });
});
