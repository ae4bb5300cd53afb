// Click Insights webview: draws what the extension sends (PanelView) as SVG charts with a
// sortable table under each, and sends back what the person asks for. No framework, no
// charting library (see README "Click Insights": hand-drawn SVG is ~10 KB, themed by CSS
// variables, keyboard-reachable per bar). No inline styles or scripts: the CSP forbids them.

import type { DayCount, RankedCount } from '../../src/insights/clickAggregates';
import type { BarUnit } from '../../src/insights/clickBuckets';
import { estimatedLabelPx, labelledBars, labelStride } from '../../src/insights/chartAxis';
import { addDays, boundsHold, type ClickRange, type DayBounds } from '../../src/insights/clickRange';
import type { HostMessage, PanelState, PanelView, WebviewMessage } from '../../src/insights/insightsProtocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';
const app = document.getElementById('app')!;
let view: PanelView | undefined;
let sorts: Record<string, { column: number; descending: boolean }> = { ...(vscode.getState()?.sorts ?? {}) };
const expanded = new Set<string>();
/** Where the keyboard focus was, by its data-focus key, so a redraw puts it back. */
let focusKey: string | undefined;

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function t(key: string, ...args: (string | number)[]): string {
  const template = view?.text[key] ?? key;
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => {
    const v = args[Number(i)];
    return v === undefined ? whole : typeof v === 'number' ? v.toLocaleString() : v;
  });
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function svg(tag: string, attrs: Record<string, string | number> = {}): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

function saveState(): void {
  if (!view) return;
  vscode.setState({ site: view.site, model: view.kind === 'bd' ? 'users_clicks' : 'ms_clicks', range: view.range, sorts });
}

// ---------------------------------------------------------------------------
// Range controls

function rangeControls(v: PanelView): HTMLElement {
  const bar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': t('range') });
  const group = el('div', { class: 'presets', role: 'radiogroup', 'aria-label': t('range') });
  for (const preset of ['last7', 'last30', 'last90', 'all', 'custom'] as const) {
    const checked = v.range.preset === preset;
    const b = button(t(preset), () => {
      if (preset === 'custom') {
        customOpen = true;
        draw();
        (document.getElementById('range-from') as HTMLInputElement | null)?.focus();
      } else {
        customOpen = false;
        setRange({ preset });
      }
    }, { role: 'radio', 'aria-checked': String(checked), class: checked ? 'preset checked' : 'preset', 'data-focus': `preset-${preset}` });
    group.append(b);
  }
  bar.append(group);
  if (customOpen || v.range.preset === 'custom') {
    const from = el('input', { type: 'date', id: 'range-from', value: v.range.from ?? v.bounds?.start ?? '', 'aria-label': t('from') });
    const to = el('input', { type: 'date', id: 'range-to', value: v.range.to ?? '', 'aria-label': t('to') });
    const form = el('form', { class: 'custom' }, el('label', { for: 'range-from' }, t('from')), from, el('label', { for: 'range-to' }, t('to')), to, el('button', { type: 'submit', 'data-focus': 'apply' }, t('apply')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      setRange({ preset: 'custom', from: from.value, to: to.value });
    });
    bar.append(form);
  }
  const busy = v.status === 'loading' || v.status === 'confirm' || v.drill?.loading;
  bar.append(busy ? button(t('cancel'), () => post({ type: 'cancel' }), { 'data-focus': 'cancel' }) : button(t('refresh'), () => post({ type: 'refresh' }), { 'data-focus': 'refresh' }));
  return bar;
}

let customOpen = false;

function setRange(range: ClickRange): void {
  post({ type: 'setRange', range });
}

// ---------------------------------------------------------------------------
// Charts

