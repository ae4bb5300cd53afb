import * as vscode from 'vscode';
import type { SiteConfig } from '../../sites/siteConfig';
import { askKey } from '../siteKey';
import type { PromptStep } from '../wizard';
import type { AddSiteContext } from './addSiteContext';

/** Add Site (5/5): the key, asked last because its prompt names the site; it makes the site from the answers. */
export const keyStep: PromptStep<AddSiteContext> = {
  shouldPrompt: (context) => context.site === undefined,
  async prompt(context) {
    const { name, kind, url, writeProfile } = context;
    const site: SiteConfig = { name: name!.trim(), kind: kind!, url, writeProfile: writeProfile === 'normal' ? undefined : writeProfile };
    const key = await askKey(site, vscode.l10n.t('Add Site (5/5): key'));
    if (!key) return false;
    context.site = site;
    context.key = key.trim();
    return true;
  },
};
