import { z } from 'zod';
import { ALL_RESOURCES, readOnlyFieldNames, storedFields, type ResourceDescriptor } from './resources';
import { apiValue } from './schemas';

type JsonSchema = Record<string, unknown>;

/** The JSON Schema of one stored value, from the zod schema the client validates with. */
function valueSchema(): JsonSchema {
  const generated = z.toJSONSchema(apiValue) as JsonSchema;
  delete generated['$schema'];
  return generated;
}

function fieldSchema(resource: ResourceDescriptor, name: string, readOnly: boolean): JsonSchema {
  const field = resource.fields.find((f) => f.name === name)!;
  const notes = [
    field.description,
    field.documentedType !== 'string' && field.documentedType !== 'text' ? `Documented as ${field.documentedType}; sent as a string.` : '',
    field.dateFormat ? `Format: ${field.dateFormat}.` : '',
    field.requiredOnCreate ? 'Required when creating.' : '',
    readOnly ? 'Read-only: changing it is refused.' : '',
  ].filter(Boolean);
  return {
    ...valueSchema(),
    description: notes.join(' '),
    markdownDescription: `${readOnly ? '🔒 **read-only** — ' : ''}${notes.join(' ')}`,
    ...(readOnly ? { readOnly: true } : {}),
    ...(field.maxLength ? { maxLength: field.maxLength } : {}),
  };
}

/** A saved record: every stored field, read-only ones marked, unknown fields flagged. */
export function recordJsonSchema(resource: ResourceDescriptor): JsonSchema {
  const readOnly = readOnlyFieldNames(resource);
  const properties = Object.fromEntries(storedFields(resource).map((f) => [f.name, fieldSchema(resource, f.name, readOnly.has(f.name))]));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `${resource.singular} (${resource.api === 'copernica' ? 'Copernica' : 'Brilliant Directories'} ${resource.model})`,
    type: 'object',
    properties,
    additionalProperties: false,
  };
}

/** A new record (new-<n>.json): the fields the API requires, and no read-only ones. */
export function draftJsonSchema(resource: ResourceDescriptor): JsonSchema {
  const readOnly = readOnlyFieldNames(resource);
  const required = resource.fields.filter((f) => f.requiredOnCreate).map((f) => f.name);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `new ${resource.singular}`,
    type: 'object',
    required,
    properties: Object.fromEntries(
      [...readOnly].map((name) => [name, { not: {}, description: `${name} is assigned by the server; leave it out.` }]),
    ),
    ...(required.length > 0 ? { allOf: required.map((name) => ({ properties: { [name]: { type: 'string', minLength: 1 } } })) } : {}),
  };
}

/** File name → schema, as written into dist/schemas at build time. */
export function allJsonSchemas(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const resource of ALL_RESOURCES) {
    out[`${resource.model}.schema.json`] = recordJsonSchema(resource);
    if (resource.canCreate) out[`${resource.model}.new.schema.json`] = draftJsonSchema(resource);
  }
  return out;
}
