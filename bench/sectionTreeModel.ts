import * as path from 'node:path';
import { WEBSITE_NOTIFICATIONS } from '../src/api/resources';
import type { ApiRecord } from '../src/api/schemas';
import type { ListedPage } from '../src/sites/siteApi';
import type { SiteConnections } from '../src/sites/siteConnections';
import type { RecordsTreeModel } from '../src/tree/recordsTreeModel';
import type { UnreadBadge } from '../src/tree/unreadBadge';
import { median, now } from './stats';
import { BrokenMeasurement, type BenchOptions, type Section, type SectionResult } from './types';

const PAGE = 100;
const SMALL = 10_000;
const LARGE = 100_000;
const ROUNDS = 9;
const SITE = 'Bench';

interface NodeModuleInternals {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
}

/** The little of VS Code's API the model and the unread badge use at run time, for plain Node. */
function vscodeStub(): unknown {
  class EventEmitter<T> {
    private listeners: ((value: T) => void)[] = [];
    readonly event = (listener: (value: T) => void): { dispose(): void } => {
      this.listeners.push(listener);
      return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
    };
    fire(value: T): void {
      for (const listener of this.listeners) listener(value);
    }
    dispose(): void {
      this.listeners = [];
    }
  }
  const t = (template: string, ...args: unknown[]): string => template.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
  return { EventEmitter, l10n: { t }, env: { language: 'en' } };
}

/** Loads src/tree's model and badge with `vscode` answered by the stub; the loader is put back at once. */
function loadTree(): { Model: typeof RecordsTreeModel; Badge: typeof UnreadBadge } {
  // The loader itself: an import would hand over a copy, and the hook must reach the real one.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loader = require('node:module') as NodeModuleInternals;
  const original = loader._load;
  const stub = vscodeStub();
  loader._load = function (this: unknown, request, parent, isMain) {
    return request === 'vscode' ? stub : original.call(this, request, parent, isMain);
  };
  try {
    // Required here, not imported: bench/main.js must load without the stub in place.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const model = require(path.join(__dirname, '..', 'src', 'tree', 'recordsTreeModel')) as { RecordsTreeModel: typeof RecordsTreeModel };
    const badge = require(path.join(__dirname, '..', 'src', 'tree', 'unreadBadge')) as { UnreadBadge: typeof UnreadBadge };
    /* eslint-enable @typescript-eslint/no-require-imports */
    return { Model: model.RecordsTreeModel, Badge: badge.UnreadBadge };
  } finally {
    loader._load = original;
  }
}

/** One BD site whose notifications come from memory, `count` of them, PAGE at a time (the cursor is the offset). */
function connections(records: readonly ApiRecord[], count: number): SiteConnections {
  const site = { name: SITE, kind: 'brilliantDirectories', url: 'http://127.0.0.1:1', requestsPerMinute: 1000 };
  const api = {
    listPage: async (_resource: unknown, options: { pageSize: number; cursor?: string; query?: { filters?: unknown[] } }): Promise<ListedPage> => {
      if (options.query?.filters?.length) return { records: records.slice(0, 1), total: count / 2, nextCursor: undefined, paging: 'stable' };
      const start = Number(options.cursor ?? 0);
      const end = Math.min(count, start + options.pageSize);
      return { records: records.slice(start, end), total: start === 0 ? count : undefined, remaining: count - start, nextCursor: end < count ? String(end) : undefined, paging: 'stable' };
    },
  };
  return {
    onDidChange: () => ({ dispose: () => undefined }),
    settings: { sites: [site], problems: [], pageSize: PAGE },
    find: (name: string) => (name === SITE ? site : undefined),
    api: async () => api,
  } as unknown as SiteConnections;
}

/** First page plus Load more until `count` rows are shown, with the unread badge following; total ms. */
async function loadAll(tree: ReturnType<typeof loadTree>, records: readonly ApiRecord[], count: number): Promise<number> {
  const model = new tree.Model(connections(records, count));
  const badge = new tree.Badge(model, {});
  const ref = { site: SITE, model: WEBSITE_NOTIFICATIONS.model };
  // What the provider asks for on every change: the state and its length (its own cost is VS Code's, measured in section c).
  let seen = 0;
  const listening = model.onDidChange(() => (seen = model.state(ref).records.length));
  try {
    const started = now();
    await model.ensureLoaded(ref);
    while (model.state(ref).nextCursor !== undefined) await model.loadMore(ref);
    const ms = now() - started;
    if (model.state(ref).records.length !== count || seen !== count) throw new BrokenMeasurement(`the model shows ${model.state(ref).records.length} of ${count} notifications`);
    if (badge.unread(SITE) === undefined) throw new BrokenMeasurement('the unread badge counted nothing');
    return ms;
  } finally {
    listening.dispose();
    badge.dispose();
    model.dispose();
  }
}