/** A bar's name under the chart: short, as the unit needs (the year is in the table and the tooltip). */
function axisLabel(d: DayCount, unit: BarUnit): string {
  switch (unit) {
    case 'day':
    case 'week':
      return d.day.slice(5);
    case 'month':
      return d.day.slice(0, 7);
    case 'quarter':
      return `${d.day.slice(0, 4)} Q${Math.floor((Number(d.day.slice(5, 7)) - 1) / 3) + 1}`;
    case 'year':
      return d.day.slice(0, 4);
  }
}

/** A bar's full name (table, tooltip, screen reader): its day, or its first and last day. */
function barName(d: DayCount, unit: BarUnit): string {
  const last = addDays(d.end, -1) ?? d.day;
  return unit === 'day' || last === d.day ? d.day : `${d.day} – ${last}`;
}

/** The day chart's width: the page's own, so its text is drawn at 10 px and not scaled down; at least 480 (bars 7 px apart at 60 bars: see MAX_BARS), scrolled when the page is narrower. */
function chartWidth(): number {
  return Math.max(480, Math.min(1200, Math.floor(app.clientWidth)));
}

/** Clicks per bar (a day, week, month…): the total, the unique count as a narrower bar beside it. */
function dayChart(days: readonly DayCount[], unit: BarUnit): SVGElement {
  const width = chartWidth();
  const height = 180;
  const left = 44;
  const right = 24;
  const bottom = 28;
  const max = Math.max(1, ...days.map((d) => d.total));
  const step = (width - left - right) / Math.max(1, days.length);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart day-chart', role: 'group', 'aria-label': t(`per_${unit}`), 'data-step': step });
  const scale = (n: number): number => ((height - bottom - 14) * n) / max;
  for (const tick of ticks(max)) {
    const y = height - bottom - scale(tick);
    chart.append(svg('line', { x1: left, x2: width - right + 4, y1: y, y2: y, class: 'grid' }));
    const label = svg('text', { x: left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' });
    label.textContent = tick.toLocaleString();
    chart.append(label);
  }
  days.forEach((d, i) => {
    const x = left + i * step;
    const name = barName(d, unit);
    const g = svg('g', { class: 'bar', tabindex: '0', role: 'button', 'aria-label': t('dayBar', name, d.total, d.unique), 'data-focus': `day-${d.day}` });
    const title = svg('title');
    title.textContent = t('dayBar', name, d.total, d.unique);
    g.append(title);
    g.append(svg('rect', { x, y: 0, width: Math.max(1, step), height: height - bottom, class: 'hit' }));
    // Unique beside total, each a little under half the bar's width.
    g.append(svg('rect', { x: x + step * 0.08, y: height - bottom - scale(d.total), width: Math.max(1, step * 0.42), height: scale(d.total), class: 'total' }));
    g.append(svg('rect', { x: x + step * 0.5, y: height - bottom - scale(d.unique), width: Math.max(1, step * 0.42), height: scale(d.unique), class: 'unique' }));
    const open = (): void => post({ type: 'openDay', day: d.day, end: d.end });
    g.addEventListener('click', open);
    g.addEventListener('keydown', (e) => keyActivate(e as KeyboardEvent, open, g));
    chart.append(g);
  });
  // Every k-th bar labelled, k from the widest label's estimate; fitAxisLabels measures them once drawn.
  const labels = days.map((d) => axisLabel(d, unit));
  const stride = labelStride(step, Math.max(0, ...labels.map(estimatedLabelPx)));
  for (const i of labelledBars(days.length, stride)) {
    const label = svg('text', { x: left + i * step + step / 2, y: height - bottom + 16, class: 'axis x-label', 'text-anchor': 'middle', 'data-bar': i });
    label.textContent = labels[i]!;
    chart.append(label);
  }
  const utc = svg('text', { x: width - 4, y: 10, class: 'axis', 'text-anchor': 'end' });
  utc.textContent = 'UTC';
  chart.append(utc);
  return chart;
}

/**
 * Once drawn, the labels' real widths: if the widest needs a longer stride than the estimate
 * gave, every label off the new stride goes (fonts differ from the estimate).
 */
function fitAxisLabels(): void {
  for (const chart of app.querySelectorAll<SVGSVGElement>('svg.day-chart')) {
    const labels = [...chart.querySelectorAll<SVGTextElement>('text.x-label')];
    const step = Number(chart.getAttribute('data-step'));
    const widest = Math.max(0, ...labels.map((l) => l.getComputedTextLength()));
    const stride = labelStride(step, widest);
    for (const label of labels) if (Number(label.getAttribute('data-bar')) % stride !== 0) label.remove();
  }
}

/** Enter or Space acts; arrow keys move between the bars of one chart. */
function keyActivate(e: KeyboardEvent, act: () => void, node: Element): void {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    act();
  } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    const bars = [...(node.parentElement?.querySelectorAll<SVGGElement>('g.bar') ?? [])];
    const i = bars.indexOf(node as SVGGElement);
    const next = bars[i + (e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : -1)];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  }
}

