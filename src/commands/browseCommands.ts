import * as vscode from 'vscode';
import { isApiError } from '../api/errors';
import type { RecordFilter } from '../api/filters';
import { checkRecordId } from '../api/ids';
import { resourceFor } from '../api/resources';
import { recordUri } from '../documents/recordUri';
import { showRecord } from '../documents/showRecord';
import type { ListingFilter, ListingSort } from '../tree/listingQuery';
import { SITES_VIEW_ID } from '../tree/recordsTreeProvider';
import type { RecordNode, ResourceNode, TreeNode } from '../tree/treeNodes';
import type { CommandContext, CommandHandler } from './commandContext';
import { COMMANDS } from '../commandIds';
import { findRecord } from './findRecord';
import { askBdSort, askClickSort, editClickRange, editConditions } from './listingPrompts';
import { pickResource, pickSite, pickSiteAndResource } from './pickers';
import { errorText } from '../messages/errorText';

type BrowseCommand = 'refresh' | 'loadMore' | 'filter' | 'clearFilter' | 'sort' | 'openRecord' | 'openRecordById' | 'findRecord';

/**
 * What Filter… can be given instead of asking (tests, other commands): a condition to add
 * (BD), the whole filter (`undefined` conditions or an empty list: none), or a change to one
 * condition by its position.
 */
type FilterChange = RecordFilter | ListingFilter | { readonly remove: number } | { readonly change: number; readonly to: RecordFilter };

const ID = /^[1-9]\d*$/;

export function browseCommands(ctx: CommandContext): Record<(typeof COMMANDS)[BrowseCommand], CommandHandler> {

  /** Applies a new listing (filter or sort) with the view's progress, then shows the resource expanded. */
  async function relist(ref: { site: string; model: ResourceNode['model'] }, change: () => Promise<void>): Promise<void> {
    await vscode.window.withProgress({ location: { viewId: SITES_VIEW_ID } }, change);
    await ctx.treeView.reveal(ctx.provider.resourceNode(ref.site, ref.model), { expand: true, select: false });
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

    [COMMANDS.filter]: async (node?: ResourceNode, given?: FilterChange) => {
      const picked = await pickSiteAndResource(ctx, node, vscode.l10n.t('Filter which records?'));
      if (!picked) return;
      const ref = { site: picked.site.name, model: picked.resource.model };
      const current = ctx.model.state(ref).query;
      let query: ListingFilter | undefined;
      if (picked.site.kind === 'copernica') {
        const chosen = given && 'kind' in given ? given : await editClickRange(current);
        if (chosen === undefined) return;
        query = chosen ?? undefined;
      } else {
        const conditions = current?.kind === 'bd' ? current.filters : [];
        const next = given ? changedConditions(conditions, given) : await editConditions(picked.resource, conditions, ctx.model.columnsSeen(ref));
        if (next === undefined) return;
        query = { kind: 'bd', filters: next };
      }
      await relist(ref, () => ctx.model.setQuery(ref, query));
    },

    [COMMANDS.clearFilter]: async (node?: ResourceNode) => {
      const picked = await pickSiteAndResource(ctx, node, vscode.l10n.t('Clear the filter of which records?'));
      if (!picked) return;
      // The sort stays: it is not a filter.
      await ctx.model.setQuery({ site: picked.site.name, model: picked.resource.model }, undefined);
    },

    [COMMANDS.sort]: async (node?: ResourceNode, given?: ListingSort | null) => {
      const picked = await pickSiteAndResource(ctx, node, vscode.l10n.t('Sort which records?'));
      if (!picked) return;
      const ref = { site: picked.site.name, model: picked.resource.model };
      const now = ctx.model.state(ref).sort;
      const chosen =
        given !== undefined
          ? given
          : picked.site.kind === 'copernica'
            ? await askClickSort(picked.resource, now)
            : await askBdSort(picked.resource, now, ctx.model.columnsSeen(ref));
      if (chosen === undefined) return;
      await relist(ref, () => ctx.model.setSort(ref, chosen ?? undefined));
    },

    [COMMANDS.findRecord]: (target?: TreeNode | string, text?: string) => findRecord(ctx, target, text),

    [COMMANDS.openRecord]: async (node?: RecordNode) => {
      const target = node ?? (ctx.treeView.selection[0]?.type === 'record' ? (ctx.treeView.selection[0] as RecordNode) : undefined);
      if (!target) return;
      const uri = recordUri(target.site, target.model, target.id);
      await ctx.store.reload(uri);
      const doc = await showRecord(uri, true);
      return doc.uri.toString();
    },

    [COMMANDS.openRecordById]: async (target?: TreeNode | string, id?: string) => {
      const selected = ctx.treeView.selection[0];
      const node = typeof target === 'object' ? target : target === undefined && selected?.type !== 'message' ? selected : undefined;
      const site = await pickSite(ctx, typeof target === 'string' ? target : node, vscode.l10n.t('Open Record by ID: on which site?'));
      if (!site) return;
      const bd = site.kind === 'brilliantDirectories';
      let resource = node && 'model' in node ? resourceFor(node.model) : undefined;
      const typed =
        id ??
        (await vscode.window.showInputBox({
          title: resource ? vscode.l10n.t('Open {0} by ID', resource.singular) : vscode.l10n.t('Open Record by ID on {0}', site.name),
          prompt: bd
            ? vscode.l10n.t('The {0}, or an email or a name to find the record by', resource?.primaryKey ?? vscode.l10n.t('record id'))
            : vscode.l10n.t('The {0} ({1})', resource?.primaryKey ?? 'ID', resource?.singular ?? vscode.l10n.t('click')),
          ignoreFocusOut: true,
          validateInput: (v) =>
            ID.test(v.trim())
              ? undefined
              : bd && v.trim() !== ''
                ? { message: vscode.l10n.t('Not an id: Enter searches for it with Find Record.'), severity: vscode.InputBoxValidationSeverity.Info }
                : vscode.l10n.t('An id is a positive whole number.'),
        }));
      if (!typed?.trim()) return;
      // An email or a name: Find Record takes over, with what was typed.
      if (bd && !ID.test(typed.trim())) return vscode.commands.executeCommand<string | undefined>(COMMANDS.findRecord, site.name, typed.trim());
      resource ??= await pickResource(site, vscode.l10n.t('Open record {0}: which kind of record on {1}?', typed.trim(), site.name));
      if (!resource) return;
      const picked = { site, resource };
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


/** The conditions after a change given to Filter… (see FilterChange). */
function changedConditions(conditions: readonly RecordFilter[], change: FilterChange): readonly RecordFilter[] {
  if ('kind' in change) return change.kind === 'bd' ? change.filters : conditions;
  if ('field' in change) return [...conditions, change];
  if ('to' in change) return conditions.map((c, i) => (i === change.change ? change.to : c));
  return conditions.filter((_, i) => i !== change.remove);
}
