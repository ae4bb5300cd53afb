import { msg } from './text';
import { ApiError } from './errors';

export interface RateLimit {
  readonly requests: number;
  readonly windowMs: number;
}

export const MAX_REQUESTS_PER_MINUTE = 1000;

/** Time and timers for pacing: the real ones, or a test's fake clock (so no test sleeps a real minute). */
export interface PacingClock {
  /** ms since the epoch. */
  now(): number;
  /** Calls `callback` once `ms` have passed; the returned function cancels it. */
  setTimer(ms: number, callback: () => void): () => void;
}

export const SYSTEM_CLOCK: PacingClock = {
  now: () => Date.now(),
  setTimer: (ms, callback) => {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

export interface AcquireOptions {
  /**
   * The background lane (a bulk job): it gets a slot only when no interactive request is
   * waiting, so opening or saving a record goes ahead of a running job.
   */
  readonly background?: boolean;
}

interface Waiter {
  readonly grant: (release: () => void) => void;
  readonly fail: (reason: unknown) => void;
}

/**
 * Paces requests so that no window of `windowMs` ever holds more than `requests` of them,
 * as the server counts them. A slot is stamped when its reply has arrived (not when it was
 * sent), so latency can never squeeze two windows' worth of arrivals into one.
 *
 * Two lanes, each first come first served: a free slot goes to the oldest interactive waiter,
 * and to the oldest background waiter only when no interactive one waits.
 */
export class RateLimiter {
  private readonly finishedAt: number[] = [];
  private inFlight = 0;
  private blockedUntil = 0;
  private readonly interactive: Waiter[] = [];
  private readonly background: Waiter[] = [];
  private pumping = false;
  private readonly wakers = new Set<() => void>();

  constructor(
    readonly limit: RateLimit,
    private readonly clock: PacingClock = SYSTEM_CLOCK,
  ) {
    if (!(limit.requests >= 1) || !(limit.windowMs > 0)) {
      throw new ApiError('invalidInput', msg`A rate limit needs at least 1 request per window (got ${limit.requests} per ${limit.windowMs} ms).`);
    }
  }

  /** How many requests wait in each lane (for tests and the bench). */
  get waiting(): { readonly interactive: number; readonly background: number } {
    return { interactive: this.interactive.length, background: this.background.length };
  }

  /** Waits for a slot; call the returned function once the reply is in. */
  acquire(signal?: AbortSignal, options: AcquireOptions = {}): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const lane = options.background ? this.background : this.interactive;
    return new Promise<() => void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = lane.indexOf(waiter);
        if (index >= 0) lane.splice(index, 1);
        reject(signal?.reason);
        // The pump may be waiting for a slot nobody wants any more.
        this.wake();
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        fail: reject,
      };
      lane.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      void this.pump();
    });
  }

  /** The server said 429 anyway: nothing more goes out until a whole window has passed. */
  backOff(): number {
    this.blockedUntil = Math.max(this.blockedUntil, this.clock.now() + this.limit.windowMs);
    return this.blockedUntil - this.clock.now();
  }

  /** Hands out slots one at a time, as they come free, to the next waiter of the first lane that has one. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.hasWaiters()) {
        if (!(await this.waitForSlot())) continue;
        const next = this.interactive.shift() ?? this.background.shift();
        if (!next) continue;
        this.inFlight++;
        next.grant(this.releaser());
      }
    } catch (error) {
      for (const waiter of [...this.interactive.splice(0), ...this.background.splice(0)]) waiter.fail(error);
    } finally {
      this.pumping = false;
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.finishedAt.push(this.clock.now());
      this.wake();
    };
  }

  private hasWaiters(): boolean {
    return this.interactive.length > 0 || this.background.length > 0;
  }

  /** True once a slot is free; false when nobody waits any more. */
  private async waitForSlot(): Promise<boolean> {
    for (;;) {
      if (!this.hasWaiters()) return false;
      const now = this.clock.now();
      while (this.finishedAt.length > 0 && this.finishedAt[0]! <= now - this.limit.windowMs) this.finishedAt.shift();
      if (now < this.blockedUntil) {
        await this.sleepOrWake(this.blockedUntil - now);
        continue;
      }
      if (this.inFlight + this.finishedAt.length < this.limit.requests) return true;
      await this.sleepOrWake(this.finishedAt.length > 0 ? this.finishedAt[0]! + this.limit.windowMs - now + 1 : undefined);
    }
  }

  /** Until `ms` have passed (never, when undefined) or a slot is released or a waiter leaves. */
  private sleepOrWake(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        cancel?.();
        this.wakers.delete(done);
        resolve();
      };
      const cancel = ms === undefined ? undefined : this.clock.setTimer(ms, done);
      this.wakers.add(done);
    });
  }

  private wake(): void {
    for (const waker of [...this.wakers]) waker();
  }
}
