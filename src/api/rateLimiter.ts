import { msg } from './text';
import { ApiError } from './errors';
import { setTimeout as delay } from 'node:timers/promises';

export interface RateLimit {
  readonly requests: number;
  readonly windowMs: number;
}

export const MAX_REQUESTS_PER_MINUTE = 1000;

/**
 * Paces requests so that no window of `windowMs` ever holds more than `requests` of them,
 * as the server counts them. A slot is stamped when its reply has arrived (not when it was
 * sent), so latency can never squeeze two windows' worth of arrivals into one.
 */
export class RateLimiter {
  private readonly finishedAt: number[] = [];
  private inFlight = 0;
  private blockedUntil = 0;
  private tail: Promise<void> = Promise.resolve();
  private readonly wakers = new Set<() => void>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    if (!(limit.requests >= 1) || !(limit.windowMs > 0)) {
      throw new ApiError('invalidInput', msg`A rate limit needs at least 1 request per window (got ${limit.requests} per ${limit.windowMs} ms).`);
    }
  }

  /** Waits for a slot; call the returned function once the reply is in. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    // Callers queue in order, so a bulk listing cannot starve a user's click forever.
    const turn = this.tail.then(() => this.waitForSlot(signal));
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn.then(() => {
      this.inFlight++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.finishedAt.push(this.now());
        this.wake();
      };
    });
  }

  /** The server said 429 anyway: nothing more goes out until a whole window has passed. */
  backOff(): number {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + this.limit.windowMs);
    return this.blockedUntil - this.now();
  }

  private async waitForSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      while (this.finishedAt.length > 0 && this.finishedAt[0]! <= now - this.limit.windowMs) this.finishedAt.shift();
      if (now < this.blockedUntil) {
        await delay(this.blockedUntil - now, undefined, { signal });
        continue;
      }
      if (this.inFlight + this.finishedAt.length < this.limit.requests) return;
      if (this.finishedAt.length > 0) {
        await Promise.race([delay(this.finishedAt[0]! + this.limit.windowMs - now + 1, undefined, { signal }), this.nextWake()]);
      } else {
        await this.nextWake(signal);
      }
    }
  }

  private nextWake(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        this.wakers.delete(done);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.wakers.delete(done);
        reject(signal?.reason);
      };
      this.wakers.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private wake(): void {
    for (const waker of [...this.wakers]) waker();
  }
}
