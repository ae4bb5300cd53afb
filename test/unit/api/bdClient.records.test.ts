import { strict as assert } from 'node:assert';
import { BdClient } from '../../../src/api/bdClient';
import { CONTACTS, USERS_CLICKS, WEBSITE_NOTIFICATIONS } from '../../../src/api/resources';
import type { ApiRecord } from '../../../src/api/schemas';
import { rejectsWithKind } from '../support/apiAssert';
import { apiRequests } from '../support/sandboxHelpers';
import { withSandboxApi } from '../support/sandboxApi';

describe('BdClient records against the sandbox', function () {
  this.timeout(20_000);
  const fixture = withSandboxApi('bdClient', { api: { retry: { baseDelayMs: 10, maxDelayMs: 50 } } });

  /** A contact whose zip code starts with 0, to show values are not turned into numbers. */
  function leadingZeroContact(): ApiRecord {
    const row = fixture.sandbox.store.rows('contacts').find((r) => r['zip_code']?.startsWith('0'));
    assert.ok(row, 'the seed has a zip code with a leading zero');
    return { ...row };
  }

  describe('get', () => {
    it('returns the record exactly as stored: strings untouched, nulls kept, field order kept', async () => {
      const stored = leadingZeroContact();
      const record = await fixture.api.get(CONTACTS, stored['contact_id']!);
      assert.deepEqual(record, stored);
      assert.deepEqual(Object.keys(record), Object.keys(stored));
      assert.match(record['zip_code']!, /^0\d+/);
      assert.equal(typeof record['contact_id'], 'string');
      assert.ok(Object.values(record).every((v) => v === null || typeof v === 'string'));
      const [request] = apiRequests(fixture.sandbox, `contacts/get/${stored['contact_id']}`);
      assert.equal(request!.method, 'GET');
    });

    it('accepts the id as a number too', async () => {
      const record = await fixture.api.get(WEBSITE_NOTIFICATIONS, 12_100);
      assert.equal(record['notification_id'], '12100');
      assert.deepEqual(Object.keys(record), Object.keys(fixture.sandbox.store.getRecord('website_notifications', 12_100)!));
    });

    it('answers notFound for an id that does not exist', async () => {
      const error = await rejectsWithKind(fixture.api.get(CONTACTS, 999_999), 'notFound');
      assert.equal(error.details.status, 404);
    });
  });

  describe('bad ids', () => {
    const badIds: unknown[] = [0, -1, '1 OR 1=1', '../x', 1.5, '', '99999999999999999999', '1/../2', ' '];

    it('are refused for get, delete and update with invalidInput, and nothing is sent', async () => {
      for (const id of badIds) {
        await rejectsWithKind(fixture.api.get(CONTACTS, id as string), 'invalidInput');
        await rejectsWithKind(fixture.api.delete(CONTACTS, id as string), 'invalidInput');
        await rejectsWithKind(fixture.api.update(CONTACTS, { contact_id: id as string, first_name: 'A' }, { contact_id: id as string, first_name: 'B' }), 'invalidInput');
      }
      assert.deepEqual(fixture.sandbox.requests(), []);
    });
  });

  describe('update', () => {
    it('sends only the primary key and the changed fields, and the change lands', async () => {
      const original = await fixture.api.get(CONTACTS, 1);
      fixture.sandbox.clearRequests();
      const result = await fixture.api.update(CONTACTS, original, { ...original, city: 'Orlando', phone_number: '555-987-6543' });
      assert.equal(result.sent, true);
      const puts = apiRequests(fixture.sandbox, 'contacts/update', 'PUT');
      assert.equal(puts.length, 1);
      assert.deepEqual(puts[0]!.body, { contact_id: '1', city: 'Orlando', phone_number: '555-987-6543' });
      assert.equal(fixture.sandbox.requests().length, 1);
      const stored = fixture.sandbox.store.getRecord('contacts', 1)!;
      assert.equal(stored['city'], 'Orlando');
      assert.equal(stored['phone_number'], '555-987-6543');
      assert.equal(stored['first_name'], original['first_name']);
    });

    it('clears a field edited to "" by sending it empty and naming it in __clear_fields', async () => {
      const original = await fixture.api.get(CONTACTS, 1);
      assert.ok(original['company']);
      fixture.sandbox.clearRequests();
      await fixture.api.update(CONTACTS, original, { ...original, company: '' });
      const [put] = apiRequests(fixture.sandbox, 'contacts/update', 'PUT');
      assert.deepEqual(put!.body, { contact_id: '1', company: '', __clear_fields: 'company' });
      assert.ok(['', null].includes(fixture.sandbox.store.getRecord('contacts', 1)!['company'] as string | null), 'company was not cleared');
    });

    it('clears a field edited to null the same way, alongside a changed field', async () => {
      const original = await fixture.api.get(CONTACTS, 1);
      fixture.sandbox.clearRequests();
      await fixture.api.update(CONTACTS, original, { ...original, position: null, website: null, last_name: 'Smythe' });
      const [put] = apiRequests(fixture.sandbox, 'contacts/update', 'PUT');
      const body = put!.body as Record<string, string>;
      assert.deepEqual(Object.keys(body).sort(), ['__clear_fields', 'contact_id', 'last_name', 'position', 'website']);
      assert.equal(body['position'], '');
      assert.equal(body['website'], '');
      assert.deepEqual(body['__clear_fields']!.split(',').sort(), ['position', 'website']);
      const stored = fixture.sandbox.store.getRecord('contacts', 1)!;
      assert.ok(['', null].includes(stored['position'] as string | null));
      assert.ok(['', null].includes(stored['website'] as string | null));
      assert.equal(stored['last_name'], 'Smythe');
    });

    it('updates a notification (no revision field) the same way', async () => {
      const original = await fixture.api.get(WEBSITE_NOTIFICATIONS, 5);
      fixture.sandbox.clearRequests();
      const next = original['notification_view'] === '1' ? '0' : '1';
      await fixture.api.update(WEBSITE_NOTIFICATIONS, original, { ...original, notification_view: next });
      assert.deepEqual(apiRequests(fixture.sandbox, 'website_notifications/update')[0]!.body, { notification_id: '5', notification_view: next });
      assert.equal(fixture.sandbox.store.getRecord('website_notifications', 5)!['notification_view'], next);
    });

    it('sends nothing when nothing changed', async () => {
      const original = await fixture.api.get(CONTACTS, 2);
      fixture.sandbox.clearRequests();
      const result = await fixture.api.update(CONTACTS, original, { ...original });
      assert.equal(result.sent, false);
      const emptied = await fixture.api.update(CONTACTS, original, Object.fromEntries(Object.entries(original).map(([k, v]) => [k, v === '' ? null : v])));
      assert.equal(emptied.sent, false);
      assert.deepEqual(fixture.sandbox.requests(), []);
    });

    it('refuses a changed read-only field (contact_id, revision_timestamp) and sends nothing', async () => {
      const original = await fixture.api.get(CONTACTS, 3);
      fixture.sandbox.clearRequests();
      const pk = await rejectsWithKind(fixture.api.update(CONTACTS, original, { ...original, contact_id: '4', city: 'Paris' }), 'invalidInput');
      assert.equal(pk.details.field, 'contact_id');
      const rev = await rejectsWithKind(fixture.api.update(CONTACTS, original, { ...original, revision_timestamp: '2030-01-01 00:00:00' }), 'invalidInput');
      assert.equal(rev.details.field, 'revision_timestamp');
      assert.match(rev.message, /revision_timestamp/);
      assert.deepEqual(fixture.sandbox.requests(), []);
    });

    it('refuses an unknown field and a non-string value, naming the field, and sends nothing', async () => {
      const original = await fixture.api.get(CONTACTS, 3);
      fixture.sandbox.clearRequests();
      const unknown = await rejectsWithKind(fixture.api.update(CONTACTS, original, { ...original, fist_name: 'Typo' }), 'invalidInput');
      assert.equal(unknown.details.field, 'fist_name');
      assert.match(unknown.message, /fist_name/);
      const numeric = await rejectsWithKind(fixture.api.update(CONTACTS, original, { ...original, zip_code: 2134 }), 'invalidInput');
      assert.equal(numeric.details.field, 'zip_code');
      await rejectsWithKind(fixture.api.update(CONTACTS, original, { ...original, active: true }), 'invalidInput');
      assert.deepEqual(fixture.sandbox.requests(), []);
    });

    it('answers notFound when the record was deleted behind the client\'s back', async () => {
      const original = await fixture.api.get(CONTACTS, 4);
      fixture.sandbox.store.deleteRecord('contacts', 4);
      await rejectsWithKind(fixture.api.update(CONTACTS, original, { ...original, city: 'Paris' }), 'notFound');
    });
  });

  describe('create', () => {
    it('checks required fields locally, naming the missing ones, and sends nothing', async () => {
      const error = await rejectsWithKind(fixture.api.create(WEBSITE_NOTIFICATIONS, { notification_title: 'Hello', notification_status: '  ' }), 'invalidInput');
      assert.match(error.message, /notification_status/);
      assert.match(error.message, /notification_message/);
      assert.doesNotMatch(error.message, /notification_title/);
      await rejectsWithKind(fixture.api.create(USERS_CLICKS, { user_id: '42' }), 'invalidInput');
      assert.deepEqual(fixture.sandbox.requests(), []);
      assert.equal(fixture.sandbox.store.count('website_notifications'), 12_100);
    });

    it('returns the new record with its id, as stored', async () => {
      const created = await fixture.api.create(WEBSITE_NOTIFICATIONS, {
        notification_status: '1',
        notification_title: 'Sandbox test',
        notification_message: 'created by a unit test',
        notification_table_index_value: '0042',
      });
      assert.match(created['notification_id']!, /^\d+$/);
      assert.equal(created['notification_id'], '12101');
      assert.equal(created['notification_table_index_value'], '0042');
      assert.deepEqual(created, fixture.sandbox.store.getRecord('website_notifications', created['notification_id']!));
      const posts = apiRequests(fixture.sandbox, 'website_notifications/create', 'POST');
      assert.equal(posts.length, 1);
      assert.deepEqual(posts[0]!.body, { notification_status: '1', notification_title: 'Sandbox test', notification_message: 'created by a unit test', notification_table_index_value: '0042' });
    });

    it('does not send the primary key, revision_timestamp or empty values on create', async () => {
      const before = fixture.sandbox.store.getRecord('contacts', 5);
      const created = await fixture.api.create(CONTACTS, { contact_id: '5', first_name: 'Ada', company: '', revision_timestamp: '2020-01-01 00:00:00' });
      assert.equal(created['contact_id'], '239');
      assert.equal(created['first_name'], 'Ada');
      assert.deepEqual(apiRequests(fixture.sandbox, 'contacts/create')[0]!.body, { first_name: 'Ada' });
      assert.deepEqual(fixture.sandbox.store.getRecord('contacts', 5), before);
    });
  });

  describe('a create is never sent twice', () => {
    const fields = { notification_status: '1', notification_title: 'Once', notification_message: 'only once' };

    it('a dropped connection fails the create with kind network after exactly one request', async () => {
      fixture.sandbox.configure({ faults: { serverErrorRate: 0, dropRate: 1 } });
      const error = await rejectsWithKind(fixture.api.create(WEBSITE_NOTIFICATIONS, fields), 'network');
      assert.match(error.message, /not repeated/);
      assert.equal(apiRequests(fixture.sandbox, 'website_notifications/create', 'POST').length, 1);
      assert.equal(fixture.sandbox.requests().length, 1);
    });

    it('a 500 fails the create with kind server after exactly one request', async () => {
      fixture.sandbox.configure({ faults: { serverErrorRate: 1, dropRate: 0 } });
      const error = await rejectsWithKind(fixture.api.create(WEBSITE_NOTIFICATIONS, fields), 'server');
      assert.equal(error.details.status, 500);
      assert.equal(apiRequests(fixture.sandbox, 'website_notifications/create', 'POST').length, 1);
    });

    it('an update and a delete are not repeated either', async () => {
      const original = await fixture.api.get(CONTACTS, 6);
      fixture.sandbox.clearRequests();
      fixture.sandbox.configure({ faults: { serverErrorRate: 0, dropRate: 1 } });
      await rejectsWithKind(fixture.api.update(CONTACTS, original, { ...original, city: 'Paris' }), 'network');
      await rejectsWithKind(fixture.api.delete(CONTACTS, 6), 'network');
      assert.deepEqual(fixture.sandbox.requests().map((r) => r.method), ['PUT', 'DELETE']);
    });

    it('whereas a GET under the same faults is retried', async () => {
      const retrying = new BdClient({ siteUrl: fixture.sandbox.url, apiKey: fixture.sandbox.bdKey, rateLimit: null, retry: { attempts: 4, baseDelayMs: 10, maxDelayMs: 50 } });
      try {
        fixture.sandbox.configure({ faults: { serverErrorRate: 0, dropRate: 1 } });
        await rejectsWithKind(retrying.get(CONTACTS, 1), 'network');
        assert.equal(apiRequests(fixture.sandbox, 'contacts/get/1', 'GET').length, 4);
        fixture.sandbox.clearRequests();
        fixture.sandbox.configure({ faults: { serverErrorRate: 1, dropRate: 0 } });
        await rejectsWithKind(retrying.get(CONTACTS, 1), 'server');
        assert.equal(apiRequests(fixture.sandbox, 'contacts/get/1', 'GET').length, 4);
      } finally {
        await retrying.dispose();
      }
    });
  });

  describe('delete', () => {
    it('deletes, after which get answers notFound', async () => {
      await fixture.api.delete(CONTACTS, 7);
      const [request] = apiRequests(fixture.sandbox, 'contacts/delete');
      assert.equal(request!.method, 'DELETE');
      assert.deepEqual(request!.body, { contact_id: '7' });
      assert.equal(fixture.sandbox.store.getRecord('contacts', 7), undefined);
      await rejectsWithKind(fixture.api.get(CONTACTS, 7), 'notFound');
      await rejectsWithKind(fixture.api.delete(CONTACTS, 7), 'notFound');
    });
  });
});
