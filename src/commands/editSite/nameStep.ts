import * as vscode from 'vscode';
import { siteNameProblem } from '../../sites/siteConfig';
import type { PromptStep } from '../wizard';
import type { EditSiteContext } from './editSiteContext';

/** Edit Site: the new name (whether another site has it is checked when the rename runs). */
export const nameStep: PromptStep<EditSiteContext> = {
  shouldPrompt: (context) => context.field === 'name',
  async prompt(context) {
    const { site } = context;
    const name = await vscode.window.showInputBox({ title: vscode.l10n.t('Edit Site "{0}": name', site.name), value: site.name, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? siteNameProblem(v.trim()) : vscode.l10n.t('Enter a name.')) });
    context.changes.name = name;
    return name !== undefined;
  },
};
