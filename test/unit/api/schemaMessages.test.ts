import { strict as assert } from 'node:assert';
import {
  BdListEnvelope, BdSingleEnvelope, BdVerifyEnvelope, BdWriteEnvelope, ContactSchema, CopernicaClickSchema, CopernicaErrorEnvelope, CopernicaPageEnvelope, RECORD_SCHEMAS, apiValue, describeIssues,
} from '../../../src/api/schemas';

// What zod says about a reply that is not the documented shape reaches the user inside the
// "not … as the API documents it (…)" error (replies.ts expectShape). These are its words as
// shipped; how zod is imported (bundle size) must not change one of them.

type Parsed = { success: true; data: unknown } | { success: false; error: Parameters<typeof describeIssues>[0] };
type Check = readonly [what: string, parse: (value: unknown) => Parsed, value: unknown, words: string];

const said = (parse: (value: unknown) => Parsed, value: unknown): string => {
  const result = parse(value);
  return result.success ? `accepted: ${JSON.stringify(result.data)}` : describeIssues(result.error, 'reply');
};

const CHECKS: readonly Check[] = [
  ['a list with wrong types', (v) => BdListEnvelope.safeParse(v), { status: 'success', message: 'x', total: -1, current_page: 'a', total_pages: 1.5 },
    'reply.message: Invalid input: expected array, received string; reply.total: Too small: expected number to be >=0; reply.current_page: Invalid input'],
  ['a list without its fields', (v) => BdListEnvelope.safeParse(v), { status: 'success' },
    'reply.message: Invalid input: expected array, received undefined; reply.total: Invalid input; reply.current_page: Invalid input'],
  ['an error where a list was due', (v) => BdListEnvelope.safeParse(v), { status: 'error', message: [], total: 1, current_page: 1, total_pages: 1 }, 'reply.status: Invalid input: expected "success"'],
  ['a count that is not whole', (v) => BdListEnvelope.safeParse(v), { status: 'success', message: [], total: 1.5, current_page: 1, total_pages: 1 }, 'reply.total: Invalid input'],
  ['a next page that is a number', (v) => BdListEnvelope.safeParse(v), { status: 'success', message: [], total: '12', current_page: 1, total_pages: '3', next_page: 5 },
    'reply.next_page: Invalid input: expected string, received number'],
  ['no object at all', (v) => BdListEnvelope.safeParse(v), null, 'reply: Invalid input: expected object, received null'],
  ['an empty single-record array', (v) => BdSingleEnvelope.safeParse(v), { status: 'success', message: [] }, 'reply.message: Too small: expected array to have >=1 items'],
  ['a single record that is a number', (v) => BdSingleEnvelope.safeParse(v), { status: 'success', message: 5 }, 'reply.message: Invalid input'],
  ['a write answered with null', (v) => BdWriteEnvelope.safeParse(v), { status: 'success', message: null }, 'reply.message: Invalid input'],
  ['a key check with a number', (v) => BdVerifyEnvelope.safeParse(v), { status: 'success', message: { website: 3 } }, 'reply.message.website: Invalid input: expected string, received number'],
  ['a Copernica page with wrong types', (v) => CopernicaPageEnvelope.safeParse(v), { start: 'x', limit: 1, count: 1, data: {} },
    'reply.start: Invalid input; reply.data: Invalid input: expected array, received object'],
  ['a Copernica total below zero', (v) => CopernicaPageEnvelope.safeParse(v), { start: 0, limit: 1, count: 1, total: '-2', data: [] }, 'reply.total: Invalid input'],
  ['a Copernica error without its object', (v) => CopernicaErrorEnvelope.safeParse(v), { error: 'x' }, 'reply.error: Invalid input: expected object, received string'],
  ['a contact with a bad id and numbers', (v) => ContactSchema.safeParse(v), { contact_id: 'abc', email: 5, extra: 3 },
    'reply.contact_id: must be a numeric id; reply.email: Invalid input: expected string, received number; reply.extra: Invalid input: expected string, received number'],
  ['a contact without its id', (v) => ContactSchema.safeParse(v), { email: 'a' }, 'reply.contact_id: Invalid input: expected string, received undefined'],
  ['a click with an array value', (v) => CopernicaClickSchema.safeParse(v), { ID: '1', link: ['x'] }, 'reply.link: Invalid input: expected string, received array'],
  ['no value', (v) => apiValue.safeParse(v), undefined, 'reply: Invalid input: expected string, received undefined'],
];

describe('What a reply of the wrong shape is said to be (zod\'s words, English)', () => {
  for (const [what, parse, value, words] of CHECKS) {
    it(what, () => assert.equal(said(parse, value), words));
  }

  it('accepts the documented shapes, counts sent as strings read as numbers', () => {
    assert.equal(said((v) => BdListEnvelope.safeParse(v), { status: 'success', message: [{ a: '1' }], total: '12', current_page: 1, total_pages: '3', next_page: 'abc', prev_page: 2 }),
      'accepted: {"status":"success","message":[{"a":"1"}],"total":12,"current_page":1,"total_pages":3,"next_page":"abc","prev_page":2}');
    assert.equal(said((v) => BdVerifyEnvelope.safeParse(v), { status: 'success', message: { website: 'w', other: 1 } }), 'accepted: {"status":"success","message":{"website":"w","other":1}}');
    assert.equal(said((v) => RECORD_SCHEMAS.users_clicks.safeParse(v), { click_id: '7', own_column: null, user_id: '2' }), 'accepted: {"click_id":"7","user_id":"2","own_column":null}');
  });
});
