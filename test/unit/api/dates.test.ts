import { strict as assert } from 'node:assert';
import { displayApiDate, formatApiDate, parseApiDate, apiDateFormat } from '../../../src/api/dates';

describe('API dates', () => {
  const when = new Date(2024, 2, 5, 7, 8, 9); // 5 March 2024 07:08:09, local wall-clock time

  it('parses YYYYMMDDHHmmss (14 digits)', () => {
    assert.equal(parseApiDate('20240305070809')?.getTime(), when.getTime());
  });

  it('parses YYYYMMDDHHMM (12 digits, notification_date) with seconds 0', () => {
    assert.equal(parseApiDate('202403050708')?.getTime(), new Date(2024, 2, 5, 7, 8, 0).getTime());
  });

  it('parses YYYY-MM-DD HH:MM:SS (revision_timestamp, Copernica timestamp)', () => {
    assert.equal(parseApiDate('2024-03-05 07:08:09')?.getTime(), when.getTime());
  });

  it('formats each of the three formats with zero padding', () => {
    assert.equal(formatApiDate(when, 'YYYYMMDDHHmmss'), '20240305070809');
    assert.equal(formatApiDate(when, 'YYYYMMDDHHMM'), '202403050708');
    assert.equal(formatApiDate(when, 'YYYY-MM-DD HH:MM:SS'), '2024-03-05 07:08:09');
  });

  it('round-trips each format', () => {
    for (const text of ['20231231235959', '202312312359', '2023-12-31 23:59:59', '20240229000000']) {
      const format = text.includes('-') ? 'YYYY-MM-DD HH:MM:SS' : text.length === 14 ? 'YYYYMMDDHHmmss' : 'YYYYMMDDHHMM';
      const parsed = parseApiDate(text);
      assert.ok(parsed, text);
      assert.equal(formatApiDate(parsed, format), text);
    }
  });

  it('answers undefined for empty and non-date values', () => {
    for (const value of [undefined, null, '', 'soon', '2024', '2024030507', '202403050708091', '0000-00-00 00:00:00', '2024/03/05 07:08:09']) {
      assert.equal(parseApiDate(value), undefined, String(value));
    }
  });

  it('refuses impossible calendar days rather than rolling them over', () => {
    assert.equal(parseApiDate('20230229120000'), undefined); // not a leap year
    assert.equal(parseApiDate('2024-04-31 10:00:00'), undefined);
    assert.equal(parseApiDate('20241301000000'), undefined);
  });

  it('refuses impossible clock times rather than rolling them into the next day', () => {
    // 25:00 would silently become 01:00 the next day; 23:60 would become the next hour.
    assert.equal(parseApiDate('20240101250000'), undefined);
    assert.equal(parseApiDate('2024-01-01 23:60:00'), undefined);
    assert.equal(parseApiDate('202401012399'), undefined);
  });

  it('displays a non-date as the raw text', () => {
    assert.equal(displayApiDate('not a date', apiDateFormat('en-US')), 'not a date');
    assert.equal(displayApiDate(null, apiDateFormat('en-US')), '');
    assert.equal(displayApiDate('20240305070809', apiDateFormat('en-US')), 'Mar 5, 2024, 7:08 AM');
  });
});
