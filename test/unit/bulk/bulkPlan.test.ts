import { strict as assert } from 'node:assert';
import { CONTACTS, USERS_CLICKS, WEBSITE_NOTIFICATIONS } from '../../../src/api/resources';
import { batchFilter, batches, batchSizeFor, pacedDurationMs, pendingEntries, planBulk, plannedRequests, setFieldProblem, unknownFilterColumns } from '../../../src/bulk/bulkPlan';
import { countOutcomes, mergeOutcomes, retryPlan, type EntryOutcome } from '../../../src/bulk/bulkOutcome';
import { renderText } from '../../../src/api/text';
import { throwsWithKind } from '../support/apiAssert';

const note = (id: number, view: string) => ({ notification_id: String(id), notification_view: view, notification_title: `n${id}` });

describe('Bulk plan (unit)', () => {
  it('lists each record with exactly what changes, old → new; one that already has the value changes nothing', () => {
    const plan = planBulk('S', WEBSITE_NOTIFICATIONS, { kind: 'setFields', fields: { notification_view: '1' } }, [note(1, '0'), note(2, '1'), note(3, '0')], 'selection');
    assert.deepEqual(plan.entries.map((e) => [e.id, e.changes]), [
      ['1', [{ field: 'notification_view', before: '0', after: '1' }]],
      ['2', []],
      ['3', [{ field: 'notification_view', before: '0', after: '1' }]],
    ]);
    assert.deepEqual(pendingEntries(plan).map((e) => e.id), ['1', '3']);
    assert.deepEqual(plannedRequests(plan, 100), { reads: 1, writes: 2 });
  });

  it('drops a record listed twice, and clears with "" as with null', () => {
    const records = [{ contact_id: '5', company: 'A' }, { contact_id: '5', company: 'A' }, { contact_id: '6', company: null }];
    const plan = planBulk('S', CONTACTS, { kind: 'setFields', fields: { company: '' } }, records, 'matching');
    assert.deepEqual(plan.entries.map((e) => [e.id, e.changes]), [['5', [{ field: 'company', before: 'A', after: null }]], ['6', []]]);
  });

  it('refuses read-only fields, an empty change, and resources that cannot take the action, before anything runs', () => {
    throwsWithKind(() => planBulk('S', CONTACTS, { kind: 'setFields', fields: { contact_id: '1' } }, [], 'selection'), 'invalidInput');
    throwsWithKind(() => planBulk('S', CONTACTS, { kind: 'setFields', fields: {} }, [], 'selection'), 'invalidInput');
    const clicks = { ...USERS_CLICKS, canUpdate: false, canDelete: false };
    throwsWithKind(() => planBulk('S', clicks, { kind: 'delete' }, [], 'selection'), 'invalidInput');
    throwsWithKind(() => planBulk('S', clicks, { kind: 'setFields', fields: { click_name: 'x' } }, [], 'selection'), 'invalidInput');
  });

  it('a delete sends one request per record plus one read per 100', () => {
    const records = Array.from({ length: 250 }, (_, i) => note(i + 1, '0'));
    const plan = planBulk('S', WEBSITE_NOTIFICATIONS, { kind: 'delete' }, records, 'matching');
    assert.deepEqual(plannedRequests(plan, 100), { reads: 3, writes: 250 });
  });

  it('batch size fits the site\'s pace: its writes go out within ~10 s of its read (rpm / 6, 1 to 100), and the planned reads follow it', () => {
    assert.equal(batchSizeFor(100), 16, "BD's default 100 a minute: 16 records, 17 requests in ~10 s");
    assert.equal(batchSizeFor(60), 10);
    assert.equal(batchSizeFor(5), 1);
    assert.equal(batchSizeFor(1), 1);
    assert.equal(batchSizeFor(600), 100);
    assert.equal(batchSizeFor(1000), 100);
    const records = Array.from({ length: 250 }, (_, i) => note(i + 1, '0'));
    const plan = planBulk('S', WEBSITE_NOTIFICATIONS, { kind: 'delete' }, records, 'matching');
    assert.deepEqual(plannedRequests(plan, batchSizeFor(100)), { reads: 16, writes: 250 });
  });

  it('batches of at most 100, in order; the batch read is `in` on the primary key', () => {
    const ids = Array.from({ length: 201 }, (_, i) => String(i + 1));
    const split = batches(ids);
    assert.deepEqual(split.map((b) => b.length), [100, 100, 1]);
    assert.deepEqual(split.flat(), ids);
    assert.deepEqual(batchFilter(WEBSITE_NOTIFICATIONS, ['3', '4']), { field: 'notification_id', operator: 'in', value: '3,4' });
  });

  it('a job longer than a minute is one that needs more than one window of requests', () => {
    assert.equal(pacedDurationMs(0, 100), 0);
    assert.equal(pacedDurationMs(100, 100), 0);
    assert.equal(pacedDurationMs(101, 100), 60_000);
    assert.equal(pacedDurationMs(1010, 100), 600_000);
    assert.equal(pacedDurationMs(1010, 1000), 60_000);
  });

  it('a filter on a column the resource does not have (fields nor columns seen) is named', () => {
    const filters = [{ field: 'notification_view', operator: 'eq' as const, value: '0' }, { field: 'notifcation_title', operator: 'eq' as const, value: 'x' }, { field: 'custom_col', operator: 'eq' as const, value: 'y' }];
    assert.deepEqual(unknownFilterColumns(WEBSITE_NOTIFICATIONS, filters, ['custom_col']), ['notifcation_title']);
    assert.deepEqual(unknownFilterColumns(WEBSITE_NOTIFICATIONS, filters.slice(0, 1), []), []);
  });

  it('Set Field checks the value against the field: whole numbers, dates in their digits, lengths, read-only, unknown', () => {
    const problem = (field: string, value: string, seen: string[] = []) => {
      const text = setFieldProblem(WEBSITE_NOTIFICATIONS, field, value, seen);
      return text && renderText(text);
    };
    assert.equal(problem('notification_view', '1'), undefined);
    assert.match(problem('notification_view', 'yes')!, /whole number/);
    assert.match(problem('notification_id', '3')!, /read-only/);
    assert.match(problem('notification_date', '2026-01-01')!, /YYYYMMDDHHMM/);
    assert.equal(problem('notification_date', '202601011200'), undefined);
    assert.match(problem('notification_title', 'x'.repeat(256))!, /at most 255/);
    assert.match(problem('no_such', 'x')!, /not a field/);
    assert.equal(problem('site_custom', 'x', ['site_custom']), undefined);
    assert.equal(problem('notification_view', ''), undefined, 'empty clears');
  });
});

