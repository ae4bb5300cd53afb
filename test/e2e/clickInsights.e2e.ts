// Click Insights through the real workbench (issue 12): opened from the Users Clicks row's menu,
// a custom range whose totals equal the test's own count of the sandbox's raw clicks, the top
// member's "Show in tree" filtering the tree to that member, no Content-Security-Policy
// violation in the webview, a theme switch followed live (screenshots dark and light), and the
// panel restored by its serializer after Developer: Reload Window.
// With DIRECTORY_RECORDS_UPDATE_SCREENSHOTS=1 the screenshots also go to docs/images/.
import * as assert from 'assert';
import type { Frame, Page } from 'playwright-core';
import { SandboxControl } from '../../sandbox/control';
import type { E2EFlow } from './harness';
import { clickActivityBarItem, clickContextMenuItem, dismissHover, expandTreeItem, treeRow, pickQuickItem, startCommand, waitForView, waitForWorkbench, waitUntil, editorShot as shot, webviewFrame } from './workbench';
import { sandboxSites } from './sandboxSite';

const SITE = 'Sandbox Directory';
const COPERNICA = 'Sandbox Copernica';
const FROM = '2025-03-01';
const TO = '2025-03-31';

/** The test's own count: March 2025 (UTC) from the raw 14-digit dates, in epoch ms. */
async function marchFromRawRecords(control: SandboxControl): Promise<{ total: number; unique: number; topMember: string; topCount: number }> {
  const from = Date.UTC(2025, 2, 1);
  const to = Date.UTC(2025, 3, 1);
  const visitors = new Set<string>();
  const members = new Map<string, number>();
  let total = 0;
  for (let id = 1; id <= 420; id++) {
    const r = await control.getRecord('users_clicks', id);
    const v = r?.['date_clicked'];
    if (!r || !v) continue;
    const ms = Date.UTC(Number(v.slice(0, 4)), Number(v.slice(4, 6)) - 1, Number(v.slice(6, 8)), Number(v.slice(8, 10)), Number(v.slice(10, 12)), Number(v.slice(12, 14)));
    if (ms < from || ms >= to) continue;
    total++;
    visitors.add(r['visitor_token']!);
    members.set(r['user_id']!, (members.get(r['user_id']!) ?? 0) + 1);
  }
  const [topMember, topCount] = [...members].sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]))[0]!;
  return { total, unique: visitors.size, topMember, topCount };
}

/** The webview's own document: the frame that holds main#app. */
function insightsFrame(page: Page): Promise<Frame> {
  return webviewFrame(page, 'the Click Insights webview', 'main#app', 30_000);
}

/** The webview frame whose heading ends with the resource's name (several panels may be open). */
async function insightsFrameWith(page: Page, resource: string): Promise<Frame> {
  let found: Frame | undefined;
  await waitUntil(page, `the Click Insights webview of ${resource}`, async () => {
    for (const frame of page.frames()) {
      const heading = await frame.locator('main#app h1').first().innerText({ timeout: 500 }).catch(() => '');
      if (heading.endsWith(`· ${resource}`)) {
        found = frame;
        return true;
      }
    }
    return false;
  }, { timeoutMs: 30_000 });
  return found!;
}

/** The chart's day axis labels as drawn (page coordinates), left to right; a label neither overlaps the next nor is too small to read. */
async function axisLabelsFit(frame: Frame, what: string, log: (m: string) => void): Promise<number> {
  const labels = frame.locator('svg.day-chart text.axis[text-anchor="middle"]');
  const boxes: { x: number; y: number; width: number; height: number; text: string }[] = [];
  for (let i = 0; i < (await labels.count()); i++) {
    const box = await labels.nth(i).boundingBox();
    if (box) boxes.push({ ...box, text: await labels.nth(i).textContent() ?? '' });
  }
  boxes.sort((a, b) => a.x - b.x);
  log(`${what}: ${boxes.length} axis labels, ${boxes.map((b) => `${b.text}@${b.x.toFixed(0)}+${b.width.toFixed(0)}`).join(' ')}`);
  assert.ok(boxes.length >= 2, `${what}: the axis is labelled`);
  for (const b of boxes) assert.ok(b.height >= 9, `${what}: "${b.text}" is ${b.height.toFixed(1)} px high, readable`);
  for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i - 1]!.x + boxes[i - 1]!.width <= boxes[i]!.x, `${what}: "${boxes[i - 1]!.text}" and "${boxes[i]!.text}" overlap`);
  return boxes.length;
}

