import { strict as assert } from 'node:assert';
import { relativeDate, relativeDateFormat } from '../../../src/api/dates';
import { decodeStoredDate, pairAt, parseStoredDate } from '../../../src/documents/dateText';

describe('dates decoded for the hover', () => {
  const now = new Date(Date.UTC(2025, 8, 20, 10, 0, 0)); // 20 Sep 2025, 10:00 UTC

  it('reads the three stored forms as UTC', () => {
    assert.equal(parseStoredDate('20220905142637')?.date.toISOString(), '2022-09-05T14:26:37.000Z');
    assert.equal(parseStoredDate('202205050704')?.date.toISOString(), '2022-05-05T07:04:00.000Z');
    assert.equal(parseStoredDate('202205050704')?.hasSeconds, false);
    assert.equal(parseStoredDate('2024-03-01 12:00:00')?.date.toISOString(), '2024-03-01T12:00:00.000Z');
    assert.equal(parseStoredDate('2014-10-14 11:33:22')?.hasSeconds, true);
  });

  it('refuses what is not a date', () => {
    for (const value of ['', '0', '2022090514263', '20220231120000', '20221305120000', '20220905246000', 'yesterday', '2024-03-01']) {
      assert.equal(parseStoredDate(value), undefined, value);
    }
  });

  it('says the UTC time, the reader\'s time and how long ago, day month year on a 24-hour clock', () => {
    const stored = parseStoredDate('20220905142637')!;
    assert.deepEqual(decodeStoredDate(stored, { locale: 'en', timeZone: 'Europe/Amsterdam', now }), {
      utc: '5 Sep 2022, 14:26:37',
      local: '16:26:37',
      relative: '3 years ago',
    });
  });

  it('gives the reader\'s whole date when it is another day there, and no seconds for 12 digits', () => {
    const stored = parseStoredDate('202209052326')!;
    const decoded = decodeStoredDate(stored, { locale: 'en', timeZone: 'Asia/Tokyo', now });
    assert.equal(decoded.utc, '5 Sep 2022, 23:26');
    assert.equal(decoded.local, '6 Sep 2022, 08:26');
  });

  it('words the distance in its largest whole unit, past or ahead', () => {
    const at = (iso: string): string => relativeDate(new Date(iso), now, relativeDateFormat('en'));
    assert.equal(at('2025-09-20T09:59:30Z'), '30 seconds ago');
    assert.equal(at('2025-09-20T07:00:00Z'), '3 hours ago');
    assert.equal(at('2025-09-19T09:00:00Z'), 'yesterday');
    assert.equal(at('2025-07-01T00:00:00Z'), '2 months ago');
    assert.equal(at('2025-09-22T10:00:00Z'), 'in 2 days');
    assert.equal(at('2025-09-20T10:00:00Z'), 'now');
  });

  it('finds the value under the cursor on a record line', () => {
    const line = '  "date_created": "20220905142637",';
    const start = line.indexOf('"2022');
    assert.deepEqual(pairAt(line, start + 3), { key: 'date_created', value: '20220905142637', start, end: start + 16 });
    assert.equal(pairAt(line, start + 16), undefined, 'the comma after the value');
    assert.equal(pairAt(line, 4), undefined, 'the key');
    assert.equal(pairAt('{"a": "1", "b": "2"}', 17)?.key, 'b');
    assert.equal(pairAt('  "x": null,', 8), undefined);
  });
});
