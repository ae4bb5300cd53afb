import * as vscode from 'vscode';
import { apiDateFormat } from '../api/dates';
import type { ApiRecord } from '../api/schemas';
import { COMMANDS } from '../commandIds';
import { errorText } from '../messages/errorText';
import { LatestSearch, MAX_SEARCH_REQUESTS, MIN_SEARCH_LENGTH, RESULTS_PER_REQUEST, isSearchable, planSearch, searchRecords, type SearchResult } from '../sites/recordSearch';
import type { SiteReads } from '../sites/siteApi';
import type { SiteConfig } from '../sites/siteConfig';
import type { RecordNode, TreeNode } from '../tree/treeNodes';
import type { CommandContext } from './commandContext';

interface FoundItem extends vscode.QuickPickItem {
  /** Set on a record: Enter opens it. Informational rows (searching, no match, more, errors) have none. */
  readonly record?: RecordNode;
}

/**
 * Find Record…: a quick pick that searches a BD site's records on the server as you type
 * (see sites/recordSearch.ts for what is searched and the cap), shows them grouped by resource
 * labelled as their documents are, and opens the one chosen as the tree does. `text` prefills it (Open
 * Record by ID hands over an email or a name this way). Resolves to the opened document's URI,
 * or undefined when dismissed.
 */
export async function findRecord(ctx: CommandContext, target?: TreeNode | string, text?: string): Promise<string | undefined> {
  const site = await pickBdSite(ctx, target);
  if (!site) return undefined;
  const api = await ctx.connections.api(site);
  if (!api) {
    const fix = vscode.l10n.t('Set API Key…');
    if ((await vscode.window.showWarningMessage(vscode.l10n.t('No API key is set for "{0}".', site.name), fix)) === fix) await vscode.commands.executeCommand(COMMANDS.setApiKey, { type: 'site', site: site.name });
    return undefined;
  }
  const chosen = await searchPick(site, api, text ?? '');
  if (!chosen) return undefined;
  return vscode.commands.executeCommand<string | undefined>(COMMANDS.openRecord, chosen);
}

function searchPick(site: SiteConfig, api: SiteReads, initial: string): Promise<RecordNode | undefined> {
  const dates = apiDateFormat(vscode.env.language);
  const pick = vscode.window.createQuickPick<FoundItem>();
  pick.title = vscode.l10n.t('Find Record on {0}', site.name);
  pick.placeholder = vscode.l10n.t('Email, name or company ({0} characters or more), or an id — at most {1} requests per search', MIN_SEARCH_LENGTH, MAX_SEARCH_REQUESTS);
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  keepServerOrder(pick);
  let shownFor: string | undefined;

  const show = (result: SearchResult): void => {
    shownFor = result.text;
    pick.items = itemsOf(site, api, result, dates);
    pick.busy = !result.done;
  };
  const latest = new LatestSearch(async (value, signal) => {
    try {
      show(await searchRecords(api, value, { signal, onUpdate: show }));
    } finally {
      if (!signal.aborted) pick.busy = false;
    }
  });
  const onValue = (value: string): void => {
    if (!isSearchable(value)) {
      latest.cancel();
      shownFor = undefined;
      pick.busy = false;
      pick.items = [{ label: vscode.l10n.t('Type at least {0} characters of an email, name or company, or an id.', MIN_SEARCH_LENGTH), alwaysShow: true }];
      return;
    }
    pick.busy = true;
    // Results for earlier text stay until the first reply for this text replaces them.
    if (shownFor === undefined) pick.items = [{ label: vscode.l10n.t('Searching…'), alwaysShow: true }];
    latest.search(value);
  };

  return new Promise((resolve) => {
    let done = false;
    const finish = (node: RecordNode | undefined): void => {
      if (done) return;
      done = true;
      resolve(node);
      latest.cancel();
      pick.dispose();
    };
    pick.onDidChangeValue(onValue);
    pick.onDidAccept(() => {
      const record = (pick.selectedItems[0] ?? pick.activeItems[0])?.record;
      if (!record) return;
      pick.hide();
      finish(record);
    });
    pick.onDidHide(() => finish(undefined));
    pick.value = initial;
    onValue(initial);
    pick.show();
  });
}

