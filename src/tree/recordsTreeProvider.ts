import * as vscode from 'vscode';
import { apiDateFormat, displayApiDate } from '../api/dates';
import { isApiError } from '../api/errors';
import { resourceFor, resourcesOf, type ResourceDescriptor } from '../api/resources';
import type { ApiRecord } from '../api/schemas';
import { COMMANDS } from '../commandIds';
import { describeQuery } from './queryDescription';
import { descriptorOf, type ModelChange, type RecordsTreeModel } from './recordsTreeModel';
import { treeId, type MessageNode, type RecordNode, type ResourceNode, type SiteNode, type TreeNode } from './treeNodes';
import { errorText } from '../messages/errorText';
import { KeyBindingError } from '../sites/siteConnections';
import { Disposable } from '../lifecycle/disposable';

export const SITES_VIEW_ID = 'directoryRecords.sites';

/** Maps the model to TreeItems. Site and resource nodes are kept so change events can name them. */
export class RecordsTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = this._register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly siteNodes = new Map<string, SiteNode>();
  private readonly resourceNodes = new Map<string, ResourceNode>();
  /** VS Code asks again for every child of a node that changed: a record's item is built once. */
  private readonly recordItems = new WeakMap<ApiRecord, vscode.TreeItem>();
  private dateFormat: Intl.DateTimeFormat | undefined;

  constructor(private readonly model: RecordsTreeModel) {
    super();
    this._register(model.onDidChange((change) => this.changed.fire(this.nodeFor(change))));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.type) {
      case 'site':
        return this.siteItem(node);
      case 'resource':
        return this.resourceItem(node);
      case 'record':
        return this.recordItem(node);
      case 'loadMore':
        return this.loadMoreItem(node);
      case 'message':
        return messageItem(node);
    }
  }

  /** Built on first use: the first Intl formatter loads locale data, which activation should not wait for. */
  private get dates(): Intl.DateTimeFormat {
    this.dateFormat ??= apiDateFormat(vscode.env.language);
    return this.dateFormat;
  }

  /** Tooltips are built only when one is about to be shown. */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.type === 'record' && item.tooltip === undefined) item.tooltip = tooltipOf(resourceFor(node.model)!, node.record, this.dates);
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      const problems = this.model.settingsProblems.map((text, i): MessageNode => ({ type: 'message', id: `settings/${i}`, severity: 'error', text }));
      return [...this.model.sites.map((site) => this.siteNode(site.name)), ...problems];
    }
    if (node.type === 'site') return this.siteChildren(node);
    if (node.type === 'resource') return this.resourceChildren(node);
    return [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.type === 'resource') return this.siteNode(node.site);
    if (node.type === 'record' || node.type === 'loadMore') return this.resourceNode(node.site, node.model);
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
      if (error instanceof KeyBindingError) return [{ type: 'message', id: `${treeId(node)}/~binding`, severity: 'needsKey', text: vscode.l10n.t('Key held back: the address changed'), detail: error.message, parent: node }];
      return [errorNode(`${treeId(node)}/~error`, error, node)];
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
    if (state.error && state.records.length === 0) return [errorNode(`${treeId(node)}/~error`, state.error, node)];
    const children: TreeNode[] = state.records.map((record) => ({ type: 'record', site: node.site, model: node.model, id: record[resource.primaryKey] ?? '', record }));
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

  private siteItem(node: SiteNode): vscode.TreeItem {
    const site = this.model.site(node.site);
    const item = new vscode.TreeItem(node.site, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = treeId(node);
    item.contextValue = `site.${site?.kind ?? 'unknown'}`;
    item.iconPath = new vscode.ThemeIcon(site?.kind === 'copernica' ? 'mail' : 'globe');
    item.description = site?.kind === 'copernica' ? 'Copernica' : site?.url;
    item.tooltip = site?.kind === 'copernica' ? vscode.l10n.t('Copernica account {0}', site.url ?? 'https://api.copernica.com') : vscode.l10n.t('Brilliant Directories site {0}', site?.url ?? '');
    return item;
  }

  private resourceItem(node: ResourceNode): vscode.TreeItem {
    const resource = descriptorOf(node);
    const state = this.model.state(node);
    const item = new vscode.TreeItem(resource.plural, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = treeId(node);
    const flags = [resource.canCreate ? '.writable' : '', state.query ? '.filtered' : ''].join('');
    item.contextValue = `resource.${resource.model}${flags}`;
    item.iconPath = new vscode.ThemeIcon(state.query ? 'filter' : 'database');
    const count = state.error && !state.loaded ? '⚠' : state.total !== undefined ? state.total.toLocaleString(vscode.env.language) : state.loading ? '…' : '';
    item.description = state.query ? `${describeQuery(state.query)} · ${count}` : count;
    const notes = [
      state.query ? vscode.l10n.t('Filtered: {0}', describeQuery(state.query)) : '',
      state.paging === 'shifting'
        ? vscode.l10n.t("Load more follows the site's page cursor in this order, so records added or deleted meanwhile shift the pages: a repeat is hidden, but a record can be missed until you refresh.")
        : '',
    ].filter(Boolean);
    item.tooltip = state.error ? errorText(state.error) : notes.length > 0 ? notes.join('\n\n') : undefined;
    return item;
  }

  private loadMoreItem(node: ResourceNode | { site: string; model: ResourceNode['model'] }): vscode.TreeItem {
    const state = this.model.state(node);
    const shown = state.records.length.toLocaleString(vscode.env.language);
    const label = state.total !== undefined ? vscode.l10n.t('Load more ({0} of {1})', shown, state.total.toLocaleString(vscode.env.language)) : vscode.l10n.t('Load more ({0} shown)', shown);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `site/${node.site}/${node.model}/~more`;
    item.contextValue = 'loadMore';
    item.iconPath = new vscode.ThemeIcon('more');
    item.command = { command: COMMANDS.loadMore, title: vscode.l10n.t('Load More'), arguments: [this.resourceNode(node.site, node.model)] };
    return item;
  }

  private recordItem(node: RecordNode): vscode.TreeItem {
    let item = this.recordItems.get(node.record);
    if (!item) {
      item = recordItem(node, this.dates);
      this.recordItems.set(node.record, item);
    }
    return item;
  }

  private nodeFor(change: ModelChange): TreeNode | undefined {
    if (!change) return undefined;
    return change.model ? this.resourceNodes.get(`${change.site}\u0000${change.model}`) : this.siteNodes.get(change.site);
  }
}

function recordItem(node: RecordNode, dates: Intl.DateTimeFormat): vscode.TreeItem {
  const resource = resourceFor(node.model) as ResourceDescriptor;
  const record = node.record;
  const item = new vscode.TreeItem(resource.label(record, dates), vscode.TreeItemCollapsibleState.None);
  item.id = treeId(node);
  const unread = node.model === 'website_notifications' && record['notification_view'] !== '1';
  const viewed = node.model === 'website_notifications' && record['notification_view'] === '1';
  item.contextValue = `record.${node.model}${resource.canUpdate ? '.writable' : ''}${unread ? '.unread' : ''}${viewed ? '.viewed' : ''}`;
  item.iconPath = new vscode.ThemeIcon(iconOf(node.model, unread), unread ? new vscode.ThemeColor('notificationsInfoIcon.foreground') : undefined);
  item.description = unread ? vscode.l10n.t('unread') : undefined;
  item.command = { command: COMMANDS.openRecord, title: vscode.l10n.t('Open Record'), arguments: [node] };
  return item;
}

function iconOf(model: RecordNode['model'], unread: boolean): string {
  switch (model) {
    case 'contacts':
      return 'person';
    case 'website_notifications':
      return unread ? 'bell-dot' : 'bell';
    case 'users_clicks':
      return 'link';
    case 'ms_clicks':
      return 'link-external';
  }
}

function tooltipOf(resource: ResourceDescriptor, record: ApiRecord, dates: Intl.DateTimeFormat): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escapeMd(resource.label(record, dates))}**\n\n`);
  for (const name of resource.tooltipFields) {
    const value = record[name];
    if (value === undefined || value === null || value === '') continue;
    const field = resource.fields.find((f) => f.name === name);
    const shown = field?.dateFormat ? displayApiDate(value, dates) : value.length > 120 ? `${value.slice(0, 119)}…` : value;
    md.appendMarkdown(`- \`${name}\`: ${escapeMd(shown)}\n`);
  }
  return md;
}

function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.tooltip = node.detail ?? node.text;
  if (node.severity === 'needsKey') {
    item.contextValue = 'needsKey';
    item.iconPath = new vscode.ThemeIcon('key');
    item.command = { command: COMMANDS.setApiKey, title: vscode.l10n.t('Set API Key…'), arguments: [node.parent] };
  } else if (node.severity === 'error') {
    item.contextValue = 'error';
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.description = node.parent ? vscode.l10n.t('Retry') : undefined;
    if (node.parent) item.command = { command: COMMANDS.refresh, title: vscode.l10n.t('Retry'), arguments: [node.parent] };
  } else {
    item.contextValue = 'info';
    item.iconPath = new vscode.ThemeIcon('info');
  }
  return item;
}

function errorNode(id: string, error: unknown, parent: SiteNode | ResourceNode): MessageNode {
  const message = errorText(error);
  const forbidden = isApiError(error, 'forbidden');
  return { type: 'message', id, severity: 'error', text: forbidden ? vscode.l10n.t('No permission: {0}', message) : message, detail: message, parent };
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
