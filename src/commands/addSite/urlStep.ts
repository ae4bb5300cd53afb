import * as vscode from 'vscode';
import { normaliseSiteUrl } from '../../api/siteUrl';
import { errorText } from '../../messages/errorText';
import type { PromptStep } from '../wizard';
import type { AddSiteContext } from './addSiteContext';

/** Add Site (3/5): a directory site's address (a Copernica account has the one API address). */
export const urlStep: PromptStep<AddSiteContext> = {
  shouldPrompt: (context) => context.site === undefined && context.kind === 'brilliantDirectories',
  async prompt(context) {
    const typed = await askUrl();
    if (typed === undefined) return false;
    context.url = normaliseSiteUrl(typed);
    return true;
  },
};

/** The address prompt; also Retry's when the check found no site there. */
export function askUrl(title = vscode.l10n.t('Add Site (3/5): address'), value?: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    value,
    prompt: vscode.l10n.t('The site address, e.g. https://www.example.com'),
    ignoreFocusOut: true,
    validateInput: urlProblem,
  });
}

/** Why a typed address cannot be a site's, if so (Add Site's and Edit Site's address prompts). */
export function urlProblem(value: string): string | undefined {
  try {
    normaliseSiteUrl(value);
    return undefined;
  } catch (error) {
    return errorText(error);
  }
}
