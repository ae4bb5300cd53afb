import * as vscode from 'vscode';
import type { SiteRegistry } from '../sites/siteRegistry';
import { givenObject, type CommandArgs } from './commandArgs';
import type { CommandContext } from './commandContext';
import { pickSite } from './pickers';
import { closeSiteDocuments } from './siteDocuments';

/** Remove Site: asks (a test's `{ confirmed: true }` answers), removes it through the registry, closes its records. */
export async function removeSite(ctx: CommandContext, registry: SiteRegistry, args: CommandArgs): Promise<string | undefined> {
  const site = await pickSite(ctx, args.node, vscode.l10n.t('Remove which site?'));
  if (!site) return undefined;
  if (givenObject(args, 0)?.['confirmed'] !== true) {
    const remove = vscode.l10n.t('Remove');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove "{0}"?', site.name),
      { modal: true, detail: vscode.l10n.t('Its key is deleted from this computer (keys cannot be shown again by the site, only replaced). Nothing on the server changes.') },
      remove,
    );
    if (answer !== remove) return undefined;
  }
  await registry.remove(site.name);
  await closeSiteDocuments(site.name, { discard: true });
  return site.name;
}
