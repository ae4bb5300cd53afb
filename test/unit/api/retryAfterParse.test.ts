import { strict as assert } from 'node:assert';
import { instantInWords, parseRetryAfter, waitInWords } from '../../../src/api/rateLimiter';
import { renderText } from '../../../src/api/text';

describe('parseRetryAfter (unit)', () => {
  const now = Date.UTC(1994, 10, 6, 8, 48, 37); // Sun, 06 Nov 1994 08:48:37 GMT

  it('delta-seconds', () => {
    assert.equal(parseRetryAfter('2', now), 2000);
    assert.equal(parseRetryAfter(' 90 ', now), 90_000);
    assert.equal(parseRetryAfter('0', now), 0);
  });

  it('the three HTTP-date forms name the same instant, 60 s after now', () => {
    for (const date of ['Sun, 06 Nov 1994 08:49:37 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994']) {
      assert.equal(parseRetryAfter(date, now), 60_000, date);
    }
  });

  it('a date already past asks for no wait', () => {
    assert.equal(parseRetryAfter('Sun, 06 Nov 1994 08:00:00 GMT', now), 0);
  });

  it('absent or malformed: undefined (the caller waits its own window)', () => {
    for (const bad of [undefined, '', '  ', 'soon', '-5', '1.5', '5s', '0x10', 'Sun, 31 Feb 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 25:49:37 GMT', 'Xyz, 06 Nov 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 08:49:37 CET', '2026-01-05T09:00:00Z']) {
      assert.equal(parseRetryAfter(bad, now), undefined, String(bad));
    }
  });

  it('waits and instants in words, rounded up', () => {
    assert.deepEqual([1, 45_000, 60_000, 61_000, 3_600_000, 7_500_000].map((ms) => renderText(waitInWords(ms))), ['1 s', '45 s', '1 min', '2 min', '1 h', '2 h 5 min']);
    assert.equal(renderText(instantInWords(Date.UTC(2026, 0, 5, 10, 0, 0), Date.UTC(2026, 0, 5, 9, 0, 0))), '10:00 UTC');
    assert.equal(renderText(instantInWords(Date.UTC(2026, 0, 5, 10, 0, 1), Date.UTC(2026, 0, 5, 9, 0, 0))), '10:01 UTC');
    assert.equal(renderText(instantInWords(Date.UTC(2026, 0, 6, 0, 30, 0), Date.UTC(2026, 0, 5, 23, 50, 0))), '00:30 UTC on 2026-01-06');
  });
});
