import { strict as assert } from 'node:assert';
import { BdClient } from '../../../src/api/bdClient';
import { isApiError } from '../../../src/api/errors';
import type { RequestLogEntry } from '../../../src/api/requestLayer';
import { CONTACTS } from '../../../src/api/resources';
import { FakeClock } from '../support/fakeClock';
import { withSandboxApi } from '../support/sandboxApi';

/**
 * A 429's Retry-After, against the sandbox, on a fake pacing clock: the waits are a minute or
 * more of (fake) time and take milliseconds. Times are read from the client's own log (`sentAt`,
 * on the pacing clock): when each request went out.
 */
describe('Retry-After on a 429 (fake clock, sandbox)', function () {
  this.timeout(20_000);
  let clock: FakeClock;
  let log: RequestLogEntry[];
  beforeEach(() => {
    clock = new FakeClock();
    log = [];
  });
  // The extension's pace (100 a minute): a 429 without a usable Retry-After waits the 60 s window.
  const fx = withSandboxApi('bdClient', { perTest: true, api: () => ({ rateLimit: { requests: 100, windowMs: 60_000 }, clock, log: (entry) => log.push(entry) }) });

  /** When each request to `path` went out, in ms after the clock's start, with its status. */
  const sent = (path: string): { at: number; status: number | 'error' }[] =>
    log.filter((e) => e.sentAt !== undefined && e.path.startsWith(`/api/v2/${path}`)).map((e) => ({ at: e.sentAt! - clock.start, status: e.status }));
  const refuseOnce = (path: string, retryAfter: number | string, form?: 'seconds' | 'date'): void => {
    fx.sandbox.addFault({ method: 'GET', path: `/api/v2/${path}`, kind: 'status', status: 429, retryAfter, ...(form ? { retryAfterForm: form } : {}) });
  };

  it('Retry-After: 2 → the retry goes out 2 s after the 429, not after the 60 s window', async () => {
    refuseOnce('contacts/get/5', 2);
    const record = await clock.run(fx.api.get(CONTACTS, 5));
    assert.equal(record['contact_id'], '5');
    const [refused, retry] = sent('contacts/get/5');
    assert.deepEqual([refused?.status, retry?.status], [429, 200]);
    const gap = retry!.at - refused!.at;
    assert.ok(gap >= 2000 && gap < 3000, `the retry went out ${gap} ms (fake) after the 429`);
  });

  it('Retry-After: 90 → nothing is sent before 90 s (the 60 s window is not enough)', async () => {
    refuseOnce('contacts/get/5', 90);
    await clock.run(fx.api.get(CONTACTS, 5));
    const [refused, retry] = sent('contacts/get/5');
    assert.deepEqual([refused?.status, retry?.status], [429, 200]);
    assert.ok(retry!.at - refused!.at >= 90_000, `the retry went out ${retry!.at - refused!.at} ms (fake) after the 429`);
    assert.equal(fx.sandbox.requests().length, 2, 'one refusal, one retry');
  });

  it('the HTTP-date form: nothing is sent before the date it names', async () => {
    // The sandbox's clock stands at the fake clock's start, so its date is start + 90 s.
    fx.sandbox.freezeClock(new Date(clock.start));
    refuseOnce('contacts/get/5', 90, 'date');
    await clock.run(fx.api.get(CONTACTS, 5));
    const header = new Date(clock.start + 90_000).toUTCString();
    const [refused, retry] = sent('contacts/get/5');
    assert.deepEqual([refused?.status, retry?.status], [429, 200]);
    assert.ok(retry!.at >= 90_000, `the retry went out ${retry!.at} ms after start; Retry-After said ${header}, 90 s after start`);
  });

  it('other requests to the site, interactive and background, also wait until the Retry-After time', async () => {
    refuseOnce('contacts/get/5', 90);
    const first = fx.api.get(CONTACTS, 5);
    let others: Promise<unknown>[] = [];
    // Issued while the first one waits out its 429.
    await clock.run(first, () => {
      if (others.length === 0) others = [fx.api.get(CONTACTS, 6), fx.api.listPage(CONTACTS, { limit: 1, background: true })];
    });
    await clock.run(Promise.all(others));
    assert.equal(others.length, 2);
    const times = [...sent('contacts/get/5').slice(1), ...sent('contacts/get/6'), ...sent('contacts/get?')];
    assert.equal(times.length, 3);
    for (const { at, status } of times) {
      assert.equal(status, 200);
      assert.ok(at >= 90_000, `a request went out ${at} ms after the 429 that asked for 90 s`);
    }
  });

  it('a Retry-After past the 10-minute bound fails at once, saying how long the site asked to wait and until when; nothing more is sent', async () => {
    refuseOnce('contacts/get/5', 3600);
    const error = await clock.run(fx.api.get(CONTACTS, 5)).then(
      () => assert.fail('the request succeeded'),
      (e: unknown) => e,
    );
    assert.ok(isApiError(error, 'rateLimited'), String(error));
    assert.match(error.message, /1 h/);
    assert.match(error.message, /10:00 UTC/, 'the time to try again (start 09:00 UTC + 1 h)');
    assert.match(error.message, /10 min/, 'the bound it exceeded');
    assert.ok(!error.message.includes(fx.sandbox.bdKey), 'no key');
    assert.ok(clock.elapsed() < 60_000, `it waited ${clock.elapsed()} ms (fake) before failing`);
    // Another request meanwhile is refused the same way without going out.
    const other = await clock.run(fx.api.get(CONTACTS, 6)).then(
      () => assert.fail('the second request went out'),
      (e: unknown) => e,
    );
    assert.ok(isApiError(other, 'rateLimited'), String(other));
    assert.equal(fx.sandbox.requests().length, 1, 'only the refused request reached the site');
  });
});

