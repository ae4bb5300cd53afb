import { strict as assert } from 'node:assert';
import { WEBSITE_NOTIFICATIONS } from '../../../src/api/resources';
import type { ApiRecord } from '../../../src/api/schemas';
import { renderText } from '../../../src/api/text';
import { mergeOutcomes, retryPlan } from '../../../src/bulk/bulkOutcome';
import { batchSizeFor, planBulk, type BulkPlan } from '../../../src/bulk/bulkPlan';
import { runBulk } from '../../../src/bulk/bulkRunner';
import { listMatching } from '../../../src/bulk/matchingRecords';
import { withSandboxApi } from '../support/sandboxApi';

const PUT = '/api/v2/website_notifications/update';
const DELETE = '/api/v2/website_notifications/delete';

describe('Bulk runner against the sandbox (unit, plain Node)', function () {
  this.timeout(20_000);
  const fx = withSandboxApi('brilliantDirectories');

  const listed = (ids: number[]): ApiRecord[] => ids.map((id) => ({ ...fx.sandbox.store.getRecord('website_notifications', id)! }) as ApiRecord);
  const viewedPlan = (records: ApiRecord[], view = '1'): BulkPlan => planBulk('S', WEBSITE_NOTIFICATIONS, { kind: 'setFields', fields: { notification_view: view } }, records, 'selection');
  const puts = () => fx.sandbox.requests().filter((r) => r.path === PUT);
  const appliedPutsById = () => {
    const counts = new Map<string, number>();
    for (const r of puts()) if (r.status === 200 || r.fault === 'applyThenDrop') counts.set(String(r.body['notification_id']), (counts.get(String(r.body['notification_id'])) ?? 0) + 1);
    return counts;
  };

  it('reads 100 records per request with `in`, then sends one update per record that lacks the value, none for the others', async () => {
    const ids = Array.from({ length: 230 }, (_, i) => i + 1);
    for (const id of ids) fx.sandbox.store.putRecord('website_notifications', id, { notification_view: id % 3 === 0 ? '1' : '0' });
    const plan = viewedPlan(listed(ids));
    fx.sandbox.clearRequests();
    const result = await runBulk(fx.api, plan);
    const reads = fx.sandbox.requests().filter((r) => r.method === 'GET');
    assert.ok(reads.every((r) => r.query['property'] === 'notification_id' && r.query['property_operator'] === 'in'));
    const pending = ids.filter((id) => id % 3 !== 0);
    assert.deepEqual(reads.map((r) => String(r.query['property_value']).split(',').length), [100, pending.length - 100]);
    assert.deepEqual(puts().map((r) => Number(r.body['notification_id'])).sort((a, b) => a - b), pending);
    assert.ok(puts().every((r) => Object.keys(r.body).sort().join() === 'notification_id,notification_view'), 'only the key and the field');
    assert.equal(result.outcomes.filter((o) => o.status === 'done').length, pending.length);
    assert.equal(result.outcomes.filter((o) => o.status === 'unchanged').length, ids.length - pending.length);
    for (const id of ids) assert.equal(fx.sandbox.store.getRecord('website_notifications', id)!['notification_view'], '1');
  });

  it('at 100 requests a minute each batch is 16 records: one read, then its 16 writes, before the next read', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => i + 501);
    for (const id of ids) fx.sandbox.store.putRecord('website_notifications', id, { notification_view: '0' });
    const plan = viewedPlan(listed(ids));
    fx.sandbox.clearRequests();
    await runBulk(fx.api, plan, { batchSize: batchSizeFor(100) });
    const kinds = fx.sandbox.requests().map((r) => (r.method === 'GET' ? `R${String(r.query['property_value']).split(',').length}` : 'W'));
    const runs = kinds.join(' ').split(/\s*R/).filter(Boolean).map((run) => run.trim().split(' '));
    assert.deepEqual(runs.map((run) => [Number(run[0]), run.length - 1]), [[16, 16], [16, 16], [8, 8]]);
  });

  it('a record changed on the server since it was listed is not overwritten (skipped); one changed to my value counts unchanged', async () => {
    const records = listed([1, 2, 3]).map((r) => ({ ...r, notification_view: '0' }));
    for (const id of [1, 2, 3]) fx.sandbox.store.putRecord('website_notifications', id, { notification_view: '0' });
    const plan = viewedPlan(records);
    // Someone else sets 1 to "2" (a value of their own) and 2 to "1" (mine) after the listing.
    fx.sandbox.store.putRecord('website_notifications', 1, { notification_view: '2' });
    fx.sandbox.store.putRecord('website_notifications', 2, { notification_view: '1' });
    fx.sandbox.clearRequests();
    const result = await runBulk(fx.api, plan);
    assert.deepEqual(result.outcomes.map((o) => o.status), ['skipped', 'unchanged', 'done']);
    assert.match(renderText(result.outcomes[0]!.reason!), /changed on the server since it was listed \(notification_view\), skipped/);
    assert.equal(fx.sandbox.store.getRecord('website_notifications', 1)!['notification_view'], '2');
    assert.deepEqual(puts().map((r) => r.body['notification_id']), ['3']);
  });

  it('lost replies are read again, not resent: applied ones count done, the others fail; Retry sends only those, once', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => i + 101);
    for (const id of ids) fx.sandbox.store.putRecord('website_notifications', id, { notification_view: '0' });
    const plan = viewedPlan(listed(ids));
    fx.sandbox.addFault({ method: 'PUT', path: PUT, kind: 'applyThenDrop', count: 3 });
    fx.sandbox.addFault({ method: 'PUT', path: PUT, kind: 'drop', count: 2 });
    fx.sandbox.addFault({ method: 'PUT', path: PUT, kind: 'status', status: 500, count: 2 });
    fx.sandbox.clearRequests();
    const first = await runBulk(fx.api, plan, { concurrency: 1 });
    const failed = first.outcomes.filter((o) => o.status === 'failed').map((o) => o.id);
    assert.equal(failed.length, 4, '2 dropped before processing + 2 answered 500');
    assert.equal(first.outcomes.filter((o) => o.status === 'done').length, 16, '13 acknowledged + 3 applied with the reply lost');
    assert.deepEqual(first.requests.filter((r) => r.result === 'lost').length, 5);
    const retry = retryPlan(plan, first.outcomes)!;
    assert.deepEqual(retry.entries.map((e) => e.id).sort(), [...failed].sort());
    const second = await runBulk(fx.api, retry);
    assert.ok(second.outcomes.every((o) => o.status === 'done'));
    const all = mergeOutcomes(first.outcomes, second.outcomes);
    assert.ok(all.every((o) => o.status === 'done'));
    const applied = appliedPutsById();
    assert.deepEqual([...applied.keys()].sort(), ids.map(String).sort());
    assert.ok([...applied.values()].every((n) => n === 1), `each record updated exactly once: ${JSON.stringify([...applied])}`);
  });

  it('a retry of a record whose reply was lost and which could not be read back counts it done without sending again', async () => {
    fx.sandbox.store.putRecord('website_notifications', 7, { notification_view: '0' });
    const plan = viewedPlan(listed([7]));
    fx.sandbox.addFault({ method: 'PUT', path: PUT, kind: 'applyThenDrop' });
    // The re-read after the lost reply fails on every attempt.
    fx.sandbox.addFault({ method: 'GET', path: '/api/v2/website_notifications/get', kind: 'status', status: 500, after: 1, count: 4 });
    const first = await runBulk(fx.api, plan);
    assert.equal(first.outcomes[0]!.status, 'unknown');
    const retry = retryPlan(plan, first.outcomes)!;
    assert.equal(retry.entries[0]!.replyLost, true);
    fx.sandbox.clearRequests();
    const second = await runBulk(fx.api, retry);
    assert.equal(second.outcomes[0]!.status, 'done');
    assert.equal(puts().length, 0, 'read again, not resent');
  });

  it('delete: every record of a batch is kept before any delete is sent; a delete refused with a 4xx gives its copy back', async () => {
    const plan = planBulk('S', WEBSITE_NOTIFICATIONS, { kind: 'delete' }, listed([11, 12, 13]), 'selection');
    fx.sandbox.addFault({ method: 'DELETE', path: DELETE, kind: 'status', status: 400, after: 1 });
    const kept: string[] = [];
    const given: string[] = [];
    const result = await runBulk(fx.api, plan, {
      concurrency: 1,
      beforeDelete: async (records) => {
        assert.equal(fx.sandbox.requests().filter((r) => r.method === 'DELETE').length, 0, 'kept before any delete');
        kept.push(...records.map((r) => r['notification_id']!));
      },
      notDeleted: async (records) => void given.push(...records.map((r) => r['notification_id']!)),
    });
    assert.deepEqual(kept, ['11', '12', '13']);
    assert.deepEqual(result.outcomes.map((o) => o.status), ['done', 'failed', 'done']);
    assert.deepEqual(given, ['12']);
    assert.equal(fx.sandbox.store.getRecord('website_notifications', 12) !== undefined, true);
    assert.equal(fx.sandbox.store.getRecord('website_notifications', 11), undefined);
  });

  it('delete applied but answered 500 or with a gateway HTML page: the kept copy stays, and Retry counts it done without sending again', async () => {
    const plan = planBulk('S', WEBSITE_NOTIFICATIONS, { kind: 'delete' }, listed([21, 22, 23]), 'selection');
    fx.sandbox.addFault({ method: 'DELETE', path: DELETE, kind: 'status', status: 500, apply: true });
    fx.sandbox.addFault({ method: 'DELETE', path: DELETE, kind: 'html', status: 502, apply: true });
    const given: string[] = [];
    const first = await runBulk(fx.api, plan, { concurrency: 1, beforeDelete: async () => undefined, notDeleted: async (records) => void given.push(...records.map((r) => r['notification_id']!)) });
    assert.equal(fx.sandbox.store.getRecord('website_notifications', 21), undefined, 'the sandbox applied it');
    assert.equal(fx.sandbox.store.getRecord('website_notifications', 22), undefined, 'the sandbox applied it');
    assert.deepEqual(first.outcomes.map((o) => [o.status, o.uncertain === true]), [['failed', true], ['failed', true], ['done', false]]);
    assert.equal(given.join(), '', 'no kept copy given back for a delete that may have happened');
    fx.sandbox.clearRequests();
    const second = await runBulk(fx.api, retryPlan(plan, first.outcomes)!, { beforeDelete: async () => undefined, notDeleted: async (records) => void given.push(...records.map((r) => r['notification_id']!)) });
    assert.deepEqual(second.outcomes.map((o) => o.status), ['done', 'done']);
    assert.equal(fx.sandbox.requests().filter((r) => r.method === 'DELETE').length, 0, 'read again, not resent');
    assert.equal(given.join(), '');
  });

  it('an update applied but answered with an unreadable gateway page is uncertain: Retry finds the change and counts it done', async () => {
    fx.sandbox.store.putRecord('website_notifications', 31, { notification_view: '0' });
    const plan = viewedPlan(listed([31]));
    fx.sandbox.addFault({ method: 'PUT', path: PUT, kind: 'html', status: 504, apply: true });
    const first = await runBulk(fx.api, plan);
    assert.equal(first.outcomes[0]!.status, 'failed');
    assert.equal(first.outcomes[0]!.uncertain, true);
    fx.sandbox.clearRequests();
    const second = await runBulk(fx.api, retryPlan(plan, first.outcomes)!);
    assert.equal(second.outcomes[0]!.status, 'done');
    assert.equal(puts().length, 0);
  });

  it('delete whose reply was lost and whose record is still there when read again: the kept copy stays (the delete may still land)', async () => {
    const plan = planBulk('S', WEBSITE_NOTIFICATIONS, { kind: 'delete' }, listed([41, 42]), 'selection');
    fx.sandbox.addFault({ method: 'DELETE', path: DELETE, kind: 'drop' });
    const given: string[] = [];
    const result = await runBulk(fx.api, plan, { concurrency: 1, beforeDelete: async () => undefined, notDeleted: async (records) => void given.push(...records.map((r) => r['notification_id']!)) });
    assert.deepEqual(result.outcomes.map((o) => o.status), ['failed', 'done']);
    assert.ok(fx.sandbox.store.getRecord('website_notifications', 41));
    assert.equal(given.join(), '', 'never given back');
    // Retry: read again, kept again (the journal replaces the entry), deleted; a refusal this time still gives nothing back.
    fx.sandbox.addFault({ method: 'DELETE', path: DELETE, kind: 'status', status: 400 });
    const second = await runBulk(fx.api, retryPlan(plan, result.outcomes)!, { beforeDelete: async () => undefined, notDeleted: async (records) => void given.push(...records.map((r) => r['notification_id']!)) });
    assert.deepEqual(second.outcomes.map((o) => o.status), ['failed']);
    assert.equal(given.join(), '', 'an earlier delete with an unknown outcome keeps its copy');
  });

  it('cancel during a delete batch: records kept but never sent get their copies back; those sent keep theirs', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => i + 301);
    const plan = planBulk('S', WEBSITE_NOTIFICATIONS, { kind: 'delete' }, listed(ids), 'selection');
    const abort = new AbortController();
    const kept: string[] = [];
    const given: string[] = [];
    const result = await runBulk(fx.api, plan, {
      signal: abort.signal,
      concurrency: 1,
      onProgress: (settled) => settled === 3 && abort.abort(),
      beforeDelete: async (records) => void kept.push(...records.map((r) => r['notification_id']!)),
      notDeleted: async (records) => void given.push(...records.map((r) => r['notification_id']!)),
    });
    assert.equal(kept.length, 10);
    const sent = new Set(fx.sandbox.requests().filter((r) => r.method === 'DELETE').map((r) => String(r.body['notification_id'])));
    const notRun = result.outcomes.filter((o) => o.status === 'notRun').map((o) => o.id);
    assert.ok(notRun.length >= 6, `${notRun.length} not run`);
    assert.deepEqual([...given].sort(), ids.map(String).filter((id) => !sent.has(id)).sort(), 'exactly the records never sent');
    for (const id of given) assert.ok(fx.sandbox.store.getRecord('website_notifications', Number(id)), `${id} is still on the server`);
  });

  it('cancel: what was not sent is not run, and a retry finishes it', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => i + 201);
    for (const id of ids) fx.sandbox.store.putRecord('website_notifications', id, { notification_view: '0' });
    const plan = viewedPlan(listed(ids));
    const abort = new AbortController();
    const result = await runBulk(fx.api, plan, { signal: abort.signal, concurrency: 1, onProgress: (settled) => settled === 10 && abort.abort() });
    assert.equal(result.cancelled, true);
    const notRun = result.outcomes.filter((o) => o.status === 'notRun').length;
    assert.ok(notRun >= 19, `${notRun} not run`);
    const second = await runBulk(fx.api, retryPlan(plan, result.outcomes)!);
    assert.ok(mergeOutcomes(result.outcomes, second.outcomes).every((o) => o.status === 'done'));
    assert.ok([...appliedPutsById().values()].every((n) => n === 1));
  });

  it('all matching a filter: listed by key, 100 a page, every match once', async () => {
    const filters = [{ field: 'notification_view', operator: 'eq' as const, value: '0' }];
    const records = await listMatching(fx.api, WEBSITE_NOTIFICATIONS, filters);
    const expected = fx.sandbox.store.rows('website_notifications').filter((r) => r['notification_view'] === '0').length;
    assert.equal(records.length, expected);
    assert.equal(new Set(records.map((r) => r['notification_id'])).size, expected);
    assert.equal(fx.sandbox.requests().length, Math.ceil(expected / 100) + (expected % 100 === 0 ? 1 : 0));
  });
});

