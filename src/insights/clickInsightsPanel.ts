import * as os from 'node:os';
import * as vscode from 'vscode';
import { isApiError } from '../api/errors';
import type { ApiRecord } from '../api/schemas';
import { USERS_CLICKS } from '../api/resources';
import type { RecordsChange } from '../records/recordsChange';
import type { RecordFilter } from '../api/filters';
import { COMMANDS } from '../commandIds';
import { Disposable, toDisposable } from '../lifecycle/disposable';
import { errorText } from '../messages/errorText';
import { siteOrigin, type SiteConfig } from '../sites/siteConfig';
import type { SiteConnections } from '../sites/siteConnections';
import type { ClickInsights } from './clickAggregates';
import { fetchClickInsights, findNewestClick, type FetchEstimate } from './clickFetch';
import { addDays, bdRangeFilters, copernicaRange, dayBounds, dayStartMs, openingRange, RANGE_PRESETS, type ClickRange, type DayBounds } from './clickRange';
import { webviewPage } from '../webview/webviewPage';
import { CLICK_INSIGHTS_VIEW_TYPE } from './insightsViewType';
import { toCsv } from './insightsCsv';
import type { DrillRow, PanelState, PanelView, WebviewMessage } from './insightsProtocol';
import { insightsText } from './insightsText';

export type ClickModel = PanelState['model'];

/** What showing or refreshing a panel ended with (the command returns it, for tests and other extensions). */
export interface InsightsOutcome {
  readonly site: string;
  readonly model: ClickModel;
  readonly range: ClickRange;
  readonly status: PanelView['status'];
  readonly total?: number;
  readonly unique?: number;
  readonly fromCache?: boolean;
  /** The newest click's UTC day, when the panel looked for it. */
  readonly newest?: string;
}

interface CachedInsights {
  readonly insights: ClickInsights;
  readonly fetchedAt: string;
}

const DEFAULT_RANGE: ClickRange = { preset: 'last30' };
const DRILL_CAP = 500;

/**
 * One Click Insights panel per site and click resource. Numbers are read through the site's
 * shared, paced client and kept (aggregates only, never the clicks) per site and range until
 * Refresh; panels come back after a window reload through the serializer.
 */
export class ClickInsightsPanels extends Disposable {
  private readonly panels = new Map<string, ClickInsightsPanel>();
  /** Per site name, then per address (kind and origin), resource and range: see cacheKey. */
  private readonly cache = new Map<string, Map<string, CachedInsights>>();

  constructor(
    private readonly connections: SiteConnections,
    private readonly extensionUri: vscode.Uri,
  ) {
    super();
    this._register(toDisposable(() => [...this.panels.values()].forEach((p) => p.dispose())));
    // A new key may be another account at the same address (every Copernica site has one origin):
    // that site's numbers are read again.
    this._register(this.connections.secrets.onDidChange((site) => this.cache.delete(site)));
  }

  /** A panel VS Code brings back after a window reload, with the state it kept. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const restored = parseState(state);
    if (!restored || !this.connections.find(restored.site)) {
      panel.dispose();
      return;
    }
    void this.adopt(panel, restored.site, restored.model, restored.range).load(false);
  }

  /** A write changed records of a site: numbers kept of its clicks are read again next time (panels open now keep theirs until Refresh). */
  recordsChanged(change: RecordsChange): void {
    if (change.resource.model === USERS_CLICKS.model) this.cache.delete(change.site);
  }

  /** Opens (or reveals) the panel of a site's clicks and loads the range; resolves once the numbers are shown (or it failed). */
  async show(site: string, model: ClickModel, range: ClickRange | undefined, refresh = false): Promise<InsightsOutcome> {
    const key = panelKey(site, model);
    let panel = this.panels.get(key);
    if (panel) panel.reveal();
    else {
      const webviewPanel = vscode.window.createWebviewPanel(CLICK_INSIGHTS_VIEW_TYPE, insightsTitle(site, model), vscode.ViewColumn.Active, this.webviewOptions());
      // Asked for no range: the panel finds the newest click first and opens on the range that holds it.
      panel = this.adopt(webviewPanel, site, model, range ?? DEFAULT_RANGE, range === undefined);
    }
    if (range) panel.setRange(range);
    return panel.load(refresh);
  }

  webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')] };
  }

  private adopt(webviewPanel: vscode.WebviewPanel, site: string, model: ClickModel, range: ClickRange, findNewest = false): ClickInsightsPanel {
    const key = panelKey(site, model);
    webviewPanel.webview.options = this.webviewOptions();
    // Keyed on where the name points when a load starts, so Edit Site pointing it at another
    // address never shows the old site's numbers (nor files a load under way under the new one).
    const panel = new ClickInsightsPanel(webviewPanel, site, model, range, findNewest, this.connections, this.extensionUri, (bounds) => {
      const entryKey = cacheKey(this.connections.find(site), model, bounds);
      return {
        get: () => this.cache.get(site)?.get(entryKey),
        set: (value) => {
          let forSite = this.cache.get(site);
          if (!forSite) this.cache.set(site, (forSite = new Map()));
          forSite.set(entryKey, value);
        },
        drop: () => this.cache.get(site)?.delete(entryKey),
      };
    });
    this.panels.set(key, panel);
    webviewPanel.onDidDispose(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
      panel.dispose();
    });
    return panel;
  }
}

/** The cache entry of one range of a panel's site and resource, as the site is configured now. */
type InsightsCache = (bounds: DayBounds) => {
  get(): CachedInsights | undefined;
  set(value: CachedInsights): void;
  drop(): void;
};

