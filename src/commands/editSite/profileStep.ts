import * as vscode from 'vscode';
import { profileOf, type WriteProfile } from '../../sites/siteConfig';
import type { PromptStep } from '../wizard';
import { profileLabel, type EditSiteContext } from './editSiteContext';

/** Edit Site: the new write profile, the current one picked. */
export const profileStep: PromptStep<EditSiteContext> = {
  shouldPrompt: (context) => context.field === 'writeProfile',
  async prompt(context) {
    const { site } = context;
    const items: (vscode.QuickPickItem & { profile: WriteProfile })[] = (['normal', 'confirm', 'readOnly'] as const).map((profile) => ({ label: profileLabel(profile), profile, picked: profile === profileOf(site) }));
    const chosen = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Edit Site "{0}": write profile', site.name), ignoreFocusOut: true });
    context.changes.writeProfile = chosen?.profile;
    return chosen !== undefined;
  },
};
