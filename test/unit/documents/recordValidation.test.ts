import { strict as assert } from 'node:assert';
import { isApiError } from '../../../src/api/errors';
import { CONTACTS, USERS_CLICKS, WEBSITE_NOTIFICATIONS } from '../../../src/api/resources';
import { checkDraftFields, draftTemplate } from '../../../src/documents/recordValidation';

describe('New Record drafts', () => {
  it('start with only the fields a person sets, required ones first', () => {
    assert.deepEqual(Object.keys(draftTemplate(WEBSITE_NOTIFICATIONS)).slice(0, 3), ['notification_status', 'notification_title', 'notification_message']);
    assert.deepEqual(Object.keys(draftTemplate(USERS_CLICKS)).slice(0, 5), ['user_id', 'click_type', 'click_name', 'click_from', 'click_url']);
    const contact = Object.keys(draftTemplate(CONTACTS));
    for (const managed of ['contact_id', 'revision_timestamp', 'date_created', 'date_updated', 'created_by', 'updated_by', 'token', 'ip', 'rel_db', 'rel_id', 'cid', 'after', 'bucket']) {
      assert.equal(contact.includes(managed), false, managed);
    }
    assert.ok(contact.includes('email') && contact.includes('active') && contact.includes('user_consent'));
    assert.equal(Object.keys(draftTemplate(WEBSITE_NOTIFICATIONS)).includes('notification_token'), false);
    assert.equal(Object.keys(draftTemplate(USERS_CLICKS)).includes('click_token'), false);
    assert.ok(Object.values(draftTemplate(CONTACTS)).every((value) => value === ''));
  });

  it('refuse a server-managed field with a value, saying the site fills it in; an empty one is left out', () => {
    assert.deepEqual(checkDraftFields(CONTACTS, { email: 'a@example.com', token: '', ip: null }), { email: 'a@example.com' });
    assert.throws(() => checkDraftFields(CONTACTS, { email: 'a@example.com', date_created: '20240101000000' }), (error: unknown) => {
      assert.ok(isApiError(error, 'invalidInput'));
      assert.equal(error.details.field, 'date_created');
      assert.match(error.message, /"date_created" is filled in by the site/);
      return true;
    });
    assert.throws(() => checkDraftFields(CONTACTS, { contact_id: '9' }), /"contact_id" is read-only/);
  });
});