class ClickInsightsPanel extends Disposable {
  private readonly kind: 'bd' | 'copernica';
  private view: Omit<PanelView, 'text'>;
  private abort: AbortController | undefined;
  private answer: ((go: boolean) => void) | undefined;
  private drillAbort: AbortController | undefined;
  /** Looked for once per panel: when it opens without a range, or when a range shows no clicks. */
  private newestLooked = false;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly site: string,
    private readonly model: ClickModel,
    private range: ClickRange,
    /** The next load finds the newest click first and sets the range to the one that holds it. */
    private openOnNewest: boolean,
    private readonly connections: SiteConnections,
    extensionUri: vscode.Uri,
    private readonly cache: InsightsCache,
  ) {
    super();
    this.kind = model === 'users_clicks' ? 'bd' : 'copernica';
    this.view = { site, kind: this.kind, resourceLabel: resourceLabel(model), range, bounds: undefined, status: 'loading' };
    panel.title = insightsTitle(site, model);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'directory-records.svg');
    panel.webview.html = webviewPage(panel.webview, extensionUri, 'clickInsights', vscode.l10n.t('Click Insights'));
    this._register(panel.webview.onDidReceiveMessage((message: WebviewMessage) => void this.receive(message)));
    this._register(toDisposable(() => this.stop()));
  }

  reveal(): void {
    this.panel.reveal();
  }

  setRange(range: ClickRange): void {
    this.range = range;
  }

  /** Loads the current range (from the cache unless `refresh`); one load at a time, a new one cancels the old. */
  load(refresh: boolean): Promise<InsightsOutcome> {
    this.stop();
    if (this.openOnNewest) {
      this.openOnNewest = false;
      return this.loadWhereTheClicksAre(refresh);
    }
    return this.loadRange(refresh);
  }

  /** Finds the newest click (1–3 requests, see findNewestClick) and loads the range that holds it; on failure, the default range. */
  private async loadWhereTheClicksAre(refresh: boolean): Promise<InsightsOutcome> {
    const abort = new AbortController();
    this.abort = abort;
    this.update({ status: 'loading', bounds: undefined, insights: undefined, progress: undefined, estimate: undefined, error: undefined, drill: undefined });
    await this.lookForNewest(abort.signal);
    if (this.abort !== abort) return this.outcome();
    this.abort = undefined;
    this.range = openingRange(this.view.newest?.day, new Date());
    return this.loadRange(refresh);
  }

  /** Looks for the newest click once; a failure leaves it unknown (the range's own load says what went wrong). */
  private async lookForNewest(signal: AbortSignal): Promise<void> {
    if (this.newestLooked) return;
    this.newestLooked = true;
    try {
      const api = await this.connections.require(this.site);
      const now = new Date();
      const found = await findNewestClick(api, this.kind, now, signal);
      const range = openingRange(found.day, now);
      this.update({ newest: { day: found.day, requests: found.requests, range, bounds: dayBounds(range, now) } });
    } catch {
      // Stopped (another range chosen): looked for again next time.
      if (signal.aborted) this.newestLooked = false;
    }
  }

  private loadRange(refresh: boolean): Promise<InsightsOutcome> {
    const bounds = dayBounds(this.range, new Date());
    if (!bounds) {
      this.update({ status: 'error', bounds: undefined, insights: undefined, error: vscode.l10n.t('Choose a first and a last day, the first not after the last.') });
      return Promise.resolve(this.outcome());
    }
    const entry = this.cache(bounds);
    if (refresh) entry.drop();
    // Refresh reads the newest click again too, when the panel shows it (new clicks may have come).
    const newestAgain = refresh && this.view.newest !== undefined;
    if (newestAgain) this.newestLooked = false;
    const cached = entry.get();
    if (cached) {
      this.update({ status: 'ready', bounds, insights: cached.insights, fetchedAt: cached.fetchedAt, fromCache: true, progress: undefined, estimate: undefined, error: undefined, drill: undefined });
      if (cached.insights.total === 0 && !this.newestLooked) {
        const abort = new AbortController();
        this.abort = abort;
        return this.lookForNewest(abort.signal).then(() => {
          if (this.abort === abort) this.abort = undefined;
          return this.outcome();
        });
      }
      return Promise.resolve(this.outcome());
    }
    const abort = new AbortController();
    this.abort = abort;
    this.update({ status: 'loading', bounds, insights: undefined, progress: undefined, estimate: undefined, error: undefined, fromCache: false, drill: undefined });
    const task = this.fetch(bounds, abort.signal).then(
      async (insights) => {
        const fetchedAt = new Date().toISOString();
        entry.set({ insights, fetchedAt });
        // An empty range says where the clicks are (and offers that range): looked for once.
        if ((insights.total === 0 || newestAgain) && this.abort === abort) await this.lookForNewest(abort.signal);
        if (this.abort === abort) this.update({ status: 'ready', insights, fetchedAt, progress: undefined, estimate: undefined });
        return this.outcome();
      },
      (error: unknown) => {
        if (this.abort !== abort) return this.outcome();
        const cancelled = abort.signal.aborted || isApiError(error, 'cancelled');
        this.update({ status: cancelled ? 'cancelled' : 'error', estimate: undefined, error: cancelled ? undefined : errorText(error) });
        return this.outcome();
      },
    );
    return task;
  }

  private async fetch(bounds: DayBounds, signal: AbortSignal, onRecords?: (records: readonly ApiRecord[]) => void): Promise<ClickInsights> {
    const api = await this.connections.require(this.site);
    const site = this.connections.find(this.site);
    const rateLimit = site ? { requests: this.connections.requestsPerMinute(site), windowMs: 60_000 } : null;
    return fetchClickInsights(api, this.kind, bounds, {
      signal,
      rateLimit,
      onRecords,
      onProgress: (progress) => !onRecords && this.update({ progress }),
      // A drill-down re-reads a range already shown (and agreed to): it does not ask again.
      ...(onRecords ? {} : { confirm: (estimate: FetchEstimate) => this.ask(estimate, signal) }),
    });
  }

  /** A range too large for one window of the rate limit says how long it takes, and waits for Load or Cancel. */
  private ask(estimate: FetchEstimate, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const onAbort = (): void => resolve(false);
      signal.addEventListener('abort', onAbort, { once: true });
      this.answer = (go) => {
        signal.removeEventListener('abort', onAbort);
        this.answer = undefined;
        if (go) this.update({ status: 'loading', estimate });
        resolve(go);
      };
      this.update({ status: 'confirm', estimate });
    });
  }

  private stop(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.drillAbort?.abort();
    this.drillAbort = undefined;
    this.answer?.(false);
  }

  private outcome(): InsightsOutcome {
    const insights = this.view.insights;
    return {
      site: this.site,
      model: this.model,
      range: this.range,
      status: this.view.status,
      ...(this.view.newest?.day ? { newest: this.view.newest.day } : {}),
      ...(insights ? { total: insights.total, unique: insights.kind === 'bd' ? insights.uniqueVisitors : insights.unique, fromCache: this.view.fromCache } : {}),
    };
  }

  private update(change: Partial<Omit<PanelView, 'text'>>): void {
    this.view = { ...this.view, ...change, range: this.range };
    void this.panel.webview.postMessage({ type: 'view', view: { ...this.view, text: insightsText(this.kind) } satisfies PanelView });
  }

  private async receive(message: WebviewMessage): Promise<void> {
    try {
      switch (message.type) {
        case 'ready':
          // A webview (re)loaded (first shown, or shown again after being hidden): it draws what is known.
          this.update({});
          return;
        case 'setRange':
          if (!RANGE_PRESETS.includes(message.range.preset)) return;
          this.range = { preset: message.range.preset, ...(message.range.preset === 'custom' ? { from: message.range.from, to: message.range.to } : {}) };
          void this.load(false);
          return;
        case 'refresh':
          void this.load(true);
          return;
        case 'cancel':
          if (this.answer) this.answer(false);
          else this.abort?.abort();
          this.drillAbort?.abort();
          return;
        case 'confirm':
          this.answer?.(message.go);
          return;
        case 'openDay':
          await this.openDay(message.day, message.end);
          return;
        case 'openMember':
          await this.openMember(message.member);
          return;
        case 'drill':
          await this.drill(message.what, message.key);
          return;
        case 'exportCsv':
          await this.exportCsv(message.name, message.rows);
          return;
        case 'drawn':
          return;
      }
    } catch (error) {
      void vscode.window.showErrorMessage(errorText(error));
    }
  }

  /** The tree's listing of this resource, filtered to one bar's UTC days (one day unless `end` says). */
  private async openDay(day: string, end: string | undefined): Promise<void> {
    const next = end !== undefined && dayStartMs(end) !== undefined && end > day ? end : addDays(day, 1);
    if (!next) return;
    const filter =
      this.kind === 'bd'
        ? { kind: 'bd' as const, filters: bdRangeFilters({ start: day, end: next }) }
        : { kind: 'copernica' as const, ...copernicaRange({ start: day, end: next }) };
    await vscode.commands.executeCommand(COMMANDS.filter, { type: 'resource', site: this.site, model: this.model }, filter);
  }

  /** The tree's listing of the member's clicks in the panel's range. */
  private async openMember(member: string): Promise<void> {
    if (this.kind !== 'bd' || !/^\d+$/.test(member)) return;
    const filters: RecordFilter[] = [{ field: 'user_id', operator: 'eq', value: member }, ...bdRangeFilters(this.view.bounds ?? {})];
    await vscode.commands.executeCommand(COMMANDS.filter, { type: 'resource', site: this.site, model: this.model }, { kind: 'bd', filters });
  }

  /** Copernica has no filter on link or mailing: the range is read again and the panel lists that one's clicks (the cache keeps none). */
  private async drill(what: 'link' | 'mailing', key: string): Promise<void> {
    const bounds = this.view.bounds;
    if (this.kind !== 'copernica' || !bounds) return;
    this.drillAbort?.abort();
    const abort = new AbortController();
    this.drillAbort = abort;
    const rows: DrillRow[] = [];
    let total = 0;
    this.update({ drill: { what, key, rows, total, loading: true } });
    try {
      await this.fetch(bounds, abort.signal, (records) => {
        for (const r of records) {
          if ((what === 'link' ? r['link'] : r['mailing']) !== key) continue;
          total++;
          if (rows.length < DRILL_CAP) rows.push({ id: r['ID'] ?? '', timestamp: r['timestamp'] ?? '', mailing: r['mailing'] ?? '', link: r['link'] ?? '', destination: r['destination'] ?? '' });
        }
      });
      if (this.drillAbort === abort) this.update({ drill: { what, key, rows, total, loading: false } });
    } catch (error) {
      if (this.drillAbort === abort) this.update({ drill: undefined });
      if (!abort.signal.aborted && !isApiError(error, 'cancelled')) throw error;
    }
  }

  private async exportCsv(name: string, rows: readonly (readonly string[])[]): Promise<void> {
    const safeName = `${this.site}-${name}`.replace(/[^\p{L}\p{N}._-]+/gu, '-');
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir()), `${safeName}.csv`), filters: { CSV: ['csv'] } });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(toCsv(rows)));
    void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0} rows to {1}.', rows.length - 1, target.fsPath));
  }
}