/**
 * The least any listing that never shows a key twice does for `count` records: page by page
 * (an await each, as Load more), each record's key checked in and added to a Set and the record
 * pushed to the list. Its 100k / 10k ratio is the floor this machine sets (100,000 records do not
 * fit the caches 10,000 fit), measured beside the model in the same rounds.
 */
async function bareListing(records: readonly ApiRecord[], count: number): Promise<number> {
  const started = now();
  const ids = new Set<string | null | undefined>();
  const shown: ApiRecord[] = [];
  for (let start = 0; start < count; start += PAGE) {
    const page = await Promise.resolve(records.slice(start, Math.min(count, start + PAGE)));
    for (const record of page) {
      const id = record['notification_id'];
      if (ids.has(id)) continue;
      ids.add(id);
      shown.push(record);
    }
  }
  const ms = now() - started;
  if (shown.length !== count) throw new BrokenMeasurement(`the bare listing kept ${shown.length} of ${count}`);
  return ms;
}

/**
 * (j) The tree model alone (src/tree/recordsTreeModel.ts with the unread badge listening), in plain
 * Node: 10,000 and 100,000 notifications shown by Load more, 100 a page, from memory.
 */
export async function treeModel(options: BenchOptions): Promise<SectionResult> {
  const tree = loadTree();
  const records: ApiRecord[] = Array.from({ length: LARGE }, (_, i) => ({
    notification_id: String(LARGE - i),
    notification_view: i % 3 === 0 ? '0' : '1',
    notification_title: `Notification ${LARGE - i}`,
    notification_message: 'A member updated their listing.',
    date_added: '20250101120000',
  }));
  await loadAll(tree, records, SMALL);
  await bareListing(records, SMALL);
  await bareListing(records, LARGE);
  const small: number[] = [];
  const large: number[] = [];
  const bareSmall: number[] = [];
  const bareLarge: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    small.push(await loadAll(tree, records, SMALL));
    large.push(await loadAll(tree, records, LARGE));
    bareSmall.push(await bareListing(records, SMALL));
    bareLarge.push(await bareListing(records, LARGE));
    options.progress(`  round ${i + 1}: ${SMALL} in ${small.at(-1)!.toFixed(0)} ms, ${LARGE} in ${large.at(-1)!.toFixed(0)} ms; bare listing ${bareSmall.at(-1)!.toFixed(1)} / ${bareLarge.at(-1)!.toFixed(1)} ms`);
  }
  const bareRatio = median(bareLarge) / median(bareSmall);
  const fmt = (values: number[]): string => values.map((v) => v.toFixed(0)).join(', ');
  return {
    notes: [
      `RecordsTreeModel with the UnreadBadge listening, a stub of the little of vscode they use (EventEmitter, l10n.t), a site whose pages come from memory (${PAGE} notifications each): the first page, then Load more until all are shown; every change read the resource's state as the provider does. ${ROUNDS} rounds after a warm-up; ms, ${SMALL.toLocaleString('en')}: ${fmt(small)}; ${LARGE.toLocaleString('en')}: ${fmt(large)}.`,
    ],
    rows: [
      { name: `model, ${SMALL.toLocaleString('en')} rows by Load more`, value: median(small), unit: 'ms', note: 'median', method: 'Wall time from ensureLoaded to the last loadMore settling, median of the rounds.' },
      { name: `model, ${LARGE.toLocaleString('en')} rows by Load more`, value: median(large), unit: 'ms', note: 'median', method: 'The same for 100,000.' },
      { name: `model time ${LARGE.toLocaleString('en')} / ${SMALL.toLocaleString('en')}`, value: median(large) / median(small), unit: 'ratio', target: { comparison: '<=', limit: 12 }, note: `10 is linear; the bare listing below: ${bareRatio.toFixed(1)}`, method: 'The two medians divided.' },
      {
        name: `bare listing (Set of keys + list) ${LARGE.toLocaleString('en')} / ${SMALL.toLocaleString('en')}`,
        value: bareRatio,
        unit: 'ratio',
        note: `context: the floor on this machine; ${median(bareSmall).toFixed(1)} → ${median(bareLarge).toFixed(1)} ms`,
        method: 'The least a listing that never shows a key twice does, page by page with an await each, same rounds as the model: the two medians divided. 100,000 records do not fit the CPU caches that 10,000 fit, so even this is above 10.',
      },
    ],
  };
}

export const TREE_MODEL: Section = {
  id: 'j',
  alias: 'model',
  title: 'Tree model alone, Load more to 100,000 rows',
  run: treeModel,
};
