import { strict as assert } from 'node:assert';
import { redactSecrets } from '../../../src/api/redact';

describe('redactSecrets', () => {
  it('masks an access_token query parameter whatever its value, keeping the rest of the URL', () => {
    assert.equal(redactSecrets('/v2/ms/clicks?start=0&access_token=s3cr3t-T0ken&limit=5'), '/v2/ms/clicks?start=0&access_token=***&limit=5');
    assert.equal(redactSecrets('GET /v2/ms/clicks?ACCESS_TOKEN=abc'), 'GET /v2/ms/clicks?ACCESS_TOKEN=***');
    assert.equal(redactSecrets('"https://api.copernica.com/v2/ms/clicks?access_token=xyz" failed'), '"https://api.copernica.com/v2/ms/clicks?access_token=***" failed');
  });

  it('masks an X-Api-Key header in its usual written forms', () => {
    assert.equal(redactSecrets('X-Api-Key: abcdef123'), 'X-Api-Key: ***');
    assert.equal(redactSecrets('{"x-api-key":"abcdef123","accept":"json"}'), '{"x-api-key":"***","accept":"json"}');
    assert.equal(redactSecrets("x-api-key='abcdef123'"), "x-api-key='***'");
  });

  it('masks every occurrence of a known secret value anywhere in the text', () => {
    const key = 'bd-key-9f8e7d6c';
    const out = redactSecrets(`key ${key} was refused; retry with ${key}`, [key]);
    assert.equal(out, 'key *** was refused; retry with ***');
    assert.ok(!out.includes(key));
  });

  it('masks several secrets at once', () => {
    const out = redactSecrets('a=KEY-ONE b=TOKEN-TWO', ['KEY-ONE', 'TOKEN-TWO']);
    assert.equal(out, 'a=*** b=***');
  });

  it('leaves text without secrets untouched', () => {
    const text = 'GET /api/v2/contacts/get?limit=25 200 (12 ms)';
    assert.equal(redactSecrets(text, ['not-in-there']), text);
    assert.equal(redactSecrets(text), text);
  });
});
