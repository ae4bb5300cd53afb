import * as vscode from 'vscode';
import { apiDateFormat, apiDayFormat, displayApiDate, parseApiDate, relativeDate, relativeDateFormat } from '../api/dates';
import { isApiError } from '../api/errors';
import { resourceFor, resourcesOf, type ResourceDescriptor, type RowDates } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import { renderText, type TextArg } from '../api/text';
import { COMMANDS } from '../commandIds';
import { describeListing, describeQuery, explainSort } from './queryDescription';
import { descriptorOf, type ModelChange, type RecordsTreeModel } from './recordsTreeModel';
import { treeId, type MessageNode, type PageNode, type RecordNode, type ResourceNode, type SiteNode, type TreeNode } from './treeNodes';
import { errorText } from '../messages/errorText';
import { KeyBindingError } from '../sites/siteConnections';
import { profileOf, type SiteConfig } from '../sites/siteConfig';
import { Disposable } from '../lifecycle/disposable';
import { LoadCancelled } from './loadProgress';
import { compactCount, fitDescription, fitLabel, RECORD_ROW_EM, RESOURCE_ROW_EM, SITE_ROW_EM } from './rowFit';
import { SiteHealth } from './siteHealth';

export const SITES_VIEW_ID = 'directoryRecords.sites';

