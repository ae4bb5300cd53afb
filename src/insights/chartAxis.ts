// Which bars of a chart get a label under them, so that labels never overlap. Plain TypeScript:
// the webview script uses it with the widths it measures, the unit tests without a DOM.

/** Space kept between two labels, px. */
export const LABEL_GAP = 8;

/** A label's width before it can be measured (10 px digits are about 6 px wide; a little more, to be safe). */
export function estimatedLabelPx(text: string): number {
  return text.length * 6.5;
}

/**
 * Every k-th bar is labelled, k the smallest that leaves `gap` between labels as wide as
 * `labelPx` centred on bars `stepPx` apart (1 when they fit under every bar).
 */
export function labelStride(stepPx: number, labelPx: number, gap = LABEL_GAP): number {
  if (!(stepPx > 0)) return Number.MAX_SAFE_INTEGER;
  return Math.max(1, Math.ceil((labelPx + gap) / stepPx));
}

/** The indexes of the labelled bars out of `count`: 0, k, 2k… */
export function labelledBars(count: number, stride: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i += Math.max(1, stride)) out.push(i);
  return out;
}
