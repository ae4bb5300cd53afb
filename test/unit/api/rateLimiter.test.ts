import { strict as assert } from 'node:assert';
import { RateLimiter } from '../../../src/api/rateLimiter';
import { throwsWithKind } from '../support/apiAssert';

describe('RateLimiter (unit)', () => {
  it('refuses a limit below one request per window', () => {
    throwsWithKind(() => new RateLimiter({ requests: 0, windowMs: 1000 }), 'invalidInput');
    throwsWithKind(() => new RateLimiter({ requests: 5, windowMs: 0 }), 'invalidInput');
  });

  it('lets `requests` through at once, then holds the next until the first slot is a window old', async () => {
    const windowMs = 150;
    const limiter = new RateLimiter({ requests: 2, windowMs });
    const releases = [await limiter.acquire(), await limiter.acquire()];
    const releasedAt = Date.now();
    for (const release of releases) release();
    await limiter.acquire();
    assert.ok(Date.now() - releasedAt >= windowMs - 5, `third slot after ${Date.now() - releasedAt} ms`);
  });

  it('backOff blocks for a whole window from now', () => {
    let now = 10_000;
    const limiter = new RateLimiter({ requests: 5, windowMs: 500 }, () => now);
    assert.equal(limiter.backOff(), 500);
    now += 200;
    assert.equal(limiter.backOff(), 500);
  });

  it('stops waiting when the signal aborts', async () => {
    const limiter = new RateLimiter({ requests: 1, windowMs: 60_000 });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    await assert.rejects(waiting);
  });
});
