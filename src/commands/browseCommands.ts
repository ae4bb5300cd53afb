import * as vscode from 'vscode';
import { isApiError } from '../api/errors';
import { VALUELESS_OPERATORS, type RecordFilter } from '../api/filters';
import { checkRecordId } from '../api/ids';
import type { ResourceDescriptor } from '../api/resources';
import { recordUri } from '../documents/recordUri';
import { showRecord } from '../documents/showRecord';
import type { ResourceQuery } from '../sites/siteApi';
import { SITES_VIEW_ID } from '../tree/recordsTreeProvider';
import type { RecordNode, ResourceNode, TreeNode } from '../tree/treeNodes';
import type { CommandContext, CommandHandler } from './commandContext';
import { COMMANDS } from '../commandIds';
import { operatorChoices } from '../messages/filterOperators';
import { pickSiteAndResource } from './pickers';
import { errorText } from '../messages/errorText';

type BrowseCommand = 'refresh' | 'loadMore' | 'filter' | 'clearFilter' | 'openRecord' | 'openRecordById';
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export function browseCommands(ctx: CommandContext): Record<(typeof COMMANDS)[BrowseCommand], CommandHandler> {

  async function askBdFilter(resource: ResourceDescriptor): Promise<RecordFilter | undefined> {
    const field = await vscode.window.showQuickPick(
      resource.fields.map((f) => ({ label: f.name, detail: f.description, name: f.name })),
      { title: vscode.l10n.t('Filter {0} (1/3): field', resource.plural), matchOnDetail: true, ignoreFocusOut: true },
    );
    if (!field) return undefined;
    const op = await vscode.window.showQuickPick(
      operatorChoices().map((c) => ({ label: c.label, description: c.operator, detail: c.hint, operator: c.operator })),
      { title: vscode.l10n.t('Filter {0} (2/3): {1} …', resource.plural, field.name), ignoreFocusOut: true },
    );
    if (!op) return undefined;
    if (VALUELESS_OPERATORS.has(op.operator)) return { field: field.name, operator: op.operator, value: '' };
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Filter {0} (3/3): {1} {2} …', resource.plural, field.name, op.label),
      prompt: op.detail,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? vscode.l10n.t('Enter a value.') : op.operator === 'between' && v.split(',').length !== 2 ? vscode.l10n.t('Two values separated by a comma, e.g. 10,20.') : undefined),
    });
    return value === undefined ? undefined : { field: field.name, operator: op.operator, value };
  }

  async function askTimeRange(current: ResourceQuery | undefined): Promise<ResourceQuery | undefined> {
    const now = current?.kind === 'copernica' ? current : undefined;
    const check = (v: string): string | undefined => (v === '' || TIMESTAMP.test(v) ? undefined : vscode.l10n.t('Use the form 2024-01-31 23:59:59, or leave it empty.'));
    const begintime = await vscode.window.showInputBox({ title: vscode.l10n.t('Filter clicks (1/3): from'), prompt: vscode.l10n.t('Clicks after this time (YYYY-MM-DD HH:MM:SS), empty for no start'), value: now?.begintime ?? '', validateInput: check, ignoreFocusOut: true });
    if (begintime === undefined) return undefined;
    const endtime = await vscode.window.showInputBox({ title: vscode.l10n.t('Filter clicks (2/3): until'), prompt: vscode.l10n.t('Clicks before this time (YYYY-MM-DD HH:MM:SS), empty for no end'), value: now?.endtime ?? '', validateInput: check, ignoreFocusOut: true });
    if (endtime === undefined) return undefined;
    const all = vscode.l10n.t('All clicks');
    const unique = vscode.l10n.t('Unique clicks only (one per destination per link)');
    const which = await vscode.window.showQuickPick([all, unique], { title: vscode.l10n.t('Filter clicks (3/3)'), ignoreFocusOut: true });
    if (which === undefined) return undefined;
    return { kind: 'copernica', begintime: begintime || undefined, endtime: endtime || undefined, unique: which === unique || undefined };
  }

  return {
    [COMMANDS.refresh]: (node?: TreeNode) => {
      const target = node?.type === 'message' ? node.parent : node;
      if (!target) ctx.model.refresh(undefined);
      else if (target.type === 'site') ctx.model.refresh({ site: target.site });
      else ctx.model.refresh({ site: target.site, model: target.model });
    },

    [COMMANDS.loadMore]: (node: ResourceNode | { site: string; model: ResourceNode['model'] }) =>
      vscode.window.withProgress({ location: { viewId: SITES_VIEW_ID } }, () => ctx.model.loadMore({ site: node.site, model: node.model })),

    [COMMANDS.filter]: async (node?: ResourceNode, given?: RecordFilter | ResourceQuery) => {
      const picked = await pickSiteAndResource(ctx, node, vscode.l10n.t('Filter which records?'));
      if (!picked) return;
      const ref = { site: picked.site.name, model: picked.resource.model };
      const current = ctx.model.state(ref).query;
      let query: ResourceQuery | undefined;
      if (picked.site.kind === 'copernica') {
        query = given && 'kind' in given ? given : await askTimeRange(current);
      } else {
        const filter = given && 'field' in given ? given : await askBdFilter(picked.resource);
        if (filter) query = { kind: 'bd', filters: [...(current?.kind === 'bd' ? current.filters : []), filter] };
      }
      if (!query) return;
      await vscode.window.withProgress({ location: { viewId: SITES_VIEW_ID } }, () => ctx.model.setQuery(ref, query));
      await ctx.treeView.reveal(ctx.provider.resourceNode(ref.site, ref.model), { expand: true, select: false });
    },

    [COMMANDS.clearFilter]: async (node?: ResourceNode) => {
      const picked = await pickSiteAndResource(ctx, node, vscode.l10n.t('Clear the filter of which records?'));
      if (!picked) return;
      await ctx.model.setQuery({ site: picked.site.name, model: picked.resource.model }, undefined);
    },

    [COMMANDS.openRecord]: async (node?: RecordNode) => {
      const target = node ?? (ctx.treeView.selection[0]?.type === 'record' ? (ctx.treeView.selection[0] as RecordNode) : undefined);
      if (!target) return;
      const uri = recordUri(target.site, target.model, target.id);
      await ctx.store.reload(uri);
      const doc = await showRecord(uri, true);
      return doc.uri.toString();
    },

    [COMMANDS.openRecordById]: async (node?: TreeNode, id?: string) => {
      const picked = await pickSiteAndResource(ctx, node, vscode.l10n.t('Open a record of which kind?'));
      if (!picked) return;
      const typed =
        id ??
        (await vscode.window.showInputBox({
          title: vscode.l10n.t('Open {0} by ID', picked.resource.singular),
          prompt: vscode.l10n.t('The {0} ({1})', picked.resource.primaryKey, picked.resource.singular),
          ignoreFocusOut: true,
          validateInput: (v) => (/^[1-9]\d*$/.test(v.trim()) ? undefined : vscode.l10n.t('An id is a positive whole number.')),
        }));
      if (!typed) return;
      const safeId = checkRecordId(typed.trim(), `${picked.resource.singular} id`);
      const uri = recordUri(picked.site.name, picked.resource.model, safeId);
      try {
        const api = await ctx.store.api(picked.site.name);
        if (api.needsSearch(picked.resource, safeId)) {
          // Copernica has no get-by-id: a bounded, cancellable search, newest clicks first.
          await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Looking for click {0} among the newest clicks…', safeId), cancellable: true },
            async (progress, token) => {
              const abort = new AbortController();
              const cancelled = token.onCancellationRequested(() => abort.abort());
              let done = 0;
              try {
                await ctx.store.reload(uri, {
                  signal: abort.signal,
                  onProgress: ({ pagesRead, maxPages, examined }) => {
                    const now = Math.round((pagesRead / maxPages) * 100);
                    progress.report({ increment: now - done, message: vscode.l10n.t('{0} clicks examined', examined) });
                    done = now;
                  },
                });
              } finally {
                cancelled.dispose();
              }
            },
          );
        } else {
          await ctx.store.reload(uri);
        }
        const doc = await showRecord(uri, false);
        return doc.uri.toString();
      } catch (error) {
        // A click search says itself why it found nothing (the cap, and where to look instead).
        if (isApiError(error, 'notFound') && !picked.resource.canUpdate) throw error;
        const message = errorText(error);
        throw new Error(/not ?found|EntryNotFound/i.test(message) ? vscode.l10n.t('There is no {0} with id {1} on "{2}".', picked.resource.singular, safeId, picked.site.name) : message, { cause: error });
      }
    },
  };
}

