// The sandbox's public shapes: what startSandbox() takes and returns, and what it records.

import type { SandboxStore } from './data';
import type { SandboxConfig } from './config';
import type { FaultKind, FaultSpec, PendingFault } from './faults';

export interface SandboxClock {
  /** The sandbox's current second, `YYYY-MM-DD HH:MM:SS` (UTC). */
  now: string;
  frozen: boolean;
}

export interface SandboxOptions extends Partial<SandboxConfig> {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Website notifications beyond the seed's 12,100 (for benchmarks that need a bigger table). */
  extraNotifications?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  body: Record<string, string | string[]>;
  /** 0 when the connection was dropped without a reply. */
  status: number;
  apiKeyPresent: boolean;
  /** ms epoch, on arrival (real time, even with a frozen sandbox clock). */
  at: number;
  /** Set only when a fault aimed with addFault answered this request. */
  fault?: FaultKind;
}

export interface SandboxInfo {
  url: string;
  bdKey: string;
  bdLimitedKey: string;
  copernicaToken: string;
}

export interface Sandbox extends SandboxInfo {
  requests(): RecordedRequest[];
  clearRequests(): void;
  configure(patch: Partial<SandboxConfig>): void;
  /** Same as configure({ clock: { frozenAt } }); a Date is cut to its second. */
  freezeClock(at: string | Date): void;
  /** Same as configure({ clock: null }). */
  unfreezeClock(): void;
  clock(): SandboxClock;
  /** Validates (TypeError) and queues a fault aimed at one kind of request; returns it as stored. */
  addFault(spec: FaultSpec): PendingFault;
  /** Faults still waiting, oldest first. */
  faults(): PendingFault[];
  clearFaults(): void;
  /** Seed data, config from options, no faults, empty log and rate windows. */
  reset(): void;
  store: SandboxStore;
  close(): Promise<void>;
}
