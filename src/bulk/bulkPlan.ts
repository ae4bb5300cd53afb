import { ApiError } from '../api/errors';
import type { RecordFilter } from '../api/filters';
import { sameValue } from '../api/recordMerge';
import { readOnlyFieldNames, type ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import { msg, type LocalisableText } from '../api/text';

/** What a bulk job does to each record. */
export type BulkAction =
  /** One PATCH-like update per record; null (or "") clears the field. */
  | { readonly kind: 'setFields'; readonly fields: Readonly<Record<string, string | null>> }
  | { readonly kind: 'delete' };

export interface PlannedChange {
  readonly field: string;
  readonly before: string | null;
  /** null: the field is cleared. */
  readonly after: string | null;
}

export interface BulkEntry {
  readonly id: string;
  /** The record as listed: what the preview shows, and the base the re-check compares the server's record with. */
  readonly listed: ApiRecord;
  /** What will change (old → new). Empty for a set that the record already has: no request. Empty for a delete. */
  readonly changes: readonly PlannedChange[];
  /** On a retry: an earlier attempt's reply was lost, so finding the change on the server means it was done. */
  readonly replyLost?: boolean;
}

/** Where the records came from: a selection in the tree, or every record matching the listing's filter. */
export type BulkScope = 'selection' | 'matching';

export interface BulkPlan {
  readonly site: string;
  readonly resource: ResourceDescriptor;
  readonly action: BulkAction;
  readonly scope: BulkScope;
  /** The filter "all matching" was resolved with, for the preview. */
  readonly filters?: readonly RecordFilter[];
  readonly entries: readonly BulkEntry[];
}

/** Records at most one `in` read asks for (BD clamps a page to 100). */
export const BATCH_SIZE = 100;

/**
 * The plan of a bulk job over `records` (duplicates dropped, first kept): for each, exactly
 * what will change. Refuses (invalidInput), before anything is sent, a resource that cannot take the action.
 */
export function planBulk(site: string, resource: ResourceDescriptor, action: BulkAction, records: readonly ApiRecord[], scope: BulkScope, filters?: readonly RecordFilter[]): BulkPlan {
  if (action.kind === 'delete' && !resource.canDelete) throw new ApiError('invalidInput', msg`${resource.plural} cannot be deleted through the API.`);
  if (action.kind === 'setFields' && !resource.canUpdate) throw new ApiError('invalidInput', msg`${resource.plural} are read-only: the API has no update for them.`);
  if (action.kind === 'setFields') {
    const readOnly = readOnlyFieldNames(resource);
    const fixed = Object.keys(action.fields).find((name) => readOnly.has(name));
    if (fixed) throw new ApiError('invalidInput', msg`"${fixed}" is read-only and cannot be changed.`);
    if (Object.keys(action.fields).length === 0) throw new ApiError('invalidInput', msg`A bulk change needs at least one field to set.`);
  }
  const seen = new Set<string>();
  const entries: BulkEntry[] = [];
  for (const record of records) {
    const id = record[resource.primaryKey];
    if (!id || seen.has(id)) continue;
    seen.add(id);
    entries.push({ id, listed: record, changes: action.kind === 'setFields' ? changesOf(record, action.fields) : [] });
  }
  return { site, resource, action, scope, filters, entries };
}

function changesOf(record: ApiRecord, fields: Readonly<Record<string, string | null>>): PlannedChange[] {
  const changes: PlannedChange[] = [];
  for (const [field, value] of Object.entries(fields)) {
    const after = value === '' ? null : value;
    if (!sameValue(record[field], after)) changes.push({ field, before: record[field] ?? null, after });
  }
  return changes;
}

/** Entries a run sends something for: every delete, and the sets the record does not have yet. */
export function pendingEntries(plan: BulkPlan): readonly BulkEntry[] {
  return plan.action.kind === 'delete' ? plan.entries : plan.entries.filter((entry) => entry.changes.length > 0);
}

/**
 * Seconds within which a batch's writes go out after its re-check read, at the site's pace: the
 * target the batch is sized for. The hard bound is recheckBoundMs (15 s, or two slots at a very
 * slow pace), enforced as each write is sent: past it the write is held back and read again.
 */
export const RECHECK_GAP_SECONDS = 10;

/**
 * Records per batch at `requestsPerMinute`: as many as the site's pace sends in
 * RECHECK_GAP_SECONDS (rpm / 6), so a record is written ~10 s after it was read again when
 * nothing holds the job up; at least 1, at most 100 (one `in` read).
 */
export function batchSizeFor(requestsPerMinute: number): number {
  return Math.min(BATCH_SIZE, Math.max(1, Math.floor((requestsPerMinute * RECHECK_GAP_SECONDS) / 60)));
}

/**
 * The requests a run will send when nothing fails and nothing changed meanwhile: one `in` read
 * per batch (the re-check), and one write per record that needs one.
 */
export function plannedRequests(plan: BulkPlan, batchSize: number): { readonly reads: number; readonly writes: number } {
  const pending = pendingEntries(plan).length;
  return { reads: Math.ceil(pending / batchSize), writes: pending };
}

/**
 * The least time `requests` take at `perMinute` (the limiter's floor: each full window past the
 * first is waited out), not counting requests sent just before. Bulk jobs above a minute ask first.
 */
export function pacedDurationMs(requests: number, perMinute: number, windowMs = 60_000): number {
  return requests <= 0 ? 0 : Math.floor((requests - 1) / perMinute) * windowMs;
}

/** Split into runs of at most `size`, in order. */
export function batches<T>(items: readonly T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The condition that reads a batch of records in one request: `in` on the primary key. The ids
 * are plain integers (checked when they were listed), so the comma-separated list is safe.
 */
export function batchFilter(resource: ResourceDescriptor, ids: readonly string[]): RecordFilter {
  return { field: resource.primaryKey, operator: 'in', value: ids.join(',') };
}

/**
 * Columns a filter names that the resource does not have: not among its documented fields nor
 * the columns seen on its records. BD answers such a filter "no match" rather than an error, so
 * a bulk job over "all matching" is refused on them before anything runs.
 */
export function unknownFilterColumns(resource: ResourceDescriptor, filters: readonly RecordFilter[], columnsSeen: readonly string[]): string[] {
  const known = new Set([...resource.fields.map((field) => field.name), ...columnsSeen]);
  return [...new Set(filters.map((filter) => filter.field).filter((field) => !known.has(field)))];
}

/**
 * Why `value` cannot be set on `field` of every record (Set Field…), or undefined when it can:
 * the field must be one the resource has and may change, and the value fit what it documents.
 */
export function setFieldProblem(resource: ResourceDescriptor, field: string, value: string, columnsSeen: readonly string[]): LocalisableText | undefined {
  const descriptor = resource.fields.find((f) => f.name === field);
  if (!descriptor && !columnsSeen.includes(field)) return msg`"${field}" is not a field of a ${resource.singular}; the API would ignore it silently. Check the spelling.`;
  if (!descriptor) return undefined;
  if (descriptor.readOnly) return msg`"${field}" is read-only and cannot be changed.`;
  if (descriptor.filterOnly) return msg`"${field}" is a filter, not a stored field: it cannot be set.`;
  if (value === '') return undefined;
  if (descriptor.documentedType === 'integer' && !/^-?\d+$/.test(value)) return msg`"${field}" holds a whole number; "${value}" is not one.`;
  if (descriptor.dateFormat && !(/^\d+$/.test(value) && value.length === descriptor.dateFormat.length)) {
    return msg`"${field}" holds a date as ${descriptor.dateFormat} (${descriptor.dateFormat.length} digits, UTC); "${value}" is not one.`;
  }
  if (descriptor.maxLength !== undefined && value.length > descriptor.maxLength) return msg`"${field}" holds at most ${descriptor.maxLength} characters; the value has ${value.length}.`;
  return undefined;
}
