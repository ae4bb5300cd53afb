import * as vscode from 'vscode';
import type { ApiKind } from '../api/resources';
import { isApiError } from '../api/errors';
import { normaliseSiteUrl } from '../api/siteUrl';
import { RECORD_SCHEME, SERVER_SCHEME } from '../documents/recordUri';
import { profileOf, siteNameProblem, siteOrigin, writeSites, type SiteConfig, type WriteProfile } from '../sites/siteConfig';
import type { ArgsHandler, CommandContext } from './commandContext';
import { givenObject, givenString, type CommandArgs } from './commandArgs';
import { COMMANDS } from '../commandIds';
import { pickSite } from './pickers';
import { errorText } from '../messages/errorText';
import { closeTabs, recordTabs } from '../documents/recordTabs';

/** Arguments that let Add Site run without prompts: the in-host tests' only (CommandArgs.given). */
export interface AddSiteArgs {
  readonly kind: ApiKind;
  readonly name: string;
  readonly url?: string;
  readonly key: string;
  /** Keep the site even when the key does not verify (the prompt's "Save Anyway"). */
  readonly saveAnyway?: boolean;
  readonly writeProfile?: WriteProfile;
}

/** Arguments that let Edit Site run without prompts (the in-host tests'): the fields to change. */
export interface EditSiteArgs {
  readonly name?: string;
  readonly url?: string;
  readonly writeProfile?: WriteProfile;
  /** null removes the site's own limit (the global setting applies). */
  readonly requestsPerMinute?: number | null;
}

type Verdict = 'verified' | 'saveAnyway' | 'cancel';

/** What a failed key check asks again: the key, the address, or nothing (the same answers are checked again). */
type Wrong = 'key' | 'address' | 'again';

/**
 * What Add Site had when its key check failed. Kept in memory only (the key never reaches
 * settings or state), so that Retry, or the next Add Site after the message was closed, asks
 * only for what was wrong instead of starting over.
 */
interface UnfinishedSite {
  readonly site: SiteConfig;
  readonly key: string;
  readonly wrong: Wrong;
  readonly reason: string;
}

type SiteCommand = 'addSite' | 'removeSite' | 'setApiKey' | 'editSite' | 'siteActions';

