import { strict as assert } from 'node:assert';
import { BdClient } from '../../../src/api/bdClient';
import type { ClickSearchProgress } from '../../../src/api/copernicaClient';
import { ApiError } from '../../../src/api/errors';
import { CONTACTS, COPERNICA_CLICKS, WEBSITE_NOTIFICATIONS, type ResourceDescriptor } from '../../../src/api/resources';
import type { ApiRecord } from '../../../src/api/schemas';
import { createSiteApi, type ListedPage, type ResourceQuery, type SiteApi, type SiteApiOptions } from '../../../src/sites/siteApi';
import { rejectsWithKind, sendJson, startStubServer } from '../support/apiAssert';
import { apiRequests } from '../support/sandboxHelpers';
import { withSandboxApi } from '../support/sandboxApi';

/**
 * Paging that holds while the data changes: BD by key (newest first, `pk lt <last key seen>`
 * ANDed with the filters), BD's cursor plus de-duplication for another order, Copernica newest
 * first under a frozen endtime, and the bounded Copernica click lookup.
 */
describe('Paging on live data (siteApi against the sandbox)', function () {
  this.timeout(30_000);
  const fx = withSandboxApi('none');
  const bd = (): SiteApi => fx.make('brilliantDirectories');
  const copernica = (extra: Partial<SiteApiOptions> = {}): SiteApi => fx.make('copernica', extra);

  const idsOf = (records: readonly ApiRecord[], resource: ResourceDescriptor): string[] => records.map((r) => r[resource.primaryKey]!);
  const rowIds = (model: 'contacts' | 'website_notifications' | 'copernica_clicks', pk: string): string[] => fx.sandbox.store.rows(model).map((r) => r[pk] as string);
  const maxId = (model: 'contacts' | 'website_notifications' | 'copernica_clicks', pk: string): number => Math.max(...rowIds(model, pk).map(Number));

  /** Someone else creates a record on the site: the next id, as the site's auto-increment would give it. */
  function createElsewhere(model: 'contacts' | 'website_notifications', pk: string, fields: Record<string, string>): string {
    const id = String(maxId(model, pk) + 1);
    fx.sandbox.store.putRecord(model, id, fields);
    return id;
  }

  async function listAll(api: SiteApi, resource: ResourceDescriptor, pageSize: number, query?: ResourceQuery, between?: (pageIndex: number, shown: readonly ApiRecord[]) => void): Promise<ListedPage[]> {
    const pages: ListedPage[] = [];
    let cursor: string | undefined;
    const shown: ApiRecord[] = [];
    do {
      const page = await api.listPage(resource, { pageSize, cursor, query });
      pages.push(page);
      shown.push(...page.records);
      cursor = page.nextCursor;
      if (cursor !== undefined) between?.(pages.length, shown);
      assert.ok(pages.length < 1000, 'the listing never ends');
    } while (cursor !== undefined);
    return pages;
  }

  describe('BD, default order: by primary key, newest first', () => {
    it('asks every page as a fresh first page: limit = page size, no cursor, `<pk> lt <last key seen>` ANDed with the filters', async () => {
      const api = bd();
      const query: ResourceQuery = { kind: 'bd', filters: [{ field: 'country_code', operator: 'eq', value: 'US' }] };
      const first = await api.listPage(CONTACTS, { pageSize: 10, query });
      const second = await api.listPage(CONTACTS, { pageSize: 10, query, cursor: first.nextCursor });
      assert.equal(first.paging, 'stable');
      const [r1, r2] = apiRequests(fx.sandbox, 'contacts/get');
      assert.deepEqual([r1!.query['order_column'], r1!.query['order_type'], r1!.query['limit'], r1!.query['page']], ['contact_id', 'DESC', '10', undefined]);
      assert.equal(r1!.query['property'], 'country_code');
      const lastKey = first.records.at(-1)!['contact_id']!;
      assert.deepEqual(r2!.query['property[]'], ['country_code', 'contact_id']);
      assert.deepEqual(r2!.query['property_operator[]'], ['eq', 'lt']);
      assert.deepEqual(r2!.query['property_value[]'], ['US', lastKey]);
      assert.deepEqual([r2!.query['order_column'], r2!.query['order_type'], r2!.query['limit'], r2!.query['page']], ['contact_id', 'DESC', '10', undefined]);
      const us = fx.sandbox.store.rows('contacts').filter((r) => r['country_code'] === 'US').map((r) => Number(r['contact_id'])).sort((a, b) => b - a);
      assert.deepEqual([...first.records, ...second.records].map((r) => Number(r['contact_id'])), us.slice(0, 20));
    });

    it('without changes lists all 238 contacts newest first, each once; the first page counts them all, later pages what is left', async () => {
      const pages = await listAll(bd(), CONTACTS, 25);
      const ids = pages.flatMap((p) => idsOf(p.records, CONTACTS)).map(Number);
      assert.deepEqual(ids, Array.from({ length: 238 }, (_, i) => 238 - i));
      assert.deepEqual(pages.map((p) => p.records.length), [25, 25, 25, 25, 25, 25, 25, 25, 25, 13]);
      assert.equal(pages[0]!.total, 238);
      assert.deepEqual(pages.slice(1).map((p) => p.remaining), [213, 188, 163, 138, 113, 88, 63, 38, 13]);
      assert.ok(pages.slice(1).every((p) => p.total === undefined));
      assert.equal(pages.at(-1)!.nextCursor, undefined);
      assert.equal(apiRequests(fx.sandbox, 'contacts/get').length, 10);
    });

    it('records created and deleted elsewhere between pages: every record that existed throughout exactly once, the others at most once', async () => {
      const before = new Set(rowIds('website_notifications', 'notification_id'));
      const created: string[] = [];
      const deleted: string[] = [];
      const fields = { notification_status: '1', notification_title: 'Arrived meanwhile', notification_message: 'New between pages' };
      const pages = await listAll(bd(), WEBSITE_NOTIFICATIONS, 100, undefined, (pageIndex, shown) => {
        if (pageIndex > 12) return;
        // New notifications arrive all the time …
        created.push(createElsewhere('website_notifications', 'notification_id', fields), createElsewhere('website_notifications', 'notification_id', fields));
        // … one already shown is deleted, and one not reached yet.
        const shownId = shown[Math.floor(shown.length / 2)]!['notification_id']!;
        const aheadId = String(Number(shown.at(-1)!['notification_id']) - 37);
        for (const id of [shownId, aheadId]) if (fx.sandbox.store.deleteRecord('website_notifications', id)) deleted.push(id);
      });
      const ids = pages.flatMap((p) => idsOf(p.records, WEBSITE_NOTIFICATIONS));
      const counts = new Map<string, number>();
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      assert.deepEqual([...counts].filter(([, n]) => n > 1), [], 'a record came twice');
      const throughout = [...before].filter((id) => !deleted.includes(id));
      assert.deepEqual(throughout.filter((id) => !counts.has(id)), [], 'a record that existed throughout was missed');
      assert.deepEqual(ids.filter((id) => !before.has(id) && !created.includes(id)), [], 'a record that never existed was shown');
      assert.equal(created.length, 24);
      assert.ok(deleted.length >= 20, `only ${deleted.length} deleted`);
      // Newest first all along, so the pages never overlap or go back.
      assert.deepEqual(ids.map(Number), [...ids.map(Number)].sort((a, b) => b - a));
    });

    it('the same changes break BD\'s offset cursor (what key paging is for)', async () => {
      const client = new BdClient({ siteUrl: fx.sandbox.url, apiKey: fx.sandbox.bdKey, rateLimit: null });
      try {
        const order = { field: 'contact_id', direction: 'DESC' } as const;
        const first = await client.listPage(CONTACTS, { limit: 25, order });
        const created = createElsewhere('contacts', 'contact_id', { first_name: 'New' });
        const second = await client.listPage(CONTACTS, { cursor: first.nextCursor, order });
        const firstIds = new Set(idsOf(first.records, CONTACTS));
        assert.ok(idsOf(second.records, CONTACTS).some((id) => firstIds.has(id)), 'the offset cursor repeated no record: the sandbox no longer shows the problem');
        fx.sandbox.store.deleteRecord('contacts', first.records[3]!['contact_id']!);
        fx.sandbox.store.deleteRecord('contacts', first.records[4]!['contact_id']!);
        const third = await client.listPage(CONTACTS, { cursor: second.nextCursor, order });
        const shown = new Set([...firstIds, ...idsOf(second.records, CONTACTS), ...idsOf(third.records, CONTACTS)]);
        const lowest = Math.min(...[...shown].map(Number));
        const skipped = rowIds('contacts', 'contact_id').filter((id) => id !== created && Number(id) > lowest && !shown.has(id));
        assert.ok(skipped.length > 0, 'the offset cursor skipped nothing after two deletes');
      } finally {
        await client.dispose();
      }
    });

    it('a filtered listing holds too: the key condition is one more ANDed condition', async () => {
      const query: ResourceQuery = { kind: 'bd', filters: [{ field: 'active', operator: 'eq', value: '1' }] };
      const activeBefore = new Set(fx.sandbox.store.rows('contacts').filter((r) => r['active'] === '1').map((r) => r['contact_id'] as string));
      const deleted: string[] = [];
      const pages = await listAll(bd(), CONTACTS, 10, query, (_, shown) => {
        createElsewhere('contacts', 'contact_id', { first_name: 'Active', active: '1' });
        const id = shown[0]!['contact_id']!;
        if (fx.sandbox.store.deleteRecord('contacts', id)) deleted.push(id);
      });
      const ids = pages.flatMap((p) => idsOf(p.records, CONTACTS));
      assert.equal(new Set(ids).size, ids.length);
      assert.deepEqual([...activeBefore].filter((id) => !deleted.includes(id) && !ids.includes(id)), []);
      assert.ok(pages.flatMap((p) => p.records).every((r) => r['active'] === '1'));
    });

    it('a site that ignores the key condition cannot make the listing go round in circles', async () => {
      const stub = await startStubServer((_req, res) =>
        sendJson(res, 200, { status: 'success', message: [{ contact_id: '9' }, { contact_id: '8' }], total: '40', current_page: 1, total_pages: 20, next_page: 'Mipf', prev_page: '' }),
      );
      const api = createSiteApi({ kind: 'brilliantDirectories', url: stub.url, secret: 'stub-key-1234567890', rateLimit: null, log: () => undefined });
      try {
        const first = await api.listPage(CONTACTS, { pageSize: 2 });
        assert.equal(first.nextCursor !== undefined, true);
        const second = await api.listPage(CONTACTS, { pageSize: 2, cursor: first.nextCursor });
        assert.deepEqual(second.records, [], 'records at or above the last key seen are not shown again');
        assert.equal(second.nextCursor, undefined);
      } finally {
        await api.dispose();
        await stub.close();
      }
    });

    it('refuses a cursor that does not fit the order, sending nothing', async () => {
      const api = bd();
      await rejectsWithKind(api.listPage(CONTACTS, { pageSize: 10, cursor: 'MipfKjI1' }), 'invalidInput');
      await rejectsWithKind(api.listPage(CONTACTS, { pageSize: 10, cursor: 'key:' }), 'invalidInput');
      await rejectsWithKind(api.listPage(CONTACTS, { pageSize: 10, cursor: 'key:12 or 1' }), 'invalidInput');
      assert.deepEqual(fx.sandbox.requests(), []);
    });

    it('BdClient refuses afterKey with a cursor or with an order not on the primary key', async () => {
      const client = new BdClient({ siteUrl: fx.sandbox.url, apiKey: fx.sandbox.bdKey, rateLimit: null });
      try {
        await rejectsWithKind(client.listPage(CONTACTS, { afterKey: '10', cursor: 'MipfKjI1', order: { field: 'contact_id', direction: 'DESC' } }), 'invalidInput');
        await rejectsWithKind(client.listPage(CONTACTS, { afterKey: '10', order: { field: 'last_name', direction: 'DESC' } }), 'invalidInput');
        await rejectsWithKind(client.listPage(CONTACTS, { afterKey: '10' }), 'invalidInput');
        const asc = await client.listPage(CONTACTS, { afterKey: '230', order: { field: 'contact_id', direction: 'ASC' }, limit: 100 });
        assert.deepEqual(idsOf(asc.records, CONTACTS), ['231', '232', '233', '234', '235', '236', '237', '238']);
        assert.equal(asc.total, 8);
        assert.deepEqual(fx.sandbox.requests().length, 1);
      } finally {
        await client.dispose();
      }
    });
  });

  describe('BD, another order: the cursor plus de-duplication', () => {
    const byName: ResourceQuery = { kind: 'bd', filters: [], order: { field: 'last_name', direction: 'ASC' } };

    it('follows BD\'s cursor (an opaque one of its own) and says the pages can shift', async () => {
      const api = bd();
      const first = await api.listPage(CONTACTS, { pageSize: 20, query: byName });
      assert.equal(first.paging, 'shifting');
      assert.equal(first.total, 238);
      const second = await api.listPage(CONTACTS, { pageSize: 20, query: byName, cursor: first.nextCursor });
      assert.equal(second.paging, 'shifting');
      const [r1, r2] = apiRequests(fx.sandbox, 'contacts/get');
      assert.deepEqual([r1!.query['order_column'], r1!.query['order_type'], r1!.query['limit']], ['last_name', 'ASC', '20']);
      assert.equal(typeof r2!.query['page'], 'string');
      assert.ok(first.nextCursor!.endsWith(r2!.query['page'] as string), 'the cursor carries BD\'s own, verbatim');
      assert.equal(r2!.query['property'], undefined, 'no key condition in this order');
      assert.equal(r2!.query['order_column'], 'last_name');
      const names = [...first.records, ...second.records].map((r) => r['last_name'] ?? '');
      assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      await rejectsWithKind(api.listPage(CONTACTS, { pageSize: 20, query: byName, cursor: 'key:12' }), 'invalidInput');
    });

    it('lists everything once when nothing changes; a created record shifts a repeat in, which the tree drops by key', async () => {
      const pages = await listAll(bd(), CONTACTS, 50, byName);
      const ids = pages.flatMap((p) => idsOf(p.records, CONTACTS));
      assert.equal(ids.length, 238);
      assert.equal(new Set(ids).size, 238);
      const api = bd();
      // Newest names first: a name after every other comes first and pushes the pages on by one.
      const byNameDesc: ResourceQuery = { kind: 'bd', filters: [], order: { field: 'last_name', direction: 'DESC' } };
      const first = await api.listPage(CONTACTS, { pageSize: 50, query: byNameDesc });
      createElsewhere('contacts', 'contact_id', { last_name: 'zzzz' });
      const second = await api.listPage(CONTACTS, { pageSize: 50, query: byNameDesc, cursor: first.nextCursor });
      const firstIds = new Set(idsOf(first.records, CONTACTS));
      assert.ok(idsOf(second.records, CONTACTS).some((id) => firstIds.has(id)), 'this order shifts; the model de-duplicates by primary key');
    });
  });

  describe('Copernica, newest first under a frozen endtime', () => {
    const NOW = new Date('2015-03-01T12:00:00Z');
    const clock = (): Date => NOW;
    const addClick = (timestamp: string): string => {
      const id = String(maxId('copernica_clicks', 'ID') + 1);
      fx.sandbox.store.putRecord('copernica_clicks', id, { mailing: '10', link: 'https://www.myshop.nl/new', timestamp, ip: '192.0.2.1', useragent: 'test', destination: String(900 + Number(id)), profile: null, subprofile: null });
      return id;
    };

    it('first page: one request counts and freezes endtime, the next reads the last page; newest first', async () => {
      const api = copernica({ now: clock });
      const first = await api.listPage(COPERNICA_CLICKS, { pageSize: 25 });
      assert.equal(first.total, 335);
      assert.equal(first.paging, 'stable');
      assert.deepEqual(idsOf(first.records, COPERNICA_CLICKS).map(Number), Array.from({ length: 25 }, (_, i) => 335 - i));
      const [count, last] = apiRequests(fx.sandbox, 'ms/clicks');
      assert.deepEqual([count!.query['start'], count!.query['limit'], count!.query['total'], count!.query['endtime']], ['0', '25', undefined, '2015-03-01 12:00:01']);
      assert.deepEqual([last!.query['start'], last!.query['limit'], last!.query['total'], last!.query['endtime']], ['310', '25', 'false', '2015-03-01 12:00:01']);
    });

    it('pages backward to the oldest, the last page short, with clicks added between pages: each click once, none of the new ones', async () => {
      const api = copernica({ now: clock });
      const added: string[] = [];
      const pages = await listAll(api, COPERNICA_CLICKS, 25, undefined, () => {
        // In the frozen second, after it, and (a clock behind ours) before it: all come after every counted offset.
        added.push(addClick('2015-03-01 12:00:00'), addClick('2015-03-02 08:00:00'), addClick('2015-02-28 23:59:59'));
      });
      const ids = pages.flatMap((p) => idsOf(p.records, COPERNICA_CLICKS)).map(Number);
      assert.deepEqual(ids, Array.from({ length: 335 }, (_, i) => 335 - i));
      assert.equal(pages.length, 14);
      assert.equal(pages.at(-1)!.records.length, 10);
      assert.equal(pages.at(-1)!.nextCursor, undefined);
      assert.ok(added.length > 30);
      const requests = apiRequests(fx.sandbox, 'ms/clicks');
      assert.equal(requests.length, 15, 'one count, then one request a page');
      assert.ok(requests.slice(1).every((r) => r.query['total'] === 'false' && r.query['endtime'] === '2015-03-01 12:00:01'));
      assert.deepEqual(requests.at(-1)!.query['start'], '0');
      assert.deepEqual(requests.at(-1)!.query['limit'], '10');
    });

    it('keeps a user endtime earlier than now, and the filters, on every page; a later one is cut to now', async () => {
      const api = copernica({ now: clock });
      const query: ResourceQuery = { kind: 'copernica', begintime: '2014-11-01 00:00:00', endtime: '2015-01-01 00:00:00', unique: true };
      const pages = await listAll(api, COPERNICA_CLICKS, 20, query, () => void addClick('2014-12-01 00:00:00'));
      const requests = apiRequests(fx.sandbox, 'ms/clicks');
      assert.ok(requests.every((r) => r.query['endtime'] === '2015-01-01 00:00:00' && r.query['begintime'] === '2014-11-01 00:00:00' && r.query['unique'] === 'true'));
      const ids = pages.flatMap((p) => idsOf(p.records, COPERNICA_CLICKS));
      assert.equal(new Set(ids).size, ids.length);
      assert.equal(ids.length, pages[0]!.total);
      fx.sandbox.clearRequests();
      await copernica({ now: clock }).listPage(COPERNICA_CLICKS, { pageSize: 20, query: { kind: 'copernica', endtime: '2030-01-01 00:00:00' } });
      assert.equal(apiRequests(fx.sandbox, 'ms/clicks')[0]!.query['endtime'], '2015-03-01 12:00:01');
    });

    it('a listing that fits one page takes one request', async () => {
      const api = copernica({ now: clock });
      const begintime = fx.sandbox.store.getRecord('copernica_clicks', '320')!['timestamp']!;
      const page = await api.listPage(COPERNICA_CLICKS, { pageSize: 25, query: { kind: 'copernica', begintime } });
      assert.ok(page.records.length >= 16 && page.records.length <= 25, `${page.records.length} clicks since ${begintime}`);
      assert.equal(page.total, page.records.length);
      assert.equal(page.nextCursor, undefined);
      assert.equal(apiRequests(fx.sandbox, 'ms/clicks').length, 1);
      const ids = idsOf(page.records, COPERNICA_CLICKS).map(Number);
      assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
    });

    it('with the real clock, endtime is the next whole second (UTC): every click up to now, none after', async () => {
      const stamp = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000 + 1000).toISOString().slice(0, 19).replace('T', ' ');
      const before = stamp(Date.now());
      await copernica().listPage(COPERNICA_CLICKS, { pageSize: 25 });
      const after = stamp(Date.now());
      const endtime = apiRequests(fx.sandbox, 'ms/clicks')[0]!.query['endtime'] as string;
      assert.ok(endtime >= before && endtime <= after, `${endtime} not between ${before} and ${after}`);
    });

    it('refuses a cursor that is not one of its own, sending nothing', async () => {
      await rejectsWithKind(copernica().listPage(COPERNICA_CLICKS, { pageSize: 25, cursor: '25' }), 'invalidInput');
      assert.deepEqual(fx.sandbox.requests(), []);
    });
  });

  describe('Copernica click by id: a bounded cache, then a bounded, cancellable search', () => {
    it('a listed click is read back with no request', async () => {
      const api = copernica();
      const page = await api.listPage(COPERNICA_CLICKS, { pageSize: 25 });
      fx.sandbox.clearRequests();
      const click = page.records[7]!;
      assert.equal(api.needsSearch(COPERNICA_CLICKS, click['ID']!), false);
      assert.deepEqual(await api.get(COPERNICA_CLICKS, click['ID']!), click);
      assert.deepEqual(fx.sandbox.requests(), []);
    });

    it('the cache holds the most recently listed clicks only, up to its size', async () => {
      const api = copernica({ clickLookup: { cacheSize: 60 } });
      const pages = await listAll(api, COPERNICA_CLICKS, 25);
      const listed = pages.flatMap((p) => idsOf(p.records, COPERNICA_CLICKS));
      const remembered = listed.filter((id) => !api.needsSearch(COPERNICA_CLICKS, id));
      assert.equal(remembered.length, 60);
      assert.deepEqual(remembered, listed.slice(-60), 'the last listed are kept');
      // Reading one makes it the most recent: the next listing forgets others first.
      await api.get(COPERNICA_CLICKS, remembered[0]!);
      await api.listPage(COPERNICA_CLICKS, { pageSize: 25 });
      assert.equal(api.needsSearch(COPERNICA_CLICKS, remembered[0]!), false);
      assert.equal(api.needsSearch(COPERNICA_CLICKS, remembered[1]!), true);
    });

    it('a click not in the cache is searched newest first, reporting progress, and then remembered', async () => {
      const api = copernica({ clickLookup: { pageSize: 50 } });
      const progress: ClickSearchProgress[] = [];
      assert.equal(api.needsSearch(COPERNICA_CLICKS, '200'), true);
      const click = await api.get(COPERNICA_CLICKS, '200', undefined, (p) => progress.push(p));
      assert.deepEqual(click, fx.sandbox.store.getRecord('copernica_clicks', '200'));
      const requests = apiRequests(fx.sandbox, 'ms/clicks');
      assert.deepEqual(requests.map((r) => [r.query['start'], r.query['limit']]), [['0', '1'], ['285', '50'], ['235', '50'], ['185', '50']]);
      assert.deepEqual(progress.map((p) => [p.pagesRead, p.examined]), [[0, 0], [1, 50], [2, 100], [3, 150]]);
      assert.ok(progress.every((p) => p.total === 335 && p.maxPages === 10));
      assert.equal(api.needsSearch(COPERNICA_CLICKS, '200'), false);
      fx.sandbox.clearRequests();
      await api.get(COPERNICA_CLICKS, '200');
      assert.deepEqual(fx.sandbox.requests(), []);
    });

    it('stops at its cap and tells the user to open the click from the list', async () => {
      const api = copernica({ clickLookup: { pageSize: 40, maxPages: 3 } });
      const error = await rejectsWithKind(api.get(COPERNICA_CLICKS, '5'), 'notFound');
      assert.match(error.message, /not among the 120 newest clicks/);
      assert.match(error.message, /Open it from the Clicks list/);
      assert.equal(apiRequests(fx.sandbox, 'ms/clicks').length, 4, 'one count and three pages, no more');
    });

    it('by default reads at most 10 pages of 1,000 (one count first)', async () => {
      // 12,000 clicks in the account.
      for (let id = 336; id <= 12_000; id++) fx.sandbox.store.putRecord('copernica_clicks', id, { timestamp: '2015-03-01 00:00:00' });
      const error = await rejectsWithKind(copernica().get(COPERNICA_CLICKS, '3'), 'notFound');
      assert.match(error.message, /10000 newest/);
      const requests = apiRequests(fx.sandbox, 'ms/clicks');
      assert.equal(requests.length, 11);
      assert.ok(requests.slice(1).every((r) => r.query['limit'] === '1000'));
    });

    it('an id that is nowhere: the whole (small) account is read once, and the message says so', async () => {
      const error = await rejectsWithKind(copernica({ clickLookup: { pageSize: 100 } }).get(COPERNICA_CLICKS, '99999'), 'notFound');
      assert.match(error.message, /There is no click with ID 99999/);
      assert.equal(apiRequests(fx.sandbox, 'ms/clicks').length, 5);
      await rejectsWithKind(copernica().get(COPERNICA_CLICKS, 'abc'), 'notFound');
      assert.equal(apiRequests(fx.sandbox, 'ms/clicks').length, 5, 'a malformed id sends nothing');
    });

    it('is cancelled between pages by the signal: no further request', async () => {
      const api = copernica({ clickLookup: { pageSize: 30 } });
      const controller = new AbortController();
      const error = await rejectsWithKind(
        api.get(COPERNICA_CLICKS, '2', controller.signal, (p) => {
          if (p.pagesRead === 2) controller.abort();
        }),
        'cancelled',
      );
      assert.ok(error instanceof ApiError);
      assert.equal(apiRequests(fx.sandbox, 'ms/clicks').length, 3, 'the count and two pages');
    });

    it('is cancelled while a page is in flight', async () => {
      fx.sandbox.configure({ latencyMs: 600 });
      const api = copernica({ clickLookup: { pageSize: 30 } });
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 100);
      await rejectsWithKind(api.get(COPERNICA_CLICKS, '2', controller.signal), 'cancelled');
      assert.ok(Date.now() - started < 550, 'it waited for the slow reply');
    });
  });
});