describe('Retry-After on a 429, more (fake clock, sandbox)', function () {
  this.timeout(20_000);
  const fx = withSandboxApi('none');

  it('a malformed Retry-After is ignored: the 60 s window is waited, as without one', async () => {
    for (const header of ['soon', '-5', '1.5', 'Mon, 32 Jan 2026 09:00:00 GMT']) {
      fx.sandbox.reset();
      const clock = new FakeClock();
      const log: RequestLogEntry[] = [];
      const client = new BdClient({ siteUrl: fx.sandbox.url, apiKey: fx.sandbox.bdKey, rateLimit: { requests: 100, windowMs: 60_000 }, clock, log: (entry) => log.push(entry) });
      try {
        fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get/5', kind: 'status', status: 429, retryAfter: header });
        await clock.run(client.get(CONTACTS, 5));
        const times = log.filter((e) => e.sentAt !== undefined).map((e) => e.sentAt! - clock.start);
        assert.equal(times.length, 2, header);
        assert.ok(times[1]! - times[0]! >= 60_000 && times[1]! - times[0]! < 61_000, `${header}: retried after ${times[1]! - times[0]!} ms`);
      } finally {
        await client.dispose();
      }
    }
  });

  it('without a pacer (no rate limit set) the Retry-After is still waited, and the bound still holds', async () => {
    fx.sandbox.reset();
    const clock = new FakeClock();
    const log: RequestLogEntry[] = [];
    const client = new BdClient({ siteUrl: fx.sandbox.url, apiKey: fx.sandbox.bdKey, rateLimit: null, clock, log: (entry) => log.push(entry) });
    try {
      fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get/5', kind: 'status', status: 429, retryAfter: 5 });
      await clock.run(client.get(CONTACTS, 5));
      const times = log.filter((e) => e.sentAt !== undefined).map((e) => e.sentAt! - clock.start);
      assert.ok(times[1]! - times[0]! >= 5000 && times[1]! - times[0]! < 60_000, `retried after ${times[1]! - times[0]!} ms`);
      fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get/5', kind: 'status', status: 429, retryAfter: new Date(clock.now() + 11 * 60_000).toUTCString() });
      const error = await clock.run(client.get(CONTACTS, 5)).then(() => undefined, (e: unknown) => e);
      assert.ok(isApiError(error, 'rateLimited'), String(error));
      assert.match(error.message, /a pause of 11 min .* longer than the 10 min this extension waits\. Nothing is sent to it until 09:\d\d UTC: try again after that\./);
    } finally {
      await client.dispose();
    }
  });
});
