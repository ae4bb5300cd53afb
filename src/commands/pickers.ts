import * as vscode from 'vscode';
import { resourceFor, resourcesOf, type ResourceDescriptor } from '../api/resources';
import type { SiteConfig } from '../sites/siteConfig';
import type { TreeNode } from '../tree/treeNodes';
import type { CommandContext } from './commandContext';

/** The site a command acts on: from its tree node or name, the selection, the only site, or a quick pick. */
export async function pickSite(ctx: CommandContext, target: TreeNode | string | undefined, title: string): Promise<SiteConfig | undefined> {
  const name = typeof target === 'string' ? target : target && 'site' in target ? target.site : selectedNode(ctx)?.site;
  if (name !== undefined) {
    const site = ctx.connections.find(name);
    if (!site) throw new Error(vscode.l10n.t('There is no site named "{0}".', name));
    return site;
  }
  const sites = ctx.connections.settings.sites;
  if (sites.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No site is configured yet: use "Add Site…" first.'));
    return undefined;
  }
  if (sites.length === 1) return sites[0];
  const picked = await vscode.window.showQuickPick(
    sites.map((site) => ({ label: site.name, description: site.kind === 'copernica' ? 'Copernica' : site.url, site })),
    { title, ignoreFocusOut: true },
  );
  return picked?.site;
}

export async function pickResource(site: SiteConfig, title: string, filter: (r: ResourceDescriptor) => boolean = () => true): Promise<ResourceDescriptor | undefined> {
  const resources = resourcesOf(site.kind).filter(filter);
  if (resources.length <= 1) return resources[0];
  const picked = await vscode.window.showQuickPick(resources.map((r) => ({ label: r.plural, resource: r })), { title, ignoreFocusOut: true });
  return picked?.resource;
}

/** A site and resource from a node, the selection, or prompts. */
export async function pickSiteAndResource(
  ctx: CommandContext,
  target: TreeNode | undefined,
  title: string,
  filter?: (r: ResourceDescriptor) => boolean,
): Promise<{ site: SiteConfig; resource: ResourceDescriptor } | undefined> {
  const node = target ?? selectedNode(ctx);
  const site = await pickSite(ctx, node, title);
  if (!site) return undefined;
  const fromNode = node && 'model' in node ? resourceFor(node.model) : undefined;
  const resource = fromNode && (!filter || filter(fromNode)) ? fromNode : await pickResource(site, title, filter);
  return resource ? { site, resource } : undefined;
}

function selectedNode(ctx: CommandContext): Exclude<TreeNode, { type: 'message' }> | undefined {
  const node = ctx.treeView.selection[0];
  return node && node.type !== 'message' ? node : undefined;
}
