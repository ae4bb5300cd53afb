import type { PacingClock } from '../../../src/api/rateLimiter';

interface Timer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/** Lets promise chains and loopback I/O (the in-process sandbox) move on: a few real milliseconds. */
function letIoRun(): Promise<void> {
  return new Promise((resolve) => setTimeout(() => setImmediate(resolve), 5));
}

/**
 * A pacing clock that moves only when told to, so rate-limit waits of a minute or more take no
 * real time. Timers fire in due order, the clock standing at each one's due time as it fires.
 */
export class FakeClock implements PacingClock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, Timer>();

  /** Starts on a whole second, so that an HTTP-date (whole seconds) can name an exact instant. */
  constructor(readonly start = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(ms: number, callback: () => void): () => void {
    const id = this.nextId++;
    this.timers.set(id, { id, due: this.time + Math.max(0, ms), callback });
    return () => {
      this.timers.delete(id);
    };
  }

  /** Milliseconds since `start`. */
  elapsed(): number {
    return this.time - this.start;
  }

  /** Due times of the timers still set, as ms after `start`, earliest first. */
  pending(): number[] {
    return [...this.timers.values()].map((t) => t.due - this.start).sort((a, b) => a - b);
  }

  /**
   * Runs `work`, letting time jump to the next timer whenever the code under test waits on one
   * (after letting its I/O run), until `work` settles. `beforeJump` runs before every jump, with
   * the time (ms after start) it jumps to: where a test acts "during the wait". Refuses to pass
   * `limitMs` after start, so a wait that never ends fails instead of spinning.
   */
  async run<T>(work: Promise<T>, beforeJump?: (to: number) => Promise<void> | void, limitMs = 24 * 3_600_000): Promise<T> {
    let settled = false;
    const done = work.then(
      (value) => {
        settled = true;
        return value;
      },
      (error: unknown) => {
        settled = true;
        throw error;
      },
    );
    // The caller awaits `done` below; this only keeps an early rejection from counting as unhandled.
    done.catch(() => undefined);
    while (!settled) {
      await letIoRun();
      if (settled) break;
      const next = this.earliest();
      if (!next) continue; // waiting on I/O, not on time
      if (next.due - this.start > limitMs) throw new Error(`FakeClock.run: the next timer is ${next.due - this.start} ms after start, past the ${limitMs} ms limit`);
      if (beforeJump) {
        await beforeJump(next.due - this.start);
        // What the hook started may have set or cleared timers: look again.
        await letIoRun();
        if (settled) break;
      }
      const first = this.earliest();
      if (first) this.fire(first);
    }
    return done;
  }

  /** Moves to `start + ms`, firing (in order) every timer due by then. */
  async advanceTo(ms: number): Promise<void> {
    for (;;) {
      await letIoRun();
      const next = this.earliest();
      if (!next || next.due > this.start + ms) break;
      this.fire(next);
    }
    this.time = Math.max(this.time, this.start + ms);
    await letIoRun();
  }

  private earliest(): Timer | undefined {
    let first: Timer | undefined;
    for (const timer of this.timers.values()) if (!first || timer.due < first.due || (timer.due === first.due && timer.id < first.id)) first = timer;
    return first;
  }

  private fire(timer: Timer): void {
    this.timers.delete(timer.id);
    this.time = Math.max(this.time, timer.due);
    timer.callback();
  }
}
