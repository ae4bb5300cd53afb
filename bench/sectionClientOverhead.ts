import * as os from 'node:os';
import { startSandbox } from '../sandbox/server';
import { prepareBareListing, prepareClientListing, type ListingRun, type PreparedListing } from './listing';
import { median } from './stats';
import { BrokenMeasurement, type BenchOptions, type Section, type SectionResult } from './types';

/** The sandbox's fixed data set; a listing that sees anything else measured the wrong thing. */
export const EXPECTED_NOTIFICATIONS = 12_100;
const PAGE_SIZE = 100;
/**
 * Runs each before timing. One is far from enough: on the 2-core VM this was written on,
 * both listings (and the in-process sandbox) kept getting faster for about 12–15 runs
 * (JIT tiers settling; not heap sizing, a larger semi-space changed nothing).
 */
export const WARMUP_RUNS = 12;
const EXPECTED_REQUESTS = Math.ceil(EXPECTED_NOTIFICATIONS / PAGE_SIZE);

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type Contender = 'client' | 'bare';

/** (a) What BdClient costs over the least code that lists the same records, with no pacing. */
export async function clientOverhead(options: BenchOptions): Promise<SectionResult> {
  const sandbox = await startSandbox();
  try {
    sandbox.configure({ rateLimit: null, latencyMs: 0, faults: { serverErrorRate: 0, dropRate: 0 }, htmlMode: null });
    const prepare = (who: Contender): PreparedListing =>
      who === 'client'
        ? prepareClientListing(sandbox.url, sandbox.bdKey, { limit: PAGE_SIZE, rateLimit: null })
        : prepareBareListing(sandbox.url, sandbox.bdKey, { limit: PAGE_SIZE });

    // Warm-up: JIT, connection set-up and the sandbox's own first-call costs stay out of the figures.
    const warm: Record<Contender, number[]> = { client: [], bare: [] };
    const seen: Partial<Record<Contender, string[]>> = {};
    for (let i = 0; i < WARMUP_RUNS; i++) {
      for (const who of ['client', 'bare'] as const) {
        const run = await measure(sandbox, prepare(who), who);
        warm[who].push(run.ms);
        seen[who] ??= run.requests;
      }
    }
    // The baseline only means something if it asks the server for exactly what the client asks for.
    const differs = seen.client!.findIndex((request, i) => request !== seen.bare![i]);
    if (differs >= 0) throw new BrokenMeasurement(`client and bare listings sent different requests; first difference at #${differs + 1}: client "${seen.client![differs]}", bare "${seen.bare![differs]}".`);
    options.progress(`  warm-up wall ms, client: ${warm.client.map((t) => t.toFixed(0)).join(' ')}; bare: ${warm.bare.map((t) => t.toFixed(0)).join(' ')}`);

    const wall: Record<Contender, number[]> = { client: [], bare: [] };
    const cpu: Record<Contender, number[]> = { client: [], bare: [] };
    const load = os.loadavg()[0]!;
    for (let round = 0; round < options.rounds; round++) {
      // Swap who goes first every round so drift (JIT, heap growth, other load) falls on both equally.
      const order: Contender[] = round % 2 === 0 ? ['client', 'bare'] : ['bare', 'client'];
      for (const who of order) {
        const run = await measure(sandbox, prepare(who), who);
        wall[who].push(run.ms);
        cpu[who].push(run.cpuMs);
      }
      options.progress(`  round ${round + 1}/${options.rounds}: client ${wall.client.at(-1)!.toFixed(1)} ms, bare ${wall.bare.at(-1)!.toFixed(1)} ms`);
    }

    const client = median(wall.client);
    const bare = median(wall.bare);
    const list = (values: number[]): string => values.map((t) => t.toFixed(0)).join(', ');
    return {
      notes: [
        `${EXPECTED_NOTIFICATIONS.toLocaleString('en')} notifications, page size ${PAGE_SIZE}, no rate limit, no added latency; sandbox in the same process on loopback, so every time includes the server's work too (it is the same for both).`,
        `${WARMUP_RUNS} warm-up runs each, then ${options.rounds} alternating round${options.rounds === 1 ? '' : 's'} (order swapped every round); medians reported.`,
        `Every run checked: ${EXPECTED_REQUESTS} requests, all HTTP 200, ${EXPECTED_NOTIFICATIONS.toLocaleString('en')} unique notification_id values; the client's and the bare loop's request lists (path and query) are identical.`,
        `Wall ms, client: ${list(wall.client)}; bare: ${list(wall.bare)}.`,
        `CPU ms, client: ${list(cpu.client)}; bare: ${list(cpu.bare)}.`,
        `1-minute load average when the rounds began: ${load.toFixed(2)} on ${os.availableParallelism()} cores; wall well above CPU time means other processes took the CPU.`,
      ],
      rows: [
        {
          name: 'client / bare listing time',
          value: client / bare,
          unit: 'ratio',
          target: { comparison: '<=', limit: 1.2 },
          method: `Median wall time of a full BdClient.pages() listing divided by the median of a bare undici Pool loop (JSON.parse, follow next_page, stop at current_page >= total_pages) over the same ${EXPECTED_REQUESTS} requests, alternating in one run.`,
        },
        {
          name: 'client / bare CPU time',
          value: median(cpu.client) / median(cpu.bare),
          unit: 'ratio',
          note: 'context: steadier on a busy machine; counts GC helper threads',
          method: 'Median process CPU time (user + system, sandbox included) of the same client runs divided by that of the same bare runs.',
        },
        {
          name: 'client listing, median',
          value: client,
          unit: 'ms',
          method: 'Time from the first request to the last record of the last page, through BdClient with rateLimit null.',
        },
        {
          name: 'bare undici listing, median',
          value: bare,
          unit: 'ms',
          method: 'Same requests with undici Pool.request and JSON.parse only; the baseline the ratio divides by.',
        },
        {
          name: 'client overhead per request',
          value: (client - bare) / EXPECTED_REQUESTS,
          unit: 'ms',
          note: `${PAGE_SIZE} records per reply`,
          method: 'Difference of the two medians divided by the number of requests in one listing.',
        },
        {
          name: 'requests per listing',
          value: EXPECTED_REQUESTS,
          unit: 'requests',
          method: 'Counted from the sandbox request log for every run (client and bare alike).',
        },
      ],
    };
  } finally {
    await sandbox.close();
  }
}

