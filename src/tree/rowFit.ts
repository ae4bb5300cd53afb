// Fitting a record row's label to the sidebar. VS Code gives a tree no way to measure text or
// know the sidebar's width, and cuts a row that is too long at its end: first the description,
// then the label. So the label is fitted here, from an estimate of how wide text is, to the
// room a record row has at the default sidebar width: the label is never cut by VS Code, and
// the description keeps at least its first DESCRIPTION_KEPT characters in view. A wider
// sidebar shows more of the description; the tooltip has everything.

/** Advance widths in thousandths of an em: Arial's (Liberation Sans's), the narrowest of the usual UI fonts' metrics. */
const ADVANCE: Readonly<Record<string, number>> = {
  ' ': 278, '!': 278, '"': 355, '#': 556, $: 556, '%': 889, '&': 667, "'": 191, '(': 333, ')': 333, '*': 389, '+': 584, ',': 278, '-': 333, '.': 278, '/': 278,
  ':': 278, ';': 278, '<': 584, '=': 584, '>': 584, '?': 556, '@': 1015, '[': 278, '\\': 278, ']': 278, '^': 469, _: 556, '`': 333, '{': 334, '|': 260, '}': 334, '~': 584,
  A: 667, B: 667, C: 722, D: 722, E: 667, F: 611, G: 778, H: 722, I: 278, J: 500, K: 667, L: 556, M: 833, N: 722, O: 778, P: 667, Q: 778, R: 722, S: 667, T: 611, U: 722, V: 667, W: 944, X: 667, Y: 667, Z: 611,
  a: 556, b: 556, c: 500, d: 556, e: 556, f: 278, g: 556, h: 556, i: 222, j: 222, k: 500, l: 222, m: 833, n: 556, o: 556, p: 556, q: 556, r: 333, s: 500, t: 278, u: 556, v: 500, w: 722, x: 500, y: 500, z: 500,
  '…': 1000, '·': 278, '–': 556, '—': 1000, '‘': 222, '’': 222, '“': 333, '”': 333, 'ß': 611, 'ø': 611, 'Ø': 778, 'æ': 889, 'Æ': 1000, 'ł': 222, 'Ł': 556, 'đ': 556, 'ı': 278,
};
const DIGIT = 556;
const WIDE = 1000;
const OTHER = 600;

/**
 * How much wider the workbench's font may be than those metrics (DejaVu Sans, Linux's usual UI
 * font, runs up to 10 % wider than Arial; macOS's and Windows' fonts run narrower), plus a little margin.
 */
const FONT_SCALE = 1.11;

/** What a record row has for its label and description at the default sidebar width (300 px, 13 px font): 209 px. */
export const RECORD_ROW_EM = 209 / 13;
/** A resource row is one indent (8 px) less deep than a record row, so it has that much more room. */
export const RESOURCE_ROW_EM = (209 + 8) / 13;
/** A site row, one indent less again. */
export const SITE_ROW_EM = (209 + 16) / 13;
/** The space VS Code puts between a label and its description. */
const GAP_EM = 0.5;
/** The "…" VS Code draws where it cuts a description. */
const ELLIPSIS_EM = 1;
/** How many leading characters of a description stay in view. */
export const DESCRIPTION_KEPT = 12;

function advance(char: string): number {
  const known = ADVANCE[char];
  if (known !== undefined) return known;
  if (char >= '0' && char <= '9') return DIGIT;
  const code = char.codePointAt(0) ?? 0;
  // CJK, Hangul, full-width forms and emoji take a whole em.
  if ((code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7af) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xff00 && code <= 0xffef) || code >= 0x1f000) return WIDE;
  // An accented letter is about as wide as its base letter (é as e, Ż as Z).
  const base = char.normalize('NFD')[0];
  return base !== undefined && base !== char ? advance(base) : OTHER;
}

/** An estimate of how wide `text` is shown, in ems of the tree's font (erring wide). */
export function textWidthEm(text: string): number {
  let width = 0;
  for (const char of text) width += advance(char);
  return (width / 1000) * FONT_SCALE;
}

/**
 * The label to show: the first of `forms` (the label, then shorter forms of it) that leaves
 * `description` room for its first `kept` characters (Infinity: all of it), else the last form
 * cut to fit, ending in "…". A label and description that fit whole are left as they are.
 */
export function fitLabel(forms: readonly string[], description: string, room = RECORD_ROW_EM, kept = DESCRIPTION_KEPT): string {
  const [first] = forms;
  if (first === undefined) return '';
  const gap = description ? GAP_EM : 0;
  if (textWidthEm(first) + gap + textWidthEm(description) <= room) return first;
  const chars = Array.from(description);
  const keptWidth = chars.length <= kept ? textWidthEm(description) : textWidthEm(chars.slice(0, kept).join('')) + ELLIPSIS_EM * FONT_SCALE;
  const budget = room - gap - keptWidth;
  const fitting = forms.find((form) => textWidthEm(form) <= budget);
  if (fitting !== undefined) return fitting;
  return cut(forms[forms.length - 1]!, budget);
}

/** `text` cut to `budget` ems, ending in "…" (at least one character is kept). */
function cut(text: string, budget: number): string {
  const chars = Array.from(text);
  let width = textWidthEm('…');
  let end = 0;
  while (end < chars.length && width + textWidthEm(chars[end]!) <= budget) width += textWidthEm(chars[end++]!);
  return `${chars.slice(0, Math.max(1, end)).join('').trimEnd()}…`;
}

/**
 * The description to show beside `label`: the first of `forms` (longest first) that fits whole
 * in `room` (VS Code would cut it otherwise), else the last, the shortest. The tooltip says the rest.
 */
export function fitDescription(label: string, forms: readonly string[], room: number): string {
  const labelWidth = textWidthEm(label);
  const fitting = forms.find((form) => labelWidth + (form ? GAP_EM : 0) + textWidthEm(form) <= room);
  return fitting ?? forms[forms.length - 1] ?? '';
}

/** A count in the locale's short form: 12,100 as "12.1K", 238 as it is. */
export function compactCount(count: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(count);
}
