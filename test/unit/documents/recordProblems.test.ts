import { strict as assert } from 'node:assert';
import { renderText } from '../../../src/api/text';
import { CONTACTS } from '../../../src/api/resources';
import { recordProblems } from '../../../src/documents/recordProblems';

const served = { contact_id: '15', first_name: 'Ada', zip_code: '33101', revision_timestamp: '2025-01-01 10:00:00', custom_status: 'lead', member_tier: 'gold' };
const text = (fields: Record<string, unknown>): string => `${JSON.stringify(fields, null, 2)}\n`;

/** Each problem as "<the text it marks>: <message>". */
function problems(doc: string, base: Parameters<typeof recordProblems>[2]): string[] {
  return recordProblems(CONTACTS, doc, base).map((p) => `${doc.slice(p.offset, p.offset + p.length)}: ${renderText(p.text)}`);
}

describe('What a save would refuse, marked in the text', () => {
  it('the served record as it is: nothing, its own columns included', () => {
    assert.deepEqual(problems(text(served), served), []);
  });

  it('a field the user adds is marked on its name; the site\'s own columns are not', () => {
    assert.deepEqual(problems(text({ ...served, custm_status: 'lead' }), served), ['"custm_status": "custm_status" is not a field of a contact; the API would ignore it silently. Check the spelling.']);
  });

  it('a number, an object, a changed read-only field: marked on the value, in the save\'s words', () => {
    const doc = text({ ...served, zip_code: 12345, first_name: { a: 1 }, revision_timestamp: '2030-01-01 00:00:00' });
    assert.deepEqual(problems(doc, served), [
      '{\n    "a": 1\n  }: "first_name" must be a string or null, as the API stores it (write "[object Object]" with quotes).',
      '12345: "zip_code" must be a string or null, as the API stores it (write "12345" with quotes).',
      '"2030-01-01 00:00:00": "revision_timestamp" is read-only and cannot be changed.',
    ]);
  });

  it('a new record: unknown fields, values the site fills in, numbers', () => {
    const doc = text({ email: 'a@example.com', custom_status: 'x', token: 'abc', ip: '', zip_code: 1 });
    assert.deepEqual(problems(doc, 'draft'), [
      '"custom_status": "custom_status" is not a field of a contact; the API would ignore it silently. Nothing was sent.',
      '"abc": "token" is filled in by the site, not by a new contact: remove it and save again. Nothing was sent.',
      '1: "zip_code" must be a string, as the API stores it (write "1" with quotes). Nothing was sent.',
    ]);
  });

  it('text that is not a JSON object: nothing here (the JSON language service marks the syntax)', () => {
    assert.deepEqual(problems('[1, 2]', served), []);
    assert.deepEqual(problems('', served), []);
  });
});
