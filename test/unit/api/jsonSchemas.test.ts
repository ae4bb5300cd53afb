import { strict as assert } from 'node:assert';
import { draftJsonSchema, recordJsonSchema } from '../../../src/api/jsonSchemas';
import { CONTACTS, USERS_CLICKS, WEBSITE_NOTIFICATIONS } from '../../../src/api/resources';

type Schema = Record<string, unknown>;
const property = (schema: Schema, name: string): Schema => (schema['properties'] as Record<string, Schema>)[name]!;
const choices = (field: Schema): Schema => (field['anyOf'] as Schema[])[0]!;

describe('JSON schemas of record documents', () => {
  it('mark read-only fields in words, never with an emoji', () => {
    const schema = recordJsonSchema(CONTACTS);
    const pk = property(schema, 'contact_id');
    assert.match(String(pk['markdownDescription']), /^\*\*Read-only\*\* — /);
    assert.equal(pk['readOnly'], true);
    assert.doesNotMatch(JSON.stringify(schema), /\p{Extended_Pictographic}/u);
    assert.match(String(property(schema, 'token')['markdownDescription']), /^\*\*Set by the site\*\*/);
  });

  it('name a date\'s format once', () => {
    for (const [resource, name, format] of [[CONTACTS, 'date_created', 'YYYYMMDDHHmmss'], [WEBSITE_NOTIFICATIONS, 'notification_date', 'YYYYMMDDHHMM'], [CONTACTS, 'revision_timestamp', 'YYYY-MM-DD HH:MM:SS']] as const) {
      const text = String(property(recordJsonSchema(resource), name)['markdownDescription']);
      assert.equal(text.split(format).length - 1, 1, `${name}: ${text}`);
      assert.match(text, /UTC/);
    }
  });

  it('offer the values the field tables define, each described, without refusing others', () => {
    const active = property(recordJsonSchema(CONTACTS), 'active');
    assert.deepEqual(choices(active)['enum'], ['0', '1']);
    assert.deepEqual(choices(active)['enumDetails'], ['inactive', 'active']);
    assert.deepEqual((active['anyOf'] as Schema[])[1], {}, 'another value is not flagged');
    const view = choices(property(recordJsonSchema(WEBSITE_NOTIFICATIONS), 'notification_view'));
    assert.deepEqual([view['enum'], view['markdownEnumDescriptions']], [['0', '1'], ['unread', 'viewed']]);
    const status = choices(property(recordJsonSchema(WEBSITE_NOTIFICATIONS), 'notification_status'));
    assert.deepEqual([status['enum'], status['enumDetails']], [['1', '4'], ['active', 'archived']]);
    const single = choices(property(recordJsonSchema(USERS_CLICKS), 'is_single_post'));
    assert.deepEqual(single['enum'], ['0', '1']);
    const type = choices(property(recordJsonSchema(USERS_CLICKS), 'click_type'));
    assert.deepEqual([type['enum'], type['enumDetails']], [['link', 'phone', 'email'], ['example', 'example', 'example']]);
  });

  it('a draft suggests no key or server-managed field and its hover says to leave them out', () => {
    const draft = draftJsonSchema(CONTACTS);
    for (const name of ['contact_id', 'revision_timestamp', 'date_created', 'token', 'ip', 'rel_id']) {
      const field = property(draft, name);
      assert.equal(field['doNotSuggest'], true, name);
      assert.match(String(field['description']), new RegExp(`^${name} is (assigned by the server|filled in by the site); leave it out of a new contact\\.$`));
    }
    assert.match(String(property(draft, 'email')['markdownDescription']), /Email address/);
    assert.deepEqual(draftJsonSchema(WEBSITE_NOTIFICATIONS)['required'], ['notification_status', 'notification_title', 'notification_message']);
  });

  // VS Code shows a schema's findings as warnings, and a schema cannot know a record's own
  // columns: what a save refuses is marked by the extension, as an error (recordProblems).
  it('refuse nothing a save refuses: no unknown-field, type or value check', () => {
    for (const schema of [recordJsonSchema(CONTACTS), draftJsonSchema(CONTACTS), recordJsonSchema(WEBSITE_NOTIFICATIONS), draftJsonSchema(USERS_CLICKS)]) {
      assert.equal(schema['additionalProperties'], undefined);
      for (const [name, field] of Object.entries(schema['properties'] as Record<string, Schema>)) {
        assert.equal(field['type'], undefined, name);
        assert.equal(field['enum'], undefined, name);
        assert.equal(field['errorMessage'], undefined, name);
      }
    }
  });
});
