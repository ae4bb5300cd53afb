import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { TreeNode } from '../tree/treeNodes';
import type { ArgsHandler, CommandContext } from './commandContext';
import type { CommandArgs } from './commandArgs';
import { pickSiteAndResource } from './pickers';

/** Open as Table on a resource row, a plain `{ site, resource }`, or (palette) the site and resource asked for. */
export function tableCommands(ctx: CommandContext): Record<typeof COMMANDS.openTable, ArgsHandler> {
  return {
    [COMMANDS.openTable]: async (args: CommandArgs) => {
      const target: TreeNode | undefined = args.node ?? (args.resource ? { type: 'resource', site: args.resource.site, model: args.resource.model } : undefined);
      const picked = await pickSiteAndResource(ctx, target, vscode.l10n.t('Open which records as a table?'));
      return picked ? ctx.table.open(picked.site.name, picked.resource) : undefined;
    },
  };
}
