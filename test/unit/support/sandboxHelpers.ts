import { startSandbox, type RecordedRequest, type Sandbox } from '../../../sandbox/server';
import { BdClient } from '../../../src/api/bdClient';

/** Requests the sandbox recorded for one BD endpoint path, e.g. "contacts/get". */
export function apiRequests(sandbox: Sandbox, endpoint?: string, method?: string): RecordedRequest[] {
  return sandbox
    .requests()
    .filter((r) => endpoint === undefined || r.path === `/api/v2/${endpoint}` || r.path === `/v2/${endpoint}`)
    .filter((r) => method === undefined || r.method === method);
}

/** Waits, without a time assertion, until the sandbox has recorded `count` requests (it records after its latency). */
export async function settle(sandbox: Sandbox, count: number, maxMs = 5000): Promise<void> {
  const until = Date.now() + maxMs;
  while (sandbox.requests().length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

/**
 * One sandbox and one fast-retrying BdClient for a describe block: started before, reset
 * (data, config and request log) before each test, closed after.
 */
export function useSandboxWithBdClient(): { readonly sandbox: Sandbox; readonly client: BdClient } {
  const fixture = {} as { sandbox: Sandbox; client: BdClient };
  before(async () => {
    fixture.sandbox = await startSandbox({ port: 0 });
    fixture.client = new BdClient({ siteUrl: fixture.sandbox.url, apiKey: fixture.sandbox.bdKey, rateLimit: null, retry: { baseDelayMs: 10, maxDelayMs: 50 } });
  });
  beforeEach(() => {
    fixture.sandbox.reset();
    fixture.sandbox.clearRequests();
  });
  after(async () => {
    await fixture.client?.dispose();
    await fixture.sandbox?.close();
  });
  return fixture;
}
