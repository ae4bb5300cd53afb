import { msg, type LocalisableText } from '../api/text';
import { ApiError } from '../api/errors';
import { createFields, readOnlyFieldNames, storedFields, type ResourceDescriptor } from '../api/resources';

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

/** Fields of a new record: known, string-valued, none the server or the site fills in. */
export function checkDraftFields(resource: ResourceDescriptor, fields: Record<string, unknown>): Record<string, string> {
  const known = new Set(storedFields(resource).map((f) => f.name));
  const readOnly = readOnlyFieldNames(resource);
  const serverManaged = new Set(resource.fields.filter((f) => f.serverManaged).map((f) => f.name));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (!known.has(name)) throw new ApiError('invalidInput', msg`"${name}" is not a field of a ${resource.singular}; the API would ignore it silently. Nothing was sent.`, { field: name });
    if (readOnly.has(name) || serverManaged.has(name)) {
      // An empty value asks for nothing: it is left out of the create.
      if (value === '' || value === null) continue;
      if (readOnly.has(name)) throw new ApiError('invalidInput', msg`"${name}" is read-only: the server assigns it. Remove it and save again.`, { field: name });
      throw new ApiError('invalidInput', msg`"${name}" is filled in by the site, not by a new ${resource.singular}: remove it and save again. Nothing was sent.`, { field: name });
    }
    if (value !== null && typeof value !== 'string') {
      throw new ApiError('invalidInput', msg`"${name}" must be a string, as the API stores it (write "${String(value)}" with quotes). Nothing was sent.`, { field: name });
    }
    out[name] = value ?? '';
  }
  return out;
}

/** A new record's starting document: the fields a person sets, required ones first, every value empty. */
export function draftTemplate(resource: ResourceDescriptor): Record<string, string> {
  return Object.fromEntries(createFields(resource).map((f) => [f.name, '']));
}
