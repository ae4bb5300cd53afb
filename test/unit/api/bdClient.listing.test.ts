import { strict as assert } from 'node:assert';
import type { RecordFilter } from '../../../src/api/filters';
import { CONTACTS, WEBSITE_NOTIFICATIONS } from '../../../src/api/resources';
import { rejectsWithKind } from '../support/apiAssert';
import { apiRequests, settle } from '../support/sandboxHelpers';
import { withSandboxApi } from '../support/sandboxApi';

const f = (field: string, operator: RecordFilter['operator'], value = ''): RecordFilter => ({ field, operator, value });

describe('BdClient listing against the sandbox', function () {
  this.timeout(30_000);
  const fixture = withSandboxApi('bdClient', { api: { retry: { baseDelayMs: 10, maxDelayMs: 50 } } });

  describe('paging through everything', () => {
    it('yields each of the 12,100 notifications exactly once and stops after ceil(12100/100) pages', async () => {
      const seen = new Map<string, number>();
      for await (const record of fixture.api.records(WEBSITE_NOTIFICATIONS)) {
        const id = record['notification_id'] as string;
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      assert.equal(seen.size, 12_100);
      assert.deepEqual([...seen.values()].filter((n) => n !== 1), [], 'some ids came more than once');
      const expectedIds = new Set(fixture.sandbox.store.rows('website_notifications').map((r) => r['notification_id'] as string));
      assert.deepEqual(new Set(seen.keys()), expectedIds);
      const listRequests = apiRequests(fixture.sandbox, 'website_notifications/get', 'GET');
      assert.equal(listRequests.length, Math.ceil(12_100 / 100));
    });

    it('pages() reports every page, the last one without a cursor although the server sent one', async () => {
      const pages = [];
      for await (const page of fixture.api.pages(CONTACTS, { limit: 100 })) pages.push(page);
      assert.deepEqual(pages.map((p) => p.records.length), [100, 100, 38]);
      assert.deepEqual(pages.map((p) => p.currentPage), [1, 2, 3]);
      assert.ok(pages.slice(0, 2).every((p) => typeof p.nextCursor === 'string' && p.nextCursor.length > 0));
      assert.equal(pages[2]!.nextCursor, undefined);
      assert.equal(apiRequests(fixture.sandbox, 'contacts/get').length, 3);
    });

    it('orders a full listing by primary key by default, so pages are stable', async () => {
      await fixture.api.listPage(CONTACTS, { limit: 5 }); // listPage alone sends no order
      fixture.sandbox.clearRequests();
      const ids: number[] = [];
      for await (const record of fixture.api.records(CONTACTS)) ids.push(Number(record['contact_id']));
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
      const [first] = apiRequests(fixture.sandbox, 'contacts/get');
      assert.equal(first!.query['order_column'], 'contact_id');
      assert.equal(first!.query['order_type'], 'ASC');
    });
  });

  describe('cursor semantics', () => {
    it('sends limit on the first page, then only the cursor, passed back verbatim', async () => {
      const first = await fixture.api.listPage(CONTACTS, { limit: 10 });
      assert.equal(first.records.length, 10);
      assert.ok(first.nextCursor);
      const second = await fixture.api.listPage(CONTACTS, { cursor: first.nextCursor, limit: 10 });
      assert.equal(second.records.length, 10);
      assert.equal(second.currentPage, 2);
      const [r1, r2] = apiRequests(fixture.sandbox, 'contacts/get');
      assert.equal(r1!.query['limit'], '10');
      assert.equal(r1!.query['page'], undefined);
      assert.equal(r2!.query['page'], first.nextCursor);
      assert.equal('limit' in r2!.query, false, 'limit must not be sent with a cursor');
      const firstIds = new Set(first.records.map((r) => r['contact_id']));
      assert.ok(second.records.every((r) => !firstIds.has(r['contact_id'])), 'page 2 repeats page 1');
    });

    it('turns the string total into a number and keeps the page counts', async () => {
      const page = await fixture.api.listPage(CONTACTS, { limit: 25 });
      assert.equal(page.total, 238);
      assert.equal(typeof page.total, 'number');
      assert.equal(page.totalPages, 10);
      assert.equal(page.currentPage, 1);
    });

    it('has nextCursor undefined on the last page', async () => {
      let page = await fixture.api.listPage(CONTACTS, { limit: 100 });
      while (page.nextCursor !== undefined) page = await fixture.api.listPage(CONTACTS, { cursor: page.nextCursor });
      assert.equal(page.currentPage, 3);
      assert.equal(page.records.length, 38);
      assert.equal(apiRequests(fixture.sandbox, 'contacts/get').length, 3);
    });

    it('refuses a limit outside 1..100 without sending anything', async () => {
      for (const limit of [0, -1, 101, 1000, 2.5, Number.NaN]) {
        const error = await rejectsWithKind(fixture.api.listPage(CONTACTS, { limit }), 'invalidInput');
        assert.equal(error.details.field, 'limit');
      }
      assert.deepEqual(fixture.sandbox.requests(), []);
    });

    it('accepts the bounds 1 and 100', async () => {
      assert.equal((await fixture.api.listPage(CONTACTS, { limit: 1 })).records.length, 1);
      assert.equal((await fixture.api.listPage(CONTACTS, { limit: 100 })).records.length, 100);
    });
  });

  describe('filters', () => {
    const contacts = () => fixture.sandbox.store.rows('contacts');
    const idsOf = (records: readonly Record<string, string | null>[]) => records.map((r) => r['contact_id']).sort();

    it('sends one filter as property / property_value / property_operator', async () => {
      const page = await fixture.api.listPage(CONTACTS, { limit: 100, filters: [f('city', 'eq', 'Miami')] });
      const expected = contacts().filter((r) => r['city'] === 'Miami');
      assert.ok(expected.length > 1);
      assert.deepEqual(idsOf(page.records), idsOf(expected));
      const [request] = apiRequests(fixture.sandbox, 'contacts/get');
      assert.equal(request!.query['property'], 'city');
      assert.equal(request!.query['property_value'], 'Miami');
      assert.equal(request!.query['property_operator'], 'eq');
    });

    it('ANDs several filters sent as property[] / property_value[] / property_operator[]', async () => {
      const filters = [f('city', 'eq', 'Miami'), f('active', 'eq', '1'), f('email', 'ends_with', 'example.com')];
      const page = await fixture.api.listPage(CONTACTS, { limit: 100, filters });
      const expected = contacts().filter((r) => r['city'] === 'Miami' && r['active'] === '1' && (r['email'] ?? '').toLowerCase().endsWith('example.com'));
      const miami = contacts().filter((r) => r['city'] === 'Miami');
      // Each condition must narrow the result, so an OR or a dropped condition would show.
      assert.ok(expected.length > 0 && expected.length < miami.filter((r) => r['active'] === '1').length && expected.length < miami.length);
      assert.deepEqual(idsOf(page.records), idsOf(expected));
      const [request] = apiRequests(fixture.sandbox, 'contacts/get');
      assert.deepEqual(request!.query['property[]'], ['city', 'active', 'email']);
      assert.deepEqual(request!.query['property_value[]'], ['Miami', '1', 'example.com']);
      assert.deepEqual(request!.query['property_operator[]'], ['eq', 'eq', 'ends_with']);
      assert.equal(request!.query['property'], undefined);
    });

    it('sends a valueless operator (is_null) with an empty value', async () => {
      const page = await fixture.api.listPage(CONTACTS, { limit: 100, filters: [f('company', 'is_null')] });
      const expected = contacts().filter((r) => r['company'] === null);
      assert.ok(expected.length > 0);
      assert.deepEqual(idsOf(page.records), idsOf(expected));
      const [request] = apiRequests(fixture.sandbox, 'contacts/get');
      assert.equal(request!.query['property_operator'], 'is_null');
      assert.equal(request!.query['property_value'], '');
    });

    it('sends in and between with comma-separated values', async () => {
      const inPage = await fixture.api.listPage(CONTACTS, { limit: 100, filters: [f('contact_id', 'in', '3,7,11')] });
      assert.deepEqual(idsOf(inPage.records), ['11', '3', '7']);
      const between = await fixture.api.listPage(CONTACTS, { limit: 100, filters: [f('contact_id', 'between', '10,20')] });
      assert.equal(between.records.length, 11);
      assert.ok(between.records.every((r) => Number(r['contact_id']) >= 10 && Number(r['contact_id']) <= 20));
      const [r1, r2] = apiRequests(fixture.sandbox, 'contacts/get');
      assert.equal(r1!.query['property_value'], '3,7,11');
      assert.equal(r2!.query['property_value'], '10,20');
      assert.equal(r2!.query['property_operator'], 'between');
    });

    it('refuses malformed filters locally, sending nothing', async () => {
      const bad: RecordFilter[][] = [
        [f('city', 'equals' as RecordFilter['operator'], 'Miami')],
        [f('contact_id', '<' as RecordFilter['operator'], '5')],
        [f('company', '%' as RecordFilter['operator'], 'Acme')],
        [f('first name', 'eq', 'Jane')],
        [f('city;--', 'eq', 'Jane')],
        [f('city', 'eq', '')],
        [f('contact_id', 'between', '10')],
        [f('city', 'eq', 'Miami'), f('active', 'in', ' ')],
      ];
      for (const filters of bad) await rejectsWithKind(fixture.api.listPage(CONTACTS, { filters }), 'invalidInput');
      await rejectsWithKind(async () => {
        for await (const _ of fixture.api.records(CONTACTS, { filters: [f('contact_id', 'between', '1')] })) void _;
      }, 'invalidInput');
      assert.deepEqual(fixture.sandbox.requests(), []);
    });

    it('reports the server refusing a filter ("Invalid filter parameters") as badRequest with its words', async () => {
      const error = await rejectsWithKind(fixture.api.listPage(CONTACTS, { filters: [f('date_created', 'since_days', 'last week')] }), 'badRequest');
      assert.match(error.message, /Invalid filter parameters/);
      assert.equal(error.details.serverMessage, 'Invalid filter parameters');
      assert.equal(error.details.status, 400);
      assert.equal(apiRequests(fixture.sandbox, 'contacts/get').length, 1, 'a 400 is not retried');
    });

    it('answers an unknown column with an empty list, not an error', async () => {
      const page = await fixture.api.listPage(CONTACTS, { filters: [f('no_such_column', 'eq', 'x')] });
      assert.deepEqual(page.records, []);
      assert.equal(page.total, 0);
      assert.equal(page.nextCursor, undefined);
      const all = [];
      for await (const record of fixture.api.records(CONTACTS, { filters: [f('no_such_column', 'eq', 'x')] })) all.push(record);
      assert.deepEqual(all, []);
    });
  });

  describe('order', () => {
    it('sends order_column / order_type and gets that order back', async () => {
      const page = await fixture.api.listPage(CONTACTS, { limit: 50, order: { field: 'contact_id', direction: 'DESC' } });
      assert.deepEqual(page.records.slice(0, 3).map((r) => r['contact_id']), ['238', '237', '236']);
      const [request] = apiRequests(fixture.sandbox, 'contacts/get');
      assert.equal(request!.query['order_column'], 'contact_id');
      assert.equal(request!.query['order_type'], 'DESC');
    });

    it('refuses an order column that is not a field name, sending nothing', async () => {
      await rejectsWithKind(fixture.api.listPage(CONTACTS, { order: { field: 'contact_id; DROP TABLE', direction: 'ASC' } }), 'invalidInput');
      assert.deepEqual(fixture.sandbox.requests(), []);
    });
  });

  describe('cancellation', () => {
    it('stops records() with kind cancelled when the signal aborts between pages, sending no further request', async () => {
      const controller = new AbortController();
      let count = 0;
      const error = await rejectsWithKind(async () => {
        for await (const _ of fixture.api.records(WEBSITE_NOTIFICATIONS, { signal: controller.signal })) {
          count++;
          if (count === 150) controller.abort();
        }
      }, 'cancelled');
      assert.ok(count >= 150 && count <= 200, `iterated ${count} records after aborting at 150`);
      assert.equal(apiRequests(fixture.sandbox, 'website_notifications/get').length, 2, 'no page was asked for after the abort');
      assert.equal(error.details.endpoint, 'website_notifications/get');
    });

    it('stops records() while a page is in flight, before the slow server answers', async () => {
      fixture.sandbox.configure({ latencyMs: 800 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      await rejectsWithKind(async () => {
        for await (const _ of fixture.api.records(WEBSITE_NOTIFICATIONS, { signal: controller.signal })) void _;
      }, 'cancelled');
      // The fixture.sandbox records a request only once its latency is over: the client gave up before that, without retrying.
      assert.equal(fixture.sandbox.requests().length, 0, 'the client waited for the reply instead of cancelling');
      await settle(fixture.sandbox, 1);
      assert.equal(fixture.sandbox.requests().length, 1, 'a cancelled request was retried');
    });

    it('refuses to start with an already-aborted signal', async () => {
      const controller = new AbortController();
      controller.abort();
      await rejectsWithKind(fixture.api.listPage(CONTACTS, { signal: controller.signal }), 'cancelled');
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(fixture.sandbox.requests(), []);
    });
  });
});
