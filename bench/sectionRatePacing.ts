import { startSandbox } from '../sandbox/server';
import { prepareClientListing } from './listing';
import { LIMIT_REQUESTS, pacingFloorMs, pacingWindow } from './pacing';
import { BrokenMeasurement, type BenchOptions, type Section, type SectionResult } from './types';

/** The default run scales the window 20× down so the section takes seconds, not minutes. */
const SCALED_WINDOW_MS = 3_000;
const PAGE_SIZE = 25;
/** Two and a half windows' worth: the listing must wait out two full windows. */
const REQUESTS = 250;
const WARMUP_PAGES = 100;

/** (b) How close BdClient's limiter gets to the fastest pace the server allows, without a 429. */
export async function ratePacing(options: BenchOptions): Promise<SectionResult> {
  const { windowMs, rateLimit, text: windowText } = pacingWindow(options, SCALED_WINDOW_MS);
  const floor = pacingFloorMs(REQUESTS, LIMIT_REQUESTS, windowMs);
  options.progress(`  ${REQUESTS} pages of ${PAGE_SIZE} at ${windowText}; floor ${floor} ms`);

  // A fresh sandbox, so the server's window starts empty exactly as the client's does.
  const sandbox = await startSandbox();
  try {
    sandbox.configure({ rateLimit: null, latencyMs: 0, faults: { serverErrorRate: 0, dropRate: 0 }, htmlMode: null });
    // Unpaced warm-up, so a cold JIT does not count as pacing slack; setting the limit afterwards empties the server's windows.
    const warmup = prepareClientListing(sandbox.url, sandbox.bdKey, { limit: PAGE_SIZE, rateLimit: null, maxPages: WARMUP_PAGES });
    try {
      await warmup.run();
    } finally {
      await warmup.dispose();
    }
    sandbox.configure({ rateLimit });
    sandbox.clearRequests();
    const listing = prepareClientListing(sandbox.url, sandbox.bdKey, { limit: PAGE_SIZE, rateLimit, maxPages: REQUESTS });
    let run;
    try {
      run = await listing.run();
    } finally {
      await listing.dispose();
    }
    const requests = sandbox.requests();
    const tooMany = requests.filter((r) => r.status === 429).length;
    const ok = requests.filter((r) => r.status === 200).length;
    const expectedRecords = REQUESTS * PAGE_SIZE;
    const problems = [
      run.pages !== REQUESTS && `${run.pages} pages instead of ${REQUESTS}`,
      run.uniqueIds !== expectedRecords && `${run.uniqueIds} unique ids instead of ${expectedRecords}`,
      ok !== REQUESTS && `${ok} requests answered 200 instead of ${REQUESTS}`,
      requests.length !== ok + tooMany && `${requests.length - ok - tooMany} requests answered neither 200 nor 429`,
    ].filter((p): p is string => typeof p === 'string');
    if (problems.length > 0) throw new BrokenMeasurement(`paced listing is broken: ${problems.join('; ')}.`);
    options.progress(`  wall ${run.ms.toFixed(0)} ms, ${tooMany} × 429`);

    return {
      notes: [
        `Limit ${windowText}; sandbox and client configured with the same limit.`,
        `${REQUESTS} requests: BdClient.pages() with limit ${PAGE_SIZE}, stopped after ${REQUESTS} pages (${expectedRecords.toLocaleString('en')} notifications, all unique); one run from an empty window, after an unpaced warm-up of ${WARMUP_PAGES} pages.`,
        `Floor = floor((n − 1) / R) · W = floor(${REQUESTS - 1} / ${LIMIT_REQUESTS}) · ${windowMs} ms = ${floor} ms.`,
      ],
      rows: [
        {
          name: 'paced wall time / floor',
          value: run.ms / floor,
          unit: 'ratio',
          target: { comparison: '<=', limit: 1.05 },
          method: `Wall time of ${REQUESTS} paced requests divided by floor((n − 1) / R) · W, the least time a limit of R per W allows for n requests.`,
        },
        {
          name: 'HTTP 429 replies',
          value: tooMany,
          unit: 'replies',
          target: { comparison: '==', limit: 0 },
          method: 'Replies with status 429 in the sandbox request log during the paced listing (the client retries them, so only the server log shows them).',
        },
        {
          name: 'paced listing wall time',
          value: run.ms,
          unit: 'ms',
          method: 'Time from the first request to the last record of the last page.',
        },
        {
          name: 'time above the floor',
          value: run.ms - floor,
          unit: 'ms',
          note: `includes the unpaced work of the last ${REQUESTS - LIMIT_REQUESTS * Math.floor((REQUESTS - 1) / LIMIT_REQUESTS)} requests`,
          method: 'Wall time minus the floor: limiter slack plus the time the requests after the last wait take to run.',
        },
        {
          name: 'pacing floor',
          value: floor,
          unit: 'ms',
          method: 'floor((n − 1) / R) · W for the n, R and W of this run.',
        },
        {
          name: 'requests sent',
          value: requests.length,
          unit: 'requests',
          note: `${ok} answered 200`,
          method: 'Every request in the sandbox log during the run, 429s included.',
        },
      ],
    };
  } finally {
    await sandbox.close();
  }
}

export const RATE_PACING: Section = {
  id: 'b',
  alias: 'pacing',
  title: 'Pacing under a rate limit',
  run: ratePacing,
};
