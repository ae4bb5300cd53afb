import * as vscode from 'vscode';
import { isUnread, UNREAD_FILTER } from '../api/notificationViews';
import { WEBSITE_NOTIFICATIONS } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import { Disposable } from '../lifecycle/disposable';
import type { ModelChange, RecordsTreeModel } from './recordsTreeModel';
import type { SiteHealth } from './siteHealth';

/** What the badge is shown on (a TreeView; a plain object in tests). */
export interface BadgeTarget {
  badge?: vscode.ViewBadge | undefined;
}

/**
 * The view's badge: how many website notifications are unread, over every Brilliant Directories
 * site. One request per site (`notification_view eq 0`, `limit=1`: the count comes with the
 * page) when the extension loads and whenever the site, its notifications or everything is
 * refreshed. Marking a notification viewed or unread from here moves the count without a request.
 */
export class UnreadBadge extends Disposable {
  private readonly counts = new Map<string, number>();
  /** Per site, bumped by each count, so a late reply to an older one is dropped. */
  private readonly generations = new Map<string, number>();
  /** Sites not counted because their key is dead. */
  private readonly held = new Set<string>();
  /** Per site, the notifications' filter last seen: a change of it is not a refresh. */
  private readonly filters = new Map<string, unknown>();
  private readonly countChanged = this._register(new vscode.EventEmitter<void>());
  /** A site's unread count changed (the Website Notifications row shows it). */
  readonly onDidChangeCount = this.countChanged.event;

  constructor(
    private readonly model: RecordsTreeModel,
    private readonly target: BadgeTarget,
    private readonly health?: SiteHealth,
  ) {
    super();
    this._register(model.onDidChange((change) => this.onModelChange(change)));
    // A key found working again (a new key, a recheck after a refresh): count the site it held back.
    if (health) this._register(health.onDidChange((site) => this.held.has(site) && health.health(site).state !== 'dead' && void this.count(site)));
    this.countAll();
  }

  /** The site's unread notifications as last counted (and moved by our own changes); undefined when not counted. */
  unread(site: string): number | undefined {
    return this.counts.get(site);
  }

  private onModelChange(change: ModelChange): void {
    if (!change) return this.countAll();
    if (!change.model) return void this.count(change.site);
    if (change.model !== WEBSITE_NOTIFICATIONS.model) return;
    const state = this.model.state({ site: change.site, model: change.model });
    const filterChanged = this.filters.has(change.site) && this.filters.get(change.site) !== state.query;
    this.filters.set(change.site, state.query);
    // Emptied, not loading, no error: a refresh of the notifications (or a new filter, which is not).
    if (!state.loaded && !state.loading && !state.error) {
      if (!filterChanged) void this.count(change.site);
      return;
    }
    // Only a notification shown in place of another version can move the count: a page adds
    // notifications the count already holds. Nothing is kept per notification.
    let delta = 0;
    for (const { before, after } of change.replaced ?? []) delta += Number(isUnread(after)) - Number(isUnread(before));
    this.move(change.site, delta);
  }

  private countAll(): void {
    const sites = new Set(this.model.sites.filter((site) => site.kind === 'brilliantDirectories').map((site) => site.name));
    for (const name of [...this.counts.keys()]) if (!sites.has(name)) this.counts.delete(name);
    this.render();
    for (const name of sites) void this.count(name);
  }

  private async count(name: string): Promise<void> {
    const generation = (this.generations.get(name) ?? 0) + 1;
    this.generations.set(name, generation);
    const current = (): boolean => this.generations.get(name) === generation && !this.isDisposed;
    const site = this.model.site(name);
    this.held.delete(name);
    // A dead key is not asked again: the site's key check says when it works.
    const dead = this.health?.health(name).state === 'dead';
    if (dead) this.held.add(name);
    if (site?.kind !== 'brilliantDirectories' || dead) {
      this.counts.delete(name);
      return this.render();
    }
    try {
      const api = await this.model.api(site);
      if (!api) {
        if (current()) this.counts.delete(name);
      } else {
        const page = await api.listPage(WEBSITE_NOTIFICATIONS, { pageSize: 1, query: { kind: 'bd', filters: [UNREAD_FILTER] } });
        if (current()) this.counts.set(name, page.total ?? page.records.length);
      }
    } catch (error) {
      if (!current()) return;
      this.counts.delete(name);
      // Often the first request a site gets: a refused key shows on the site row before anyone expands it.
      this.health?.report(name, error);
      if (this.health?.health(name).state === 'dead') this.held.add(name);
    }
    if (current()) this.render();
  }

  /** We created (or restored) a record: an unread notification adds one, without a request. */
  created(ref: { readonly site: string; readonly model: string }, record: ApiRecord): void {
    if (ref.model !== WEBSITE_NOTIFICATIONS.model || !record['notification_id']) return;
    this.move(ref.site, isUnread(record) ? 1 : 0);
  }

  /**
   * We deleted notifications: `shown` are those the tree showed (their state is known), so each
   * unread one takes one off without a request; any other deleted one has the site counted again.
   */
  deleted(ref: { readonly site: string; readonly model: string }, ids: readonly string[], shown: readonly ApiRecord[]): void {
    if (ref.model !== WEBSITE_NOTIFICATIONS.model || ids.length === 0) return;
    if (shown.length < ids.length) return void this.count(ref.site);
    this.move(ref.site, -shown.filter(isUnread).length);
  }

  private move(site: string, delta: number): void {
    const count = this.counts.get(site);
    if (delta !== 0 && count !== undefined) {
      this.counts.set(site, Math.max(0, count + delta));
      this.render();
    }
  }

  private render(): void {
    if (this.isDisposed) return;
    this.countChanged.fire();
    const total = [...this.counts.values()].reduce((sum, n) => sum + n, 0);
    if (total === 0) {
      this.target.badge = undefined;
      return;
    }
    const locale = vscode.env.language;
    const sites = [...this.counts].filter(([, n]) => n > 0).map(([name, n]) => vscode.l10n.t('{0}: {1}', name, n.toLocaleString(locale)));
    this.target.badge = {
      value: total,
      tooltip: vscode.l10n.t('{0} unread website notifications ({1})', total.toLocaleString(locale), sites.join(', ')),
    };
  }
}
