import * as vscode from 'vscode';
import { errorText } from '../../messages/errorText';
import type { SiteConfig } from '../../sites/siteConfig';
import type { SiteRegistry } from '../../sites/siteRegistry';
import { checkKey, failureText, whatWasWrong } from '../siteKey';
import { runSteps } from '../wizard';
import type { AddSiteContext } from './addSiteContext';
import { againStep } from './againStep';
import { askName } from './nameStep';

/**
 * The key check, then the site is added. A failed check keeps every answer: Retry asks only
 * for what was wrong (the key, or the address), and closing the message leaves them for the
 * next Add Site, which offers to continue. Returns the site's name, or undefined when it was not added.
 */
export async function addSiteExecute(context: AddSiteContext): Promise<string | undefined> {
  const { registry, memory } = context;
  for (;;) {
    let site = context.site!;
    const key = context.key!;
    // A site of that name may have been added since the answers were kept.
    if (registry.nameProblem(site.name)) {
      const name = await askName(registry, site.kind, vscode.l10n.t('Add Site: name'), site.name);
      if (name === undefined) return undefined;
      site = { ...site, name: name.trim() };
    }
    const error = await checkKey(registry, site, key);
    if (!error) {
      memory.unfinished = undefined;
      return saveSite(registry, site, key, true);
    }
    const wrong = whatWasWrong(site, error);
    memory.unfinished = { site, key, wrong, reason: errorText(error) };
    const retry = vscode.l10n.t('Retry');
    const save = vscode.l10n.t('Save Anyway');
    const choice = await vscode.window.showWarningMessage(failureText(site, error, wrong), retry, save);
    if (choice === save) {
      memory.unfinished = undefined;
      return saveSite(registry, site, key, false);
    }
    if (choice !== retry) return undefined;
    context.resumed = memory.unfinished;
    context.site = memory.unfinished.site;
    context.key = memory.unfinished.key;
    if (!(await runSteps(context, [againStep]))) return undefined;
  }
}

/** Adds the site through the registry and says whether its key works. */
export async function saveSite(registry: SiteRegistry, site: SiteConfig, key: string, verified: boolean): Promise<string> {
  await registry.add(site, key);
  void vscode.window.showInformationMessage(
    verified ? vscode.l10n.t('Added "{0}"; the key works.', site.name) : vscode.l10n.t('Added "{0}" without a working key; fix it with "Set API Key…".', site.name),
  );
  return site.name;
}