/** A listing's timings plus what the server saw, one "GET path?sorted-query" line per request. */
interface MeasuredRun extends ListingRun {
  readonly requests: string[];
}

async function measure(sandbox: Sandbox, listing: PreparedListing, who: Contender): Promise<MeasuredRun> {
  sandbox.clearRequests();
  let run: ListingRun;
  try {
    run = await listing.run();
  } finally {
    await listing.dispose();
  }
  const requests = sandbox.requests();
  const failed = requests.filter((r) => r.status !== 200);
  const problems = [
    run.records !== EXPECTED_NOTIFICATIONS && `${run.records} records instead of ${EXPECTED_NOTIFICATIONS}`,
    run.uniqueIds !== EXPECTED_NOTIFICATIONS && `${run.uniqueIds} unique ids instead of ${EXPECTED_NOTIFICATIONS}`,
    run.pages !== EXPECTED_REQUESTS && `${run.pages} pages instead of ${EXPECTED_REQUESTS}`,
    requests.length !== EXPECTED_REQUESTS && `${requests.length} requests reached the sandbox instead of ${EXPECTED_REQUESTS}`,
    failed.length > 0 && `${failed.length} requests answered non-200 (${[...new Set(failed.map((r) => r.status))].join(', ')})`,
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) throw new BrokenMeasurement(`${who} listing is broken: ${problems.join('; ')}.`);
  const signature = (r: (typeof requests)[number]): string =>
    `${r.method} ${r.path}?${Object.entries(r.query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${String(v)}`).join('&')}`;
  return { ...run, requests: requests.map(signature) };
}

export const CLIENT_OVERHEAD: Section = {
  id: 'a',
  alias: 'overhead',
  title: 'Client overhead, no rate limit',
  run: clientOverhead,
};
