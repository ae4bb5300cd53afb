import { msg } from './text';
import { ApiError } from './errors';
import { readOnlyFieldNames, storedFields, type ResourceDescriptor } from './resources';
import type { ApiRecord } from './schemas';

/**
 * A field-level three-way merge of one record:
 *   base   — the record the editor's text came from,
 *   mine   — my changes: the edited text against the base (myChanges),
 *   theirs — the server's record, read just before the update.
 *
 * How values compare: `null`, `""` and a missing value are all "empty" and equal to each
 * other (BD returns either for an empty column, and a person cannot see the difference in
 * a form). They differ on the wire, which is the update's business: clearing a field is
 * sent as "" named in __clear_fields. A field left out of `mine` is not a change.
 *
 * Read-only fields (the primary key, revision_timestamp) are never sent; in `mine` they must
 * keep the base's value. `revision_timestamp` has one-second resolution, so it is never taken
 * as proof that nothing changed: the whole record is always compared.
 */
export interface MergeInput {
  readonly resource: ResourceDescriptor;
  readonly base: ApiRecord;
  /** My changes against the base, from myChanges(): computed once per save. */
  readonly mine: Readonly<Record<string, string | null>>;
  readonly theirs: ApiRecord;
  /** Overwrite: a field changed on both sides takes my value (fields I left alone stay theirs). */
  readonly preferMine?: boolean;
}

export type MergeResult =
  /** The edit changes nothing (whitespace, order, or values equal to the base). */
  | { readonly kind: 'unchanged' }
  /** Every field I changed already has my value on the server: nothing to send, saved. */
  | { readonly kind: 'alreadyThere'; readonly mine: readonly string[]; readonly theirs: readonly string[] }
  /** Send `send` (my changes only); `theirs` names the fields that changed on the server. */
  | { readonly kind: 'merged'; readonly send: Readonly<Record<string, string | null>>; readonly mine: readonly string[]; readonly theirs: readonly string[] }
  /** A field changed on both sides to different values: nothing may be sent without the user. */
  | { readonly kind: 'conflict'; readonly fields: readonly string[]; readonly mine: readonly string[]; readonly theirs: readonly string[] };

const isEmpty = (value: unknown): boolean => value === null || value === undefined || value === '';

/** Equal as the merge compares: empty equals empty, otherwise the same string. */
export function sameValue(a: unknown, b: unknown): boolean {
  return isEmpty(a) ? isEmpty(b) : a === b;
}

/** The fields whose values differ between two records (read-only ones included). */
export function changedFields(a: ApiRecord, b: ApiRecord): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((name) => !sameValue(a[name], b[name]));
}

/** My changes against the base, refusing what the API would drop or must never receive. */
export function myChanges(resource: ResourceDescriptor, base: ApiRecord, mine: Readonly<Record<string, unknown>>): Record<string, string | null> {
  const readOnly = readOnlyFieldNames(resource);
  const known = new Set([...storedFields(resource).map((field) => field.name), ...Object.keys(base)]);
  const changes: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(mine)) {
    if (!known.has(name)) {
      throw new ApiError('invalidInput', msg`"${name}" is not a field of a ${resource.singular}; the API would ignore it silently. Check the spelling.`, { field: name });
    }
    if (value !== null && typeof value !== 'string') {
      throw new ApiError('invalidInput', msg`"${name}" must be a string or null, as the API stores it (write "${String(value)}" with quotes).`, { field: name });
    }
    if (sameValue(value, base[name])) continue;
    if (readOnly.has(name)) {
      throw new ApiError('invalidInput', msg`"${name}" is read-only and cannot be changed.`, { field: name });
    }
    changes[name] = value;
  }
  for (const name of readOnly) {
    if (!isEmpty(base[name]) && !(name in mine)) {
      throw new ApiError('invalidInput', msg`"${name}" is read-only and cannot be removed.`, { field: name });
    }
  }
  return changes;
}

export function mergeRecord(input: MergeInput): MergeResult {
  const { resource, base, mine: mineChanged, theirs } = input;
  const readOnly = readOnlyFieldNames(resource);
  const theirsChanged = changedFields(base, theirs).filter((name) => !readOnly.has(name));
  const mineNames = Object.keys(mineChanged);
  if (mineNames.length === 0) return { kind: 'unchanged' };
  const conflicts: string[] = [];
  const send: Record<string, string | null> = {};
  for (const name of mineNames) {
    const value = mineChanged[name];
    if (sameValue(value, theirs[name])) continue; // both sides made the same change
    if (theirsChanged.includes(name) && !input.preferMine) conflicts.push(name);
    else send[name] = value ?? null;
  }
  if (conflicts.length > 0) return { kind: 'conflict', fields: conflicts, mine: mineNames, theirs: theirsChanged };
  if (Object.keys(send).length === 0) return { kind: 'alreadyThere', mine: mineNames, theirs: theirsChanged };
  return { kind: 'merged', send, mine: mineNames, theirs: theirsChanged };
}

/** `record` with `send` applied, as the server will hold it after the update. */
export function applyChanges(record: ApiRecord, send: Readonly<Record<string, string | null>>): ApiRecord {
  const out: Record<string, string | null> = { ...record };
  for (const [name, value] of Object.entries(send)) out[name] = value === null ? '' : value;
  return out;
}