describe('Bulk outcome and retry (unit)', () => {
  const plan = planBulk('S', WEBSITE_NOTIFICATIONS, { kind: 'setFields', fields: { notification_view: '1' } }, [1, 2, 3, 4, 5, 6].map((n) => note(n, '0')), 'selection');
  const outcomes: EntryOutcome[] = [
    { id: '1', status: 'done' },
    { id: '2', status: 'failed', uncertain: true },
    { id: '3', status: 'unknown' },
    { id: '4', status: 'skipped' },
    { id: '5', status: 'notRun' },
    { id: '6', status: 'unchanged' },
  ];

  it('counts each status', () => {
    assert.deepEqual(countOutcomes(outcomes), { done: 1, unchanged: 1, skipped: 1, failed: 1, unknown: 1, notRun: 1 });
  });

  it('a retry takes the failed, the unknown (marked: their reply was lost, or the site answered 5xx) and the ones never run, not the skipped or done', () => {
    const retry = retryPlan(plan, outcomes)!;
    assert.deepEqual(retry.entries.map((e) => [e.id, e.replyLost === true]), [['2', true], ['3', true], ['5', false]]);
    const refused = retryPlan(plan, [{ id: '2', status: 'failed' }])!;
    assert.equal(refused.entries[0]!.replyLost, false, 'a plain failure (4xx) was surely not applied');
    assert.deepEqual(retry.entries[0]!.changes, plan.entries[1]!.changes, 'the same change as planned');
    assert.equal(retryPlan(plan, outcomes.filter((o) => o.status === 'done')), undefined);
  });

  it('the retried records take their new outcome; the rest keep theirs', () => {
    const merged = mergeOutcomes(outcomes, [{ id: '2', status: 'done' }, { id: '3', status: 'done' }]);
    assert.deepEqual(merged.map((o) => o.status), ['done', 'done', 'done', 'skipped', 'notRun', 'unchanged']);
  });
});
