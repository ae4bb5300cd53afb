import * as vscode from 'vscode';
import type { PromptStep } from '../wizard';
import type { EditSiteContext } from './editSiteContext';

/** Edit Site: the site's own requests per minute, or empty for the global setting. */
export const rateStep: PromptStep<EditSiteContext> = {
  shouldPrompt: (context) => context.field === 'requestsPerMinute',
  async prompt(context) {
    const { site } = context;
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Edit Site "{0}": requests per minute', site.name),
      prompt: vscode.l10n.t('The rate limit of this site\'s key (1 to 1000); empty to use the global setting.'),
      value: site.requestsPerMinute === undefined ? '' : String(site.requestsPerMinute),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' || (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 1000) ? undefined : vscode.l10n.t('A whole number from 1 to 1000, or empty.')),
    });
    if (value === undefined) return false;
    context.changes.requestsPerMinute = value.trim() === '' ? null : Number(value);
    return true;
  },
};