/** Maps the model to TreeItems. Site and resource nodes are kept so change events can name them. */
export class RecordsTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = this._register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly siteNodes = new Map<string, SiteNode>();
  private readonly resourceNodes = new Map<string, ResourceNode>();
  /** By tree id: the same element for the same group, so VS Code keeps its open or folded state. */
  private readonly pageNodes = new Map<string, PageNode>();
  /** VS Code asks again for every child of a node that changed: a record's item is built once. */
  private readonly recordItems = new WeakMap<ApiRecord, vscode.TreeItem>();
  /** The same element for the same record each time, so a Load more allocates nodes only for its own page. */
  private readonly recordNodes = new WeakMap<ApiRecord, RecordNode>();
  private dateFormat: Intl.DateTimeFormat | undefined;
  private rowFormats: Omit<RowDates, 'now'> | undefined;
  /** Whether each site's key works, checked once when something is refused. */
  readonly health: SiteHealth;
  /** How many website notifications of a site are unread (the view's badge counts them). */
  private unread: ((site: string) => number | undefined) | undefined;

  constructor(private readonly model: RecordsTreeModel) {
    super();
    this.health = this._register(new SiteHealth(model));
    this._register(model.onDidChange((change) => this.changed.fire(this.nodeFor(change))));
    // A verdict changes the site row (warning or not) and what is under it.
    this._register(this.health.onDidChange((site) => this.changed.fire(this.siteNode(site))));
  }

  /** Shows each site's unread count on its Website Notifications row, following `source`. */
  showUnread(source: { unread(site: string): number | undefined; readonly onDidChangeCount: vscode.Event<void> }): void {
    this.unread = (site) => source.unread(site);
    this._register(source.onDidChangeCount(() => {
      for (const node of this.resourceNodes.values()) if (node.model === 'website_notifications') this.changed.fire(node);
    }));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.type) {
      case 'site':
        return this.siteItem(node);
      case 'resource':
        return this.resourceItem(node);
      case 'page':
        return this.pageItem(node);
      case 'record':
        return this.recordItem(node);
      case 'loadMore':
        return this.loadMoreItem(node);
      case 'message':
        return this.messageItem(node);
    }
  }

  /** Built on first use: the first Intl formatter loads locale data, which activation should not wait for. */
  private get dates(): Intl.DateTimeFormat {
    this.dateFormat ??= apiDateFormat(vscode.env.language);
    return this.dateFormat;
  }

  /** What rows write dates with; "now" is the moment the row is built (a refresh builds it again). */
  private rowDates(): RowDates {
    const locale = vscode.env.language;
    this.rowFormats ??= { day: apiDayFormat(locale), relative: relativeDateFormat(locale, 'narrow'), spokenRelative: relativeDateFormat(locale) };
    return { ...this.rowFormats, now: new Date() };
  }

  /** Tooltips are built only when one is about to be shown. */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.type === 'record' && item.tooltip === undefined) item.tooltip = tooltipOf(resourceFor(node.model)!, node.record, this.dates, this.rowDates());
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      const problems = this.model.settingsProblems.map((text, i): MessageNode => ({ type: 'message', id: `settings/${i}`, severity: 'error', text }));
      return [...this.model.sites.map((site) => this.siteNode(site.name)), ...problems];
    }
    if (node.type === 'site') return this.siteChildren(node);
    if (node.type === 'resource') return this.resourceChildren(node);
    if (node.type === 'page') return this.pageChildren(node);
    return [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.type === 'resource') return this.siteNode(node.site);
    if (node.type === 'record') return this.groupOf(node) ?? this.resourceNode(node.site, node.model);
    if (node.type === 'page' || node.type === 'loadMore') return this.resourceNode(node.site, node.model);
    return node.type === 'message' ? node.parent : undefined;
  }

  resourceNode(site: string, model: ResourceNode['model']): ResourceNode {
    const key = `${site}\u0000${model}`;
    let node = this.resourceNodes.get(key);
    if (!node) {
      node = { type: 'resource', site, model };
      this.resourceNodes.set(key, node);
    }
    return node;
  }

  siteNode(site: string): SiteNode {
    let node = this.siteNodes.get(site);
    if (!node) {
      node = { type: 'site', site };
      this.siteNodes.set(site, node);
    }
    return node;
  }

  private async siteChildren(node: SiteNode): Promise<TreeNode[]> {
    const site = this.model.site(node.site);
    if (!site) return [];
    try {
      const api = await this.model.api(site);
      if (!api) {
        return [{ type: 'message', id: `${treeId(node)}/~key`, severity: 'needsKey', text: vscode.l10n.t('Set API key…'), detail: vscode.l10n.t('No key or token is stored for "{0}" yet.', site.name), parent: node }];
      }
    } catch (error) {
      // The fix for a held-back key is Set API Key (confirm the new address or re-enter it), not Retry.
      if (error instanceof KeyBindingError) {
        this.health.report(site.name, error);
        return [{ type: 'message', id: `${treeId(node)}/~binding`, severity: 'needsKey', text: vscode.l10n.t('Key held back: the address changed'), detail: error.message, parent: node }];
      }
      return [errorNode(`${treeId(node)}/~error`, error, node)];
    }
    // A refused key is said once, on the site row; under it only the fix, not three copies of the error.
    const health = this.health.health(site.name);
    if (health.state === 'dead') {
      return [{ type: 'message', id: `${treeId(node)}/~refused`, severity: 'needsKey', text: vscode.l10n.t('Set API key…'), detail: errorText(health.error), parent: node }];
    }
    const resources = resourcesOf(site.kind).map((r) => this.resourceNode(site.name, r.model));
    // Prefetch first pages so each resource shows its count; expanding one then costs no request.
    for (const resource of resources) void this.model.ensureLoaded(resource);
    return resources;
  }

  private async resourceChildren(node: ResourceNode): Promise<TreeNode[]> {
    const state0 = this.model.state(node);
    if (!state0.loaded && !state0.error) {
      await vscode.window.withProgress({ location: { viewId: SITES_VIEW_ID } }, () => this.model.ensureLoaded(node));
    }
    const state = this.model.state(node);
    const resource = descriptorOf(node);
    if (state.error && state.records.length === 0) {
      // A dead key is the site's to say (its row, once): nothing here.
      if (isApiError(state.error, 'invalidKey') && this.health.health(node.site).state === 'dead') return [];
      return [errorNode(`${treeId(node)}/~error`, state.error, node)];
    }
    const groups = Math.ceil(state.records.length / this.model.pageSize);
    const children: TreeNode[] = state.pages > 1
      ? Array.from({ length: groups }, (_, index) => this.pageNode(node, index, index === groups - 1))
      : state.records.map((record) => this.recordNode(node, resource, record));
    if (state.records.length === 0) {
      const text = state.query
        ? vscode.l10n.t('The filter matched nothing. (Brilliant Directories answers the same way for a field name it does not know.)')
        : vscode.l10n.t('No {0} yet.', resource.plural.toLowerCase());
      children.push({ type: 'message', id: `${treeId(node)}/~empty`, severity: 'info', text, parent: node });
    }
    if (state.error) children.push(errorNode(`${treeId(node)}/~error`, state.error, node));
    else if (state.nextCursor !== undefined) children.push({ type: 'loadMore', site: node.site, model: node.model });
    return children;
  }

  /** A group's rows: a page's worth, by position (our own creates and deletes shift them, as in one list). */
  private pageChildren(node: PageNode): TreeNode[] {
    const state = this.model.state(node);
    if (state.pages <= 1) return [];
    const size = this.model.pageSize;
    const resource = descriptorOf(node);
    const parent = this.resourceNode(node.site, node.model);
    return state.records.slice(node.index * size, (node.index + 1) * size).map((record) => this.recordNode(parent, resource, record));
  }

  private pageNode(parent: ResourceNode, index: number, latest: boolean): PageNode {
    const fresh: PageNode = { type: 'page', site: parent.site, model: parent.model, index, latest };
    const id = treeId(fresh);
    let node = this.pageNodes.get(id);
    if (!node) this.pageNodes.set(id, (node = fresh));
    return node;
  }

  /** The group a record row is in, when the resource shows groups (reveal walks up through it). */
  private groupOf(node: RecordNode): PageNode | undefined {
    const state = this.model.state(node);
    if (state.pages <= 1) return undefined;
    const at = state.records.indexOf(node.record);
    if (at < 0) return undefined;
    const index = Math.floor(at / this.model.pageSize);
    const last = Math.ceil(state.records.length / this.model.pageSize) - 1;
    return this.pageNode(this.resourceNode(node.site, node.model), index, index === last);
  }

  private pageItem(node: PageNode): vscode.TreeItem {
    const state = this.model.state(node);
    const size = this.model.pageSize;
    const locale = vscode.env.language;
    const from = (node.index * size + 1).toLocaleString(locale);
    const to = Math.min(state.records.length, (node.index + 1) * size).toLocaleString(locale);
    const plural = descriptorOf(node).plural;
    const item = new vscode.TreeItem(vscode.l10n.t('{0}–{1}', from, to), node.latest ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = treeId(node);
    item.description = node.latest ? vscode.l10n.t('newest page') : '';
    item.contextValue = 'page';
    item.iconPath = new vscode.ThemeIcon('list-flat');
    item.tooltip = vscode.l10n.t('{0} {1} to {2}. Each Load more adds a group of one page and folds the one before it; open any group to see its rows.', plural, from, to);
    item.accessibilityInformation = { label: vscode.l10n.t('{0} {1} to {2} of site {3}', plural, from, to, node.site) };
    return item;
  }

  private siteItem(node: SiteNode): vscode.TreeItem {
    const site = this.model.site(node.site);
    const health = this.health.health(node.site);
    const refused = health.state === 'dead' || health.state === 'heldBack' ? health.error : undefined;
    const item = new vscode.TreeItem(node.site, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = treeId(node);
    item.contextValue = `site.${site?.kind ?? 'unknown'}${refused ? '.deadKey' : ''}`;
    const kind = kindName(site);
    const address = site?.kind === 'copernica' ? site.url ?? 'https://api.copernica.com' : site?.url ?? '';
    if (refused) {
      const reason = errorText(refused);
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      const heldBack = health.state === 'heldBack';
      item.description = heldBack ? vscode.l10n.t('key held back') : site?.kind === 'copernica' ? vscode.l10n.t('token refused') : vscode.l10n.t('key refused');
      const fix = heldBack
        ? vscode.l10n.t('Set API Key… (the key on this row, or its context menu) confirms the new address or takes the key again.')
        : vscode.l10n.t('Set API Key… (the key on this row, or its context menu) stores a working one.');
      item.tooltip = `${reason}\n\n${fix}`;
      item.accessibilityInformation = {
        label: heldBack
          ? vscode.l10n.t('{0} site {1}: its key was held back, not sent. {2}', kind, node.site, reason)
          : vscode.l10n.t('{0} site {1}: its key was refused. {2}', kind, node.site, reason),
      };
      return item;
    }
    // Where the site is, without the scheme (then without its path and port): the host is what tells two
    // sites apart; the tooltip has the whole address.
    const where = site?.kind === 'copernica' ? ['Copernica'] : hostForms(site?.url);
    const readOnly = site !== undefined && profileOf(site) === 'readOnly';
    const readOnlyName = vscode.l10n.t('Read-only');
    const about = site?.kind === 'copernica' ? vscode.l10n.t('Copernica account {0}', address) : vscode.l10n.t('Brilliant Directories site {0}', address);
    if (readOnly) {
      // Said where the user looks: the lock, the word, and why and how to change it.
      item.iconPath = new vscode.ThemeIcon('lock');
      item.description = fitDescription(node.site, [...where.map((form) => `${readOnlyName} · ${form}`), readOnlyName], SITE_ROW_EM);
      item.tooltip = `${about}\n\n${vscode.l10n.t("Read-only: changes to its records can't be saved, and nothing is created or deleted on the site. Change it in Edit Site… (this row's context menu).")}`;
      item.accessibilityInformation = { label: vscode.l10n.t('{0} site {1}, {2}, Read-only: changes can\'t be saved', kind, node.site, address) };
      return item;
    }
    item.iconPath = new vscode.ThemeIcon(site?.kind === 'copernica' ? 'mail' : 'globe');
    item.description = fitDescription(node.site, [...where, ''], SITE_ROW_EM);
    item.tooltip = about;
    item.accessibilityInformation = { label: vscode.l10n.t('{0} site {1}, {2}', kind, node.site, address) };
    return item;
  }

  private resourceItem(node: ResourceNode): vscode.TreeItem {
    const resource = descriptorOf(node);
    const state = this.model.state(node);
    const item = new vscode.TreeItem(resource.plural, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = treeId(node);
    const flags = [resource.canCreate ? '.writable' : '', state.query ? '.filtered' : ''].join('');
    item.contextValue = `resource.${resource.model}${flags}`;
    const failed = state.error && !state.loaded ? state.error : undefined;
    const problem = failed ? this.problemOf(node, failed) : undefined;
    item.iconPath = problem && problem.severity !== 'site'
      ? new vscode.ThemeIcon(problem.severity === 'cancelled' ? 'circle-slash' : 'warning', problem.severity === 'cancelled' ? undefined : new vscode.ThemeColor('list.warningForeground'))
      : new vscode.ThemeIcon(state.query ? 'filter' : 'database');
    const locale = vscode.env.language;
    const unread = node.model === 'website_notifications' ? this.unread?.(node.site) : undefined;
    const unreadText = unread ? vscode.l10n.t('{0} unread', unread.toLocaleString(locale)) : '';
    item.description = fitDescription(resource.plural, this.descriptionForms(node, state, problem?.word, unread), RESOURCE_ROW_EM);
    // What the description may leave out, in words: the total, the unread, the filter and the order.
    const counted = state.total !== undefined && !problem
      ? [unreadText ? vscode.l10n.t('{0} {1}, {2}.', state.total.toLocaleString(locale), resource.plural.toLowerCase(), unreadText) : vscode.l10n.t('{0} {1}.', state.total.toLocaleString(locale), resource.plural.toLowerCase())]
      : [];
    const notes = [
      ...counted,
      state.query ? vscode.l10n.t('Filtered: {0}', describeQuery(state.query)) : '',
      state.sort ? explainSort(node.model, state.sort) : '',
      state.paging === 'shifting'
        ? vscode.l10n.t("Load more follows the site's page cursor in this order, so records added or deleted meanwhile shift the pages: a repeat is hidden, but a record can be missed until you refresh.")
        : '',
    ].filter(Boolean);
    item.tooltip = state.error ? errorText(state.error) : notes.length > 0 ? notes.join('\n\n') : undefined;
    const status = failed
      ? errorText(failed)
      : state.total !== undefined
        ? vscode.l10n.t('{0} records', state.total.toLocaleString(locale))
        : state.loading
          ? vscode.l10n.t('loading')
          : '';
    const filtered = state.query ? vscode.l10n.t('filtered: {0}', describeQuery(state.query)) : '';
    // A screen reader hears the order too (the row shows it as an arrow).
    const sorted = state.sort ? explainSort(node.model, state.sort) : '';
    item.accessibilityInformation = { label: [vscode.l10n.t('{0} of site {1}', resource.plural, node.site), filtered, status, unreadText, sorted].filter(Boolean).join(', ') };
    return item;
  }

  /**
   * A resource row's description, longest form first: the filter and order, the count and the
   * unread; then with compact numbers; then the filter alone; then only that it is filtered or
   * sorted. The first that fits at the default sidebar width is shown (rowFit).
   */
  private descriptionForms(node: ResourceNode, state: ReturnType<RecordsTreeModel['state']>, problem: string | undefined, unread: number | undefined): string[] {
    const locale = vscode.env.language;
    const counts = (compact: boolean): string[] => {
      if (problem !== undefined) return [problem];
      const number = (n: number): string => (compact ? compactCount(n, locale) : n.toLocaleString(locale));
      const total = state.total !== undefined ? number(state.total) : state.loading ? '…' : '';
      return [total, unread ? vscode.l10n.t('{0} unread', number(unread)) : ''];
    };
    const join = (...parts: string[]): string => parts.filter(Boolean).join(' · ');
    const listing = describeListing(node.model, state);
    const query = state.query ? describeQuery(state.query) : '';
    const marks = [state.query ? vscode.l10n.t('filtered') : '', state.sort ? vscode.l10n.t('sorted') : ''].filter(Boolean).join(', ');
    const [compactTotal = '', compactUnread = ''] = counts(true);
    const forms = [
      join(listing, ...counts(false)),
      join(listing, ...counts(true)),
      join(query, ...counts(true)),
      join(marks, ...counts(true)),
      // Narrowest: the unread count (what the badge counts), else the total.
      compactUnread,
      join(marks, compactTotal),
      compactTotal,
    ];
    return [...new Set(forms.filter(Boolean))];
  }

  /** How a resource whose first page failed says so in its row, in a word. */
  private problemOf(node: ResourceNode, error: Error): { severity: 'site' | 'warning' | 'cancelled'; word: string } {
    if (error instanceof LoadCancelled) return { severity: 'cancelled', word: vscode.l10n.t('cancelled') };
    // The site row says the key is dead; its resources are not shown (a moment's row need not repeat it).
    if (isApiError(error, 'invalidKey') && this.health.health(node.site).state === 'dead') return { severity: 'site', word: '' };
    if (isApiError(error, 'forbidden')) return { severity: 'warning', word: vscode.l10n.t('no permission') };
    return { severity: 'warning', word: '⚠' };
  }

  private loadMoreItem(node: ResourceNode | { site: string; model: ResourceNode['model'] }): vscode.TreeItem {
    const state = this.model.state(node);
    const locale = vscode.env.language;
    const shown = state.records.length.toLocaleString(locale);
    const label = state.total !== undefined ? vscode.l10n.t('Load more ({0} of {1})', shown, state.total.toLocaleString(locale)) : vscode.l10n.t('Load more ({0} shown)', shown);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `site/${node.site}/${node.model}/~more`;
    item.contextValue = 'loadMore';
    item.iconPath = new vscode.ThemeIcon('more');
    item.command = { command: COMMANDS.loadMore, title: vscode.l10n.t('Load More'), arguments: [this.resourceNode(node.site, node.model)] };
    const plural = descriptorOf(node).plural;
    item.accessibilityInformation = {
      label: state.total !== undefined
        ? vscode.l10n.t('Load more {0} of site {1}: {2} of {3} shown', plural, node.site, shown, state.total.toLocaleString(locale))
        : vscode.l10n.t('Load more {0} of site {1}: {2} shown', plural, node.site, shown),
    };
    return item;
  }

  private recordNode(parent: ResourceNode, resource: ResourceDescriptor, record: ApiRecord): RecordNode {
    let node = this.recordNodes.get(record);
    if (!node) {
      node = { type: 'record', site: parent.site, model: parent.model, id: record[resource.primaryKey] ?? '', record };
      this.recordNodes.set(record, node);
    }
    return node;
  }

  private recordItem(node: RecordNode): vscode.TreeItem {
    let item = this.recordItems.get(node.record);
    if (!item) {
      item = recordItem(node, this.rowDates());
      this.recordItems.set(node.record, item);
    }
    return item;
  }

  private messageItem(node: MessageNode): vscode.TreeItem {
    const item = messageItem(node);
    const where = node.parent ? this.placeOf(node.parent) : '';
    const details = node.detail && node.detail !== node.text ? node.detail : '';
    item.accessibilityInformation = { label: [node.text, node.description ?? '', details, where].filter(Boolean).join(', ') };
    return item;
  }

  /** "in Contacts of site Sandbox Directory" / "of site Sandbox Directory". */
  private placeOf(node: SiteNode | ResourceNode): string {
    return node.type === 'site' ? vscode.l10n.t('of site {0}', node.site) : vscode.l10n.t('in {0} of site {1}', descriptorOf(node).plural, node.site);
  }

  private nodeFor(change: ModelChange): TreeNode | undefined {
    if (!change) return undefined;
    return change.model ? this.resourceNodes.get(`${change.site}\u0000${change.model}`) : this.siteNodes.get(change.site);
  }
}

function recordItem(node: RecordNode, dates: RowDates): vscode.TreeItem {
  const resource = resourceFor(node.model) as ResourceDescriptor;
  const record = node.record;
  const row = resource.row(record, dates);
  const full = translate(row.label);
  const description = row.description.map(translate).join(' · ');
  // Short enough that VS Code never cuts it at the default sidebar width, leaving the description its first
  // characters; a click's description (its member or mailing, and its day) is what tells it apart: all of it.
  const clicks = node.model === 'users_clicks' || node.model === 'ms_clicks';
  const label = fitLabel([full, ...(row.shorter ?? [])], description, RECORD_ROW_EM, clicks ? Infinity : undefined);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = treeId(node);
  item.description = description;
  const unread = node.model === 'website_notifications' && row.unread === true;
  const viewed = node.model === 'website_notifications' && !row.unread;
  item.contextValue = `record.${node.model}${resource.canUpdate ? '.writable' : ''}${unread ? '.unread' : ''}${viewed ? '.viewed' : ''}`;
  // Unread stands out as in a mail client: a filled dot in a theme colour (read: an empty one).
  item.iconPath = new vscode.ThemeIcon(iconOf(node.model, unread), unread ? new vscode.ThemeColor('notificationsInfoIcon.foreground') : undefined);
  item.command = { command: COMMANDS.openRecord, title: vscode.l10n.t('Open Record'), arguments: [node] };
  // What a screen reader says instead of the tooltip: the kind, the whole label, the description, and where it is.
  const kind = capitalise(resource.singular);
  const spoken = (row.spoken ?? row.description).map(translate);
  item.accessibilityInformation = {
    label: spoken.length > 0
      ? vscode.l10n.t('{0} {1}, {2}, in {3} of site {4}', kind, full, spoken.join(', '), resource.plural, node.site)
      : vscode.l10n.t('{0} {1}, in {2} of site {3}', kind, full, resource.plural, node.site),
  };
  return item;
}

/** A site's address for its row, longest first: host and path, host and port, host name. */
function hostForms(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const parsed = new URL(url);
    const path = parsed.pathname.replace(/\/$/, '');
    return [...new Set([`${parsed.host}${path}`, parsed.host, parsed.hostname])];
  } catch {
    return [url];
  }
}

function iconOf(model: RecordNode['model'], unread: boolean): string {
  switch (model) {
    case 'contacts':
      return 'person';
    case 'website_notifications':
      return unread ? 'circle-filled' : 'circle-outline';
    case 'users_clicks':
      return 'link';
    case 'ms_clicks':
      return 'link-external';
  }
}

function tooltipOf(resource: ResourceDescriptor, record: ApiRecord, dates: Intl.DateTimeFormat, rowDates: RowDates): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escapeMd(resource.label(record, dates))}**\n\n`);
  for (const name of resource.tooltipFields) {
    const value = record[name];
    if (value === undefined || value === null || value === '') continue;
    const field = resource.fields.find((f) => f.name === name);
    const date = field?.dateFormat ? parseApiDate(value) : undefined;
    const shown = date
      ? `${displayApiDate(value, dates)} (${relativeDate(date, rowDates.now, rowDates.spokenRelative)})`
      : value.length > 120 ? `${value.slice(0, 119)}…` : value;
    md.appendMarkdown(`- \`${name}\`: ${escapeMd(shown)}\n`);
  }
  return md;
}