describe('Bulk runner: what it reports for the save history (unit, plain Node)', function () {
  this.timeout(20_000);
  const fx = withSandboxApi('brilliantDirectories');

  it('reports each batch\'s updates once, with the record before, what was sent and after; a lost reply found applied too; nothing for unchanged ones', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => i + 301);
    for (const id of ids) fx.sandbox.store.putRecord('website_notifications', id, { notification_view: id === 301 ? '1' : '0' });
    const listedRecords = ids.map((id) => ({ ...fx.sandbox.store.getRecord('website_notifications', id)!, notification_view: '0' }) as ApiRecord);
    const plan = planBulk('S', WEBSITE_NOTIFICATIONS, { kind: 'setFields', fields: { notification_view: '1' } }, listedRecords, 'selection');
    fx.sandbox.addFault({ method: 'PUT', path: '/api/v2/website_notifications/update', kind: 'applyThenDrop', count: 1 });
    const calls: { id: string; before: string | null | undefined; sent: Readonly<Record<string, string | null>>; after: string | null | undefined }[][] = [];
    await runBulk(fx.api, plan, { batchSize: 4, concurrency: 1, written: (writes) => calls.push(writes.map((w) => ({ id: w.id, before: w.before['notification_view'], sent: w.sent, after: w.after['notification_view'] }))) });
    // Batches of 4: 301 already had the value (no write); the first write's reply was lost, found applied at the end.
    assert.deepEqual(calls.map((batch) => batch.map((w) => w.id)), [['303', '304'], ['305', '306', '307', '308'], ['309', '310'], ['302']]);
    for (const w of calls.flat()) assert.deepEqual([w.before, w.sent, w.after], ['0', { notification_view: '1' }, '1']);
  });
});
