import * as vscode from 'vscode';
import type { ApiKind } from '../api/resources';
import { normaliseSiteUrl } from '../api/siteUrl';
import { RECORD_SCHEME, SERVER_SCHEME } from '../documents/recordUri';
import { writeSites, type SiteConfig } from '../sites/siteConfig';
import type { SiteNode } from '../tree/treeNodes';
import type { CommandContext, CommandHandler } from './commandContext';
import { COMMANDS } from './commandIds';
import { pickSite } from './pickers';
import { errorText } from '../messages/errorText';

/** Arguments that let Add Site run without prompts (automation and tests). */
export interface AddSiteArgs {
  readonly kind: ApiKind;
  readonly name: string;
  readonly url?: string;
  readonly key: string;
  /** Keep the site even when the key does not verify (the prompt's "Save Anyway"). */
  readonly saveAnyway?: boolean;
}

type Verdict = 'verified' | 'saveAnyway' | 'cancel';

export function siteCommands(ctx: CommandContext): Record<'directoryRecords.addSite' | 'directoryRecords.removeSite' | 'directoryRecords.setApiKey', CommandHandler> {

  /** Checks credentials before they are saved; on failure says exactly why and offers Retry or Save Anyway. */
  async function verify(site: SiteConfig, key: string, interactive: boolean, saveAnyway = false): Promise<Verdict> {
    for (;;) {
      const error = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the key for "{0}"…', site.name) },
        async () => {
          let api: Awaited<ReturnType<typeof ctx.connections.probe>> | undefined;
          try {
            api = await ctx.connections.probe(site, key);
            await api.verify();
            return undefined;
          } catch (e) {
            return e instanceof Error ? e : new Error(String(e));
          } finally {
            void api?.dispose();
          }
        },
      );
      if (!error) return 'verified';
      if (!interactive && saveAnyway) return 'saveAnyway';
      if (!interactive) throw error;
      const retry = vscode.l10n.t('Retry');
      const save = vscode.l10n.t('Save Anyway');
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Could not verify "{0}": {1}', site.name, errorText(error)), retry, save);
      if (choice === save) return 'saveAnyway';
      if (choice !== retry) return 'cancel';
    }
  }

  async function askKind(): Promise<ApiKind | undefined> {
    const items: (vscode.QuickPickItem & { apiKind: ApiKind })[] = [
      { label: vscode.l10n.t('Brilliant Directories'), description: vscode.l10n.t('a directory website (API v2)'), apiKind: 'brilliantDirectories' },
      { label: vscode.l10n.t('Copernica'), description: vscode.l10n.t('a Marketing Suite account (REST API v2)'), apiKind: 'copernica' },
    ];
    return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Add Site (1/4): kind'), placeHolder: vscode.l10n.t('What kind of site is it?'), ignoreFocusOut: true }))?.apiKind;
  }

  function askName(kind: ApiKind): Thenable<string | undefined> {
    return vscode.window.showInputBox({
      title: vscode.l10n.t('Add Site (2/4): name'),
      prompt: vscode.l10n.t('A name for this site, unique among your sites'),
      placeHolder: kind === 'copernica' ? vscode.l10n.t('e.g. Newsletter account') : vscode.l10n.t('e.g. My Directory'),
      ignoreFocusOut: true,
      validateInput: (value) => nameProblem(ctx, value),
    });
  }

  function askUrl(): Thenable<string | undefined> {
    return vscode.window.showInputBox({
      title: vscode.l10n.t('Add Site (3/4): address'),
      prompt: vscode.l10n.t('The site address, e.g. https://www.example.com'),
      ignoreFocusOut: true,
      validateInput: (value) => {
        try {
          normaliseSiteUrl(value);
          return undefined;
        } catch (error) {
          return errorText(error);
        }
      },
    });
  }

  function askKey(site: SiteConfig, step: string): Thenable<string | undefined> {
    const bd = site.kind === 'brilliantDirectories';
    return vscode.window.showInputBox({
      title: step,
      prompt: bd ? vscode.l10n.t('The API key for "{0}" (Admin → Developer Hub). It is kept in VS Code\'s secret storage.', site.name) : vscode.l10n.t('The Copernica access token for "{0}". It is kept in VS Code\'s secret storage.', site.name),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter the key, or press Escape to cancel.')),
    });
  }

  return {
    [COMMANDS.addSite]: async (args?: AddSiteArgs) => {
      const interactive = !args;
      const kind = args?.kind ?? (await askKind());
      if (!kind) return;
      const name = args?.name ?? (await askName(kind));
      if (name === undefined) return;
      const problem = nameProblem(ctx, name);
      if (problem) throw new Error(problem);
      let url: string | undefined;
      if (kind === 'brilliantDirectories') {
        const typed = args ? args.url : await askUrl();
        if (typed === undefined) return;
        url = normaliseSiteUrl(typed);
      } else if (args?.url) {
        url = normaliseSiteUrl(args.url);
      }
      const site: SiteConfig = { name: name.trim(), kind, url };
      const key = args?.key ?? (await askKey(site, vscode.l10n.t('Add Site (4/4): key')));
      if (!key) return;
      const verdict = await verify(site, key.trim(), interactive, args?.saveAnyway);
      if (verdict === 'cancel') return;
      await ctx.connections.secrets.store(site.name, key.trim());
      await writeSites([...ctx.connections.settings.sites, site]);
      void vscode.window.showInformationMessage(
        verdict === 'verified' ? vscode.l10n.t('Added "{0}"; the key works.', site.name) : vscode.l10n.t('Added "{0}" without a working key; fix it with "Set API Key…".', site.name),
      );
      return site.name;
    },

    [COMMANDS.removeSite]: async (target?: SiteNode | string, options?: { confirmed?: boolean }) => {
      const site = await pickSite(ctx, target, vscode.l10n.t('Remove which site?'));
      if (!site) return;
      if (!options?.confirmed) {
        const remove = vscode.l10n.t('Remove');
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t('Remove "{0}"?', site.name),
          { modal: true, detail: vscode.l10n.t('Its key is deleted from this computer (keys cannot be shown again by the site, only replaced). Nothing on the server changes.') },
          remove,
        );
        if (answer !== remove) return;
      }
      await ctx.connections.secrets.delete(site.name);
      ctx.connections.forget(site.name);
      await writeSites(ctx.connections.settings.sites.filter((s) => s.name !== site.name));
      await closeSiteDocuments(site.name);
      return site.name;
    },

    [COMMANDS.setApiKey]: async (target?: SiteNode | string, key?: string, options?: { saveAnyway?: boolean }) => {
      const site = await pickSite(ctx, target, vscode.l10n.t('Set the key of which site?'));
      if (!site) return;
      const value = key ?? (await askKey(site, vscode.l10n.t('Set API Key for "{0}"', site.name)));
      if (!value) return;
      const verdict = await verify(site, value.trim(), key === undefined, options?.saveAnyway);
      if (verdict === 'cancel') return;
      await ctx.connections.secrets.store(site.name, value.trim());
      ctx.model.refresh({ site: site.name });
      return site.name;
    },
  };
}

function nameProblem(ctx: CommandContext, value: string): string | undefined {
  const name = value.trim();
  if (!name) return vscode.l10n.t('Enter a name.');
  if (name.includes('/')) return vscode.l10n.t('A site name cannot contain "/".');
  if (ctx.connections.settings.sites.some((s) => s.name.toLowerCase() === name.toLowerCase())) return vscode.l10n.t('A site named "{0}" exists already.', name);
  return undefined;
}

/** Closes every tab showing a record of the site, so no document points at a site that is gone. */
async function closeSiteDocuments(site: string): Promise<void> {
  const prefix = `/${site}/`;
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => {
    const input = tab.input;
    const uri = input instanceof vscode.TabInputText ? input.uri : input instanceof vscode.TabInputTextDiff ? input.modified : undefined;
    return (uri?.scheme === RECORD_SCHEME || uri?.scheme === SERVER_SCHEME) && uri.path.startsWith(prefix);
  });
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
}