function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.tooltip = node.detail ?? node.text;
  item.description = node.description;
  const retry = (title: string): vscode.Command | undefined => (node.parent ? { command: COMMANDS.refresh, title, arguments: [node.parent] } : undefined);
  switch (node.severity) {
    case 'needsKey':
      item.contextValue = 'needsKey';
      item.iconPath = new vscode.ThemeIcon('key');
      item.command = { command: COMMANDS.setApiKey, title: vscode.l10n.t('Set API Key…'), arguments: [node.parent] };
      break;
    case 'error':
      item.contextValue = 'error';
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      item.description ??= node.parent ? vscode.l10n.t('Retry') : undefined;
      item.command = retry(vscode.l10n.t('Retry'));
      break;
    case 'warning':
      item.contextValue = 'error';
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.command = retry(vscode.l10n.t('Retry'));
      break;
    case 'cancelled':
      item.contextValue = 'cancelled';
      item.iconPath = new vscode.ThemeIcon('circle-slash');
      item.description ??= vscode.l10n.t('Load again');
      item.command = retry(vscode.l10n.t('Load again'));
      break;
    case 'info':
      item.contextValue = 'info';
      item.iconPath = new vscode.ThemeIcon('info');
      break;
  }
  return item;
}

function errorNode(id: string, error: unknown, parent: SiteNode | ResourceNode): MessageNode {
  const message = errorText(error);
  if (error instanceof LoadCancelled) return { type: 'message', id, severity: 'cancelled', text: message, parent };
  if (isApiError(error, 'forbidden')) {
    // Short enough to read in the sidebar: which endpoint, and where it is enabled; the whole reply in the tooltip.
    const endpoint = error.details.endpoint;
    const text = endpoint ? vscode.l10n.t('No permission for {0}', endpoint) : vscode.l10n.t('No permission');
    return { type: 'message', id, severity: 'warning', text, description: vscode.l10n.t('enable it in Admin → Developer Hub'), detail: message, parent };
  }
  return { type: 'message', id, severity: 'error', text: message, detail: message, parent };
}

function translate(text: TextArg): string {
  return typeof text === 'object' ? renderText(text, (template, args) => vscode.l10n.t(template, ...args)) : String(text);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function kindName(site: SiteConfig | undefined): string {
  return site?.kind === 'copernica' ? vscode.l10n.t('Copernica') : vscode.l10n.t('Brilliant Directories');
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
