import { msg, type LocalisableText } from '../api/text';
import { ApiError } from '../api/errors';
import { readOnlyFieldNames, storedFields, type ResourceDescriptor } from '../api/resources';

/** Parses a record document, saying where the JSON breaks and which field is wrong. */
export function parseRecordText(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    let where: LocalisableText | string = '';
    if (position) {
      const before = text.slice(0, Number(position[1]));
      const line = before.split('\n').length;
      const column = before.length - before.lastIndexOf('\n');
      where = msg` at line ${line}, column ${column}`;
    }
    throw new ApiError('invalidInput', msg`The document is not valid JSON${where} (${message.replace(/^JSON\.parse: /, '').replace(/ in JSON at position \d+.*$/s, '')}). Nothing was sent; fix it and save again.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError('invalidInput', msg`The document must be one JSON object of field names and values. Nothing was sent.`);
  }
  return value as Record<string, unknown>;
}

/** Fields of a new record: known, string-valued, no read-only ones. */
export function checkDraftFields(resource: ResourceDescriptor, fields: Record<string, unknown>): Record<string, string> {
  const known = new Set(storedFields(resource).map((f) => f.name));
  const readOnly = readOnlyFieldNames(resource);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (!known.has(name)) throw new ApiError('invalidInput', msg`"${name}" is not a field of a ${resource.singular}; the API would ignore it silently. Nothing was sent.`, { field: name });
    if (readOnly.has(name)) {
      if (value === '' || value === null) continue;
      throw new ApiError('invalidInput', msg`"${name}" is read-only: the server assigns it. Remove it and save again.`, { field: name });
    }
    if (value !== null && typeof value !== 'string') {
      throw new ApiError('invalidInput', msg`"${name}" must be a string, as the API stores it (write "${String(value)}" with quotes). Nothing was sent.`, { field: name });
    }
    out[name] = value ?? '';
  }
  return out;
}

/** A new record's starting document: required fields first, read-only ones left out, every value empty. */
export function draftTemplate(resource: ResourceDescriptor): Record<string, string> {
  const readOnly = readOnlyFieldNames(resource);
  const fields = storedFields(resource).filter((f) => !readOnly.has(f.name));
  const ordered = [...fields.filter((f) => f.requiredOnCreate), ...fields.filter((f) => !f.requiredOnCreate)];
  return Object.fromEntries(ordered.map((f) => [f.name, '']));
}
