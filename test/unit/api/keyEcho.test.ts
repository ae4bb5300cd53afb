import { strict as assert } from 'node:assert';
import { KEY_ECHO_ENCODINGS, encodeKeyEcho, keyEchoPage, type KeyEcho, type KeyEchoEncoding } from '../../../sandbox/server';
import { BdClient } from '../../../src/api/bdClient';
import { CopernicaClient } from '../../../src/api/copernicaClient';
import { ApiError } from '../../../src/api/errors';
import type { RequestLogEntry } from '../../../src/api/requestLayer';
import { CONTACTS } from '../../../src/api/resources';
import { withStubServer } from '../support/apiAssert';
import { withSandboxApi } from '../support/sandboxApi';

// Issue 8: "an HTML reply echoing the key anywhere in its first kilobytes leaves no fragment
// of it (8 characters or more) in any message, log line or tree item". Here: every surface
// the API layer produces (the error's message, its details, every request log entry).

const FRAGMENT = 8;

interface KeyShape {
  readonly name: string;
  readonly key: string;
  /** Can travel in an X-Api-Key header (undici refuses non-ASCII header values). */
  readonly header: boolean;
}

const KEYS: readonly KeyShape[] = [
  { name: 'hex, 32 characters', key: 'f3a9c1e07b5d42e8a6c9d1f0b4e7a2c5', header: true },
  { name: 'with & and #', key: 'cT0k&n#Frag9=Vq2&zX#7', header: true },
  { name: 'with + and spaces', key: 'Pl+us Sp ace+Tok3n 9z', header: true },
  { name: 'with %', key: 'pct%41%zz%25Tok-77q', header: true },
  { name: 'with < > and quotes', key: 'Ang<le>"Qu\'ote"s<9>Wx', header: true },
  { name: 'with all of them', key: 'Qx7&Zr#9+Lm w%Kp<T>"V\'yJ3(!)~', header: true },
  { name: 'unicode', key: 'zoë-ключ-😀-Tok€n-42ü', header: false },
];

/** 34 is where the <title> text begins; the snippet is cut at 200. */
const OFFSETS = [0, 34, 40, 150, 160, 190, 199, 200, 210, 900, 2000];

/** Every run of FRAGMENT key characters, raw and as the page encoded it. */
function fragmentsOf(key: string, encoding: KeyEchoEncoding): string[] {
  const points = Array.from(key);
  const out = new Set<string>();
  for (let i = 0; i + FRAGMENT <= points.length; i++) {
    const piece = points.slice(i, i + FRAGMENT).join('');
    out.add(piece);
    out.add(encodeKeyEcho(piece, encoding));
  }
  return [...out];
}

interface Seen {
  readonly error: unknown;
  readonly log: readonly RequestLogEntry[];
}

/** What a person or a log could be shown: the error's message and details, and every log entry. */
function surfaces(seen: Seen): [string, string][] {
  const out: [string, string][] = [];
  if (seen.error instanceof Error) {
    const error = seen.error as ApiError;
    out.push(['message', error.message], ['String(error)', String(error)], ['stack', error.stack ?? '']);
    out.push(['details', JSON.stringify(error.details ?? {})]);
    out.push(['details.snippet', error.details?.snippet ?? ''], ['details.serverMessage', error.details?.serverMessage ?? '']);
  }
  seen.log.forEach((entry, i) => out.push([`log[${i}]`, JSON.stringify(entry)], [`log[${i}].path`, entry.path], [`log[${i}].note`, entry.note ?? '']));
  return out;
}

function leaks(seen: Seen, fragments: readonly string[]): string[] {
  const found: string[] = [];
  for (const [where, text] of surfaces(seen)) {
    const hit = fragments.find((f) => text.includes(f));
    if (hit !== undefined) found.push(`${where} holds ${JSON.stringify(hit)}: ${text.slice(0, 400)}`);
  }
  return found;
}

async function outcome(work: () => Promise<unknown>, log: RequestLogEntry[]): Promise<Seen> {
  log.length = 0;
  let error: unknown;
  try {
    await work();
  } catch (e) {
    error = e;
  }
  return { error, log: [...log] };
}

