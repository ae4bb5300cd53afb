import { strict as assert } from 'node:assert';
import { computeChanges, hasChanges, updateForm } from '../../../src/api/recordChanges';
import { CONTACTS, WEBSITE_NOTIFICATIONS } from '../../../src/api/resources';
import type { ApiRecord } from '../../../src/api/schemas';
import { throwsWithKind } from '../support/apiAssert';

describe('computeChanges / updateForm', () => {
  const original: ApiRecord = {
    contact_id: '7',
    first_name: 'Ann',
    company: 'Acme',
    city: null,
    zip_code: '01234',
    blog: '',
    revision_timestamp: '2024-03-01 12:00:00',
  };

  it('finds nothing when nothing changed', () => {
    const changes = computeChanges(CONTACTS, original, { ...original });
    assert.deepEqual(changes, { set: {}, clear: [] });
    assert.equal(hasChanges(changes), false);
  });

  it('treats "" and null as the same empty value', () => {
    const changes = computeChanges(CONTACTS, original, { ...original, city: '', blog: null });
    assert.deepEqual(changes, { set: {}, clear: [] });
  });

  it('collects changed values in `set`, as strings untouched', () => {
    const changes = computeChanges(CONTACTS, original, { ...original, first_name: 'Anna', zip_code: '00123', city: 'Paris' });
    assert.deepEqual(changes.set, { first_name: 'Anna', zip_code: '00123', city: 'Paris' });
    assert.deepEqual(changes.clear, []);
    assert.equal(hasChanges(changes), true);
  });

  it('collects fields emptied with "" or null in `clear`', () => {
    const changes = computeChanges(CONTACTS, original, { ...original, company: '', first_name: null });
    assert.deepEqual(changes.set, {});
    assert.deepEqual([...changes.clear].sort(), ['company', 'first_name']);
  });

  it('leaves a field out of the changes when the edit omits it (PATCH-like)', () => {
    const { company: _omitted, ...edited } = original;
    const changes = computeChanges(CONTACTS, original, edited);
    assert.deepEqual(changes, { set: {}, clear: [] });
  });

  it('refuses a changed primary key or revision_timestamp, naming the field', () => {
    assert.equal(throwsWithKind(() => computeChanges(CONTACTS, original, { ...original, contact_id: '8' }), 'invalidInput').details.field, 'contact_id');
    assert.equal(throwsWithKind(() => computeChanges(CONTACTS, original, { ...original, revision_timestamp: '2030-01-01 00:00:00' }), 'invalidInput').details.field, 'revision_timestamp');
    assert.equal(throwsWithKind(() => computeChanges(CONTACTS, original, { ...original, contact_id: '' }), 'invalidInput').details.field, 'contact_id');
  });

  it('refuses removing a read-only field from the edit', () => {
    const { contact_id: _pk, ...edited } = original;
    assert.equal(throwsWithKind(() => computeChanges(CONTACTS, original, edited), 'invalidInput').details.field, 'contact_id');
  });

  it('refuses unknown and filter-only fields, which the API would silently ignore', () => {
    assert.equal(throwsWithKind(() => computeChanges(CONTACTS, original, { ...original, compnay: 'Acme' }), 'invalidInput').details.field, 'compnay');
    assert.equal(throwsWithKind(() => computeChanges(CONTACTS, original, { ...original, cid: '3' }), 'invalidInput').details.field, 'cid');
    assert.equal(throwsWithKind(() => computeChanges(CONTACTS, original, { ...original, __clear_fields: 'company' }), 'invalidInput').details.field, '__clear_fields');
  });

  it('accepts a field the record carries although the descriptor does not list it', () => {
    const custom: ApiRecord = { ...original, custom_color: 'red' };
    assert.deepEqual(computeChanges(CONTACTS, custom, { ...custom, custom_color: 'blue' }).set, { custom_color: 'blue' });
  });

  it('refuses values that are not strings or null', () => {
    for (const value of [12, true, { a: 1 }, ['x'], undefined]) {
      const error = throwsWithKind(() => computeChanges(CONTACTS, original, { ...original, company: value }), 'invalidInput');
      assert.equal(error.details.field, 'company');
    }
  });

  it('builds the update form: primary key, changed fields, emptied fields and __clear_fields', () => {
    const changes = computeChanges(CONTACTS, original, { ...original, first_name: 'Anna', company: '', zip_code: null });
    const form = updateForm(CONTACTS, '7', changes);
    assert.deepEqual(form, { contact_id: '7', first_name: 'Anna', company: '', zip_code: '', __clear_fields: 'company,zip_code' });
    assert.equal(Object.keys(form)[0], 'contact_id');
  });

  it('sends no __clear_fields when nothing is cleared', () => {
    const form = updateForm(WEBSITE_NOTIFICATIONS, '5', { set: { notification_view: '1' }, clear: [] });
    assert.deepEqual(form, { notification_id: '5', notification_view: '1' });
  });
});