function ticks(max: number): number[] {
  const rough = max / 4;
  const magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(1, rough))));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? magnitude * 10;
  const out: number[] = [];
  for (let v = 0; v <= max; v += Math.max(1, step)) out.push(v);
  return out;
}

/** Horizontal bars for a ranking: total, with unique inside it. */
function rankChart(name: string, items: readonly RankedCount[], label: (key: string) => string, act: ((key: string) => void) | undefined): SVGElement {
  const top = items.slice(0, 10);
  const rowH = 22;
  const width = 640;
  const left = 220;
  const height = Math.max(1, top.length) * rowH + 4;
  const max = Math.max(1, ...top.map((i) => i.total));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart rank-chart', role: 'group', 'aria-label': name });
  top.forEach((item, i) => {
    const y = i * rowH + 2;
    const g = svg('g', act ? { class: 'bar', tabindex: '0', role: 'button', 'aria-label': `${label(item.key)}: ${t('dayBar', '', item.total, item.unique).replace(/^: /, '')}`, 'data-focus': `${name}-${item.key}` } : { class: 'bar static' });
    const title = svg('title');
    title.textContent = `${label(item.key)}: ${item.total.toLocaleString()} / ${item.unique.toLocaleString()}`;
    g.append(title);
    const text = svg('text', { x: left - 8, y: y + 15, class: 'axis', 'text-anchor': 'end' });
    text.textContent = shorten(label(item.key), 34);
    g.append(text);
    const w = ((width - left - 60) * item.total) / max;
    const u = ((width - left - 60) * item.unique) / max;
    g.append(svg('rect', { x: left, y: y + 2, width: Math.max(1, w), height: (rowH - 6) / 2, class: 'total' }));
    g.append(svg('rect', { x: left, y: y + 2 + (rowH - 6) / 2, width: Math.max(u > 0 ? 1 : 0, u), height: (rowH - 6) / 2, class: 'unique' }));
    const value = svg('text', { x: left + w + 6, y: y + 15, class: 'axis' });
    value.textContent = item.total.toLocaleString();
    g.append(value);
    if (act) {
      g.addEventListener('click', () => act(item.key));
      g.addEventListener('keydown', (e) => keyActivate(e as KeyboardEvent, () => act(item.key), g));
    }
    chart.append(g);
  });
  return chart;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

// ---------------------------------------------------------------------------
// Tables: sortable by any column (buttons in the headers, aria-sort), Export CSV of what is shown.

interface Column {
  readonly title: string;
  readonly numeric: boolean;
}

interface Row {
  readonly cells: readonly (string | number)[];
  readonly action?: { readonly label: string; readonly run: () => void };
}

const TABLE_ROWS = 50;

function table(name: string, caption: string, columns: readonly Column[], rows: readonly Row[], defaultSort: { column: number; descending: boolean }): HTMLElement {
  const sort = sorts[name] ?? defaultSort;
  const sorted = [...rows].sort((a, b) => {
    const x = a.cells[sort.column]!;
    const y = b.cells[sort.column]!;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
    return sort.descending ? -c : c;
  });
  const all = expanded.has(name);
  const shown = all ? sorted : sorted.slice(0, TABLE_ROWS);
  const head = el('tr');
  columns.forEach((col, i) => {
    const active = sort.column === i;
    const th = el('th', { scope: 'col', 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : 'none', class: col.numeric ? 'num' : '' });
    th.append(button(`${col.title}${active ? (sort.descending ? ' ▼' : ' ▲') : ''}`, () => {
      sorts = { ...sorts, [name]: { column: i, descending: active ? !sort.descending : col.numeric } };
      focusKey = `sort-${name}-${i}`;
      saveState();
      draw();
    }, { 'aria-label': t('sortBy', col.title), 'data-focus': `sort-${name}-${i}`, class: 'sort' }));
    head.append(th);
  });
  if (rows.some((r) => r.action)) head.append(el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, t('showInTree'))));
  const body = el('tbody');
  for (const row of shown) {
    const tr = el('tr');
    row.cells.forEach((cell, i) => tr.append(el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : { class: columns[i]!.numeric ? 'num' : '' }, typeof cell === 'number' ? cell.toLocaleString() : cell)));
    if (row.action) {
      const key = `${name}-action-${String(row.cells[0])}`;
      tr.append(el('td', {}, button(row.action.label, row.action.run, { class: 'link', 'data-focus': key, 'aria-label': `${row.action.label}: ${String(row.cells[0])}` })));
    } else if (rows.some((r) => r.action)) tr.append(el('td'));
    body.append(tr);
  }
  const exportRows = [columns.map((c) => c.title), ...sorted.map((r) => r.cells.map(String))];
  const tools = el('div', { class: 'table-tools' });
  if (sorted.length > shown.length || all) {
    tools.append(el('span', {}, t('rowsShown', shown.length, sorted.length)));
    if (!all) tools.append(button(t('showAll'), () => { expanded.add(name); draw(); }, { 'data-focus': `all-${name}` }));
  }
  tools.append(button(t('exportCsv'), () => post({ type: 'exportCsv', name, rows: exportRows }), { 'data-focus': `csv-${name}`, 'aria-label': `${t('exportCsv')}: ${caption}` }));
  return el('div', { class: 'table-wrap' }, el('table', { 'data-table': name }, el('caption', {}, caption), el('thead', {}, head), body), tools);
}

