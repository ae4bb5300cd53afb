import * as vscode from 'vscode';
import type { PromptStep } from '../wizard';
import type { AddSiteContext } from './addSiteContext';

/** When an earlier Add Site's key check failed: continue that site, or start another (forgetting it). */
export const resumeStep: PromptStep<AddSiteContext> = {
  shouldPrompt: (context) => context.memory.unfinished !== undefined,
  async prompt(context) {
    const kept = context.memory.unfinished!;
    const next = kept.wrong === 'key' ? vscode.l10n.t('Asks for the key again.') : kept.wrong === 'address' ? vscode.l10n.t('Asks for the address again.') : vscode.l10n.t('Checks the same key again.');
    const items: (vscode.QuickPickItem & { resume: boolean })[] = [
      {
        label: `$(debug-continue) ${vscode.l10n.t('Continue with "{0}"', kept.site.name)}`,
        description: kept.site.kind === 'copernica' ? vscode.l10n.t('Copernica') : kept.site.url,
        detail: `${vscode.l10n.t('The key check failed: {0}', kept.reason)} ${next}`,
        resume: true,
      },
      { label: `$(add) ${vscode.l10n.t('Add Another Site')}`, description: vscode.l10n.t('forgets what was typed for "{0}"', kept.site.name), resume: false },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Add Site'), placeHolder: vscode.l10n.t('"{0}" was not added yet. Continue where you left off?', kept.site.name), ignoreFocusOut: true });
    if (picked === undefined) return false;
    if (picked.resume) {
      context.resumed = kept;
      context.site = kept.site;
      context.key = kept.key;
    } else {
      context.memory.unfinished = undefined;
    }
    return true;
  },
};