export function siteCommands(ctx: CommandContext): Record<(typeof COMMANDS)[SiteCommand], ArgsHandler> {
  let unfinished: UnfinishedSite | undefined;

  /** One key check, with progress; the error when it failed. */
  async function check(site: SiteConfig, key: string): Promise<Error | undefined> {
    return vscode.window.withProgress(
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
  }

  /** The failure, and what Retry will do about it. */
  function failureText(site: SiteConfig, error: Error, wrong: Wrong): string {
    const hint = wrong === 'key' ? vscode.l10n.t('Retry asks for the key again.') : wrong === 'address' ? vscode.l10n.t('Retry asks for the address again.') : vscode.l10n.t('Retry checks the same key again.');
    return `${vscode.l10n.t('Could not verify "{0}": {1}', site.name, errorText(error))} ${hint}`;
  }

  /** Set API Key's check: on a refused key, Retry asks for the key again; otherwise it checks again. */
  async function verifyKey(site: SiteConfig, key: string, interactive: boolean, saveAnyway = false): Promise<{ verdict: Verdict; key: string }> {
    for (;;) {
      const error = await check(site, key);
      if (!error) return { verdict: 'verified', key };
      if (!interactive && saveAnyway) return { verdict: 'saveAnyway', key };
      if (!interactive) throw error;
      const wrong: Wrong = whatWasWrong(site, error) === 'key' ? 'key' : 'again';
      const retry = vscode.l10n.t('Retry');
      const save = vscode.l10n.t('Save Anyway');
      const choice = await vscode.window.showWarningMessage(failureText(site, error, wrong), retry, save);
      if (choice === save) return { verdict: 'saveAnyway', key };
      if (choice !== retry) return { verdict: 'cancel', key };
      if (wrong === 'key') {
        const again = await askKey(site, vscode.l10n.t('Set API Key for "{0}"', site.name), key);
        if (!again) return { verdict: 'cancel', key };
        key = again.trim();
      }
    }
  }

  async function askKind(): Promise<ApiKind | undefined> {
    const items: (vscode.QuickPickItem & { apiKind: ApiKind })[] = [
      { label: vscode.l10n.t('Brilliant Directories'), description: vscode.l10n.t('a directory website (API v2)'), apiKind: 'brilliantDirectories' },
      { label: vscode.l10n.t('Copernica'), description: vscode.l10n.t('a Marketing Suite account (REST API v2)'), apiKind: 'copernica' },
    ];
    return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Add Site (1/5): kind'), placeHolder: vscode.l10n.t('What kind of site is it?'), ignoreFocusOut: true }))?.apiKind;
  }

  function askName(kind: ApiKind, title = vscode.l10n.t('Add Site (2/5): name'), value?: string): Thenable<string | undefined> {
    return vscode.window.showInputBox({
      title,
      value,
      prompt: vscode.l10n.t('A name for this site, unique among your sites'),
      placeHolder: kind === 'copernica' ? vscode.l10n.t('e.g. Newsletter account') : vscode.l10n.t('e.g. My Directory'),
      ignoreFocusOut: true,
      validateInput: (value) => nameProblem(ctx, value),
    });
  }

  function askUrl(title = vscode.l10n.t('Add Site (3/5): address'), value?: string): Thenable<string | undefined> {
    return vscode.window.showInputBox({
      title,
      value,
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

  /** The key prompt; `value` pre-fills (selected, so typing or pasting replaces it) what was typed before. */
  function askKey(site: SiteConfig, step: string, value?: string): Thenable<string | undefined> {
    const bd = site.kind === 'brilliantDirectories';
    return vscode.window.showInputBox({
      title: step,
      value,
      prompt: bd ? vscode.l10n.t('The API key for "{0}" (Admin → Developer Hub). It is kept in VS Code\'s secret storage.', site.name) : vscode.l10n.t('The Copernica access token for "{0}". It is kept in VS Code\'s secret storage.', site.name),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter the key, or press Escape to cancel.')),
    });
  }

  function askProfile(title: string, current: WriteProfile): Thenable<WriteProfile | undefined> {
    const items: (vscode.QuickPickItem & { profile: WriteProfile })[] = [
      { label: vscode.l10n.t('Normal'), description: vscode.l10n.t('saves and commands write to the site'), profile: 'normal' },
      { label: vscode.l10n.t('Confirm every write'), description: vscode.l10n.t('shows what will be sent and waits for OK'), detail: vscode.l10n.t('For a live production site.'), profile: 'confirm' },
      { label: vscode.l10n.t('Read-only'), description: vscode.l10n.t('browse only; nothing is written'), profile: 'readOnly' },
    ];
    for (const item of items) item.picked = item.profile === current;
    return vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('What may Directory Records write to this site?'), ignoreFocusOut: true }).then((picked) => picked?.profile);
  }

  /** Add Site from arguments (automation, tests): no prompts; a key that does not verify throws unless saveAnyway. */
  async function addSiteWith(args: AddSiteArgs): Promise<string | undefined> {
    const problem = nameProblem(ctx, args.name);
    if (problem) throw new Error(problem);
    if (args.kind === 'brilliantDirectories' && args.url === undefined) return undefined;
    const url = args.kind === 'brilliantDirectories' || args.url ? normaliseSiteUrl(args.url ?? '') : undefined;
    const site: SiteConfig = { name: args.name.trim(), kind: args.kind, url, writeProfile: args.writeProfile === 'normal' ? undefined : args.writeProfile };
    const key = args.key.trim();
    const error = await check(site, key);
    if (error && !args.saveAnyway) throw error;
    return saveSite(site, key, !error);
  }

  /**
   * Add Site's prompts, then the key check. A failed check keeps every answer: Retry asks only
   * for what was wrong (the key, or the address), and closing the message leaves them for the
   * next Add Site, which offers to continue.
   */
  async function addSiteInteractively(): Promise<string | undefined> {
    let answers: { site: SiteConfig; key: string } | undefined;
    if (unfinished) {
      const resume = await askResume(unfinished);
      if (resume === undefined) return undefined;
      if (resume) {
        answers = await askAgain(unfinished);
        if (!answers) return undefined;
      } else {
        unfinished = undefined;
      }
    }
    answers ??= await askAll();
    for (;;) {
      if (!answers) return undefined;
      let { site } = answers;
      const { key } = answers;
      // A site of that name may have been added since the answers were kept.
      if (nameProblem(ctx, site.name)) {
        const name = await askName(site.kind, vscode.l10n.t('Add Site: name'), site.name);
        if (name === undefined) return undefined;
        site = { ...site, name: name.trim() };
      }
      const error = await check(site, key);
      if (!error) {
        unfinished = undefined;
        return saveSite(site, key, true);
      }
      const wrong = whatWasWrong(site, error);
      unfinished = { site, key, wrong, reason: errorText(error) };
      const retry = vscode.l10n.t('Retry');
      const save = vscode.l10n.t('Save Anyway');
      const choice = await vscode.window.showWarningMessage(failureText(site, error, wrong), retry, save);
      if (choice === save) {
        unfinished = undefined;
        return saveSite(site, key, false);
      }
      if (choice !== retry) return undefined;
      answers = await askAgain(unfinished);
    }
  }

  /** The five prompts of a new site. */
  async function askAll(): Promise<{ site: SiteConfig; key: string } | undefined> {
    const kind = await askKind();
    if (!kind) return undefined;
    const name = await askName(kind);
    if (name === undefined) return undefined;
    let url: string | undefined;
    if (kind === 'brilliantDirectories') {
      const typed = await askUrl();
      if (typed === undefined) return undefined;
      url = normaliseSiteUrl(typed);
    }
    const writeProfile = await askProfile(vscode.l10n.t('Add Site (4/5): write profile'), 'normal');
    if (writeProfile === undefined) return undefined;
    const site: SiteConfig = { name: name.trim(), kind, url, writeProfile: writeProfile === 'normal' ? undefined : writeProfile };
    const key = await askKey(site, vscode.l10n.t('Add Site (5/5): key'));
    return key ? { site, key: key.trim() } : undefined;
  }

  /** Only what the failed check found wrong, pre-filled with what was typed; undefined on Escape (the answers stay kept). */
  async function askAgain(kept: UnfinishedSite): Promise<{ site: SiteConfig; key: string } | undefined> {
    if (kept.wrong === 'key') {
      const key = await askKey(kept.site, vscode.l10n.t('Add Site: key for "{0}"', kept.site.name), kept.key);
      return key ? { site: kept.site, key: key.trim() } : undefined;
    }
    if (kept.wrong === 'address') {
      const url = await askUrl(vscode.l10n.t('Add Site: address of "{0}"', kept.site.name), kept.site.url);
      return url === undefined ? undefined : { site: { ...kept.site, url: normaliseSiteUrl(url) }, key: kept.key };
    }
    return { site: kept.site, key: kept.key };
  }

  /** Continue the site whose key check failed (true), start another (false), or neither (undefined). */
  async function askResume(kept: UnfinishedSite): Promise<boolean | undefined> {
    const next = kept.wrong === 'key' ? vscode.l10n.t('Asks for the key again.') : kept.wrong === 'address' ? vscode.l10n.t('Asks for the address again.') : vscode.l10n.t('Checks the same key again.');
    const items: (vscode.QuickPickItem & { resume: boolean })[] = [
      {
        label: `$(debug-continue) ${vscode.l10n.t('Continue with "{0}"', kept.site.name)}`,
        description: kept.site.kind === 'copernica' ? vscode.l10n.t('Copernica') : kept.site.url,
        detail: `${vscode.l10n.t('The key check failed: {0}', kept.reason)} ${next}`,
        resume: true,
      },
      { label: `$(add) ${vscode.l10n.t('Add Another Site')}`, description: vscode.l10n.t('forgets what was typed for "{0}"', kept.site.name), resume: false },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Add Site'), placeHolder: vscode.l10n.t('"{0}" was not added yet. Continue where you left off?', kept.site.name), ignoreFocusOut: true });
    return picked?.resume;
  }

  async function saveSite(site: SiteConfig, key: string, verified: boolean): Promise<string> {
    await ctx.connections.storeKey(site, key);
    await writeSites([...ctx.connections.settings.sites, site]);
    void vscode.window.showInformationMessage(
      verified ? vscode.l10n.t('Added "{0}"; the key works.', site.name) : vscode.l10n.t('Added "{0}" without a working key; fix it with "Set API Key…".', site.name),
    );
    return site.name;
  }

  /** Replaces one site's settings entry, keeping the others as they are. */
  async function replaceSite(name: string, updated: SiteConfig): Promise<void> {
    await writeSites(ctx.connections.settings.sites.map((s) => (s.name === name ? updated : s)));
  }

  return {
    // The view title's + passes the focused row: only a test's answers (checked) skip the prompts.
    [COMMANDS.addSite]: async (args: CommandArgs) => {
      const given = addSiteArgs(givenObject(args, 0));
      return given ? addSiteWith(given) : addSiteInteractively();
    },

    [COMMANDS.removeSite]: async (args: CommandArgs) => {
      const site = await pickSite(ctx, args.node, vscode.l10n.t('Remove which site?'));
      if (!site) return;
      if (givenObject(args, 0)?.['confirmed'] !== true) {
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
      await closeSiteDocuments(site.name, { discard: true });
      return site.name;
    },

    [COMMANDS.setApiKey]: async (args: CommandArgs) => {
      const key = givenString(args, 0);
      const saveAnyway = givenObject(args, 1)?.['saveAnyway'] === true;
      // The "needs a key" row's menu passes that row: its site is its parent's.
      const row = args.node?.type === 'message' ? args.node.parent : args.node;
      const site = await pickSite(ctx, row, vscode.l10n.t('Set the key of which site?'));
      if (!site) return;
      // A key held back because the site's address or kind changed: confirm the new one, or replace the key.
      const refused = key === undefined ? await ctx.connections.refusedBinding(site) : undefined;
      if (refused) {
        const useIt = vscode.l10n.t('Send the Stored Key There');
        const enter = vscode.l10n.t('Enter the Key Again…');
        const choice = await vscode.window.showWarningMessage(refused.message, { modal: true }, useIt, enter);
        if (choice === useIt) {
          await ctx.connections.confirmAddress(site);
          ctx.model.refresh({ site: site.name });
          return site.name;
        }
        if (choice !== enter) return;
      }
      const value = key ?? (await askKey(site, vscode.l10n.t('Set API Key for "{0}"', site.name)));
      if (!value) return;
      const { verdict, key: checked } = await verifyKey(site, value.trim(), key === undefined, saveAnyway);
      if (verdict === 'cancel') return;
      await ctx.connections.storeKey(site, checked);
      ctx.model.refresh({ site: site.name });
      return site.name;
    },

    [COMMANDS.siteActions]: async (args: CommandArgs) => {
      const site = await pickSite(ctx, args.node, vscode.l10n.t('Which site?'));
      if (!site) return;
      const actions: (vscode.QuickPickItem & { command: string })[] = [
        { label: `$(edit) ${vscode.l10n.t('Edit Site…')}`, description: vscode.l10n.t('name, address, write profile, requests per minute'), command: COMMANDS.editSite },
        { label: `$(key) ${vscode.l10n.t('Set API Key…')}`, command: COMMANDS.setApiKey },
        { label: `$(refresh) ${vscode.l10n.t('Refresh')}`, command: COMMANDS.refresh },
        { label: `$(trash) ${vscode.l10n.t('Remove Site')}`, command: COMMANDS.removeSite },
      ];
      const picked = await vscode.window.showQuickPick(actions, { title: site.name, placeHolder: vscode.l10n.t('What do you want to do with "{0}"?', site.name) });
      if (!picked) return;
      return vscode.commands.executeCommand(picked.command, { type: 'site', site: site.name });
    },

    [COMMANDS.editSite]: async (commandArgs: CommandArgs) => {
      const site = await pickSite(ctx, commandArgs.node, vscode.l10n.t('Edit which site?'));
      if (!site) return;
      const args = editSiteArgs(givenObject(commandArgs, 0));
      const changes = args ?? (await askSiteEdit(site));
      if (!changes) return;
      let updated: SiteConfig = { ...site };
      if (changes.url !== undefined) updated = { ...updated, url: site.kind === 'copernica' && changes.url === '' ? undefined : normaliseSiteUrl(changes.url) };
      if (changes.writeProfile !== undefined) updated = { ...updated, writeProfile: changes.writeProfile === 'normal' ? undefined : changes.writeProfile };
      if (changes.requestsPerMinute !== undefined) updated = { ...updated, requestsPerMinute: changes.requestsPerMinute ?? undefined };
      const newName = changes.name?.trim();
      if (newName !== undefined && newName !== site.name) {
        const problem = nameProblem(ctx, newName);
        if (problem) throw new Error(problem);
        // Open records carry the old name in their address: close them, saying so, before the rename.
        const closed = await closeSiteDocuments(site.name);
        if (closed === undefined) return;
        await ctx.connections.rename(site.name, newName);
        updated = { ...updated, name: newName };
        if (closed > 0) void vscode.window.showInformationMessage(vscode.l10n.t('Closed {0} open record(s) of "{1}": reopen them under its new name "{2}".', closed, site.name, newName));
      }
      const moved = siteOrigin(updated.kind, updated.url) !== siteOrigin(site.kind, site.url);
      // Typing the new address here is the user's own word that the key belongs there; ask anyway, once.
      const follow = moved && (await ctx.connections.secrets.get(updated.name)) !== undefined && args === undefined && (await confirmKeyMove(updated));
      await replaceSite(site.name, updated);
      if (follow) await ctx.connections.confirmAddress(ctx.connections.find(updated.name) ?? updated);
      if (profileOf(updated) !== profileOf(site)) void vscode.window.showInformationMessage(profileChanged(updated));
      return updated.name;
    },
  };
}

/**
 * What a failed key check says about the answers: a refused key (401/403, Copernica's invalid
 * token) is the key; no answer, a 404 or a page that is not the API is a Brilliant Directories
 * address that is not the site; anything else (5xx, a timeout, the rate limit) is worth the
 * same check again.
 */
function whatWasWrong(site: SiteConfig, error: unknown): Wrong {
  if (isApiError(error, 'invalidKey') || isApiError(error, 'forbidden')) return 'key';
  if (site.kind === 'brilliantDirectories' && (isApiError(error, 'network') || isApiError(error, 'notFound') || isApiError(error, 'unexpectedReply'))) return 'address';
  return 'again';
}

/** A test's Add Site answers, when they have their shape. */
function addSiteArgs(value: Record<string, unknown> | undefined): AddSiteArgs | undefined {
  if (!value || (value['kind'] !== 'brilliantDirectories' && value['kind'] !== 'copernica') || typeof value['name'] !== 'string' || typeof value['key'] !== 'string') return undefined;
  if (value['url'] !== undefined && typeof value['url'] !== 'string') return undefined;
  return value as unknown as AddSiteArgs;
}

/** A test's Edit Site changes, when they have their shape. */
function editSiteArgs(value: Record<string, unknown> | undefined): EditSiteArgs | undefined {
  if (!value) return undefined;
  const { name, url, writeProfile, requestsPerMinute } = value;
  const ok = (name === undefined || typeof name === 'string') && (url === undefined || typeof url === 'string')
    && (writeProfile === undefined || writeProfile === 'normal' || writeProfile === 'confirm' || writeProfile === 'readOnly')
    && (requestsPerMinute === undefined || requestsPerMinute === null || typeof requestsPerMinute === 'number');
  return ok && [name, url, writeProfile, requestsPerMinute].some((v) => v !== undefined) ? (value as EditSiteArgs) : undefined;
}

function nameProblem(ctx: CommandContext, value: string): string | undefined {
  const name = value.trim();
  if (!name) return vscode.l10n.t('Enter a name.');
  const broken = siteNameProblem(name);
  if (broken) return broken;
  if (ctx.connections.settings.sites.some((s) => s.name.toLowerCase() === name.toLowerCase())) return vscode.l10n.t('A site named "{0}" exists already.', name);
  return undefined;
}

/**
 * Closes every tab showing a record of the site, so no document points at a site that is gone
 * or renamed. Unless told to discard, a tab with unsaved edits makes it ask first; returns how
 * many tabs were closed, or undefined when the user kept an edited record open.
 */
async function closeSiteDocuments(site: string, options: { discard?: boolean } = {}): Promise<number | undefined> {
  const prefix = `/${site}/`;
  const tabs = recordTabs((uri) => (uri.scheme === RECORD_SCHEME || uri.scheme === SERVER_SCHEME) && uri.path.startsWith(prefix));
  if (!options.discard && tabs.some((tab) => tab.isDirty)) {
    const close = vscode.l10n.t('Discard and Rename');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Records of "{0}" have unsaved edits.', site),
      { modal: true, detail: vscode.l10n.t('Renaming closes its open records. Save the ones you want to keep first, or discard their edits.') },
      close,
    );
    if (answer !== close) return undefined;
  }
  return closeTabs(tabs);
}

async function confirmKeyMove(site: SiteConfig): Promise<boolean> {
  const send = vscode.l10n.t('Send the Stored Key There');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Send the key of "{0}" to {1} from now on?', site.name, site.url ?? ''),
    { modal: true, detail: vscode.l10n.t('Otherwise the key is held back until you confirm the new address or enter the key again with "Set API Key…".') },
    send,
  );
  return answer === send;
}

/** What a person reads after switching a site's write profile: what it means now, and how to change it back. */
function profileChanged(site: SiteConfig): string {
  switch (profileOf(site)) {
    case 'readOnly':
      return vscode.l10n.t('"{0}" is now Read-only: records open for reading, and nothing is written to it (saves, deletes and bulk actions are refused). Edit Site… changes it back.', site.name);
    case 'confirm':
      return vscode.l10n.t('"{0}" now confirms every write: each save or delete first shows what will be sent and waits for your OK.', site.name);
    default:
      return vscode.l10n.t('"{0}" is now Normal: saves and commands write to it.', site.name);
  }
}

/** The Edit Site prompts: pick what to change, then its new value. */
async function askSiteEdit(site: SiteConfig): Promise<EditSiteArgs | undefined> {
  type Field = 'name' | 'url' | 'writeProfile' | 'requestsPerMinute';
  const profileLabel = { normal: vscode.l10n.t('Normal'), confirm: vscode.l10n.t('Confirm every write'), readOnly: vscode.l10n.t('Read-only') };
  const items: (vscode.QuickPickItem & { field: Field })[] = [
    { label: vscode.l10n.t('Name'), description: site.name, field: 'name' },
    ...(site.kind === 'brilliantDirectories' ? [{ label: vscode.l10n.t('Address'), description: site.url ?? '', field: 'url' as const }] : []),
    { label: vscode.l10n.t('Write profile'), description: profileLabel[profileOf(site)], field: 'writeProfile' },
    { label: vscode.l10n.t('Requests per minute'), description: site.requestsPerMinute === undefined ? vscode.l10n.t('the global setting') : String(site.requestsPerMinute), field: 'requestsPerMinute' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Edit Site "{0}"', site.name), placeHolder: vscode.l10n.t('What do you want to change?'), ignoreFocusOut: true });
  if (!picked) return undefined;
  switch (picked.field) {
    case 'name': {
      const name = await vscode.window.showInputBox({ title: vscode.l10n.t('Edit Site "{0}": name', site.name), value: site.name, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? siteNameProblem(v.trim()) : vscode.l10n.t('Enter a name.')) });
      return name === undefined ? undefined : { name };
    }
    case 'url': {
      const url = await vscode.window.showInputBox({
        title: vscode.l10n.t('Edit Site "{0}": address', site.name),
        value: site.url,
        prompt: vscode.l10n.t('The key stays tied to the old address: after a change you are asked to confirm the new one before the key is sent there.'),
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
      return url === undefined ? undefined : { url };
    }
    case 'writeProfile': {
      const items2: (vscode.QuickPickItem & { profile: WriteProfile })[] = (['normal', 'confirm', 'readOnly'] as const).map((profile) => ({ label: profileLabel[profile], profile, picked: profile === profileOf(site) }));
      const chosen = await vscode.window.showQuickPick(items2, { title: vscode.l10n.t('Edit Site "{0}": write profile', site.name), ignoreFocusOut: true });
      return chosen ? { writeProfile: chosen.profile } : undefined;
    }
    case 'requestsPerMinute': {
      const value = await vscode.window.showInputBox({
        title: vscode.l10n.t('Edit Site "{0}": requests per minute', site.name),
        prompt: vscode.l10n.t('The rate limit of this site\'s key (1 to 1000); empty to use the global setting.'),
        value: site.requestsPerMinute === undefined ? '' : String(site.requestsPerMinute),
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' || (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 1000) ? undefined : vscode.l10n.t('A whole number from 1 to 1000, or empty.')),
      });
      return value === undefined ? undefined : { requestsPerMinute: value.trim() === '' ? null : Number(value) };
    }
  }
}