// ---------------------------------------------------------------------------
// The page

function section(id: string, title: string, ...content: Node[]): HTMLElement {
  return el('section', { 'aria-labelledby': id }, el('h2', { id }, title), ...content);
}

function figures(v: PanelView): HTMLElement {
  const i = v.insights!;
  const unique = i.kind === 'bd' ? i.uniqueVisitors : i.unique;
  const box = el('div', { class: 'figures' },
    el('div', { class: 'figure' }, el('span', { class: 'value', 'data-figure': 'total' }, i.total.toLocaleString()), el('span', { class: 'label' }, t('total'))),
    el('div', { class: 'figure' }, el('span', { class: 'value unique-value', 'data-figure': 'unique' }, unique.toLocaleString()), el('span', { class: 'label' }, t('unique'))),
  );
  const notes = el('p', { class: 'note' }, t('uniqueMeaning'));
  const out = el('div', {}, box, notes);
  if (i.undated > 0) out.append(el('p', { class: 'note', 'data-figure': 'undated' }, t('undated', i.undated)));
  return out;
}

/** A range in words with its days: "Last 30 days, 2026-11-08 – 2026-12-07", or for custom just the days. */
function rangeText(range: ClickRange, bounds: DayBounds | undefined): string {
  const last = bounds?.end ? addDays(bounds.end, -1) : undefined;
  if (!bounds?.start || !last) return t(range.preset);
  const days = t('rangeDays', bounds.start, last);
  return range.preset === 'custom' ? days : `${t(range.preset)}, ${days}`;
}

