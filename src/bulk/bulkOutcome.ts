import type { ApiRecord } from '../api/schemas';
import type { LocalisableText } from '../api/text';
import type { BulkEntry, BulkPlan } from './bulkPlan';

/**
 * What became of one record:
 * - `done`: the change is on the server (sent and acknowledged, or found there after a lost reply);
 * - `unchanged`: nothing needed sending (the record already had it; a record to delete already gone);
 * - `skipped`: changed on the server since it was listed, so it was not overwritten;
 * - `failed`: not done, with the reason;
 * - `unknown`: sent, but the reply was lost and the record could not be read back yet;
 * - `notRun`: nothing was sent (the job was cancelled first).
 */
export type OutcomeStatus = 'done' | 'unchanged' | 'skipped' | 'failed' | 'unknown' | 'notRun';

export interface EntryOutcome {
  readonly id: string;
  readonly status: OutcomeStatus;
  readonly reason?: LocalisableText;
  /** The record as the server holds it now, when known (the tree shows it); undefined after a delete. */
  readonly record?: ApiRecord;
  /** A failed write the server may still have applied (a 5xx, an unreadable reply, a lost reply with the record still there): a retry counts it done if the change is there, and a delete's kept copy stays. */
  readonly uncertain?: boolean;
}

/** One request the job sent, and what became of it. */
export interface RequestRecord {
  readonly kind: 'read' | 'update' | 'delete';
  /** The records it was about (a read: the whole batch). */
  readonly ids: readonly string[];
  /** `lost`: sent, no reply (network or timeout), so the server may have applied it. */
  readonly result: 'ok' | 'failed' | 'lost';
}

export interface BulkResult {
  /** One per entry of the plan that ran, in the plan's order. */
  readonly outcomes: readonly EntryOutcome[];
  readonly requests: readonly RequestRecord[];
  readonly cancelled: boolean;
}

export type OutcomeCounts = Readonly<Record<OutcomeStatus, number>>;

export function countOutcomes(outcomes: readonly EntryOutcome[]): OutcomeCounts {
  const counts: Record<OutcomeStatus, number> = { done: 0, unchanged: 0, skipped: 0, failed: 0, unknown: 0, notRun: 0 };
  for (const outcome of outcomes) counts[outcome.status]++;
  return counts;
}

/** Statuses a retry takes up: a skipped record stays skipped until the user looks at it. */
const RETRIED: ReadonlySet<OutcomeStatus> = new Set(['failed', 'unknown', 'notRun']);

export function isRetryable(outcome: EntryOutcome): boolean {
  return RETRIED.has(outcome.status);
}

/**
 * The plan of a retry: the entries that failed, whose outcome is unknown, or that never ran,
 * with what was listed and planned for them. An entry whose reply was lost is marked so: the
 * retry reads it again first (as every run does) and counts it done if the change is there.
 * Undefined when there is nothing to retry.
 */
export function retryPlan(plan: BulkPlan, outcomes: readonly EntryOutcome[]): BulkPlan | undefined {
  const byId = new Map(outcomes.map((outcome) => [outcome.id, outcome]));
  const entries: BulkEntry[] = [];
  for (const entry of plan.entries) {
    const outcome = byId.get(entry.id);
    if (!outcome || !isRetryable(outcome)) continue;
    entries.push({ ...entry, replyLost: entry.replyLost || outcome.status === 'unknown' || outcome.uncertain === true });
  }
  return entries.length > 0 ? { ...plan, entries } : undefined;
}

/** The job's outcomes after a retry: each retried record takes its new outcome, the others keep theirs. */
export function mergeOutcomes(before: readonly EntryOutcome[], retried: readonly EntryOutcome[]): EntryOutcome[] {
  const latest = new Map(retried.map((outcome) => [outcome.id, outcome]));
  return before.map((outcome) => latest.get(outcome.id) ?? outcome);
}
