import type { ApiKind } from '../../api/resources';
import { normaliseSiteUrl } from '../../api/siteUrl';
import type { SiteConfig, WriteProfile } from '../../sites/siteConfig';
import type { SiteRegistry } from '../../sites/siteRegistry';
import { givenObject, type CommandArgs } from '../commandArgs';
import { checkKey } from '../siteKey';
import { runSteps } from '../wizard';
import type { AddSiteContext, AddSiteMemory } from './addSiteContext';
import { addSiteExecute, saveSite } from './addSiteExecuteStep';
import { againStep } from './againStep';
import { keyStep } from './keyStep';
import { kindStep } from './kindStep';
import { nameStep } from './nameStep';
import { profileStep } from './profileStep';
import { resumeStep } from './resumeStep';
import { urlStep } from './urlStep';

/** Arguments that let Add Site run without prompts: the in-host tests' only (CommandArgs.given). */
interface AddSiteArgs {
  readonly kind: ApiKind;
  readonly name: string;
  readonly url?: string;
  readonly key: string;
  /** Keep the site even when the key does not verify (the prompt's "Save Anyway"). */
  readonly saveAnyway?: boolean;
  readonly writeProfile?: WriteProfile;
}

/**
 * Add Site: continue a kept site or ask the five questions, then check the key and add the
 * site. The view title's + passes the focused row: only a test's answers (checked) skip the prompts.
 */
export async function addSite(registry: SiteRegistry, memory: AddSiteMemory, args: CommandArgs): Promise<string | undefined> {
  const given = addSiteArgs(givenObject(args, 0));
  if (given) return addSiteWith(registry, given);
  const context: AddSiteContext = { registry, memory };
  if (!(await runSteps(context, [resumeStep, againStep, kindStep, nameStep, urlStep, profileStep, keyStep]))) return undefined;
  return addSiteExecute(context);
}

/** Add Site from arguments (automation, tests): no prompts; a key that does not verify throws unless saveAnyway. */
async function addSiteWith(registry: SiteRegistry, args: AddSiteArgs): Promise<string | undefined> {
  const problem = registry.nameProblem(args.name);
  if (problem) throw new Error(problem);
  if (args.kind === 'brilliantDirectories' && args.url === undefined) return undefined;
  const url = args.kind === 'brilliantDirectories' || args.url ? normaliseSiteUrl(args.url ?? '') : undefined;
  const site: SiteConfig = { name: args.name.trim(), kind: args.kind, url, writeProfile: args.writeProfile === 'normal' ? undefined : args.writeProfile };
  const key = args.key.trim();
  const error = await checkKey(registry, site, key);
  if (error && !args.saveAnyway) throw error;
  return saveSite(registry, site, key, !error);
}

/** A test's Add Site answers, when they have their shape. */
function addSiteArgs(value: Record<string, unknown> | undefined): AddSiteArgs | undefined {
  if (!value || (value['kind'] !== 'brilliantDirectories' && value['kind'] !== 'copernica') || typeof value['name'] !== 'string' || typeof value['key'] !== 'string') return undefined;
  if (value['url'] !== undefined && typeof value['url'] !== 'string') return undefined;
  return value as unknown as AddSiteArgs;
}
