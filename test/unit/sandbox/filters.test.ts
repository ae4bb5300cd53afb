// Filters as BD's MySQL answers them: int columns as numbers, dates as stored strings (so a
// client sending the wrong form gets wrong rows), text equality case-insensitive; and paging
// by key while records come and go.

import * as assert from 'node:assert/strict';
import { mysqlNumber } from '../../../sandbox/server';
import { sandboxHttp, type Json } from './http';
import { withSandboxApi } from '../support/sandboxApi';

type Params = [string, string][];
const cond = (column: string, operator: string, value: string): Params => [['property[]', column], ['property_operator[]', operator], ['property_value[]', value]];

describe('sandbox filters', () => {
  const fx = withSandboxApi('none');
  const { list } = sandboxHttp(() => fx.sandbox);
  const byId: Params = [['order_column', 'contact_id'], ['limit', '100']];
  const ids = async (model: string, params: Params) => (await list(model, params)).ids;
  const total = async (model: string, params: Params) => (await list(model, [...params, ['limit', '1']])).total;
  /** What the store holds, filtered here: the expected answer. */
  const count = (model: 'contacts' | 'website_notifications' | 'users_clicks', pred: (r: Record<string, string | null>) => boolean) => fx.sandbox.store.rows(model).filter(pred).length;

  describe('int columns compare as numbers', () => {
    it('lt / lte / gt / gte / between on the primary key', async () => {
      assert.deepEqual(await ids('contacts', [...cond('contact_id', 'lt', '10'), ...byId]), ['1', '2', '3', '4', '5', '6', '7', '8', '9']);
      assert.deepEqual(await ids('contacts', [...cond('contact_id', 'lte', '10'), ...byId]), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
      assert.equal(await total('contacts', cond('contact_id', 'gt', '9')), 229);
      assert.equal(await total('contacts', cond('contact_id', 'gte', '100')), 139);
      assert.deepEqual(await ids('contacts', [...cond('contact_id', 'between', '9,11'), ...byId]), ['9', '10', '11']);
      assert.equal(await total('website_notifications', cond('notification_id', 'lt', '10000')), 9999);
    });

    it('the value is read as MySQL reads a string in a numeric context; in/not_in drop values that are not numbers', async () => {
      assert.equal(mysqlNumber('12abc'), 12);
      assert.equal(mysqlNumber(' 1e1'), 10);
      assert.equal(mysqlNumber('abc'), 0);
      assert.equal(mysqlNumber(''), 0);
      assert.deepEqual(await ids('contacts', [...cond('contact_id', 'eq', '007'), ...byId]), ['7']);
      assert.deepEqual(await ids('contacts', [...cond('contact_id', 'lt', '3.5'), ...byId]), ['1', '2', '3']);
      assert.deepEqual(await ids('contacts', [...cond('contact_id', 'lt', 'abc'), ...byId]), [], 'abc reads as 0');
      assert.deepEqual(await ids('contacts', [...cond('contact_id', 'in', '1,abc, 3'), ...byId]), ['1', '3']);
      assert.equal(await total('contacts', cond('contact_id', 'not_in', 'abc')), 238);
      assert.equal(await total('contacts', cond('active', 'eq', '1')), count('contacts', (r) => r.active === '1'));
    });

    it('text columns compare as strings even when they hold digits (interactor_index is a string column)', async () => {
      const rows = (await list('website_notifications', [...cond('interactor_index', 'lt', '2'), ['limit', '100']])).body.message as Json[];
      assert.ok(rows.some((r) => Number(r.interactor_index) > 2), '"175" < "2" as strings');
      assert.equal(await total('website_notifications', cond('interactor_index', 'lt', '2')), count('website_notifications', (r) => r.interactor_index !== null && r.interactor_index < '2'));
    });

    it('order_column on an int column is numeric, on a text column by code unit', async () => {
      const desc = await ids('contacts', [['order_column', 'contact_id'], ['order_type', 'DESC'], ['limit', '3']]);
      assert.deepEqual(desc, ['238', '237', '236']);
      const zips = ((await list('contacts', [['order_column', 'zip_code'], ['limit', '100']])).body.message as Json[]).map((r) => r.zip_code as string | null);
      const strings = zips.filter((z): z is string => z !== null);
      assert.deepEqual(strings, [...strings].sort(), 'zip codes in string order ("1050" after "10001")');
    });
  });

  describe('paging by key with the user\'s filters', () => {
    /** Pages contacts newest first by key: `contact_id lt <last id>` ANDed to `filters`, no page cursor. */
    const pageByKey = async (filters: Params, between: (page: number) => void): Promise<string[]> => {
      const seen: string[] = [];
      let last: string | undefined;
      for (let page = 1; page < 100; page++) {
        const params: Params = [...filters, ['order_column', 'contact_id'], ['order_type', 'DESC'], ['limit', '25']];
        if (last !== undefined) params.push(...cond('contact_id', 'lt', last));
        const result = await list('contacts', params);
        seen.push(...result.ids);
        if (result.ids.length < 25) break;
        last = result.ids.at(-1);
        between(page);
      }
      return seen;
    };

    it('shows every record that existed throughout exactly once while 5 are created and 3 deleted elsewhere', async () => {
      const initial = fx.sandbox.store.rows('contacts').map((r) => r.contact_id as string);
      const deleted: string[] = [];
      const seen = await pageByKey([], (page) => {
        if (page === 1) {
          for (let i = 0; i < 5; i++) fx.sandbox.store.createRecord('contacts', { first_name: `New ${i}` });
          for (const id of ['238', '230', '100']) { fx.sandbox.store.deleteRecord('contacts', id); deleted.push(id); } // two already shown, one not yet
        }
      });
      assert.equal(new Set(seen).size, seen.length, 'no id twice');
      const throughout = initial.filter((id) => !deleted.includes(id));
      for (const id of throughout) assert.ok(seen.includes(id), `contact ${id} shown`);
      assert.ok(!seen.includes('239'), 'records created above the key are not in later pages');
    });

    it('ANDs with a single property filter and property[] filters; limit applies because no page cursor is sent', async () => {
      const filters: Params = [['property', 'country_code'], ['property_value', 'us'], ...cond('active', 'eq', '1')];
      const seen = await pageByKey(filters, () => undefined);
      const expected = fx.sandbox.store.rows('contacts').filter((r) => r.country_code === 'US' && r.active === '1').map((r) => r.contact_id as string).sort((a, b) => Number(b) - Number(a));
      assert.deepEqual(seen, expected);
      assert.ok(expected.length > 25, 'more than one page');
    });

    it('offset paging (the page cursor) doubles and skips records when the data changes between pages', async () => {
      const params: Params = [['order_column', 'contact_id'], ['order_type', 'DESC'], ['limit', '25']];
      const first = await list('contacts', params);
      fx.sandbox.store.createRecord('contacts', { first_name: 'Arrived' });
      const second = await list('contacts', [...params, ['page', first.body.next_page as string]]);
      assert.equal(second.ids[0], first.ids.at(-1), 'a new record pushes the last of page 1 onto page 2');

      const third = await list('contacts', [...params, ['page', second.body.next_page as string]]);
      fx.sandbox.store.deleteRecord('contacts', first.ids[0]);
      const fourth = await list('contacts', [...params, ['page', third.body.next_page as string]]);
      const skipped = Number(third.ids.at(-1)) - Number(fourth.ids[0]) - 1;
      assert.equal(skipped, 1, 'a record deleted from an earlier page makes a later one never appear');
    });
  });

  describe('dates compare as the stored strings', () => {
    it('the stored digit form gives the right rows; an ISO value gives wrong rows with a success envelope', async () => {
      const cutoff = '202205060000';
      const right = count('website_notifications', (r) => r.notification_date !== null && r.notification_date < cutoff);
      assert.ok(right > 0 && right < 20);
      assert.equal(await total('website_notifications', cond('notification_date', 'lt', cutoff)), right);
      const iso = await list('website_notifications', [...cond('notification_date', 'lt', '2022-05-06'), ['limit', '1']]);
      assert.equal(iso.body.status, 'success');
      assert.equal(iso.total, 0, '"202205…" > "2022-0…": nothing is before an ISO date');
      assert.equal(await total('website_notifications', cond('notification_date', 'gt', '2022-05-06')), 12100, 'and everything after it');
      // revision_timestamp is stored as YYYY-MM-DD HH:MM:SS: there the ISO form is the stored one, and 14 digits go wrong.
      const revIso = await total('contacts', cond('revision_timestamp', 'lt', '2020-01-01'));
      assert.equal(revIso, count('contacts', (r) => (r.revision_timestamp ?? '') < '2020-01-01'));
      assert.ok(revIso > 0);
      const revDigits = await total('contacts', cond('revision_timestamp', 'lt', '20200101000000'));
      assert.equal(revDigits, count('contacts', (r) => (r.revision_timestamp ?? '') < '20200101000000'));
      assert.notEqual(revDigits, revIso, '"2020-…" < "20200…": the 14-digit form gives other rows');
    });

    it('a shorter digit value compares as a string prefix, not as a number', async () => {
      // 8 digits: string order puts "20220506" between the days; as numbers it would be below every 12-digit value.
      assert.equal(await total('website_notifications', cond('notification_date', 'lt', '20220506')), count('website_notifications', (r) => (r.notification_date ?? '') < '20220506'));
      assert.ok((await total('website_notifications', cond('notification_date', 'lt', '20220506'))) > 0);
      assert.equal(await total('website_notifications', cond('notification_date', 'between', '20220505,20220506')), count('website_notifications', (r) => (r.notification_date ?? '') >= '20220505' && (r.notification_date ?? '') <= '20220506'));
    });

    it('lt / lte / until_days also match empty dates (NULL, "", zero dates); gt, between, since_days and the calendar operators do not', async () => {
      fx.sandbox.freezeClock('2026-01-02 03:04:05');
      const made = [
        fx.sandbox.store.createRecord('users_clicks', { date_clicked: '' }),
        fx.sandbox.store.createRecord('users_clicks', { date_clicked: '00000000000000' }),
        fx.sandbox.store.createRecord('users_clicks', { date_clicked: null }),
      ].map((r) => r.click_id as string);
      // createRecord stamps a null date_clicked with "now": put the NULL back.
      fx.sandbox.store.putRecord('users_clicks', made[2], { date_clicked: null });
      const with_ = (params: Params) => ids('users_clicks', [...params, ['order_column', 'click_id'], ['order_type', 'DESC'], ['limit', '3']]);
      const newest = made.slice().reverse();
      assert.deepEqual(await with_(cond('date_clicked', 'lt', '20230101000000')), newest);
      assert.deepEqual(await with_(cond('date_clicked', 'lte', '20230101000000')), newest);
      assert.deepEqual(await with_(cond('date_clicked', 'until_days', '30')), newest);
      for (const params of [cond('date_clicked', 'gt', '00000000000000'), cond('date_clicked', 'gte', '20000101000000'), cond('date_clicked', 'between', '20000101000000,20300101000000'), cond('date_clicked', 'since_days', '100000'), cond('date_clicked', 'year_eq', '2024'), cond('date_clicked', 'month_eq', '1'), cond('date_clicked', 'day_eq', '3')]) {
        const got = await with_(params);
        assert.ok(!got.some((id) => made.includes(id)), `${params[1][1]} excludes empty dates`);
      }
      // The contacts an API create makes have date_updated NULL: an lt on it finds them too.
      const created = (await sandboxHttp(() => fx.sandbox).form('POST', 'contacts/create', { first_name: 'Fresh' })).json().message as Json;
      assert.ok((await ids('contacts', [...cond('date_updated', 'lt', '20000101000000'), ...byId])).includes(created.contact_id as string));
    });

    it('calendar operators read the 14-digit stored value as UTC', async () => {
      const y = (v: string | null) => v?.slice(0, 4);
      assert.equal(await total('users_clicks', cond('date_clicked', 'year_eq', '2023')), count('users_clicks', (r) => y(r.date_clicked) === '2023'));
      assert.equal(await total('users_clicks', cond('date_clicked', 'month_eq', '2')), count('users_clicks', (r) => r.date_clicked?.slice(4, 6) === '02'));
      assert.equal(await total('users_clicks', cond('date_clicked', 'day_eq', '7')), count('users_clicks', (r) => r.date_clicked?.slice(6, 8) === '07'));
      // A click at 23:30 UTC on Jan 31 is January 31 whatever the server's zone.
      fx.sandbox.store.createRecord('users_clicks', { date_clicked: '20260131233000' });
      assert.equal(await total('users_clicks', [...cond('date_clicked', 'year_eq', '2026'), ...cond('date_clicked', 'day_eq', '31')]), 1);
      fx.sandbox.freezeClock('2026-02-01 23:30:00');
      assert.equal(await total('users_clicks', cond('date_clicked', 'since_days', '1')), 1);
      fx.sandbox.freezeClock('2026-02-01 23:30:01');
      assert.equal(await total('users_clicks', cond('date_clicked', 'since_days', '1')), 0);
    });
  });

  describe('text', () => {
    it('equality is case-insensitive (eq, ne, in, not_in)', async () => {
      const miami = count('contacts', (r) => r.city === 'Miami');
      assert.ok(miami > 1);
      assert.equal(await total('contacts', cond('city', 'eq', 'MIAMI')), miami);
      assert.equal(await total('contacts', cond('city', 'ne', 'miami')), 238 - miami);
      assert.equal(await total('contacts', cond('city', 'in', 'miami,boston')), count('contacts', (r) => r.city === 'Miami' || r.city === 'Boston'));
      assert.equal(await total('contacts', cond('city', 'not_in', 'miami, BOSTON')), count('contacts', (r) => r.city !== 'Miami' && r.city !== 'Boston'));
    });

    it('a comma-separated value means OR for contains, starts_with, ends_with (not_contains: none of them)', async () => {
      const ends = (r: Record<string, string | null>) => r.email !== null && (r.email.endsWith('.org') || r.email.endsWith('.net'));
      assert.equal(await total('contacts', cond('email', 'ends_with', '.org,.net')), count('contacts', ends));
      assert.equal(await total('contacts', cond('email', 'not_contains', '.org,.net')), count('contacts', (r) => r.email !== null && !r.email.includes('.org') && !r.email.includes('.net')));
      assert.equal(await total('contacts', cond('company', 'contains', 'Fabrikam, Inc.')), count('contacts', (r) => r.company !== null && (r.company.toLowerCase().includes('fabrikam') || r.company.toLowerCase().includes('inc.'))));
    });

    it('like: "%" never arrives (the firewall strips it), so only "_" is a wildcard', async () => {
      assert.ok((await ids('contacts', [...cond('first_name', 'like', 'J_ne'), ...byId])).includes('1'));
      assert.deepEqual(await ids('contacts', [...cond('first_name', 'like', 'Jan%'), ...byId]), [], '"Jan%" arrives as "Jan"');
      assert.deepEqual(await ids('contacts', [...cond('first_name', 'like', '%ANE'), ...byId]), []);
      assert.ok((await ids('contacts', [...cond('first_name', 'like', '%jane%'), ...byId])).includes('1'), '"%jane%" arrives as "jane", case-insensitive');
    });
  });
});
