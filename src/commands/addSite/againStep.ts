import * as vscode from 'vscode';
import { normaliseSiteUrl } from '../../api/siteUrl';
import { askKey } from '../siteKey';
import type { PromptStep } from '../wizard';
import type { AddSiteContext } from './addSiteContext';
import { askUrl } from './urlStep';

/**
 * A kept site (continued, or Retry after a failed check): only what the check found wrong,
 * pre-filled with what was typed. Nothing to ask when the same answers are to be checked again.
 */
export const againStep: PromptStep<AddSiteContext> = {
  shouldPrompt: (context) => context.resumed !== undefined && context.resumed.wrong !== 'again',
  async prompt(context) {
    const kept = context.resumed!;
    if (kept.wrong === 'key') {
      const key = await askKey(kept.site, vscode.l10n.t('Add Site: key for "{0}"', kept.site.name), kept.key);
      if (!key) return false;
      context.site = kept.site;
      context.key = key.trim();
      return true;
    }
    const url = await askUrl(vscode.l10n.t('Add Site: address of "{0}"', kept.site.name), kept.site.url);
    if (url === undefined) return false;
    context.site = { ...kept.site, url: normaliseSiteUrl(url) };
    context.key = kept.key;
    return true;
  },
};
