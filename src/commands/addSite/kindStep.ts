import * as vscode from 'vscode';
import type { ApiKind } from '../../api/resources';
import type { PromptStep } from '../wizard';
import type { AddSiteContext } from './addSiteContext';

/** Add Site (1/5): Brilliant Directories or Copernica. */
export const kindStep: PromptStep<AddSiteContext> = {
  shouldPrompt: (context) => context.site === undefined,
  async prompt(context) {
    const items: (vscode.QuickPickItem & { apiKind: ApiKind })[] = [
      { label: vscode.l10n.t('Brilliant Directories'), description: vscode.l10n.t('a directory website (API v2)'), apiKind: 'brilliantDirectories' },
      { label: vscode.l10n.t('Copernica'), description: vscode.l10n.t('a Marketing Suite account (REST API v2)'), apiKind: 'copernica' },
    ];
    context.kind = (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Add Site (1/5): kind'), placeHolder: vscode.l10n.t('What kind of site is it?'), ignoreFocusOut: true }))?.apiKind;
    return context.kind !== undefined;
  },
};
