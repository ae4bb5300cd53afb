// The rate-limit window the paced sections (b, d, f, g) run under, written once: BD's real
// 60 s window with --full-window, else a section's scaled-down one, so a run takes seconds.
import type { BenchOptions } from './types';

/** BD's default: 100 requests per 60 s per key. */
export const LIMIT_REQUESTS = 100;
const REAL_WINDOW_MS = 60_000;

export interface PacingWindow {
  readonly windowMs: number;
  /** LIMIT_REQUESTS per windowMs, as the sandbox and the client are both configured. */
  readonly rateLimit: { readonly requests: number; readonly windowMs: number };
  /** The limit as the report states it, naming the scale. */
  readonly text: string;
  /** How many times shorter than BD's real window (1 with --full-window). */
  readonly scale: number;
}

export function pacingWindow(options: BenchOptions, scaledWindowMs: number): PacingWindow {
  const windowMs = options.fullWindow ? REAL_WINDOW_MS : scaledWindowMs;
  const text = options.fullWindow
    ? `${LIMIT_REQUESTS} requests per ${windowMs / 1000} s (BD's real default window, --full-window)`
    : `${LIMIT_REQUESTS} requests per ${windowMs / 1000} s (BD's 60 s window scaled down ${REAL_WINDOW_MS / windowMs}×; --full-window uses 60 s)`;
  return { windowMs, rateLimit: { requests: LIMIT_REQUESTS, windowMs }, text, scale: REAL_WINDOW_MS / windowMs };
}

/** The least wall time n requests can take when at most `requests` may fall in any `windowMs`. */
export function pacingFloorMs(n: number, requests: number, windowMs: number): number {
  return Math.floor((n - 1) / requests) * windowMs;
}
