import { msg } from './text';
import { ApiError } from './errors';
import { readOnlyFieldNames, storedFields, type ResourceDescriptor } from './resources';
import type { ApiRecord } from './schemas';

export interface RecordChanges {
  /** Fields whose value changed to something non-empty. */
  readonly set: Readonly<Record<string, string>>;
  /** Fields changed to "" or null: BD ignores empty values unless named in __clear_fields. */
  readonly clear: readonly string[];
}

/**
 * What an edit changed, ready for a PATCH-like BD update. Refuses, naming the field, what
 * the API would silently drop or must never receive: read-only changes, unknown fields
 * (BD ignores them without a word) and values that are not strings.
 */
export function computeChanges(resource: ResourceDescriptor, original: ApiRecord, edited: Readonly<Record<string, unknown>>): RecordChanges {
  const readOnly = readOnlyFieldNames(resource);
  const known = new Set([...storedFields(resource).map((field) => field.name), ...Object.keys(original)]);
  const set: Record<string, string> = {};
  const clear: string[] = [];
  for (const [name, value] of Object.entries(edited)) {
    if (!known.has(name)) {
      throw new ApiError('invalidInput', msg`"${name}" is not a field of a ${resource.singular}; the API would ignore it silently. Check the spelling.`, { field: name });
    }
    if (value !== null && typeof value !== 'string') {
      throw new ApiError('invalidInput', msg`"${name}" must be a string or null, as the API stores it (write "${String(value)}" with quotes).`, { field: name });
    }
    const before = original[name] ?? null;
    if (value === before || (value === '' && before === null) || (value === null && before === '')) continue;
    if (readOnly.has(name)) {
      throw new ApiError('invalidInput', msg`"${name}" is read-only and cannot be changed.`, { field: name });
    }
    if (value === null || value === '') clear.push(name);
    else set[name] = value;
  }
  for (const name of readOnly) {
    if (name in original && !(name in edited) && original[name] !== null && original[name] !== undefined) {
      throw new ApiError('invalidInput', msg`"${name}" is read-only and cannot be removed.`, { field: name });
    }
  }
  return { set, clear };
}

export function hasChanges(changes: RecordChanges): boolean {
  return changes.clear.length > 0 || Object.keys(changes.set).length > 0;
}

/** The form body of an update: the primary key, the changed fields, and the fields to clear. */
export function updateForm(resource: ResourceDescriptor, id: string, changes: RecordChanges): Record<string, string> {
  const form: Record<string, string> = { [resource.primaryKey]: id, ...changes.set };
  for (const name of changes.clear) form[name] = '';
  if (changes.clear.length > 0) form['__clear_fields'] = changes.clear.join(',');
  return form;
}
