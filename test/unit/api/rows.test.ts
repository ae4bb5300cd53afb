import { strict as assert } from 'node:assert';
import { relativeApiDate, relativeDate, relativeDateFormat } from '../../../src/api/dates';
import { CONTACTS, COPERNICA_CLICKS, linkForms, USERS_CLICKS, WEBSITE_NOTIFICATIONS, type RecordRow, type RowDates } from '../../../src/api/resources';
import { renderText, type TextArg } from '../../../src/api/text';

const now = new Date(2026, 10, 26, 12, 0, 0);
const dates: RowDates = { day: new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }), relative: relativeDateFormat('en-US', 'narrow'), spokenRelative: relativeDateFormat('en-US'), now };
const text = (arg: TextArg): string => (typeof arg === 'object' ? renderText(arg) : String(arg));
const shown = (row: RecordRow): { label: string; description: string } => ({ label: text(row.label), description: row.description.map(text).join(' · ') });

describe('Relative dates', () => {
  const en = relativeDateFormat('en-US');
  const ago = (ms: number): string => relativeDate(new Date(now.getTime() - ms), now, en);

  it('says how long ago in the largest whole unit', () => {
    assert.equal(ago(0), 'now');
    assert.equal(ago(30_000), '30 seconds ago');
    assert.equal(ago(5 * 60_000), '5 minutes ago');
    assert.equal(ago(3 * 3_600_000), '3 hours ago');
    assert.equal(ago(36 * 3_600_000), 'yesterday');
    assert.equal(ago(3 * 86_400_000), '3 days ago');
    assert.equal(ago(15 * 86_400_000), '2 weeks ago');
    assert.equal(ago(10 * 86_400_000), '10 days ago');
    assert.equal(ago(40 * 86_400_000), '5 weeks ago');
    assert.equal(ago(70 * 86_400_000), '2 months ago');
    assert.equal(ago(400 * 86_400_000), '13 months ago');
    assert.equal(ago(800 * 86_400_000), '2 years ago');
    assert.equal(relativeDate(new Date(now.getTime() + 2 * 3_600_000), now, en), 'in 2 hours');
  });

  it('reads the API formats, and leaves what is not a date as it is', () => {
    assert.equal(relativeApiDate('202611230900', now, en), '3 days ago');
    assert.equal(relativeApiDate('20261126115500', now, en), '5 minutes ago');
    assert.equal(relativeApiDate('2026-11-26 11:00:00', now, en), '1 hour ago');
    assert.equal(relativeApiDate('soon', now, en), 'soon');
    assert.equal(relativeApiDate(null, now, en), '');
  });
});

describe('Tree rows', () => {
  it('a contact: the name, then the email; without a name the email, then the company', () => {
    assert.deepEqual(shown(CONTACTS.row({ contact_id: '1', first_name: 'Jane', last_name: 'Smith', email: 'jane@example.com', company: 'Acme' }, dates)), { label: 'Jane Smith', description: 'jane@example.com' });
    assert.deepEqual(shown(CONTACTS.row({ contact_id: '2', first_name: '', last_name: null, email: 'x@example.com', company: 'Acme' }, dates)), { label: 'x@example.com', description: 'Acme' });
    assert.deepEqual(shown(CONTACTS.row({ contact_id: '11', first_name: '', last_name: '', email: null, company: 'Dental Care Partners', phone_number: '555-0100' }, dates)), { label: 'Dental Care Partners', description: '555-0100' });
    assert.deepEqual(shown(CONTACTS.row({ contact_id: '12', first_name: null, last_name: null, email: null, company: null }, dates)), { label: 'Contact 12', description: '' });
  });

  it('a notification: the title (the message when the title is "na"), then how long ago and "unread"', () => {
    const unread = WEBSITE_NOTIFICATIONS.row({ notification_id: '5', notification_title: 'New Member Signup', notification_message: 'x', notification_view: '0', notification_date: '202510230900' }, dates);
    assert.deepEqual(shown(unread), { label: 'New Member Signup', description: '13mo ago · unread' });
    assert.deepEqual(unread.spoken?.map(text), ['13 months ago', 'unread'], 'said in words');
    assert.equal(unread.unread, true);
    const read = WEBSITE_NOTIFICATIONS.row({ notification_id: '6', notification_title: 'na', notification_message: 'member@example.com saved a post - Example Post Title', notification_view: '1', notification_date: '202611260900' }, dates);
    assert.deepEqual(shown(read), { label: 'member@example.com saved a post - Example Post Title', description: '3h ago' });
    assert.equal(read.unread, false);
  });

  it('a users click: what was clicked, then the member and the day', () => {
    const row = USERS_CLICKS.row({ click_id: '9', user_id: '42', click_type: 'link', click_name: 'Book Appointment', date_clicked: '20230905142637' }, dates);
    assert.deepEqual(shown(row), { label: 'Book Appointment', description: 'member 42 · Sep 5, 2023' });
    assert.equal(shown(USERS_CLICKS.row({ click_id: '9', user_id: '42', click_type: 'phone', click_name: '', date_clicked: null }, dates)).label, 'phone');
  });

  it('a Copernica click: the link as host and path (shorter forms too), then the mailing and the day', () => {
    const row = COPERNICA_CLICKS.row({ ID: '3', mailing: '4', link: 'https://www.myshop.nl/nieuwsbrief/4/aanbiedingen?utm_campaign=mailing4', timestamp: '2014-10-14 11:33:22' }, dates);
    assert.deepEqual(shown(row), { label: 'myshop.nl/nieuwsbrief/4/aanbiedingen', description: 'mailing 4 · Oct 14, 2014' });
    assert.deepEqual(row.shorter, ['myshop.nl/nieuwsbrief/…/aanbiedingen', 'myshop.nl/…/aanbiedingen', '…/aanbiedingen']);
  });

  it('linkForms: no scheme, www, query or fragment; then first and last segments; then host and last; then the last', () => {
    assert.deepEqual(linkForms('https://www.myshop.nl/afmelden'), ['myshop.nl/afmelden', '…/afmelden']);
    assert.deepEqual(linkForms('https://www.myshop.nl/producten/jassen#top'), ['myshop.nl/producten/jassen', 'myshop.nl/…/jassen', '…/jassen']);
    assert.deepEqual(linkForms('http://www.myshop.nl/promotions/customer/{$profile.customerid}'), [
      'myshop.nl/promotions/customer/{$profile.customerid}',
      'myshop.nl/promotions/…/{$profile.customerid}',
      'myshop.nl/…/{$profile.customerid}',
      '…/{$profile.customerid}',
    ]);
    assert.deepEqual(linkForms('https://shop.example/'), ['shop.example']);
    assert.deepEqual(linkForms('mailto:someone@example.com'), ['mailto:someone@example.com']);
    assert.deepEqual(linkForms(''), []);
  });
});
