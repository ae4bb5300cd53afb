import * as vscode from 'vscode';
import type { WriteProfile } from '../../sites/siteConfig';
import type { PromptStep } from '../wizard';
import type { AddSiteContext } from './addSiteContext';

/** Add Site (4/5): what Directory Records may write to the site. */
export const profileStep: PromptStep<AddSiteContext> = {
  shouldPrompt: (context) => context.site === undefined,
  async prompt(context) {
    const items: (vscode.QuickPickItem & { profile: WriteProfile })[] = [
      { label: vscode.l10n.t('Normal'), description: vscode.l10n.t('saves and commands write to the site'), profile: 'normal' },
      { label: vscode.l10n.t('Confirm every write'), description: vscode.l10n.t('shows what will be sent and waits for OK'), detail: vscode.l10n.t('For a live production site.'), profile: 'confirm' },
      { label: vscode.l10n.t('Read-only'), description: vscode.l10n.t('browse only; nothing is written'), profile: 'readOnly' },
    ];
    for (const item of items) item.picked = item.profile === 'normal';
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Add Site (4/5): write profile'), placeHolder: vscode.l10n.t('What may Directory Records write to this site?'), ignoreFocusOut: true });
    context.writeProfile = picked?.profile;
    return context.writeProfile !== undefined;
  },
};
