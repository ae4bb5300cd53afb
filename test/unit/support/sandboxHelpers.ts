import type { RecordedRequest, Sandbox } from '../../../sandbox/server';

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
