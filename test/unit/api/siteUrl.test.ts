import { strict as assert } from 'node:assert';
import { isLoopbackHost, normaliseSiteUrl } from '../../../src/api/siteUrl';
import { throwsWithKind } from '../support/apiAssert';

describe('normaliseSiteUrl', () => {
  it('keeps www or its absence exactly as given', () => {
    assert.equal(normaliseSiteUrl('https://www.example.com'), 'https://www.example.com');
    assert.equal(normaliseSiteUrl('https://example.com'), 'https://example.com');
  });

  it('drops a trailing slash', () => {
    assert.equal(normaliseSiteUrl('https://www.example.com/'), 'https://www.example.com');
    assert.equal(normaliseSiteUrl('https://www.example.com///'), 'https://www.example.com');
  });

  it('drops an /api/v2 (or /api) suffix, with or without a trailing slash', () => {
    assert.equal(normaliseSiteUrl('https://www.example.com/api/v2'), 'https://www.example.com');
    assert.equal(normaliseSiteUrl('https://www.example.com/api/v2/'), 'https://www.example.com');
    assert.equal(normaliseSiteUrl('https://www.example.com/API/V2'), 'https://www.example.com');
    assert.equal(normaliseSiteUrl('https://www.example.com/api'), 'https://www.example.com');
  });

  it('keeps a site that lives in a sub-folder', () => {
    assert.equal(normaliseSiteUrl('https://example.com/directory/api/v2/'), 'https://example.com/directory');
  });

  it('adds https:// when no scheme is given', () => {
    assert.equal(normaliseSiteUrl('example.com'), 'https://example.com');
    assert.equal(normaliseSiteUrl('  www.example.com/api/v2/  '), 'https://www.example.com');
    assert.equal(normaliseSiteUrl('example.com:8443'), 'https://example.com:8443');
  });

  it('lower-cases the host and drops query and fragment', () => {
    assert.equal(normaliseSiteUrl('HTTPS://WWW.Example.COM/?x=1#top'), 'https://www.example.com');
  });

  it('refuses plain http on a public host', () => {
    const error = throwsWithKind(() => normaliseSiteUrl('http://www.example.com'), 'invalidInput');
    assert.match(error.message, /https/);
    assert.equal(error.details.field, 'url');
    throwsWithKind(() => normaliseSiteUrl('http://localhost.example.com'), 'invalidInput');
    throwsWithKind(() => normaliseSiteUrl('http://127.0.0.1.example.com'), 'invalidInput');
  });

  it('allows plain http on loopback only', () => {
    assert.equal(normaliseSiteUrl('http://127.0.0.1:8123/'), 'http://127.0.0.1:8123');
    assert.equal(normaliseSiteUrl('http://localhost:3000/api/v2'), 'http://localhost:3000');
    assert.equal(normaliseSiteUrl('http://[::1]:3000'), 'http://[::1]:3000');
    assert.ok(isLoopbackHost('localhost'));
    assert.ok(!isLoopbackHost('example.com'));
  });

  it('refuses other schemes, empty input and things that are not addresses', () => {
    throwsWithKind(() => normaliseSiteUrl('ftp://example.com'), 'invalidInput');
    throwsWithKind(() => normaliseSiteUrl(''), 'invalidInput');
    throwsWithKind(() => normaliseSiteUrl('   '), 'invalidInput');
    throwsWithKind(() => normaliseSiteUrl('http://'), 'invalidInput');
    throwsWithKind(() => normaliseSiteUrl('exa mple.com'), 'invalidInput');
  });
});
