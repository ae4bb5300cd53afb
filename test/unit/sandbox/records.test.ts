// Custom columns the vendor tables don't list, and records created or deleted "elsewhere".

import * as assert from 'node:assert/strict';
import { SandboxControl, SandboxControlError } from '../../../sandbox/control';
import { SCHEMAS, SEED_EXTRA_COLUMNS } from '../../../sandbox/data';
import { sandboxHttp, type Json } from './http';
import { withSandboxApi } from '../support/sandboxApi';

describe('sandbox custom columns', () => {
  const fx = withSandboxApi('none');
  const { bd, form, list } = sandboxHttp(() => fx.sandbox);

  it('a handful of seeded records carry them, after the listed fields; the rest do not; counts stay', async () => {
    assert.equal(fx.sandbox.store.count('contacts'), 238);
    assert.equal(fx.sandbox.store.count('website_notifications'), 12100);
    assert.equal(fx.sandbox.store.count('users_clicks'), 420);
    assert.equal(fx.sandbox.store.count('copernica_clicks'), 335);

    const [c15] = (await bd('contacts/get/15')).json().message as Json[];
    assert.deepEqual(Object.keys(c15), [...SCHEMAS.contacts.fields, 'custom_status', 'member_tier']);
    assert.equal(c15.custom_status, 'lead');
    assert.equal(c15.member_tier, 'gold');
    const [c120] = (await bd('contacts/get/120')).json().message as Json[];
    assert.equal(c120.member_tier, null, 'carried, and null');
    const [c14] = (await bd('contacts/get/14')).json().message as Json[];
    assert.deepEqual(Object.keys(c14), [...SCHEMAS.contacts.fields]);

    const all = (await bd('contacts/get?limit=100&order_column=contact_id')).json().message as Json[];
    const carrying = all.filter((r) => 'custom_status' in r).map((r) => r.contact_id);
    assert.deepEqual(carrying, ['15', '16', '42']);
    assert.deepEqual(Object.keys(SEED_EXTRA_COLUMNS.contacts ?? {}), ['15', '16', '42', '120', '236']);

    const [n6050] = (await bd('website_notifications/get/6050')).json().message as Json[];
    assert.equal(n6050.notification_priority, 'low');
    assert.equal(Object.keys(n6050).at(-1), 'notification_priority');
  });

  it('filters and orders on them like any column; a record without the key reads as NULL', async () => {
    const leads = await list('contacts', { property: 'custom_status', property_value: 'LEAD', order_column: 'contact_id' });
    assert.deepEqual(leads.ids, ['15', '120'], 'eq is case-insensitive');
    const set = await list('contacts', { property: 'member_tier', property_operator: 'is_set', order_column: 'contact_id' });
    assert.deepEqual(set.ids, ['15', '42', '236']);
    const nulls = await list('contacts', { property: 'member_tier', property_operator: 'is_null', limit: '1' });
    assert.equal(nulls.total, 238 - 4, 'every contact but the four carrying a non-null member_tier');
    const ordered = await list('contacts', { order_column: 'custom_status', order_type: 'DESC', limit: '5' });
    assert.deepEqual(ordered.ids, ['15', '120', '42', '16', '236'], 'code-unit order ("P" < "c"), ties by id, NULLs last in DESC');
  });

  it('update writes them, adding the key to a record that had none; unknown columns are ignored', async () => {
    const res = await form('PUT', 'contacts/update', { contact_id: '3', member_tier: 'bronze', custom_status: 'lead', nickname: 'Zed' });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.json().message as Json), ['contact_id', 'revision_timestamp', 'custom_status', 'member_tier']);
    const stored = fx.sandbox.store.getRecord('contacts', 3)!;
    assert.deepEqual(Object.keys(stored).slice(-2), ['custom_status', 'member_tier'], 'table order, whatever the order sent');
    assert.equal(stored.member_tier, 'bronze');
    assert.equal('nickname' in stored, false);

    // Empty is ignored, unless named in __clear_fields.
    await form('PUT', 'contacts/update', { contact_id: '15', custom_status: '', member_tier: '', __clear_fields: 'member_tier' });
    assert.equal(fx.sandbox.store.getRecord('contacts', 15)?.custom_status, 'lead');
    assert.equal(fx.sandbox.store.getRecord('contacts', 15)?.member_tier, '');
  });

  it('create accepts them (so a deleted record can be restored whole); a column the table lacks is ignored', async () => {
    const original = fx.sandbox.store.getRecord('contacts', 42)!;
    assert.equal((await form('DELETE', 'contacts/delete', { contact_id: '42' })).status, 200);
    const fields = Object.entries(original).filter(([k, v]) => k !== 'contact_id' && k !== 'revision_timestamp' && v !== null && v !== '') as [string, string][];
    const created = (await form('POST', 'contacts/create', [...fields, ['favourite_colour', 'green']])).json().message as Json;
    assert.equal(created.contact_id, '239', 'under a new id');
    assert.equal(created.custom_status, 'former customer');
    assert.equal(created.member_tier, 'platinum');
    assert.equal('favourite_colour' in created, false);
    const [reread] = (await bd('contacts/get/239')).json().message as Json[];
    for (const [k, v] of fields) assert.equal(reread[k], v, k);

    // A body whose only known field is a custom column is a valid create.
    const only = await form('POST', 'contacts/create', { custom_status: 'lead' });
    assert.equal(only.status, 200);
    const n = (await form('POST', 'website_notifications/create', { notification_status: '1', notification_title: 't', notification_message: 'm', notification_priority: 'high' })).json().message as Json;
    assert.equal(n.notification_priority, 'high');
  });

  it('store and control putRecord accept them; names the table lacks still throw', async () => {
    assert.equal(fx.sandbox.store.putRecord('contacts', 5, { custom_status: 'vip' }).custom_status, 'vip');
    assert.throws(() => fx.sandbox.store.putRecord('contacts', 5, { nickname: 'x' }), /Unknown field/);
    const control = new SandboxControl(fx.sandbox.url);
    assert.equal((await control.putRecord('website_notifications', 9, { notification_priority: 'low' })).notification_priority, 'low');
  });
});