/** Where the clicks are: the newest click's day and the range shown, and when that range does not hold it, the one that does. */
function newestLine(v: PanelView): HTMLElement | undefined {
  const n = v.newest;
  if (!n) return undefined;
  const line = el('p', { class: 'note newest', 'data-newest': n.day ?? '', title: t('newestCost', n.requests) });
  if (n.day === undefined) {
    line.append(t('noNewest'));
    return line;
  }
  line.append(t('newest', n.day, rangeText(v.range, v.bounds)));
  if (v.bounds && !boundsHold(v.bounds, n.day)) {
    line.append(' ', button(t('offer', rangeText(n.range, n.bounds)), () => setRange(n.range), { class: 'primary', 'data-focus': 'offer-newest' }));
  }
  return line;
}

function status(v: PanelView): HTMLElement {
  const line = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  if (v.status === 'loading') {
    const p = v.progress;
    line.append(p ? (p.total !== undefined ? t('progress', p.fetched, p.total, p.requests) : t('progressUnknown', p.fetched, p.requests)) : t('loading'));
    if (p?.total) {
      const bar = el('progress', { max: String(p.total), value: String(p.fetched), 'aria-label': t('loading') });
      line.append(bar);
    }
  } else if (v.status === 'confirm' && v.estimate) {
    const e = v.estimate;
    line.classList.add('confirm');
    line.append(
      el('span', {}, t('confirm', e.total, e.requests, duration(e.ms), e.rateLimit.requests)),
      button(t('load'), () => post({ type: 'confirm', go: true }), { 'data-focus': 'confirm-load', class: 'primary' }),
      button(t('cancel'), () => post({ type: 'confirm', go: false }), { 'data-focus': 'confirm-cancel' }),
    );
  } else if (v.status === 'error') {
    line.classList.add('error');
    line.setAttribute('role', 'alert');
    line.append(v.error ?? '');
  } else if (v.status === 'cancelled') {
    line.append(t('cancelled'));
  } else if (v.fetchedAt) {
    const at = v.fetchedAt.slice(0, 19).replace('T', ' ');
    line.append(v.fromCache ? t('fromCache', at) : t('fetchedAt', at));
  }
  return line;
}

function duration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}

function body(v: PanelView): Node[] {
  const i = v.insights;
  if (!i) return [];
  if (i.total === 0) return [el('p', { class: 'empty' }, t('empty'))];
  const dayRows: Row[] = i.days.map((d) => ({ cells: [barName(d, i.unit), d.total, d.unique], action: { label: t('showInTree'), run: () => post({ type: 'openDay', day: d.day, end: d.end }) } }));
  const perUnit = t(`per_${i.unit}`);
  const out: Node[] = [
    figures(v),
    section('h-days', perUnit, el('p', { class: 'note' }, t('chartNote')), legend(), el('div', { class: 'chart-scroll' }, dayChart(i.days, i.unit)), table('days', perUnit, [{ title: t(`unit_${i.unit}`), numeric: false }, { title: t('clicks'), numeric: true }, { title: t('uniqueColumn'), numeric: true }], dayRows, { column: 0, descending: false })),
  ];
  const ranked = (name: string, title: string, keyTitle: string, uniqueTitle: string, items: readonly RankedCount[], label: (k: string) => string, act?: { label: string; run: (k: string) => void }) =>
    section(`h-${name}`, title, rankChart(name, items, label, act?.run), table(name, title, [{ title: keyTitle, numeric: false }, { title: t('clicks'), numeric: true }, { title: uniqueTitle, numeric: true }], items.map((it) => ({ cells: [label(it.key), it.total, it.unique], ...(act ? { action: { label: act.label, run: () => act.run(it.key) } } : {}) })), { column: 1, descending: true }));
  if (i.kind === 'bd') {
    out.push(
      ranked('members', t('members'), t('member'), t('uniqueColumn'), i.members, (k) => (k ? t('memberName', k) : '—'), { label: t('showInTree'), run: (k) => post({ type: 'openMember', member: k }) }),
      ranked('types', t('types'), t('type'), t('uniqueColumn'), i.types, (k) => k || '—'),
      ranked('froms', t('froms'), t('from_'), t('uniqueColumn'), i.froms, (k) => k || '—'),
    );
  } else {
    out.push(
      ranked('links', t('links'), t('link'), t('linkUnique'), i.links, (k) => k, { label: t('listClicks'), run: (k) => post({ type: 'drill', what: 'link', key: k }) }),
      ranked('mailings', t('mailings'), t('mailing'), t('mailingUnique'), i.mailings, (k) => k, { label: t('listClicks'), run: (k) => post({ type: 'drill', what: 'mailing', key: k }) }),
    );
    if (v.drill) out.push(drill(v));
  }
  return out;
}