function panelKey(site: string, model: ClickModel): string {
  return JSON.stringify([site, model]);
}

/** Where the site's name points (kind and origin), the resource and the range. */
function cacheKey(site: SiteConfig | undefined, model: ClickModel, bounds: DayBounds): string {
  return JSON.stringify([site?.kind ?? null, site ? (siteOrigin(site.kind, site.url) ?? null) : null, model, bounds.start ?? null, bounds.end ?? null]);
}

function resourceLabel(model: ClickModel): string {
  return model === 'users_clicks' ? vscode.l10n.t('Users Clicks') : vscode.l10n.t('Clicks');
}

function insightsTitle(site: string, model: ClickModel): string {
  return vscode.l10n.t('Click Insights: {0} · {1}', site, resourceLabel(model));
}

function parseState(state: unknown): PanelState | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const { site, model, range } = state as Record<string, unknown>;
  if (typeof site !== 'string' || (model !== 'users_clicks' && model !== 'ms_clicks')) return undefined;
  const r = (typeof range === 'object' && range !== null ? range : {}) as Record<string, unknown>;
  const preset = (RANGE_PRESETS as readonly unknown[]).includes(r['preset']) ? (r['preset'] as ClickRange['preset']) : DEFAULT_RANGE.preset;
  const day = (v: unknown): string | undefined => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
  return { site, model, range: preset === 'custom' ? { preset, from: day(r['from']), to: day(r['to']) } : { preset } };
}
