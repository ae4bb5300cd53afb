import * as vscode from 'vscode';
import type { SiteRegistry } from '../../sites/siteRegistry';
import { givenObject, type CommandArgs } from '../commandArgs';
import type { CommandContext } from '../commandContext';
import { pickSite } from '../pickers';
import { runSteps } from '../wizard';
import type { EditSiteChanges, EditSiteContext } from './editSiteContext';
import { editSiteExecute } from './editSiteExecuteStep';
import { fieldStep } from './fieldStep';
import { nameStep } from './nameStep';
import { profileStep } from './profileStep';
import { rateStep } from './rateStep';
import { urlStep } from './urlStep';

/** Edit Site: pick the site, what to change and its new value, then apply it. A test's changes (checked) skip the prompts. */
export async function editSite(ctx: CommandContext, registry: SiteRegistry, args: CommandArgs): Promise<string | undefined> {
  const site = await pickSite(ctx, args.node, vscode.l10n.t('Edit which site?'));
  if (!site) return undefined;
  const given = editSiteArgs(givenObject(args, 0));
  if (given) return editSiteExecute(registry, site, given, false);
  const context: EditSiteContext = { site, changes: {} };
  if (!(await runSteps(context, [fieldStep, nameStep, urlStep, profileStep, rateStep]))) return undefined;
  return editSiteExecute(registry, site, context.changes, true);
}

/** A test's Edit Site changes, when they have their shape. */
function editSiteArgs(value: Record<string, unknown> | undefined): EditSiteChanges | undefined {
  if (!value) return undefined;
  const { name, url, writeProfile, requestsPerMinute } = value;
  const ok = (name === undefined || typeof name === 'string') && (url === undefined || typeof url === 'string')
    && (writeProfile === undefined || writeProfile === 'normal' || writeProfile === 'confirm' || writeProfile === 'readOnly')
    && (requestsPerMinute === undefined || requestsPerMinute === null || typeof requestsPerMinute === 'number');
  return ok && [name, url, writeProfile, requestsPerMinute].some((v) => v !== undefined) ? (value as EditSiteChanges) : undefined;
}