/** The results, grouped by resource, each with the label a record goes by (its document's title too), its id and what found it. */
function itemsOf(site: SiteConfig, api: SiteReads, result: SearchResult, dates: Intl.DateTimeFormat): FoundItem[] {
  const items: FoundItem[] = [];
  let found = 0;
  for (const group of result.groups) {
    const { resource } = group;
    if (group.records.length === 0 && !group.error) continue;
    items.push({ label: resource.plural, kind: vscode.QuickPickItemKind.Separator });
    for (const record of group.records) {
      const id = record[resource.primaryKey] ?? '';
      found++;
      items.push({
        label: resource.label(record, dates),
        description: vscode.l10n.t('#{0} · {1}', id, group.matchedBy.get(id) ?? ''),
        alwaysShow: true,
        record: { type: 'record', site: site.name, model: resource.model, id, record: record as ApiRecord },
      });
    }
    if (group.more) items.push({ label: vscode.l10n.t('$(ellipsis) More {0} match: type more to narrow them down', resource.plural.toLowerCase()), description: vscode.l10n.t('first {0} per field, newest first', RESULTS_PER_REQUEST), alwaysShow: true });
    if (group.error) items.push({ label: `$(error) ${errorText(group.error)}`, alwaysShow: true });
  }
  if (found === 0 && result.done) {
    const searched = planSearch(result.text, api.resources);
    const where = [...new Set(searched.map((r) => r.resource.plural.toLowerCase()))]
      .map((plural) => `${plural} (${searched.filter((r) => r.resource.plural.toLowerCase() === plural).map((r) => r.matchedBy).join(', ')})`)
      .join('; ');
    items.unshift({ label: vscode.l10n.t('No record matches "{0}".', result.text.trim()), detail: vscode.l10n.t('Searched {0}, upper and lower case alike.', where), alwaysShow: true });
  } else if (found === 0) {
    items.unshift({ label: vscode.l10n.t('Searching…'), alwaysShow: true });
  }
  return items;
}

/**
 * The server's grouping and order are the point: VS Code must neither re-sort the results by
 * how their labels match the typed text nor drop the group separators while there is text
 * (QuickPick.sortByLabel, newer than the API version this extension declares).
 */
function keepServerOrder(pick: vscode.QuickPick<FoundItem>): void {
  try {
    (pick as { sortByLabel?: boolean }).sortByLabel = false;
  } catch {
    // An older VS Code: the results are still all shown (alwaysShow), sorted by label match.
  }
}

/** A Brilliant Directories site: from the node or name given, the selection, the only one, or a quick pick. */
async function pickBdSite(ctx: CommandContext, target: TreeNode | string | undefined): Promise<SiteConfig | undefined> {
  const selected = ctx.treeView.selection[0];
  const name = typeof target === 'string' ? target : target && 'site' in target ? target.site : selected && 'site' in selected ? selected.site : undefined;
  if (name !== undefined) {
    const site = ctx.connections.find(name);
    if (!site) throw new Error(vscode.l10n.t('There is no site named "{0}".', name));
    if (site.kind === 'brilliantDirectories') return site;
    if (typeof target === 'string' || target) {
      const byId = vscode.l10n.t('Open Record by ID…');
      void vscode.window
        .showInformationMessage(vscode.l10n.t('Find Record searches Brilliant Directories sites. "{0}" is a Copernica account, whose API can only list clicks by time: open a click by its ID instead.', site.name), byId)
        .then((answer) => (answer === byId ? vscode.commands.executeCommand(COMMANDS.openRecordById, { type: 'site', site: site.name }) : undefined));
      return undefined;
    }
  }
  const sites = ctx.connections.settings.sites.filter((site) => site.kind === 'brilliantDirectories');
  if (sites.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Find Record searches Brilliant Directories sites, and none is configured: use "Add Site…" first.'));
    return undefined;
  }
  if (sites.length === 1) return sites[0];
  const picked = await vscode.window.showQuickPick(
    sites.map((site) => ({ label: site.name, description: site.url, site })),
    { title: vscode.l10n.t('Find Record: on which site?'), ignoreFocusOut: true },
  );
  return picked?.site;
}
