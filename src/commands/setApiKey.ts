import * as vscode from 'vscode';
import type { SiteConfig } from '../sites/siteConfig';
import type { SiteRegistry } from '../sites/siteRegistry';
import { givenObject, givenString, type CommandArgs } from './commandArgs';
import type { CommandContext } from './commandContext';
import { pickSite } from './pickers';
import { askKey, checkKey, failureText, whatWasWrong, type Wrong } from './siteKey';

type Verdict = 'verified' | 'saveAnyway' | 'cancel';

/**
 * Set API Key: confirm where a held-back key goes, or ask for a key, check it (Retry, Save
 * Anyway) and store it; the site's rows are then reloaded. A test gives the key (and
 * `{ saveAnyway }`) instead of the prompts.
 */
export async function setApiKey(ctx: CommandContext, registry: SiteRegistry, args: CommandArgs): Promise<string | undefined> {
  const key = givenString(args, 0);
  const saveAnyway = givenObject(args, 1)?.['saveAnyway'] === true;
  // The "needs a key" row's menu passes that row: its site is its parent's.
  const row = args.node?.type === 'message' ? args.node.parent : args.node;
  const site = await pickSite(ctx, row, vscode.l10n.t('Set the key of which site?'));
  if (!site) return undefined;
  // A key held back because the site's address or kind changed: confirm the new one, or replace the key.
  const refused = key === undefined ? await registry.refusedBinding(site) : undefined;
  if (refused) {
    const useIt = vscode.l10n.t('Send the Stored Key There');
    const enter = vscode.l10n.t('Enter the Key Again…');
    const choice = await vscode.window.showWarningMessage(refused.message, { modal: true }, useIt, enter);
    if (choice === useIt) {
      await registry.confirmAddress(site);
      ctx.model.refresh({ site: site.name });
      return site.name;
    }
    if (choice !== enter) return undefined;
  }
  const value = key ?? (await askKey(site, vscode.l10n.t('Set API Key for "{0}"', site.name)));
  if (!value) return undefined;
  const { verdict, key: checked } = await verifyKey(registry, site, value.trim(), key === undefined, saveAnyway);
  if (verdict === 'cancel') return undefined;
  await registry.setKey(site, checked);
  ctx.model.refresh({ site: site.name });
  return site.name;
}

/** Set API Key's check: on a refused key, Retry asks for the key again; otherwise it checks again. */
async function verifyKey(registry: SiteRegistry, site: SiteConfig, key: string, interactive: boolean, saveAnyway: boolean): Promise<{ verdict: Verdict; key: string }> {
  for (;;) {
    const error = await checkKey(registry, site, key);
    if (!error) return { verdict: 'verified', key };
    if (!interactive && saveAnyway) return { verdict: 'saveAnyway', key };
    if (!interactive) throw error;
    const wrong: Wrong = whatWasWrong(site, error) === 'key' ? 'key' : 'again';
    const retry = vscode.l10n.t('Retry');
    const save = vscode.l10n.t('Save Anyway');
    const choice = await vscode.window.showWarningMessage(failureText(site, error, wrong), retry, save);
    if (choice === save) return { verdict: 'saveAnyway', key };
    if (choice !== retry) return { verdict: 'cancel', key };
    if (wrong === 'key') {
      const again = await askKey(site, vscode.l10n.t('Set API Key for "{0}"', site.name), key);
      if (!again) return { verdict: 'cancel', key };
      key = again.trim();
    }
  }
}
