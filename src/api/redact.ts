/**
 * Masks credentials in any text that may reach a user or a log. Copernica puts its token
 * in the query string, so URLs are masked by parameter name as well as by known value.
 *
 * What is masked, for every known secret (a key or token of 4 characters or more):
 *
 * - every full occurrence, in any of the forms a server or a URL may write it, even mixed
 *   within one occurrence: raw; percent-encoded (encodeURIComponent, form/URLSearchParams
 *   encoding with `+` for a space, `%41` for plain letters, lower- or upper-case hex, `%25`
 *   double encoding, `%uXXXX` and Latin-1 `%EB` as escape() writes them, a percent sign
 *   itself HTML-escaped); HTML-escaped (`&amp; &lt; &gt; &quot; &apos;`, decimal and hex
 *   numeric entities for any character, with or without the `;`); JSON-escaped (`\"`, `\/`,
 *   `\uXXXX`). Letters match case-insensitively (a server may echo a hex key upper-cased).
 *   A run of whitespace in a secret matches any run of whitespace, so flattening a reply
 *   onto one line can never make a masked key reappear.
 * - a fragment of a secret at the very end of the text, when it is the secret's beginning
 *   and at least {@link MIN_CUT_FRAGMENT} characters long (an escape cut in half after it is
 *   masked with it). That is where a text is cut: by a server that stops mid-key, or by a
 *   snippet; callers mask the whole text first and the cut text again. So a reply that the
 *   server cut mid-key is in scope too, as long as the cut is at its end (only the last
 *   few hundred characters are searched for such a beginning).
 *
 * What is not: a fragment in the middle of a text (a server quoting only part of a key).
 * Matching every 8-character piece of a key would also mask ordinary words that keys and
 * tokens contain (the sandbox token holds "copernica"), and no server we know quotes part
 * of a key; the real cases are a whole key echoed and a reply cut after a key began.
 * Fragments shorter than MIN_CUT_FRAGMENT at a cut are left: too short to be worth a guess.
 */
export const MIN_CUT_FRAGMENT = 6;

/** Shorter secrets are not masked by value: they would match ordinary text. */
const MIN_SECRET_LENGTH = 4;

export interface SecretMasker {
  /** Masks a whole text: call it before anything cuts, decodes or picks a piece out of it. */
  mask(text: string): string;
  /** Masks a request path: as sent (encoded), then decoded for reading, then again. */
  maskPath(path: string): string;
}

/** Compiles the masking patterns once; keep one per client (it is not cheap to build). */
export function createSecretMasker(secrets: readonly string[]): SecretMasker {
  const usable = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  const units = usable.map(secretUnits);
  const whole = units.length > 0 ? new RegExp(units.map((u) => u.join('')).join('|'), 'gi') : undefined;
  const cuts = units.filter((u) => u.length > MIN_CUT_FRAGMENT).map((u) => ({ pattern: cutPattern(u), window: 40 * u.length + 64 }));

  const mask = (text: string): string => {
    let out = whole ? text.replace(whole, '***') : text;
    for (const cut of cuts) {
      const start = Math.max(0, out.length - cut.window);
      const tail = out.slice(start);
      const masked = tail.replace(cut.pattern, '***');
      if (masked !== tail) out = out.slice(0, start) + masked;
    }
    // By name, for values not known here (another site's token, an old key). After the
    // values: a token holding "&" or "#" must go whole before this stops at that character.
    out = out.replace(/(access_token(?:=|%3d))[^&\s"'#<>]*/gi, '$1***');
    return out.replace(/(x-api-key["']?\s*[:=]\s*["']?)[^\s"',}<]+/gi, '$1***');
  };

  return {
    mask,
    maskPath(path: string): string {
      const raw = mask(path);
      let decoded: string;
      try {
        decoded = decodeURIComponent(raw);
      } catch {
        return raw; // not decodable: the encoded form is still readable, and masked
      }
      return decoded === raw ? raw : mask(decoded);
    },
  };
}

const recent = new Map<string, SecretMasker>();

/** One-off masking; clients keep a {@link createSecretMasker} instead. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  const id = JSON.stringify(secrets);
  let masker = recent.get(id);
  if (!masker) {
    if (recent.size >= 16) recent.clear();
    masker = createSecretMasker(secrets);
    recent.set(id, masker);
  }
  return masker.mask(text);
}

// ---------------------------------------------------------------------------
// Pattern building. Each character of a secret becomes one "unit": a group matching that
// character in any of its encodings. Whitespace runs become one unit.

const NAMED: Readonly<Record<string, string>> = { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos', ' ': 'nbsp' };
const JSON_SHORT: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', '\n': 'n', '\r': 'r', '\t': 't', '\b': 'b', '\f': 'f' };
/** A percent sign, also when HTML- or JSON-escaped (an encoded URL quoted in a page). */
const PERCENT = '(?:%|&#0{0,8}37;?|&#x0{0,8}25;?|\\\\u0025)';
/**
 * What the rest of a character cut in half looks like at the end of a text: escapes (a
 * multi-byte character may leave whole ones, "%C3%B"), or U+FFFD where a server cut its
 * UTF-8 bytes.
 */
const HALF_ESCAPE = '(?:[%&\\\\][#xu0-9a-z]{0,10};?|\ufffd){0,8}';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function utf16Units(ch: string): number[] {
  return Array.from({ length: ch.length }, (_, i) => ch.charCodeAt(i));
}

function charAlternatives(ch: string): string[] {
  const cp = ch.codePointAt(0)!;
  const alts = new Set<string>([escapeRegExp(ch)]);
  alts.add([...new TextEncoder().encode(ch)].map((b) => `${PERCENT}(?:25)?${hex(b, 2)}`).join(''));
  if (cp > 0x7f && cp <= 0xff) alts.add(`${PERCENT}${hex(cp, 2)}`); // Latin-1, as escape() and old servers write it
  if (cp > 0x7f) alts.add(utf16Units(ch).map((u) => `%u${hex(u, 4)}`).join(''));
  alts.add(`&#0{0,8}${cp};?`);
  alts.add(`&#x0{0,8}${cp.toString(16)};?`);
  if (NAMED[ch]) alts.add(`&${NAMED[ch]};?`);
  alts.add(utf16Units(ch).map((u) => `\\\\u${hex(u, 4)}`).join(''));
  if (JSON_SHORT[ch]) alts.add(`\\\\${escapeRegExp(JSON_SHORT[ch])}`);
  if (ch === ' ') alts.add('\\+');
  return [...alts];
}

function secretUnits(secret: string): string[] {
  const units: string[] = [];
  const chars = Array.from(secret);
  for (let i = 0; i < chars.length; i++) {
    if (/\s/.test(chars[i]!)) {
      const run = new Set<string>(['\\s']);
      while (i < chars.length && /\s/.test(chars[i]!)) for (const alt of charAlternatives(chars[i++]!)) run.add(alt);
      i--;
      units.push(`(?:${[...run].join('|')})+`);
    } else {
      units.push(`(?:${charAlternatives(chars[i]!).join('|')})`);
    }
  }
  return units;
}

/** The secret's first MIN_CUT_FRAGMENT or more units (not all of them), then the end of the text (blanks aside). */
function cutPattern(units: readonly string[]): RegExp {
  let optional = '';
  for (let i = units.length - 2; i >= MIN_CUT_FRAGMENT; i--) optional = `(?:${units[i]}${optional})?`;
  return new RegExp(`${units.slice(0, MIN_CUT_FRAGMENT).join('')}${optional}${HALF_ESCAPE}\\s*$`, 'i');
}
