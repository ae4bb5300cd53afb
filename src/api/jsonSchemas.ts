import { ALL_RESOURCES, createFields, readOnlyFieldNames, storedFields, type FieldDescriptor, type ResourceDescriptor } from './resources';

// The schemas are written into dist/schemas at build time (esbuild.mjs), so their words are
// English: VS Code's JSON language features read them, not vscode.l10n.
//
// They describe and complete; they refuse nothing. VS Code shows a schema's findings as
// warnings, and a schema knows the model, not the record: a site's own columns would look
// unknown. What a save refuses is marked as an error by src/documents/recordDiagnostics.ts.

type JsonSchema = Record<string, unknown>;

/** A sentence: the vendor's descriptions often end without a full stop. */
const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

/** What the hover says about a field, after the vendor's description; each thing once. */
function fieldNotes(field: FieldDescriptor): string[] {
  const notes: string[] = [];
  if (field.documentedType !== 'string' && field.documentedType !== 'text') notes.push(`Documented as ${field.documentedType}; sent as a string.`);
  // Most date descriptions name their format already ("format: YYYYMMDDHHmmss"): say it once.
  if (field.dateFormat) notes.push(field.description.includes(field.dateFormat) ? 'The time is UTC.' : `Format: ${field.dateFormat}, UTC.`);
  if (field.requiredOnCreate) notes.push('Required when creating.');
  return notes;
}

/**
 * The values the vendor names, offered by completion and explained on hover. In an anyOf with
 * an empty schema, so a value the table does not list (another status code, a site's own
 * type) is not flagged: the documented sets are examples as often as they are complete.
 */
function valueChoices(field: FieldDescriptor): JsonSchema {
  if (!field.values?.length) return {};
  const listed = field.values;
  const example = 'One of the examples in the vendor\'s field table; other values occur too.';
  const describe = (meaning: string | undefined): string => (meaning ? (field.valuesAreExamples ? `${meaning}. ${example}` : meaning) : example);
  return {
    anyOf: [
      {
        enum: listed.map((v) => v.value),
        enumDetails: listed.map((v) => v.meaning ?? 'example'),
        markdownEnumDescriptions: listed.map((v) => describe(v.meaning)),
        enumDescriptions: listed.map((v) => describe(v.meaning)),
      },
      {},
    ],
  };
}

type Access = 'editable' | 'readOnly' | 'serverManaged';

/** The mark before a field's description, in words: an emoji padlock renders as an empty box in many fonts. */
const MARKS: Record<Access, { label: string; rest: string } | undefined> = {
  editable: undefined,
  readOnly: { label: 'Read-only', rest: 'the server assigns it; a change is refused.' },
  serverManaged: { label: 'Set by the site', rest: 'a new record leaves it out.' },
};

function fieldSchema(field: FieldDescriptor, access: Access): JsonSchema {
  const notes = [sentence(field.description), ...fieldNotes(field)].join(' ');
  const mark = MARKS[access];
  return {
    // A property completed from the model starts as a string, as the API keeps every value.
    default: '',
    description: mark ? `${mark.label}: ${mark.rest} ${notes}` : notes,
    markdownDescription: mark ? `**${mark.label}** — ${mark.rest}\n\n${notes}` : notes,
    ...(access === 'readOnly' ? { readOnly: true } : {}),
    ...(field.maxLength ? { maxLength: field.maxLength } : {}),
    ...valueChoices(field),
  };
}

/** A saved record: every stored field, read-only ones marked. */
export function recordJsonSchema(resource: ResourceDescriptor): JsonSchema {
  const readOnly = readOnlyFieldNames(resource);
  const access = (f: FieldDescriptor): Access => (readOnly.has(f.name) ? 'readOnly' : f.serverManaged ? 'serverManaged' : 'editable');
  const properties = Object.fromEntries(storedFields(resource).map((f) => [f.name, fieldSchema(f, access(f))]));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `${resource.singular} (${resource.api === 'copernica' ? 'Copernica' : 'Brilliant Directories'} ${resource.model})`,
    type: 'object',
    properties,
  };
}

/**
 * A new record (new-<n>.json): the fields a person sets, required ones first. The primary key,
 * read-only and server-managed fields are not suggested, and their hover says to leave them out
 * (the store refuses them with a value; an empty one is what it sends nothing for).
 */
export function draftJsonSchema(resource: ResourceDescriptor): JsonSchema {
  const readOnly = readOnlyFieldNames(resource);
  const settable = createFields(resource);
  const names = new Set(settable.map((f) => f.name));
  const left = storedFields(resource).filter((f) => !names.has(f.name));
  const required = settable.filter((f) => f.requiredOnCreate).map((f) => f.name);
  const refused = (f: FieldDescriptor): JsonSchema => {
    const why = readOnly.has(f.name) ? `${f.name} is assigned by the server` : `${f.name} is filled in by the site`;
    return { doNotSuggest: true, description: `${why}; leave it out of a new ${resource.singular}.` };
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `new ${resource.singular}`,
    type: 'object',
    required,
    properties: Object.fromEntries([...settable.map((f) => [f.name, fieldSchema(f, 'editable')]), ...left.map((f) => [f.name, refused(f)])]),
    ...(required.length > 0 ? { allOf: required.map((name) => ({ properties: { [name]: { minLength: 1 } } })) } : {}),
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
