import { strict as assert } from 'node:assert';
import { RateLimiter, SYSTEM_CLOCK } from '../../../src/api/rateLimiter';
import { throwsWithKind } from '../support/apiAssert';
import { FakeClock } from '../support/fakeClock';

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
    const limiter = new RateLimiter({ requests: 5, windowMs: 500 }, { now: () => now, setTimer: SYSTEM_CLOCK.setTimer });
    assert.equal(limiter.backOff(), 500);
    now += 200;
    assert.equal(limiter.backOff(), 500);
  });

  it('backOff(ms) blocks both lanes for what the site asked; a shorter ask does not shorten a longer pause', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ requests: 5, windowMs: 60_000 }, clock);
    assert.equal(limiter.backOff(90_000), 90_000);
    assert.equal(limiter.backOff(2_000), 90_000);
    const granted: string[] = [];
    const both = Promise.all([
      limiter.acquire(undefined, { background: true }).then((release) => { granted.push(`background at ${clock.elapsed()}`); release(); }),
      limiter.acquire().then((release) => { granted.push(`interactive at ${clock.elapsed()}`); release(); }),
    ]);
    await clock.run(both);
    assert.deepEqual(granted, ['interactive at 90000', 'background at 90000']);
  });

  it('refuseUntil fails the requests already waiting and those made before the time, then lets them through again', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ requests: 1, windowMs: 60_000 }, clock);
    (await limiter.acquire())();
    const waiting = [limiter.acquire(), limiter.acquire(undefined, { background: true })];
    limiter.refuseUntil(clock.now() + 3_600_000, () => new Error('paused'));
    for (const request of waiting) await assert.rejects(request, /paused/);
    await assert.rejects(limiter.acquire(), /paused/);
    await clock.advanceTo(3_600_000);
    const release = await clock.run(limiter.acquire());
    release();
  });

  it('stops waiting when the signal aborts', async () => {
    const limiter = new RateLimiter({ requests: 1, windowMs: 60_000 });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    await assert.rejects(waiting);
  });

  it('gives the next slot to a waiting interactive request before any waiting background one', async () => {
    const limiter = new RateLimiter({ requests: 1, windowMs: 40 });
    const first = await limiter.acquire();
    const order: string[] = [];
    const background = [1, 2, 3].map((n) => limiter.acquire(undefined, { background: true }).then((release) => (order.push(`bulk ${n}`), release)));
    // Queued after the bulk requests, yet served before all of them.
    const interactive = limiter.acquire().then((release) => (order.push('click'), release));
    assert.deepEqual(limiter.waiting, { interactive: 1, background: 3 });
    first();
    (await interactive)();
    for (const waiting of background) (await waiting)();
    assert.deepEqual(order, ['click', 'bulk 1', 'bulk 2', 'bulk 3']);
  });

  it('an interactive request that arrives while a bulk job waits out its window goes first when the window ends', async () => {
    const limiter = new RateLimiter({ requests: 2, windowMs: 60 });
    for (const release of [await limiter.acquire(undefined, { background: true }), await limiter.acquire(undefined, { background: true })]) release();
    const order: string[] = [];
    const bulk = limiter.acquire(undefined, { background: true }).then((release) => (order.push('bulk'), release()));
    await new Promise((r) => setTimeout(r, 10));
    const click = limiter.acquire().then((release) => (order.push('click'), release()));
    await Promise.all([bulk, click]);
    assert.deepEqual(order, ['click', 'bulk']);
  });

  it('keeps first come first served within the background lane, and never more than the limit per window across both lanes', async () => {
    const windowMs = 50;
    const limiter = new RateLimiter({ requests: 3, windowMs });
    const granted: { lane: string; at: number }[] = [];
    const take = (lane: 'b' | 'i', n: number) =>
      limiter.acquire(undefined, { background: lane === 'b' }).then((release) => {
        granted.push({ lane: `${lane}${n}`, at: Date.now() });
        release();
      });
    const all = [...[1, 2, 3, 4, 5, 6].map((n) => take('b', n)), take('i', 1), take('i', 2)];
    await Promise.all(all);
    const background = granted.filter((g) => g.lane.startsWith('b')).map((g) => g.lane);
    assert.deepEqual(background, ['b1', 'b2', 'b3', 'b4', 'b5', 'b6']);
    // The two interactive requests were queued last but granted within the first window's slots.
    assert.deepEqual(granted.slice(0, 3).map((g) => g.lane), ['i1', 'i2', 'b1']);
    for (let i = 3; i < granted.length; i++) assert.ok(granted[i]!.at - granted[i - 3]!.at >= windowMs - 5, `slot ${i} came ${granted[i]!.at - granted[i - 3]!.at} ms after the one three before`);
  });

  it('a background waiter that is cancelled leaves the lane without taking a slot', async () => {
    const limiter = new RateLimiter({ requests: 1, windowMs: 30 });
    const held = await limiter.acquire();
    const controller = new AbortController();
    const cancelled = limiter.acquire(controller.signal, { background: true });
    const next = limiter.acquire(undefined, { background: true });
    controller.abort();
    await assert.rejects(cancelled);
    assert.deepEqual(limiter.waiting, { interactive: 0, background: 1 });
    held();
    (await next)();
  });
});
