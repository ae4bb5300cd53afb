// What one running sandbox holds (config, store, request log, rate windows, faults), and the
// small operations on it every route uses.

import { parseClockInstant, type SandboxStore, type StoredRecord } from './data';
import type { SandboxConfig } from './config';
import type { PendingFault } from './faults';
import type { RecordedRequest } from './types';

export interface State {
  url: string;
  defaults: SandboxConfig;
  config: SandboxConfig;
  store: SandboxStore;
  log: { seq: number; rec: RecordedRequest }[];
  seq: number;
  windows: Map<string, number[]>;
  rng: () => number;
  /** Sorted views per model + order, valid while the store's mutation generation matches. */
  orderCache: Map<string, { generation: number; rows: StoredRecord[] }>;
  /** Faults aimed with addFault, oldest first; each is removed when its count runs out. */
  faults: PendingFault[];
  nextFaultId: number;
}

/** The sandbox clock in ms: the frozen instant, or the real time. */
export function clockMs(state: State): number {
  const frozen = state.config.clock;
  return frozen ? (parseClockInstant(frozen.frozenAt) ?? Date.now()) : Date.now();
}

export function requestSnapshot(state: State): RecordedRequest[] {
  return [...state.log]
    .sort((a, b) => a.seq - b.seq)
    .map(({ rec }) => ({
      ...rec,
      query: structuredClone(rec.query),
      body: structuredClone(rec.body),
    }));
}

/** Sliding window; a rejected request is not counted. */
export function allowRequest(state: State, key: string): boolean {
  const limit = state.config.rateLimit;
  if (!limit) return true;
  const now = Date.now();
  const recent = (state.windows.get(key) ?? []).filter((t) => t > now - limit.windowMs);
  const allowed = recent.length < limit.requests;
  if (allowed) recent.push(now);
  state.windows.set(key, recent);
  return allowed;
}