describe('sandbox records created and deleted elsewhere', () => {
  const fx = withSandboxApi('none');
  const { list } = sandboxHttp(() => fx.sandbox);

  it('createRecord takes the next auto-increment id, above every id the table has had', async () => {
    const first = fx.sandbox.store.createRecord('contacts', { first_name: 'Elsewhere', custom_status: 'lead' });
    assert.equal(first.contact_id, '239');
    assert.equal(first.custom_status, 'lead');
    assert.match(first.date_created ?? '', /^\d{14}$/);
    assert.equal(first.date_updated, null);
    assert.ok(fx.sandbox.store.deleteRecord('contacts', 239));
    assert.equal(fx.sandbox.store.createRecord('contacts').contact_id, '240', 'deleted ids are not reused');
    fx.sandbox.store.putRecord('contacts', 500, { city: 'Far' });
    assert.equal(fx.sandbox.store.createRecord('contacts').contact_id, '501');
    assert.equal(fx.sandbox.store.createRecord('website_notifications', { notification_title: 'x' }).notification_id, '12101');
    assert.throws(() => fx.sandbox.store.createRecord('contacts', { nickname: 'x' }), /Unknown field/);
    // pk and revision_timestamp are ignored, as on create.
    const ignored = fx.sandbox.store.createRecord('contacts', { contact_id: '7', revision_timestamp: '2000-01-01 00:00:00' });
    assert.equal(ignored.contact_id, '502');
    assert.notEqual(ignored.revision_timestamp, '2000-01-01 00:00:00');
  });

  it('stamps the event date of a notification or click made on the site, unless given', () => {
    fx.sandbox.freezeClock('2026-03-04 05:06:07');
    assert.equal(fx.sandbox.store.createRecord('website_notifications').notification_date, '202603040506');
    assert.equal(fx.sandbox.store.createRecord('website_notifications', { notification_date: '' }).notification_date, '');
    assert.equal(fx.sandbox.store.createRecord('users_clicks').date_clicked, '20260304050607');
    assert.equal(fx.sandbox.store.createRecord('copernica_clicks').timestamp, '2026-03-04 05:06:07');
  });

  it('over HTTP: createRecord and deleteRecord behind the client\'s back show up in the next listing', async () => {
    const control = new SandboxControl(fx.sandbox.url);
    const created = await control.createRecord('website_notifications', { notification_status: '1', notification_title: 'New', notification_message: 'Arrived' });
    assert.equal(created.notification_id, '12101');
    assert.equal(await control.deleteRecord('website_notifications', 12100), true);
    const top = await list('website_notifications', { order_column: 'notification_id', order_type: 'DESC', limit: '2' });
    assert.deepEqual(top.ids, ['12101', '12099']);
    assert.equal(top.total, 12100);
    await assert.rejects(control.createRecord('contacts', { nickname: 'x' }), (e: unknown) => e instanceof SandboxControlError && e.status === 400);
    await assert.rejects(control.createRecord('nope' as never, {}), (e: unknown) => e instanceof SandboxControlError && e.status === 404);
  });
});
