import { strict as assert } from 'node:assert';
import { BdClient, type BdClientOptions } from '../../../src/api/bdClient';
import { CONTACTS, WEBSITE_NOTIFICATIONS } from '../../../src/api/resources';
import { apiRequests } from '../support/sandboxHelpers';
import { withSandboxApi } from '../support/sandboxApi';

describe('BdClient pacing, 429s and injected faults against the sandbox', function () {
  this.timeout(30_000);
  const fx = withSandboxApi('none');
  const makeClient = (options: Partial<BdClientOptions>): BdClient => fx.make('bdClient', { retry: { baseDelayMs: 10, maxDelayMs: 50 }, ...options });

  describe('the limiter', () => {
    it('paces 250 requests under a 100-per-window limit: zero 429s, and no faster than the window allows', async () => {
      const W = 1500;
      fx.sandbox.configure({ rateLimit: { requests: 100, windowMs: W } });
      const client = makeClient({ rateLimit: { requests: 100, windowMs: W }, retry: { rateLimitRetries: 0 } });
      const started = Date.now();
      const records = await Promise.all(Array.from({ length: 250 }, (_, i) => client.get(CONTACTS, (i % 238) + 1)));
      const elapsed = Date.now() - started;
      assert.equal(records.length, 250);
      const requests = fx.sandbox.requests();
      assert.equal(requests.length, 250);
      assert.deepEqual(requests.filter((r) => r.status !== 200).map((r) => r.status), [], 'the server refused some requests');
      // Requests 101..200 cannot start before W, 201..250 not before 2W.
      assert.ok(elapsed >= 2 * W, `250 requests took only ${elapsed} ms`);
      const arrivals = requests.map((r) => r.at).sort((a, b) => a - b);
      assert.ok(arrivals[100]! - arrivals[0]! >= W, 'request 101 arrived inside the first window');
      assert.ok(arrivals[200]! - arrivals[100]! >= W, 'request 201 arrived inside the second window');
    });

    it('waits out a 429 that arrives anyway (server limit lower than the client\'s), then succeeds', async () => {
      fx.sandbox.configure({ rateLimit: { requests: 5, windowMs: 500 } });
      const client = makeClient({ rateLimit: { requests: 10, windowMs: 500 } });
      const ids = Array.from({ length: 10 }, (_, i) => i + 1);
      const records = await Promise.all(ids.map((id) => client.get(CONTACTS, id)));
      assert.deepEqual(records.map((r) => r['contact_id']), ids.map(String));
      const requests = fx.sandbox.requests();
      const refused = requests.filter((r) => r.status === 429);
      assert.ok(refused.length >= 1, 'the server never said 429, so nothing was waited out');
      for (const no of refused) {
        const retry = requests.find((r) => r.path === no.path && r.status === 200 && r.at > no.at);
        assert.ok(retry, `${no.path} was not retried after its 429`);
        assert.ok(retry.at - no.at >= 500 - 5, `${no.path} was retried ${retry.at - no.at} ms after its 429, inside the window`);
      }
      assert.equal(requests.filter((r) => r.status === 200).length, 10);
    });

    it('retries a POST refused with 429 exactly once after the wait, and creates it once', async () => {
      fx.sandbox.configure({ rateLimit: { requests: 2, windowMs: 500 } });
      const client = makeClient({ rateLimit: { requests: 10, windowMs: 500 } });
      await client.listPage(CONTACTS, { limit: 1 });
      await client.listPage(CONTACTS, { limit: 1 });
      const created = await client.create(CONTACTS, { first_name: 'Rate', last_name: 'Limited' });
      assert.equal(created['contact_id'], '239');
      const posts = apiRequests(fx.sandbox, 'contacts/create', 'POST');
      assert.deepEqual(posts.map((r) => r.status), [429, 200]);
      assert.ok(posts[1]!.at - posts[0]!.at >= 500 - 5);
      assert.equal(fx.sandbox.store.count('contacts'), 239);
      assert.equal(fx.sandbox.store.rows('contacts').filter((r) => r['first_name'] === 'Rate' && r['last_name'] === 'Limited').length, 1);
    });
  });

  describe('injected 500s (serverErrorRate 0.2, seed 7)', () => {
    for (const [resource, model, total] of [[CONTACTS, 'contacts', 238], [WEBSITE_NOTIFICATIONS, 'website_notifications', 12_100]] as const) {
      it(`a full listing of ${model} yields each of the ${total} records exactly once`, async () => {
        const client = makeClient({ retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 20 } });
        fx.sandbox.configure({ faults: { serverErrorRate: 0.2, dropRate: 0, seed: 7 } });
        const counts = new Map<string, number>();
        for await (const record of client.records(resource)) {
          const id = record[resource.primaryKey]!;
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
        assert.equal(counts.size, total);
        assert.deepEqual([...counts.values()].filter((n) => n !== 1), []);
        const requests = apiRequests(fx.sandbox, `${model}/get`);
        assert.ok(requests.some((r) => r.status === 500), 'no fault was injected');
        assert.equal(requests.filter((r) => r.status === 200).length, Math.ceil(total / 100));
      });
    }
  });
});
