import * as vscode from 'vscode';
import type { ApiKind } from '../../api/resources';
import type { SiteRegistry } from '../../sites/siteRegistry';
import type { PromptStep } from '../wizard';
import type { AddSiteContext } from './addSiteContext';

/** Add Site (2/5): a name no other site has. */
export const nameStep: PromptStep<AddSiteContext> = {
  shouldPrompt: (context) => context.site === undefined,
  async prompt(context) {
    context.name = await askName(context.registry, context.kind!);
    return context.name !== undefined;
  },
};

/** The name prompt; also asked again when a site of that name was added while the answers were kept. */
export function askName(registry: SiteRegistry, kind: ApiKind, title = vscode.l10n.t('Add Site (2/5): name'), value?: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    value,
    prompt: vscode.l10n.t('A name for this site, unique among your sites'),
    placeHolder: kind === 'copernica' ? vscode.l10n.t('e.g. Newsletter account') : vscode.l10n.t('e.g. My Directory'),
    ignoreFocusOut: true,
    validateInput: (value) => registry.nameProblem(value),
  });
}
