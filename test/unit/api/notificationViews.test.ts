import * as assert from 'node:assert/strict';
import { isUnread, UNREAD_FILTER, viewedFields } from '../../../src/api/notificationViews';

describe('The "viewed" rule of website notifications, in one place', () => {
  it('a notification is unread unless notification_view is "1" (missing or "0" is unread)', () => {
    assert.equal(isUnread({ notification_view: '1' }), false);
    assert.equal(isUnread({ notification_view: '0' }), true);
    assert.equal(isUnread({}), true);
  });

  it('Mark as Viewed / Unread send only the view field; "all unread" is that field equal to 0', () => {
    assert.deepEqual(viewedFields(true), { notification_view: '1' });
    assert.deepEqual(viewedFields(false), { notification_view: '0' });
    assert.deepEqual(UNREAD_FILTER, { field: 'notification_view', operator: 'eq', value: '0' });
    assert.equal(isUnread(viewedFields(false)), true);
    assert.equal(isUnread(viewedFields(true)), false);
  });
});
