import { strict as assert } from 'node:assert';
import { createSecretMasker, redactSecrets } from '../../../src/api/redact';
import { snippetOf, snippetOfMasked } from '../../../src/api/requestLayer';

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

describe('createSecretMasker', () => {
  const KEYS = [
    'f3a9c1e07b5d42e8a6c9d1f0b4e7a2c5',
    'cT0k&n#Frag9=Vq2&zX#7',
    'Pl+us Sp ace+Tok3n 9z',
    'pct%41%zz%25Tok-77q',
    'Ang<le>"Qu\'ote"s<9>Wx',
    'zoë-ключ-😀-Tok€n-42ü',
  ];
  const masker = createSecretMasker(KEYS);
  const html = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' })[c]!);
  const FORMS: [string, (key: string) => string][] = [
    ['raw', (k) => k],
    ['encodeURIComponent', (k) => encodeURIComponent(k)],
    ['encodeURIComponent, lower-case hex', (k) => encodeURIComponent(k).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['URLSearchParams (space as +)', (k) => new URLSearchParams({ k }).toString().slice(2)],
    ['encodeURI', (k) => encodeURI(k)],
    ['every byte percent-encoded', (k) => [...new TextEncoder().encode(k)].map((b) => `%${b.toString(16)}`).join('')],
    ['double percent-encoded', (k) => encodeURIComponent(encodeURIComponent(k))],
    ['escape()', (k) => escape(k)],
    ['HTML-escaped', html],
    ['HTML-escaped URL', (k) => html(encodeURIComponent(k))],
    ['decimal entities', (k) => Array.from(k).map((c) => `&#${c.codePointAt(0)};`).join('')],
    ['hex entities, upper case', (k) => Array.from(k).map((c) => `&#X${c.codePointAt(0)!.toString(16).toUpperCase()};`).join('')],
    ['zero-padded entities', (k) => Array.from(k).map((c) => `&#000${c.codePointAt(0)};`).join('')],
    ['JSON string', (k) => JSON.stringify(k)],
    ['JSON with \\u escapes', (k) => `"${k.replace(/\W/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`],
    ['upper case', (k) => k.toUpperCase()],
    ['mixed: half raw, half encoded', (k) => { const p = Array.from(k); const h = p.length >> 1; return p.slice(0, h).join('') + encodeURIComponent(p.slice(h).join('')); }],
  ];

  for (const [name, encode] of FORMS) {
    it(`masks every full occurrence, ${name}`, () => {
      for (const key of KEYS) {
        const form = encode(key);
        for (const text of [form, `x ${form} y`, `<p>${form}</p>${form}`]) {
          const out = masker.mask(text);
          assert.ok(!/[0-9A-Za-z]{4}/.test(out.replace(/x |y$|<\/?p>|"/g, '').replace(/\*\*\*/g, '')), `${JSON.stringify(key)} as ${JSON.stringify(form)} → ${out}`);
          assert.ok(out.includes('***'));
        }
      }
    });
  }

  it('masks a whitespace run of the key whatever the whitespace (a flattened snippet)', () => {
    assert.equal(masker.mask('a Pl+us\nSp \t ace+Tok3n 9z b'), 'a *** b');
  });

  it('masks the beginning of a key where the text ends (cut), from 6 characters on, escapes cut in half included', () => {
    const key = KEYS[0]!;
    for (let n = 6; n < key.length; n++) assert.equal(masker.mask(`began: ${key.slice(0, n)}`), 'began: ***', `${n} characters`);
    assert.equal(masker.mask(`began: ${key.slice(0, 5)}`), `began: ${key.slice(0, 5)}`);
    assert.equal(masker.mask(`began: ${key.slice(0, 12)}\n`), 'began: ***');
    assert.equal(masker.mask('began: cT0k%26n%23Fr%2'), 'began: ***');
    assert.equal(masker.mask('began: zo%C3%AB-%D0%BA%D0%BB%D1%8E%D1%87-%F0%9F%98'), 'began: ***');
    assert.equal(masker.mask('began: zoë-ключ-\ufffd'), 'began: ***');
    assert.equal(masker.mask('began: cT0k&amp;n&#35;Fr&am'), 'began: ***');
    // Not at the end: a piece in the middle is not a key (see redact.ts).
    assert.equal(masker.mask(`x ${key.slice(0, 12)} y`), `x ${key.slice(0, 12)} y`);
  });

  it('leaves ordinary text alone', () => {
    const text = '<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body><h1>Access denied</h1><p>Request blocked &amp; logged.</p>';
    assert.equal(masker.mask(text), text);
    assert.equal(createSecretMasker([]).mask(text), text);
    assert.equal(createSecretMasker(['abc']).mask('abc abc'), 'abc abc', 'secrets under 4 characters are not masked by value');
  });

  it('masks a log path as sent, then decoded, then again: a token holding & and # leaves nothing', () => {
    const token = 'cT0k&n#Frag9=Vq2&zX#7';
    const m = createSecretMasker([token]);
    const path = `/v2/ms/clicks?${new URLSearchParams({ begintime: '2014-10-01 00:00:00', limit: '5', access_token: token })}`;
    assert.equal(m.maskPath(path), '/v2/ms/clicks?begintime=2014-10-01+00:00:00&limit=5&access_token=***');
    // An unknown token (another site's) still goes by name, encoded or decoded.
    assert.equal(createSecretMasker([]).maskPath('/v2/ms/clicks?access_token=ab%26cd%23ef&limit=5'), '/v2/ms/clicks?access_token=***&limit=5');
    // A path that does not decode stays encoded, and masked.
    assert.equal(m.maskPath(`/x/%E0%A4%A?access_token=${encodeURIComponent(token)}`), '/x/%E0%A4%A?access_token=***');
  });

  it('redactSecrets masks a known token before the access_token rule could stop at its & or #', () => {
    assert.equal(redactSecrets('GET /v2/ms/clicks?access_token=ab&cdefgh#ijkl', ['ab&cdefgh#ijkl']), 'GET /v2/ms/clicks?access_token=***');
  });
});

describe('snippetOf with a mask', () => {
  const key = 'f3a9c1e07b5d42e8a6c9d1f0b4e7a2c5';
  const masker = createSecretMasker([key]);
  it('masks the whole text before cutting it: a key straddling the cut leaves nothing', () => {
    for (let at = 150; at <= 200; at++) {
      const text = `${'a'.repeat(at)}${key}${'b'.repeat(100)}`;
      const snippet = snippetOf(text, 200, masker.mask);
      assert.ok(!snippet.includes(key.slice(0, 4)), `at ${at}: ${snippet}`);
      assert.ok(snippet.length <= 201);
    }
  });
  it('masks the cut end again (a key the server began quoting where the snippet ends)', () => {
    const snippet = snippetOfMasked(`${'a'.repeat(190)}${key.slice(0, 20)} and then more`, masker.mask);
    assert.equal(snippet, `${'a'.repeat(190)}***…`);
  });
});
