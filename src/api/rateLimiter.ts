import { msg, type LocalisableText } from './text';
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

/** The longest Retry-After waited out; a site asking for more is not sent anything until then, and the request fails saying so. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const IMF_FIXDATE = /^([A-Z][a-z]{2}), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC_850 = /^([A-Z][a-z]+day), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * How long a 429's Retry-After asks to wait, in ms from `now`: delta-seconds (`120`) or an
 * HTTP-date in any of the three forms HTTP allows (a date already past: 0). Undefined when the
 * header is absent or malformed: the caller then waits its own window, as it would without one.
 */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  let parts: { day: string; month: string; year: number; h: string; m: string; s: string } | undefined;
  let match = IMF_FIXDATE.exec(value);
  if (match && WEEKDAYS.includes(match[1]!)) parts = { day: match[2]!, month: match[3]!, year: Number(match[4]), h: match[5]!, m: match[6]!, s: match[7]! };
  if (!parts && (match = RFC_850.exec(value))) {
    // Two-digit years: the RFC 850 form is obsolete; read them as the nearest century that makes sense.
    const yy = Number(match[4]);
    parts = { day: match[2]!, month: match[3]!, year: yy < 70 ? 2000 + yy : 1900 + yy, h: match[5]!, m: match[6]!, s: match[7]! };
  }
  if (!parts && (match = ASCTIME.exec(value)) && WEEKDAYS.includes(match[1]!)) {
    parts = { day: match[3]!.trim(), month: match[2]!, year: Number(match[7]), h: match[4]!, m: match[5]!, s: match[6]! };
  }
  if (!parts) return undefined;
  const month = MONTHS.indexOf(parts.month);
  const [day, h, m, s] = [Number(parts.day), Number(parts.h), Number(parts.m), Number(parts.s)];
  if (month < 0 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60) return undefined;
  const at = Date.UTC(parts.year, month, day, h, m, Math.min(s, 59));
  // 31 Feb and the like roll over in Date.UTC: not a date.
  if (new Date(at).getUTCDate() !== day) return undefined;
  return Math.max(0, at - now);
}

/** A wait in words: "45 s", "8 min", "1 h", "2 h 5 min" (rounded up: never shorter than it is). */
export function waitInWords(ms: number): LocalisableText {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return msg`${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return msg`${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? msg`${hours} h` : msg`${hours} h ${minutes % 60} min`;
}

/** An instant as a person can act on it: "10:05 UTC", with the day when it is not today's ("10:05 UTC on 2026-01-06"); rounded up to the minute. */
export function instantInWords(at: number, now: number): LocalisableText {
  const minute = new Date(Math.ceil(at / 60_000) * 60_000).toISOString();
  const time = minute.slice(11, 16);
  return minute.slice(0, 10) === new Date(now).toISOString().slice(0, 10) ? msg`${time} UTC` : msg`${time} UTC on ${minute.slice(0, 10)}`;
}

/** The longest a write may go out after the read it was checked against, whatever the pace allows: see recheckBoundMs. */
export const RECHECK_BOUND_MS = 15_000;

/**
 * How long after the read it was checked against a write may still go out: 15 s, or two request
 * slots at the site's pace where the pace is so slow (under 8 a minute) that 15 s cannot hold
 * even one read and one write. Past it the write is not sent (kind `stale`): read again first.
 */
export function recheckBoundMs(limit: RateLimit | null): number {
  return Math.max(RECHECK_BOUND_MS, limit ? Math.ceil((2 * limit.windowMs) / limit.requests) : 0);
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

/** Ends a slot: `sent` false when the request never went out, so it does not count against the window. */
export type Release = (sent?: boolean) => void;

interface Waiter {
  readonly grant: (release: Release) => void;
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
  /** The site asked for a longer pause than is waited out: until then every request fails at once with this error. */
  private refusal: { readonly until: number; readonly error: () => unknown } | undefined;

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

  /** Waits for a slot; call the returned function once the reply is in, or with `false` when the request was not sent after all (the slot is not counted). */
  acquire(signal?: AbortSignal, options: AcquireOptions = {}): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const refused = this.refused();
    if (refused) return Promise.reject(refused);
    const lane = options.background ? this.background : this.interactive;
    return new Promise<Release>((resolve, reject) => {
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

  /**
   * The server said 429 anyway: nothing more goes out, in either lane, for `waitMs` (what its
   * Retry-After asked for) or else a whole window. Returns how long that is from now (a pause
   * already longer stands).
   */
  backOff(waitMs: number = this.limit.windowMs): number {
    const now = this.clock.now();
    this.blockedUntil = Math.max(this.blockedUntil, now + waitMs);
    return this.blockedUntil - now;
  }

  /**
   * The server asked for a pause longer than is worth waiting: nothing goes out until `until`,
   * and every request meanwhile, those already waiting included, fails at once with `error()`.
   */
  refuseUntil(until: number, error: () => unknown): void {
    this.blockedUntil = Math.max(this.blockedUntil, until);
    if (!this.refusal || this.refusal.until < until) this.refusal = { until, error };
    const refused = this.refused();
    if (!refused) return;
    for (const waiter of [...this.interactive.splice(0), ...this.background.splice(0)]) waiter.fail(refused);
    this.wake();
  }

  /** The error for a request made while a refusal lasts; undefined when none does. */
  private refused(): unknown {
    if (!this.refusal) return undefined;
    if (this.clock.now() >= this.refusal.until) {
      this.refusal = undefined;
      return undefined;
    }
    return this.refusal.error();
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

  private releaser(): Release {
    let released = false;
    return (sent = true) => {
      if (released) return;
      released = true;
      this.inFlight--;
      if (sent) this.finishedAt.push(this.clock.now());
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
