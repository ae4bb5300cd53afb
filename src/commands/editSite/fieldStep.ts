import * as vscode from 'vscode';
import { profileOf } from '../../sites/siteConfig';
import type { PromptStep } from '../wizard';
import { profileLabel, type EditSiteContext, type EditSiteField } from './editSiteContext';

/** Edit Site: pick what to change (a Copernica account has no address to change). */
export const fieldStep: PromptStep<EditSiteContext> = {
  async prompt(context) {
    const { site } = context;
    const items: (vscode.QuickPickItem & { field: EditSiteField })[] = [
      { label: vscode.l10n.t('Name'), description: site.name, field: 'name' },
      ...(site.kind === 'brilliantDirectories' ? [{ label: vscode.l10n.t('Address'), description: site.url ?? '', field: 'url' as const }] : []),
      { label: vscode.l10n.t('Write profile'), description: profileLabel(profileOf(site)), field: 'writeProfile' },
      { label: vscode.l10n.t('Requests per minute'), description: site.requestsPerMinute === undefined ? vscode.l10n.t('the global setting') : String(site.requestsPerMinute), field: 'requestsPerMinute' },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Edit Site "{0}"', site.name), placeHolder: vscode.l10n.t('What do you want to change?'), ignoreFocusOut: true });
    context.field = picked?.field;
    return picked !== undefined;
  },
};
