import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { CommandArgs } from './commandArgs';
import type { CommandContext } from './commandContext';
import { pickSite } from './pickers';

/** Site Actions: a menu of what can be done with one site, each item running its command on it. */
export async function siteActions(ctx: CommandContext, args: CommandArgs): Promise<unknown> {
  const site = await pickSite(ctx, args.node, vscode.l10n.t('Which site?'));
  if (!site) return undefined;
  const actions: (vscode.QuickPickItem & { command: string })[] = [
    { label: `$(edit) ${vscode.l10n.t('Edit Site…')}`, description: vscode.l10n.t('name, address, write profile, requests per minute'), command: COMMANDS.editSite },
    { label: `$(key) ${vscode.l10n.t('Set API Key…')}`, command: COMMANDS.setApiKey },
    { label: `$(refresh) ${vscode.l10n.t('Refresh')}`, command: COMMANDS.refresh },
    { label: `$(trash) ${vscode.l10n.t('Remove Site')}`, command: COMMANDS.removeSite },
  ];
  const picked = await vscode.window.showQuickPick(actions, { title: site.name, placeHolder: vscode.l10n.t('What do you want to do with "{0}"?', site.name) });
  if (!picked) return undefined;
  return vscode.commands.executeCommand(picked.command, { type: 'site', site: site.name });
}
