import { strict as assert } from 'node:assert';
import { BdClient } from '../../../src/api/bdClient';
import { isApiError } from '../../../src/api/errors';
import { recheckBoundMs } from '../../../src/api/rateLimiter';
import type { RequestLogEntry } from '../../../src/api/requestLayer';
import { CONTACTS } from '../../../src/api/resources';
import type { ApiRecord } from '../../../src/api/schemas';
import { FakeClock } from '../support/fakeClock';
import { withSandboxApi } from '../support/sandboxApi';

describe('A write follows the read it was checked against within the bound (checkedAt)', function () {
  this.timeout(20_000);
  const fx = withSandboxApi('none');

  it('the bound: 15 s, or two request slots where the pace is under 8 a minute', () => {
    const perMinute = (requests: number) => recheckBoundMs({ requests, windowMs: 60_000 });
    assert.deepEqual([perMinute(1000), perMinute(100), perMinute(8), perMinute(4), perMinute(2), perMinute(1)], [15_000, 15_000, 15_000, 30_000, 60_000, 120_000]);
    assert.equal(recheckBoundMs(null), 15_000);
  });

  it('at 4 a minute, a write 20 s after its read goes (two slots: 30 s); one 31 s after is not sent and does not use up a slot', async () => {
    const clock = new FakeClock();
    const log: RequestLogEntry[] = [];
    const client = new BdClient({ siteUrl: fx.sandbox.url, apiKey: fx.sandbox.bdKey, rateLimit: { requests: 4, windowMs: 60_000 }, clock, log: (e) => log.push(e) });
    try {
      await clock.run(Promise.all([client.get(CONTACTS, 1), client.get(CONTACTS, 2), client.get(CONTACTS, 3)]));
      await clock.advanceTo(40_000);
      const record = await clock.run(client.get(CONTACTS, 4)); // the check: the window's 4th slot, at 40 s
      const checkedAt = clock.now();
      // The next slot frees at 60 s: 20 s after the check, inside the 30 s bound.
      await clock.run(client.update(CONTACTS, record as ApiRecord, { ...record, city: 'Twenty' }, undefined, { checkedAt }));
      assert.equal(fx.sandbox.store.getRecord('contacts', 4)?.['city'], 'Twenty');
      const sentAt = log.filter((e) => e.method === 'PUT' && e.sentAt !== undefined).map((e) => e.sentAt! - checkedAt);
      assert.ok(sentAt.length === 1 && sentAt[0]! >= 20_000 && sentAt[0]! <= 30_000, `written ${sentAt[0]} ms after the check`);

      await clock.advanceTo(40_000 + 31_000);
      await clock.run(client.get(CONTACTS, 6)); // the window now holds 40 s, 60 s and this: one slot left
      const before = fx.sandbox.requests().length;
      const error = await clock.run(client.update(CONTACTS, record as ApiRecord, { ...record, city: 'Late' }, undefined, { checkedAt })).then(() => undefined, (e: unknown) => e);
      assert.ok(isApiError(error, 'stale'), String(error));
      assert.equal(error.details.sent, false);
      assert.equal(fx.sandbox.requests().length, before, 'nothing sent');
      assert.equal(fx.sandbox.store.getRecord('contacts', 4)?.['city'], 'Twenty');
      // The held-back write took no slot: the window's last one is still free now (else the next request would wait for 100 s).
      const t = clock.elapsed();
      await clock.run(client.get(CONTACTS, 5));
      assert.equal(log.at(-1)!.sentAt! - clock.start, t, 'the next request went out at once');
    } finally {
      await client.dispose();
    }
  });
});
