import { strict as assert } from 'node:assert';
import { ApiError } from '../../../src/api/errors';
import { statusError } from '../../../src/api/replies';
import { msg, renderText } from '../../../src/api/text';

describe('localisable text', () => {
  it('msg`` keeps an English template with numbered placeholders and the arguments', () => {
    const text = msg`Delete ${'contact'} ${239}?`;
    assert.equal(text.template, 'Delete {0} {1}?');
    assert.deepEqual(text.args, ['contact', 239]);
    assert.equal(renderText(text), 'Delete contact 239?');
  });

  it('renders through a translator, nested texts included', () => {
    const dictionary: Record<string, string> = { 'Not found: {0}{1}': 'Introuvable : {0}{1}', ' (HTTP {0})': ' (HTTP {0}, fr)' };
    const translate = (template: string, args: string[]): string => (dictionary[template] ?? template).replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)]!);
    assert.equal(renderText(msg`Not found: ${'contacts/get'}${msg` (HTTP ${404})`}`, translate), 'Introuvable : contacts/get (HTTP 404, fr)');
  });

  it('an ApiError carries its text and renders it as its message; status errors include the server words', () => {
    const error = statusError(404, 'Record not found', { endpoint: 'contacts/get/9', method: 'GET', mask: (t) => t });
    assert.ok(error instanceof ApiError);
    assert.equal(error.text.template, 'Not found: {0} (HTTP 404{1}). The record may have been deleted.');
    assert.equal(error.message, 'Not found: contacts/get/9 (HTTP 404: "Record not found"). The record may have been deleted.');
  });
});
