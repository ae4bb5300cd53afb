import { COMMANDS } from '../commandIds';
import { SiteRegistry } from '../sites/siteRegistry';
import { addSite } from './addSite/addSite';
import type { AddSiteMemory } from './addSite/addSiteContext';
import type { CommandArgs } from './commandArgs';
import type { ArgsHandler, CommandContext } from './commandContext';
import { editSite } from './editSite/editSite';
import { removeSite } from './removeSite';
import { setApiKey } from './setApiKey';
import { siteActions } from './siteActions';

type SiteCommand = 'addSite' | 'removeSite' | 'setApiKey' | 'editSite' | 'siteActions';

/** The site commands: each asks its questions and leaves the settings, keys and connections to the registry. */
export function siteCommands(ctx: CommandContext): Record<(typeof COMMANDS)[SiteCommand], ArgsHandler> {
  const registry = new SiteRegistry(ctx.connections);
  // A site whose key check failed, kept (in memory only) for the next Add Site to continue.
  const addSiteMemory: AddSiteMemory = {};
  return {
    [COMMANDS.addSite]: (args: CommandArgs) => addSite(registry, addSiteMemory, args),
    [COMMANDS.removeSite]: (args: CommandArgs) => removeSite(ctx, registry, args),
    [COMMANDS.setApiKey]: (args: CommandArgs) => setApiKey(ctx, registry, args),
    [COMMANDS.siteActions]: (args: CommandArgs) => siteActions(ctx, args),
    [COMMANDS.editSite]: (args: CommandArgs) => editSite(ctx, registry, args),
  };
}