/** The chart's bars as drawn: how many, and the narrowest total bar in px. */
async function barWidths(frame: Frame): Promise<{ bars: number; narrowest: number }> {
  const rects = frame.locator('svg.day-chart g.bar rect.total');
  const n = await rects.count();
  let narrowest = Infinity;
  for (let i = 0; i < n; i++) narrowest = Math.min(narrowest, (await rects.nth(i).boundingBox())?.width ?? 0);
  return { bars: n, narrowest };
}

/** The test's own newest click of the sandbox's BD clicks: its UTC day. */
async function newestBdDay(control: SandboxControl): Promise<string> {
  let newest = '';
  for (let id = 1; id <= 420; id++) {
    const v = (await control.getRecord('users_clicks', id))?.['date_clicked'] ?? '';
    if (v && v > newest) newest = v;
  }
  return `${newest.slice(0, 4)}-${newest.slice(4, 6)}-${newest.slice(6, 8)}`;
}

export const flows: E2EFlow[] = [
  {
    name: 'Click Insights opens on the range with clicks (clicks that stopped months ago), says the newest click, and "All" groups days so its bars and axis labels fit',
    ...sandboxSites({ name: SITE }),
    timeoutMs: 180_000,
    async run({ page, sandbox, outputDir, log }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      const newest = await newestBdDay(control);
      log(`the sandbox's newest BD click: ${newest} (today ${new Date().toISOString().slice(0, 10)})`);
      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      await expandTreeItem(page, 'Sites', SITE);
      await dismissHover(page);
      await clickContextMenuItem(page, treeRow(page, 'Sites', /^Users Clicks$/), 'Show Click Insights');
      const frame = await insightsFrame(page);
      await frame.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
      const total = Number((await frame.locator('[data-figure="total"]').innerText()).replace(/\D/g, ''));
      assert.ok(total > 0, `opened on a range with clicks (${total})`);
      const said = await frame.locator('[data-newest]').innerText();
      log(`says: ${said}`);
      assert.match(said, new RegExp(`Newest click: ${newest}; showing `));
      const opened = await barWidths(frame);
      await axisLabelsFit(frame, 'opening range', log);
      await shot(page, outputDir, 'click-insights-opened', log);

      // Last 7 days holds nothing: the panel offers the range that holds the newest click, and that action goes back to it.
      await frame.getByRole('radio', { name: 'Last 7 days' }).click();
      const offer = frame.getByRole('button', { name: /^Show .*newest click/ });
      await offer.waitFor({ timeout: 60_000 });
      await offer.click();
      await waitUntil(frame.page(), 'the range with the newest click again', async () => (await frame.locator('body[data-ready="true"] [data-figure="total"]').innerText().catch(() => '0')).replace(/\D/g, '') === String(total), { timeoutMs: 30_000 });

      // "All": about 270 days of clicks, grouped so that the bars stay a few px wide and at most 60.
      await frame.getByRole('radio', { name: 'All' }).click();
      await waitUntil(frame.page(), '"All" drawn', async () => (await frame.locator('body[data-ready="true"] [data-figure="total"]').innerText().catch(() => '0')).replace(/\D/g, '') === '420', { timeoutMs: 60_000 });
      const all = await barWidths(frame);
      log(`opening range: ${opened.bars} bars, narrowest ${opened.narrowest.toFixed(1)} px; "All": ${all.bars} bars, narrowest ${all.narrowest.toFixed(1)} px`);
      assert.ok(all.bars <= 60 && all.bars >= 10, `"All" in ${all.bars} bars`);
      assert.ok(all.narrowest >= 3, `"All"'s bars are ${all.narrowest.toFixed(1)} px wide`);
      assert.match(await frame.locator('#h-days').innerText(), /per (week|month)/, 'the chart says how it grouped the days');
      await axisLabelsFit(frame, '"All"', log);
      await shot(page, outputDir, 'click-insights-all', log);
    },
  },
  {
    name: 'Click Insights: a March range shows the test\'s own totals, the top member filters the tree, no CSP violation, dark and light, restored after Reload Window',
    ...sandboxSites({ name: SITE }, { 'workbench.colorTheme': 'Default Dark Modern' }),
    timeoutMs: 180_000,
    async run({ page, sandbox, outputDir, log }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();
      const expected = await marchFromRawRecords(control);
      log(`expected for ${FROM}..${TO}: ${JSON.stringify(expected)}`);
      // Every frame attached from now on (the webview's two) records CSP violations from its start; the console is watched too.
      await page.context().addInitScript({
        content: "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));",
      });
      const cspConsole: string[] = [];
      page.on('console', (m) => /Content Security Policy|Refused to (load|execute|apply)/i.test(m.text()) && cspConsole.push(m.text()));

      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      await expandTreeItem(page, 'Sites', SITE);
      await dismissHover(page);
      await clickContextMenuItem(page, treeRow(page, 'Sites', /^Users Clicks$/), 'Show Click Insights');
      let frame = await insightsFrame(page);

      // Custom range: 1–31 March 2025 (UTC), typed and applied from the keyboard's reach.
      await frame.getByRole('radio', { name: 'Custom' }).click();
      await frame.locator('#range-from').fill(FROM);
      await frame.locator('#range-to').fill(TO);
      await control.clearRequests();
      await frame.getByRole('button', { name: 'Apply' }).click();
      await frame.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
      log(`data to chart drawn: ${await frame.locator('body').getAttribute('data-drawn-ms')} ms (${FROM}..${TO})`);
      const total = (await frame.locator('[data-figure="total"]').innerText()).replace(/\D/g, '');
      const unique = (await frame.locator('[data-figure="unique"]').innerText()).replace(/\D/g, '');
      assert.strictEqual(Number(total), expected.total, 'total clicks shown');
      assert.strictEqual(Number(unique), expected.unique, 'unique visitors shown');
      const dayRows = await frame.locator('table[data-table="days"] tbody tr').count();
      assert.strictEqual(dayRows, 31, 'a row per UTC day of March');
      const sent = (await control.requests()).filter((r) => r.path === '/api/v2/users_clicks/get');
      assert.strictEqual(sent.length, Math.ceil(expected.total / 100));
      assert.deepStrictEqual(sent[0]!.query['property_value[]'], ['20250301000000', '20250401000000']);
      assert.match(await frame.locator('svg.day-chart').innerHTML(), /UTC/, 'the chart says its days are UTC');
      await page.waitForTimeout(300);
      await shot(page, outputDir, 'click-insights-dark', log);

      // The theme switched as a person does it (Preferences: Color Theme): the webview follows live (VS Code's CSS variables and body class).
      // Ctrl+K Ctrl+T (the workbench focused, not the webview) opens the color theme picker.
      await page.locator('.part.statusbar').click({ position: { x: 1, y: 1 } });
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+T');
      const themeInput = page.locator('.quick-input-widget input.input');
      await themeInput.waitFor({ state: 'visible', timeout: 30_000 });
      await themeInput.fill('Light Modern');
      await waitUntil(page, 'Light Modern to be highlighted', async () => /Light Modern/.test(await page.locator('.quick-input-widget .monaco-list-row.focused').first().innerText().catch(() => '')));
      await page.keyboard.press('Enter');
      await waitUntil(page, 'the webview to turn light', async () => (await frame.locator('body.vscode-light').count()) > 0, { timeoutMs: 30_000 });
      const barFill = await frame.locator('svg.day-chart rect.total').first().evaluate((r) => (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(r).fill);
      assert.ok(barFill && barFill !== 'none' && barFill !== 'rgb(0, 0, 0)', `bars take the theme's chart colour (${barFill})`);
      const uniqueFill = await frame.locator('svg.day-chart rect.unique').first().evaluate((r) => (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(r).fill);
      log(`light theme: total bars ${barFill}, unique bars ${uniqueFill}`);
      await page.waitForTimeout(300);
      await shot(page, outputDir, 'click-insights-light', log);

      // From the keyboard: focus a day's bar, move one day right with the arrow key, Enter: the tree lists that UTC day.
      await frame.locator('g.bar[data-focus="day-2025-03-02"]').focus();
      await page.keyboard.press('ArrowRight');
      await control.clearRequests();
      await page.keyboard.press('Enter');
      await waitUntil(page, 'the tree to read 3 March (UTC)', async () => (await control.requests()).some((r) => r.path === '/api/v2/users_clicks/get' && JSON.stringify(r.query['property_value[]']) === JSON.stringify(['20250303000000', '20250304000000'])), { timeoutMs: 30_000 });

      // The top member's "Show in tree": the tree's Users Clicks listing filtered to that member.
      const firstMember = frame.locator('table[data-table="members"] tbody tr').first();
      assert.strictEqual((await firstMember.locator('th').innerText()).trim(), `Member ${expected.topMember}`, 'the id reads as a member');
      assert.strictEqual((await firstMember.locator('td').first().innerText()).replace(/\D/g, ''), String(expected.topCount));
      await control.clearRequests();
      await firstMember.getByRole('button').click();
      await waitUntil(page, 'the tree to filter to the member', async () => ((await treeRow(page, 'Sites', /^Users Clicks$/).getAttribute('aria-label')) ?? '').includes(`user_id is "${expected.topMember}"`), { timeoutMs: 30_000 });
      await expandTreeItem(page, 'Sites', /^Users Clicks$/);
      await waitUntil(page, `the listing to count the member's ${expected.topCount} clicks in the range`, async () => new RegExp(`, ${expected.topCount} records$`).test((await treeRow(page, 'Sites', /^Users Clicks$/).getAttribute('aria-label')) ?? ''), { timeoutMs: 30_000 });
      const filtered = (await control.requests()).filter((r) => r.path === '/api/v2/users_clicks/get').at(-1)!;
      assert.deepStrictEqual((filtered.query['property[]'] as string[]).slice(0, 3), ['user_id', 'date_clicked', 'date_clicked']);
      assert.strictEqual((filtered.query['property_value[]'] as string[])[0], expected.topMember);

      // No CSP violation in the webview's frames, nor on the console.
      frame = await insightsFrame(page);
      const violations: string[] = [];
      for (const f of page.frames()) violations.push(...(await f.evaluate(() => (globalThis as unknown as { __cspViolations?: string[] }).__cspViolations ?? []).catch(() => [] as string[])));
      const csp = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content').then((c) => c ?? '');
      assert.match(csp, /default-src 'none'/);
      assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
      assert.deepStrictEqual(violations, [], 'securitypolicyviolation events');
      assert.deepStrictEqual(cspConsole, [], 'CSP messages on the console');

      // A window reload: the serializer brings the panel back with its range, read again (the numbers were kept only in memory).
      await page.locator('.part.statusbar').click({ position: { x: 1, y: 1 } });
      await page.keyboard.press('F1');
      const palette = page.locator('.quick-input-widget input.input');
      await palette.fill('>Developer: Reload Window');
      await waitUntil(page, 'Reload Window to be highlighted', async () => /Reload Window/.test(await page.locator('.quick-input-widget .monaco-list-row.focused').first().innerText().catch(() => '')));
      await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), page.keyboard.press('Enter')]);
      await page.waitForTimeout(1000);
      await waitForWorkbench(page);
      frame = await insightsFrame(page);
      await frame.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
      assert.strictEqual(Number((await frame.locator('[data-figure="total"]').innerText()).replace(/\D/g, '')), expected.total, 'restored with the same range and total');
      assert.strictEqual(await frame.locator('#range-from').inputValue(), FROM);
    },
  },
  {
    name: 'Click Insights: a BD range past the rate limit asks first and Cancel reads no further; Copernica "All" shows its own unique count and a link\'s clicks',
    ...sandboxSites([
      { name: SITE, requestsPerMinute: 3 },
      { name: COPERNICA, kind: 'copernica' },
    ]),
    timeoutMs: 180_000,
    async run({ page, sandbox, outputDir, log }) {
      const control = new SandboxControl(sandbox.url);
      await control.reset();

      // BD at 3 requests a minute (the badge's count, the panel's first range, then "All"): "All" is
      // 420 clicks in 5 requests, so before reading past its first page the panel says how long.
      await startCommand(page, 'Directory Records: Show Click Insights');
      await pickQuickItem(page, 'Show Click Insights of which clicks?', SITE);
      let frame = await insightsFrame(page);
      await frame.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
      await frame.getByRole('radio', { name: 'All' }).click();
      const question = frame.locator('.status.confirm');
      await question.waitFor({ timeout: 60_000 });
      const text = await question.innerText();
      log(`asked: ${text}`);
      assert.match(text, /420 clicks: 4 more requests, about 1 min at 3 requests a minute/);
      await question.getByRole('button', { name: 'Cancel' }).click();
      await frame.getByText(/^Stopped\./).waitFor({ timeout: 30_000 });
      const reads = (await control.requests()).filter((r) => r.path === '/api/v2/users_clicks/get');
      assert.strictEqual(reads.filter((r) => r.query['property'] === undefined && r.query['property[]'] === undefined).length, 1, '"All": its first page');
      assert.strictEqual(reads.filter((r) => r.query['property'] === 'click_id').length, 0, 'and no page after it');

      // Copernica: the test's own count of every click and of the first click of each destination on each link.
      const pairs = new Set<string>();
      const perLink = new Map<string, number>();
      for (let id = 1; id <= 335; id++) {
        const c = (await control.getRecord('copernica_clicks', id))!;
        pairs.add(`${c['destination']}|${c['link']}`);
        perLink.set(c['link']!, (perLink.get(c['link']!) ?? 0) + 1);
      }
      await clickActivityBarItem(page, 'Directory Records');
      await waitForView(page, 'Sites');
      await expandTreeItem(page, 'Sites', COPERNICA);
      await dismissHover(page);
      await clickContextMenuItem(page, treeRow(page, 'Sites', /^Clicks$/), 'Show Click Insights');
      await waitUntil(page, 'the Copernica panel', async () => (await page.locator('.tab.active').first().innerText().catch(() => '')).includes(COPERNICA));
      frame = await insightsFrameWith(page, 'Clicks');
      await frame.getByRole('radio', { name: 'All' }).click();
      await frame.locator('body[data-ready="true"] [data-figure="total"]').waitFor({ timeout: 60_000 });
      await waitUntil(page, 'the total of "All"', async () => Number((await frame.locator('[data-figure="total"]').innerText()).replace(/\D/g, '')) === 335);
      assert.strictEqual(Number((await frame.locator('[data-figure="unique"]').innerText()).replace(/\D/g, '')), pairs.size);
      const topLink = frame.locator('table[data-table="links"] tbody tr').first();
      const link = (await topLink.locator('th').innerText()).trim();
      assert.strictEqual(Number((await topLink.locator('td').first().innerText()).replace(/\D/g, '')), perLink.get(link));
      await topLink.getByRole('button', { name: /List clicks/ }).click();
      await waitUntil(page, "the link's own clicks listed", async () => (await frame.locator('table[data-table="drill"] tbody tr').count()) === Math.min(50, perLink.get(link)!), { timeoutMs: 30_000 });
      await frame.locator('#h-drill').scrollIntoViewIfNeeded();
      await shot(page, outputDir, 'click-insights-copernica', log);
    },
  },
];
