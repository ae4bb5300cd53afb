import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { ClickRange } from '../insights/clickRange';
import type { TreeNode } from '../tree/treeNodes';
import type { ArgsHandler, CommandContext } from './commandContext';
import type { CommandArgs } from './commandArgs';
import { pickSiteAndResource } from './pickers';

type InsightsCommand = 'showClickInsights';

/** Show Click Insights on a BD site's Users Clicks or a Copernica site's Clicks. */
export function insightsCommands(ctx: CommandContext): Record<(typeof COMMANDS)[InsightsCommand], ArgsHandler> {
  // Its handler takes (target, range, options): the row, else (tests only) what was given.
  const show = showClickInsights(ctx) as (...args: unknown[]) => unknown;
  return {
    [COMMANDS.showClickInsights]: (args: CommandArgs) => (args.node ? show(args.node, ...args.given) : show(...args.given)),
  };
}

/** Opens the panel (asking for the site when not given) and resolves once its numbers are shown; `refresh` reads the site again. */
function showClickInsights(ctx: CommandContext) {
  return async (node?: TreeNode | { site: string; model: string }, range?: ClickRange, options?: { refresh?: boolean }) => {
    const target = node && 'type' in node ? node : node ? ({ type: 'resource', site: node.site, model: node.model } as TreeNode) : undefined;
    const picked = await pickSiteAndResource(ctx, target, vscode.l10n.t('Show Click Insights of which clicks?'), (r) => r.model === 'users_clicks' || r.model === 'ms_clicks');
    if (!picked) return undefined;
    const model = picked.resource.model === 'users_clicks' ? 'users_clicks' : 'ms_clicks';
    return ctx.insights.show(picked.site.name, model, range, options?.refresh === true);
  };
}
