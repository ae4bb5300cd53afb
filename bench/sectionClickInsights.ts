import { startSandbox } from '../sandbox/server';
import { BD_CLICK_PAGE, COPERNICA_CLICK_PAGE, fetchClickInsights, type ClickSiteKind } from '../src/insights/clickFetch';
import { createSiteApi } from '../src/sites/siteApi';
import { pacingFloorMs, pacingWindow } from './pacing';
import { BrokenMeasurement, type BenchOptions, type BenchRow, type Section, type SectionResult } from './types';

/** The sizes: 25,000 BD users clicks and 25,000 Copernica clicks. */
const CLICKS = 25_000;
/** Scaled 20× down by default, as the pacing section, so the section takes seconds. */
const SCALED_WINDOW_MS = 3_000;

interface Run {
  readonly kind: ClickSiteKind;
  readonly pageSize: number;
  /** Requests per window: (n − 1) / R = 3 exactly, so the listing spans three full windows and one request more. */
  readonly limit: number;
}

const RUNS: readonly Run[] = [
  { kind: 'bd', pageSize: BD_CLICK_PAGE, limit: Math.ceil((Math.ceil(CLICKS / BD_CLICK_PAGE) - 1) / 3) },
  { kind: 'copernica', pageSize: COPERNICA_CLICK_PAGE, limit: Math.ceil((Math.ceil(CLICKS / COPERNICA_CLICK_PAGE) - 1) / 3) },
];

/** (f) Click Insights over 25,000 clicks of each kind, through the paced SiteApi, against the sandbox. */
export async function clickInsightsBench(options: BenchOptions): Promise<SectionResult> {
  const { windowMs, scale } = pacingWindow(options, SCALED_WINDOW_MS);
  const rows: BenchRow[] = [];
  const notes: string[] = [
    `${CLICKS.toLocaleString('en')} BD users clicks and ${CLICKS.toLocaleString('en')} Copernica clicks (sandbox store.seedClicks: the seed generators, same months, denser); range "all".`,
    options.fullWindow ? `Window ${windowMs / 1000} s (BD's real window, --full-window).` : `Window ${windowMs / 1000} s (60 s scaled down ${scale}×; --full-window uses 60 s).`,
    'Time from data to chart drawn: not measured here (no webview in this process); the e2e flow logs it for its range (test/e2e/clickInsights.e2e.ts).',
  ];
  const sandbox = await startSandbox();
  try {
    sandbox.configure({ rateLimit: null, latencyMs: 0, faults: { serverErrorRate: 0, dropRate: 0 }, htmlMode: null });
    sandbox.store.seedClicks({ users_clicks: CLICKS, copernica_clicks: CLICKS });
    for (const run of RUNS) {
      const rateLimit = { requests: run.limit, windowMs };
      const expectedRequests = Math.ceil(CLICKS / run.pageSize);
      const floor = pacingFloorMs(expectedRequests, run.limit, windowMs);
      const label = run.kind === 'bd' ? 'BD' : 'Copernica';
      options.progress(`  ${label}: ${expectedRequests} requests of ${run.pageSize} at ${run.limit} per ${windowMs / 1000} s; floor ${floor} ms`);
      // Unpaced warm-up (JIT, the sandbox's sorted views), then the limit on both sides from empty windows.
      const kind = run.kind === 'bd' ? 'brilliantDirectories' : 'copernica';
      const secret = run.kind === 'bd' ? sandbox.bdKey : sandbox.copernicaToken;
      const warm = createSiteApi({ kind, url: sandbox.url, secret, rateLimit: null, log: () => undefined });
      try {
        await fetchClickInsights(warm, run.kind, {});
      } finally {
        await warm.dispose();
      }
      sandbox.configure({ rateLimit });
      sandbox.clearRequests();
      const api = createSiteApi({ kind, url: sandbox.url, secret, rateLimit, log: () => undefined });
      let ms: number;
      let total: number;
      try {
        const started = performance.now();
        const insights = await fetchClickInsights(api, run.kind, {});
        ms = performance.now() - started;
        total = insights.total;
      } finally {
        await api.dispose();
        sandbox.configure({ rateLimit: null });
      }
      const requests = sandbox.requests();
      const tooMany = requests.filter((r) => r.status === 429).length;
      const ok = requests.filter((r) => r.status === 200).length;
      const problems = [
        total !== CLICKS && `${total} clicks aggregated instead of ${CLICKS}`,
        ok !== expectedRequests && `${ok} requests answered 200 instead of ${expectedRequests}`,
      ].filter((p): p is string => typeof p === 'string');
      if (problems.length > 0) throw new BrokenMeasurement(`${label} click insights: ${problems.join('; ')}.`);
      options.progress(`  ${label}: wall ${ms.toFixed(0)} ms, ${requests.length} requests, ${tooMany} × 429`);
      rows.push(
        {
          name: `${label}: requests / ⌈N / page size⌉`,
          value: requests.length / expectedRequests,
          unit: 'ratio',
          target: { comparison: '==', limit: 1 },
          note: `${requests.length} requests for ${CLICKS.toLocaleString('en')} clicks at ${run.pageSize} a page`,
          method: 'Requests in the sandbox log during the paced run (429s included) divided by ⌈N / page size⌉.',
        },
        {
          name: `${label}: paced wall time / floor`,
          value: ms / floor,
          unit: 'ratio',
          target: { comparison: '<=', limit: 1.05 },
          note: `${ms.toFixed(0)} ms against ${floor} ms (${run.limit} requests per ${windowMs / 1000} s: three full windows)`,
          method: 'Wall time of fetchClickInsights over the range divided by floor((n − 1) / R) · W.',
        },
        {
          name: `${label}: HTTP 429 replies`,
          value: tooMany,
          unit: 'replies',
          target: { comparison: '==', limit: 0 },
          method: 'Replies with status 429 in the sandbox request log during the paced run.',
        },
      );
    }
    return { rows, notes };
  } finally {
    await sandbox.close();
  }
}

export const CLICK_INSIGHTS: Section = {
  id: 'f',
  alias: 'insights',
  title: 'Click Insights over 25,000 clicks',
  run: clickInsightsBench,
};
