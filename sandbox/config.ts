// The sandbox's configuration (rate limit, latency, random faults, HTML mode, clock): defaults
// and the validated merge of a patch, which may come from JSON over HTTP.

import { formatDateTime, parseClockInstant } from './data';
import { parseKeyEcho, type KeyEcho } from './firewall';
import { isObject } from './http';

export interface SandboxConfig {
  /** Per API key / token, sliding window; null = unlimited. */
  rateLimit: { requests: number; windowMs: number } | null;
  /** Added before each API reply. */
  latencyMs: number;
  /** Shares (0..1) of API requests answered 500 / dropped; decided before processing. */
  faults: { serverErrorRate: number; dropRate: number; seed?: number };
  /** Every API request gets a firewall-style HTML page with this status (echoing the request's key when `echoKey` is set). */
  htmlMode: { status: number; echoKey?: KeyEcho } | null;
  /**
   * null: the sandbox clock is the real UTC wall clock. `{ frozenAt: 'YYYY-MM-DD HH:MM:SS' }` (UTC):
   * it stands still at that second, for revision_timestamp and the other stamped dates,
   * since_days/until_days, and Copernica clicks added "now".
   */
  clock: { frozenAt: string } | null;
}

export const DEFAULT_FAULT_SEED = 1;

export function defaultConfig(): SandboxConfig {
  return { rateLimit: null, latencyMs: 0, faults: { serverErrorRate: 0, dropRate: 0 }, htmlMode: null, clock: null };
}

export function cloneConfig(c: SandboxConfig): SandboxConfig {
  return {
    rateLimit: c.rateLimit ? { ...c.rateLimit } : null,
    latencyMs: c.latencyMs,
    faults: { ...c.faults },
    htmlMode: c.htmlMode ? { ...c.htmlMode } : null,
    clock: c.clock ? { ...c.clock } : null,
  };
}

function isRate(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
}

/** Validates a patch (it may come from JSON over HTTP) and returns the merged config. */
export function mergeConfig(base: SandboxConfig, patch: unknown): SandboxConfig {
  if (!isObject(patch)) throw new TypeError('config patch must be an object');
  const known = ['rateLimit', 'latencyMs', 'faults', 'htmlMode', 'clock'];
  const unknown = Object.keys(patch).filter((k) => !known.includes(k));
  if (unknown.length) throw new TypeError(`unknown config key(s): ${unknown.join(', ')}`);
  const out = cloneConfig(base);
  const { rateLimit, latencyMs, faults, htmlMode, clock } = patch;
  if (rateLimit !== undefined) {
    if (rateLimit === null) out.rateLimit = null;
    else if (
      isObject(rateLimit) &&
      Number.isInteger(rateLimit.requests) && (rateLimit.requests as number) >= 1 &&
      typeof rateLimit.windowMs === 'number' && Number.isFinite(rateLimit.windowMs) && rateLimit.windowMs > 0
    ) out.rateLimit = { requests: rateLimit.requests as number, windowMs: rateLimit.windowMs };
    else throw new TypeError('rateLimit must be null or { requests: integer >= 1, windowMs: number > 0 }');
  }
  if (latencyMs !== undefined) {
    if (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0) throw new TypeError('latencyMs must be a number >= 0');
    out.latencyMs = latencyMs;
  }
  if (faults !== undefined) {
    // Partial fault objects are merged so `{ dropRate: 0.1 }` keeps the error rate.
    if (!isObject(faults)) throw new TypeError('faults must be an object');
    const merged = { ...out.faults, ...faults } as Record<string, unknown>;
    if (!isRate(merged.serverErrorRate) || !isRate(merged.dropRate)) throw new TypeError('faults.serverErrorRate and faults.dropRate must be numbers in 0..1');
    if ((merged.serverErrorRate as number) + (merged.dropRate as number) > 1) throw new TypeError('faults.serverErrorRate + faults.dropRate must not exceed 1');
    if (merged.seed !== undefined && !Number.isInteger(merged.seed)) throw new TypeError('faults.seed must be an integer');
    out.faults = { serverErrorRate: merged.serverErrorRate as number, dropRate: merged.dropRate as number };
    if (merged.seed !== undefined) out.faults.seed = merged.seed as number;
  }
  if (htmlMode !== undefined) {
    if (htmlMode === null) out.htmlMode = null;
    else if (isObject(htmlMode) && Number.isInteger(htmlMode.status) && (htmlMode.status as number) >= 100 && (htmlMode.status as number) <= 599) {
      out.htmlMode = { status: htmlMode.status as number };
      if (htmlMode.echoKey !== undefined) out.htmlMode.echoKey = parseKeyEcho(htmlMode.echoKey);
    } else throw new TypeError('htmlMode must be null or { status: integer 100..599, echoKey? }');
  }
  if (clock === null) out.clock = null;
  else if (clock !== undefined) {
    const ms = isObject(clock) && typeof clock.frozenAt === 'string' && Object.keys(clock).length === 1 ? parseClockInstant(clock.frozenAt) : null;
    if (ms === null) throw new TypeError("clock must be null or { frozenAt: 'YYYY-MM-DD HH:MM:SS' } (UTC; a T separator and a Z are accepted)");
    out.clock = { frozenAt: formatDateTime(new Date(ms)) };
  }
  return out;
}
