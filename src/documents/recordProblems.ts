import { isApiError } from '../api/errors';
import { myChanges } from '../api/recordMerge';
import { storedFields, type ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import type { LocalisableText } from '../api/text';
import { checkDraftFields } from './recordValidation';

/** A field the save would refuse as typed, where it is in the text (the name for an unknown field, else the value). */
export interface RecordProblem {
  readonly field: string;
  readonly offset: number;
  readonly length: number;
  readonly text: LocalisableText;
}

/**
 * What a save of this text would refuse, field by field, in the save's own words: each field is
 * put to the same check the save makes (the saved record's merge, or a new record's create), so
 * a marker and a refusal never disagree. `served` is the server's record the document came
 * from: its own fields (a site's custom columns) are fields of this record, whatever the
 * model lists. Text that is not one JSON object yields nothing here: the JSON language
 * service marks the syntax.
 */
export function recordProblems(resource: ResourceDescriptor, text: string, served: ApiRecord | 'draft'): RecordProblem[] {
  const properties = topLevelProperties(text);
  const problems: RecordProblem[] = [];
  for (const { name, key, value } of properties) {
    const refusal = refusalOf(resource, served, name, value.value);
    if (!refusal) continue;
    // An unknown name is marked on the name; every other refusal is about the value.
    const at = refusal.unknown ? key : value;
    problems.push({ field: name, offset: at.offset, length: at.length, text: refusal.text });
  }
  return problems;
}

function refusalOf(resource: ResourceDescriptor, served: ApiRecord | 'draft', name: string, value: unknown): { text: LocalisableText; unknown: boolean } | undefined {
  try {
    // Only this field differs from the served record, so a refusal is about this field.
    if (served === 'draft') checkDraftFields(resource, { [name]: value });
    else myChanges(resource, served, { ...served, [name]: value });
    return undefined;
  } catch (error) {
    if (!isApiError(error, 'invalidInput') || error.details.field !== name || !error.text) return undefined;
    const known = (served !== 'draft' && name in served) || storedFields(resource).some((f) => f.name === name);
    return { text: error.text, unknown: !known };
  }
}

interface Span {
  readonly offset: number;
  readonly length: number;
}

/**
 * The properties of a document that is one JSON object, with where each name and value is;
 * none when the text is not valid JSON. Scanning valid JSON only needs to find where each
 * value ends: strings (with escapes) and nesting are all there is to skip.
 */
function topLevelProperties(text: string): { name: string; key: Span; value: Span & { value: unknown } }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [];
  const out: { name: string; key: Span; value: Span & { value: unknown } }[] = [];
  const skipSpace = (at: number): number => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
    return at;
  };
  const stringEnd = (at: number): number => {
    for (let i = at + 1; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') return i + 1;
    }
    return text.length;
  };
  const valueEnd = (at: number): number => {
    if (text[at] === '"') return stringEnd(at);
    if (text[at] !== '{' && text[at] !== '[') {
      let i = at;
      while (i < text.length && !/[\s,}\]]/.test(text[i]!)) i++;
      return i;
    }
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      const c = text[i];
      if (c === '"') i = stringEnd(i) - 1;
      else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && --depth === 0) return i + 1;
    }
    return text.length;
  };
  let at = skipSpace(text.indexOf('{') + 1);
  while (at < text.length && text[at] === '"') {
    const keyEnd = stringEnd(at);
    const name = JSON.parse(text.slice(at, keyEnd)) as string;
    const start = skipSpace(skipSpace(keyEnd) + 1); // past the colon
    const end = valueEnd(start);
    out.push({ name, key: { offset: at, length: keyEnd - at }, value: { offset: start, length: end - start, value: JSON.parse(text.slice(start, end)) as unknown } });
    at = skipSpace(end);
    if (text[at] === ',') at = skipSpace(at + 1);
  }
  return out;
}