function legend(): HTMLElement {
  const swatch = (cls: string): SVGElement => {
    const s = svg('svg', { viewBox: '0 0 12 12', class: 'swatch', 'aria-hidden': 'true' });
    s.append(svg('rect', { x: 0, y: 0, width: 12, height: 12, class: cls }));
    return s;
  };
  return el('div', { class: 'legend' }, swatch('total'), el('span', {}, t('clicks')), swatch('unique'), el('span', {}, t('uniqueColumn')));
}

function drill(v: PanelView): HTMLElement {
  const d = v.drill!;
  const title = d.what === 'link' ? t('drillTitleLink', d.key) : t('drillTitleMailing', d.key);
  const content: Node[] = [];
  if (d.loading) content.push(el('p', { class: 'status', role: 'status' }, t('drillLoading')));
  else {
    if (d.total > d.rows.length) content.push(el('p', { class: 'note' }, t('drillCapped', d.rows.length, d.total)));
    content.push(table('drill', title, [{ title: t('id'), numeric: true }, { title: t('time'), numeric: false }, { title: t('mailing'), numeric: true }, { title: t('link'), numeric: false }, { title: t('destination'), numeric: true }], d.rows.map((r) => ({ cells: [Number(r.id), r.timestamp, r.mailing, r.link, r.destination] })), { column: 0, descending: false }));
  }
  return section('h-drill', title, ...content);
}

function draw(arrived = performance.now()): void {
  if (!view) return;
  const active = document.activeElement;
  focusKey = (active instanceof Element && active.getAttribute('data-focus')) || focusKey;
  const started = arrived;
  const newest = newestLine(view);
  const header = el('header', {}, el('h1', {}, `${view.site} · ${view.resourceLabel}`), rangeControls(view), ...(newest ? [newest] : []), status(view));
  app.replaceChildren(header, ...body(view));
  fitAxisLabels();
  app.setAttribute('aria-busy', String(view.status === 'loading'));
  if (focusKey) (app.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`) as HTMLElement | SVGElement | null)?.focus();
  if (view.status === 'ready') {
    // From the numbers' arrival to the frame that shows them (the e2e flow reports it).
    requestAnimationFrame(() => {
      const ms = performance.now() - started;
      document.body.dataset['drawnMs'] = ms.toFixed(1);
      post({ type: 'drawn', ms });
    });
    document.body.dataset['ready'] = 'true';
  } else delete document.body.dataset['ready'];
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  if (event.data?.type !== 'view') return;
  const arrived = performance.now();
  view = event.data.view;
  if (view.range.preset !== 'custom') customOpen = false;
  saveState();
  draw(arrived);
});

// The day chart is drawn at the page's width: a resize draws it again (once a frame at most).
let resizeQueued = false;
window.addEventListener('resize', () => {
  if (resizeQueued) return;
  resizeQueued = true;
  requestAnimationFrame(() => {
    resizeQueued = false;
    draw();
  });
});

post({ type: 'ready' });
