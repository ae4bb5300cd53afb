import { strict as assert } from 'node:assert';
import { SandboxControl } from '../../../sandbox/control';
import type { RecordedRequest } from '../../../sandbox/server';
import type { RequestLogEntry } from '../../../src/api/requestLayer';
import { WEBSITE_NOTIFICATIONS } from '../../../src/api/resources';
import type { ApiRecord } from '../../../src/api/schemas';
import { planBulk, type BulkAction } from '../../../src/bulk/bulkPlan';
import { runBulk } from '../../../src/bulk/bulkRunner';
import { FakeClock } from '../support/fakeClock';
import { withSandboxApi } from '../support/sandboxApi';

const MODEL = 'website_notifications';
const PUT = '/api/v2/website_notifications/update';
const DELETE = '/api/v2/website_notifications/delete';

/**
 * A bulk job that has to wait (a 429 on a write) must not write from the read it made before the
 * wait: a colleague's edit made meanwhile is seen and kept. Paced on a fake clock, so the minute's
 * wait takes milliseconds; the colleague edits through the sandbox's control API.
 */
describe('Bulk runner: no write from a stale re-check after a rate-limit wait (fake clock, sandbox)', function () {
  this.timeout(20_000);
  let control: SandboxControl;
  let clock: FakeClock;
  let log: RequestLogEntry[];
  beforeEach(() => {
    clock = new FakeClock();
    log = [];
  });
  // BD's default pace: 100 a minute, so the bound is 15 s.
  const fx = withSandboxApi('brilliantDirectories', { perTest: true, api: () => ({ rateLimit: { requests: 100, windowMs: 60_000 }, log: (entry) => log.push(entry), pacingClock: clock }) });
  before(() => {
    control = new SandboxControl(fx.sandbox.url);
  });

  const listed = (ids: number[]): ApiRecord[] => ids.map((id) => ({ ...fx.sandbox.store.getRecord(MODEL, id)! }) as ApiRecord);
  const view = (id: number) => fx.sandbox.store.getRecord(MODEL, id)?.['notification_view'];

  /**
   * Runs the job; at the first wait after the site's 429, before the clock moves, the colleague
   * edits. The options go in as a variable: `clock` is the one the job measures a read's age on.
   */
  async function runWithColleague(action: BulkAction, ids: number[], colleague: () => Promise<void>, extra: Record<string, unknown> = {}) {
    const plan = planBulk('S', WEBSITE_NOTIFICATIONS, action, listed(ids), 'selection');
    fx.sandbox.clearRequests();
    let edited = false;
    const options = { concurrency: 1, clock, ...extra };
    const result = await clock.run(runBulk(fx.api, plan, options), async () => {
      if (edited || !fx.sandbox.requests().some((r) => r.status === 429)) return;
      edited = true;
      await colleague();
    });
    assert.ok(edited, 'the site never answered 429, so nobody edited during a wait');
    return result;
  }

  /**
   * Each write that went through (200) went out at most `boundMs` (fake) after the last read of
   * its record had gone out. Requests go one at a time here, so the client's log (with when each
   * went out) and the sandbox's (with what each carried) are in the same order.
   */
  function assertWritesFollowReadsWithin(boundMs: number): void {
    const sent = log.filter((e) => e.sentAt !== undefined);
    const seen: RecordedRequest[] = fx.sandbox.requests();
    assert.equal(sent.length, seen.length, 'one log entry per request');
    const lastRead = new Map<string, number>();
    sent.forEach((entry, i) => {
      const request = seen[i]!;
      assert.equal(entry.method, request.method);
      if (request.method === 'GET') {
        for (const id of String(request.query['property_value']).split(',')) lastRead.set(id, entry.sentAt!);
      } else if (request.status === 200) {
        const id = String(request.body['notification_id']);
        const readAt = lastRead.get(id);
        assert.ok(readAt !== undefined, `record ${id} was written without a read`);
        assert.ok(entry.sentAt! - readAt <= boundMs, `record ${id} was written ${entry.sentAt! - readAt} ms (fake) after its read, over ${boundMs}`);
      }
    });
  }

  it('update: a 429 on the first PUT, a colleague sets the field during the minute\'s wait: read again, skipped, their value kept', async () => {
    for (const id of [1, 2, 3]) fx.sandbox.store.putRecord(MODEL, id, { notification_view: '0' });
    fx.sandbox.addFault({ method: 'PUT', path: PUT, kind: 'status', status: 429 }); // no Retry-After: the 60 s window
    const result = await runWithColleague({ kind: 'setFields', fields: { notification_view: '1' } }, [1, 2, 3], async () => {
      await control.putRecord(MODEL, 1, { notification_view: '2' });
      await control.putRecord(MODEL, 2, { notification_view: '2' });
    });
    assert.deepEqual([view(1), view(2), view(3)], ['2', '2', '1'], 'the colleague\'s edits stand; the untouched record is changed');
    assert.deepEqual(result.outcomes.map((o) => o.status), ['skipped', 'skipped', 'done']);
    assertWritesFollowReadsWithin(15_000);
  });

  it('update: with a long Retry-After (90 s) too; a colleague\'s edit of another field is kept and the job\'s field still written', async () => {
    for (const id of [4, 5]) fx.sandbox.store.putRecord(MODEL, id, { notification_view: '0' });
    fx.sandbox.addFault({ method: 'PUT', path: PUT, kind: 'status', status: 429, retryAfter: 90 });
    const result = await runWithColleague({ kind: 'setFields', fields: { notification_view: '1' } }, [4, 5], async () => {
      await control.putRecord(MODEL, 4, { notification_view: '3' });
      await control.putRecord(MODEL, 5, { notification_title: 'Renamed meanwhile' });
    });
    assert.deepEqual([view(4), view(5)], ['3', '1']);
    assert.equal(fx.sandbox.store.getRecord(MODEL, 5)?.['notification_title'], 'Renamed meanwhile');
    assert.deepEqual(result.outcomes.map((o) => o.status), ['skipped', 'done']);
    assertWritesFollowReadsWithin(15_000);
  });

  it('a site that keeps every write waiting past the bound: each batch is read at most 4 times, then its records fail (retryable), nothing written', async () => {
    for (const id of [8, 9]) fx.sandbox.store.putRecord(MODEL, id, { notification_view: '0' });
    // Every PUT is refused with a 20 s pause: by then each write's read is over 15 s old.
    fx.sandbox.addFault({ method: 'PUT', path: PUT, kind: 'status', status: 429, retryAfter: 20, count: 100 });
    const plan = planBulk('S', WEBSITE_NOTIFICATIONS, { kind: 'setFields', fields: { notification_view: '1' } }, listed([8, 9]), 'selection');
    fx.sandbox.clearRequests();
    const options = { concurrency: 1, clock };
    const result = await clock.run(runBulk(fx.api, plan, options));
    assert.deepEqual(result.outcomes.map((o) => o.status), ['failed', 'failed']);
    assert.match(String(result.outcomes[0]!.reason?.template), /could not follow its re-check/);
    assert.equal(fx.sandbox.requests().filter((r) => r.method === 'GET').length, 4);
    assert.ok(fx.sandbox.requests().filter((r) => r.method === 'PUT').every((r) => r.status === 429));
    assert.deepEqual([view(8), view(9)], ['0', '0']);
  });

  it('delete: a 429 on the first DELETE, a colleague edits the record during the wait: read again, not deleted, its kept copy given back', async () => {
    const kept = new Map<string, ApiRecord>();
    const journal = {
      beforeDelete: async (records: readonly ApiRecord[]) => {
        for (const r of records) kept.set(String(r['notification_id']), r);
      },
      notDeleted: async (records: readonly ApiRecord[]) => {
        for (const r of records) kept.delete(String(r['notification_id']));
      },
    };
    fx.sandbox.addFault({ method: 'DELETE', path: DELETE, kind: 'status', status: 429 });
    const result = await runWithColleague({ kind: 'delete' }, [6, 7], async () => {
      await control.putRecord(MODEL, 6, { notification_title: 'Still needed' });
    }, journal);
    assert.equal(fx.sandbox.store.getRecord(MODEL, 6)?.['notification_title'], 'Still needed', 'the edited record is not deleted');
    assert.equal(fx.sandbox.store.getRecord(MODEL, 7), undefined);
    assert.deepEqual(result.outcomes.map((o) => o.status), ['skipped', 'done']);
    assert.deepEqual([...kept.keys()], ['7'], 'only the deleted record keeps a copy');
    assertWritesFollowReadsWithin(15_000);
  });
});