describe('a key echoed by the site never shows, in any encoding or place (issue 8)', function () {
  this.timeout(60_000);
  const fx = withSandboxApi('none');
  const log: RequestLogEntry[] = [];
  const retry = { attempts: 2, baseDelayMs: 5, maxDelayMs: 10, rateLimitRetries: 0 };
  const bd = (apiKey: string, siteUrl = fx.sandbox.url): BdClient => fx.make('bdClient', { siteUrl, apiKey, retry, log: (e) => log.push(e) });
  const copernica = (token: string, baseUrl = fx.sandbox.url): CopernicaClient => fx.make('copernicaClient', { baseUrl, token, retry, log: (e) => log.push(e) });

  describe('the sandbox fault', () => {
    it('puts the encoded key exactly at the offset, and cuts after cutAfter characters of it', () => {
      for (const { key } of KEYS) {
        for (const encoding of KEY_ECHO_ENCODINGS) {
          const encoded = encodeKeyEcho(key, encoding);
          for (const offset of OFFSETS) {
            const page = keyEchoPage(403, key, { offset, encoding });
            assert.equal(page.slice(offset, offset + encoded.length), encoded);
            assert.ok(!/\s\s/.test(page), 'single spaces only, so that a flattened snippet keeps the offset');
          }
          const cut = keyEchoPage(403, key, { offset: 100, encoding, cutAfter: 9 });
          assert.equal(cut, keyEchoPage(403, key, { offset: 100, encoding }).slice(0, 109));
        }
      }
      assert.ok(keyEchoPage(403, 'K3Y-in-title', { offset: 34, encoding: 'raw' }).startsWith('<!DOCTYPE html><html><head><title>K3Y-in-title403 Forbidden</title>'));
      assert.equal(encodeKeyEcho('a b&\'', 'form'), 'a+b%26%27');
      assert.equal(encodeKeyEcho('<é>', 'html-hex'), '&#x3C;&#xE9;&#x3E;');
    });

    it('echoes the X-Api-Key header or the access_token, right or wrong, and validates its settings', async () => {
      fx.sandbox.configure({ htmlMode: { status: 403, echoKey: { offset: 50, encoding: 'url' } } });
      const bdPage = await fetch(`${fx.sandbox.url}/api/v2/contacts/get`, { headers: { 'X-Api-Key': 'any key&more' } });
      assert.equal(bdPage.status, 403);
      assert.equal((await bdPage.text()).slice(50, 50 + 16), 'any%20key%26more');
      const cPage = await fetch(`${fx.sandbox.url}/v2/ms/clicks?access_token=${encodeURIComponent('t#k')}`);
      assert.equal((await cPage.text()).slice(50, 55), 't%23k');
      assert.deepEqual(fx.sandbox.requests().map((r) => [r.status, r.query]), [[403, {}], [403, {}]], 'still not recorded');
      for (const bad of [{ offset: -1, encoding: 'url' }, { offset: 1, encoding: 'base64' }, { offset: 1, encoding: 'raw', cutAfter: 1.5 }, 'x']) {
        assert.throws(() => fx.sandbox.configure({ htmlMode: { status: 403, echoKey: bad as unknown as KeyEcho } }), TypeError);
      }
    });
  });

  for (const shape of KEYS) {
    const clients: [string, (key: string) => () => Promise<unknown>][] = [
      ...(shape.header ? [['BdClient', (key: string) => { const c = bd(key); return () => c.listPage(CONTACTS); }] as [string, (key: string) => () => Promise<unknown>]] : []),
      ['CopernicaClient', (key: string) => { const c = copernica(key); return () => c.listClicks({ limit: 1 }); }],
    ];
    for (const [clientName, makeCall] of clients) {
      it(`${clientName}, key ${shape.name}: HTML 403 echoing it at ${OFFSETS.join(', ')} in ${KEY_ECHO_ENCODINGS.length} encodings`, async () => {
        const call = makeCall(shape.key);
        const problems: string[] = [];
        for (const encoding of KEY_ECHO_ENCODINGS) {
          const fragments = fragmentsOf(shape.key, encoding);
          for (const offset of OFFSETS) {
            fx.sandbox.configure({ htmlMode: { status: 403, echoKey: { offset, encoding } } });
            const seen = await outcome(call, log);
            const error = seen.error;
            if (!(error instanceof ApiError) || error.kind !== 'unexpectedReply' || error.details.status !== 403) {
              problems.push(`${encoding} @${offset}: not an unexpectedReply 403: ${String(error)}`);
              continue;
            }
            // Not vacuous: where the key began inside the snippet, the snippet shows the mask (cut at 200 too).
            if (offset < 200 && !error.details.snippet?.includes('*'.repeat(Math.min(3, 200 - offset)))) problems.push(`${encoding} @${offset}: the snippet shows no mask: ${error.details.snippet}`);
            if (seen.log.length !== 1) problems.push(`${encoding} @${offset}: ${seen.log.length} log entries`);
            for (const leak of leaks(seen, fragments)) problems.push(`${encoding} @${offset}: ${leak}`);
          }
        }
        assert.deepEqual(problems, []);
      });
    }
  }

  it('a reply the server cut inside the key (at its end, or past the snippet) leaves no fragment either', async () => {
    const problems: string[] = [];
    for (const shape of KEYS) {
      const call = ((c) => () => c.listClicks({ limit: 1 }))(copernica(shape.key));
      for (const encoding of KEY_ECHO_ENCODINGS) {
        const encodedLength = encodeKeyEcho(shape.key, encoding).length;
        const fragments = fragmentsOf(shape.key, encoding);
        for (const offset of [0, 60, 150, 190, 195]) {
          for (const cutAfter of [FRAGMENT, 11, Math.floor(encodedLength / 2), encodedLength - 1]) {
            fx.sandbox.configure({ htmlMode: { status: 403, echoKey: { offset, encoding, cutAfter } } });
            const seen = await outcome(call, log);
            for (const leak of leaks(seen, fragments)) problems.push(`${shape.name}, ${encoding} @${offset} cut after ${cutAfter}: ${leak}`);
          }
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('the log path of a Copernica token holding & and # shows access_token=*** and no fragment', async () => {
    const problems: string[] = [];
    for (const token of ['cT0k&n#Frag9=Vq2&zX#7', 'tok#en&lim1t=5&acc3ss=x#yz9', 'a&bcdefgh#ijklmnop', '#leading&trailing#']) {
      const seen = await outcome(() => copernica(token).listClicks({ limit: 1, begintime: '2014-10-01 00:00:00' }), log);
      assert.ok(seen.error instanceof ApiError && seen.error.kind === 'invalidKey', String(seen.error));
      assert.equal(seen.log.length, 1);
      const path = seen.log[0]!.path;
      if (!/access_token=\*\*\*$/.test(path)) problems.push(`${token}: ${path}`);
      // Decoded for reading: the rest of the query is plain text.
      if (!path.includes('begintime=2014-10-01+00:00:00')) problems.push(`${token}: not decoded: ${path}`);
      for (const leak of leaks(seen, fragmentsOf(token, 'url'))) problems.push(`${token}: ${leak}`);
      for (const piece of token.split(/[&#=]/).filter((p) => p.length >= 4)) {
        if (path.includes(piece)) problems.push(`${token}: ${JSON.stringify(piece)} in ${path}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('a BD key the header cannot carry fails as a network error that does not quote it', async () => {
    const key = KEYS.find((k) => !k.header)!.key;
    const seen = await outcome(() => bd(key).listPage(CONTACTS), log);
    assert.ok(seen.error instanceof ApiError, String(seen.error));
    assert.deepEqual(leaks(seen, fragmentsOf(key, 'raw')), []);
  });

  describe('JSON replies that quote the key (stub server)', () => {
    const stub = withStubServer();

    const pad = (n: number) => 'Request refused by the upstream service, see the reference below for help. '.repeat(40).slice(0, n);
    /** JSON with every character but letters and digits as \uXXXX, as PHP's JSON_HEX_* flags and some proxies write it. */
    const hexJson = (value: unknown) => JSON.stringify(value).replace(/[^\w"{}:,[\]]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

    it('the server message (details.serverMessage) and snippets of JSON replies hold no fragment', async () => {
      const problems: string[] = [];
      for (const shape of KEYS) {
        const bdCall = shape.header ? ((c) => () => c.listPage(CONTACTS))(bd(shape.key, stub.url)) : undefined;
        const cCall = ((c) => () => c.listClicks({ limit: 1 }))(copernica(shape.key, stub.url));
        const fragments = fragmentsOf(shape.key, 'raw');
        for (const offset of [0, 150, 190, 195, 199, 200, 210, 900, 2000]) {
          const said = `${pad(offset)}${shape.key} ${pad(300)}`;
          const cases: [string, (() => Promise<unknown>) | undefined, { status: number; body: string }][] = [
            // statusError: a BD error message (serverMessage), plain and \u-escaped.
            ['BD 400 message', bdCall, { status: 400, body: JSON.stringify({ status: 'error', message: said }) }],
            ['BD 400 message, \\u-escaped', bdCall, { status: 400, body: hexJson({ status: 'error', message: said }) }],
            // expectShape: a success envelope of the wrong shape; the snippet is cut from the JSON text.
            ['BD wrong shape', bdCall, { status: 200, body: JSON.stringify({ status: 'success', message: said }) }],
            ['BD wrong shape, \\u-escaped', bdCall, { status: 200, body: hexJson({ status: 'success', message: said }) }],
            // An error envelope without a message: bdClient cuts the text before masking it, so the cut end is masked.
            ['BD error without message', bdCall, { status: 200, body: JSON.stringify({ status: 'error', detail: said }) }],
            ['Copernica 400', cCall, { status: 400, body: JSON.stringify({ error: { message: said } }) }],
            ['Copernica 503, \\u-escaped', cCall, { status: 503, body: hexJson({ error: { message: said } }) }],
            ['Copernica wrong shape', cCall, { status: 200, body: JSON.stringify({ start: 0, data: said }) }],
          ];
          for (const [name, call, reply] of cases) {
            if (!call) continue;
            stub.next = reply;
            const seen = await outcome(call, log);
            if (!(seen.error instanceof ApiError)) problems.push(`${shape.name}, ${name} @${offset}: no ApiError: ${String(seen.error)}`);
            for (const leak of leaks(seen, fragments)) problems.push(`${shape.name}, ${name} @${offset}: ${leak}`);
          }
        }
      }
      assert.deepEqual(problems, []);
    });
  });
});
