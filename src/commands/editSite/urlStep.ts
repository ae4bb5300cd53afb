import * as vscode from 'vscode';
import { urlProblem } from '../addSite/urlStep';
import type { PromptStep } from '../wizard';
import type { EditSiteContext } from './editSiteContext';

/** Edit Site: a directory site's new address. */
export const urlStep: PromptStep<EditSiteContext> = {
  shouldPrompt: (context) => context.field === 'url',
  async prompt(context) {
    const { site } = context;
    const url = await vscode.window.showInputBox({
      title: vscode.l10n.t('Edit Site "{0}": address', site.name),
      value: site.url,
      prompt: vscode.l10n.t('The key stays tied to the old address: after a change you are asked to confirm the new one before the key is sent there.'),
      ignoreFocusOut: true,
      validateInput: urlProblem,
    });
    context.changes.url = url;
    return url !== undefined;
  },
};
