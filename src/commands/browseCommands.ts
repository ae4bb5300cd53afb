import * as vscode from 'vscode';
import { isApiError } from '../api/errors';
import type { RecordFilter } from '../api/filters';
import { checkRecordId } from '../api/ids';
import { resourceFor } from '../api/resources';
import { recordUri } from '../documents/recordUri';
import { showRecord } from '../documents/showRecord';
import { parseSavedListing, type ListingFilter, type ListingSort } from '../tree/listingQuery';
import { SITES_VIEW_ID } from '../tree/recordsTreeProvider';
import type { RecordNode, ResourceNode, TreeNode } from '../tree/treeNodes';
import type { ArgsHandler, CommandContext } from './commandContext';
import { givenString, isObject, type CommandArgs } from './commandArgs';
import { COMMANDS } from '../commandIds';
import { findRecord } from './findRecord';
import { askBdSort, askClickSort, editClickRange, editConditions } from './listingPrompts';
import { pickResource, pickSite, pickSiteAndResource } from './pickers';
import { errorText } from '../messages/errorText';

type BrowseCommand = 'refresh' | 'loadMore' | 'filter' | 'clearFilter' | 'sort' | 'openRecord' | 'openRecordById' | 'findRecord';

/**
 * What Filter… can be given instead of asking: a whole listing filter (any caller, see
 * CommandArgs.listing), or, from the in-host tests only, a condition to add (BD) or a change
 * to one condition by its position.
 */
type FilterChange = RecordFilter | ListingFilter | { readonly remove: number } | { readonly change: number; readonly to: RecordFilter };

const ID = /^[1-9]\d*$/;

export function browseCommands(ctx: CommandContext): Record<(typeof COMMANDS)[BrowseCommand], ArgsHandler> {

  /** Applies a new listing (filter or sort) with the view's progress, then shows the resource expanded. */
  async function relist(ref: { site: string; model: ResourceNode['model'] }, change: () => Promise<void>): Promise<void> {
    await vscode.window.withProgress({ location: { viewId: SITES_VIEW_ID } }, change);
    await ctx.treeView.reveal(ctx.provider.resourceNode(ref.site, ref.model), { expand: true, select: false });
  }

  return {
    [COMMANDS.refresh]: ({ node }: CommandArgs) => {
      const target = node?.type === 'message' ? node.parent : node;
      if (!target) ctx.model.refresh(undefined);
      else if (target.type === 'site') ctx.model.refresh({ site: target.site });
      else ctx.model.refresh({ site: target.site, model: target.model });
    },

    // The Load more row, or its resource row: the next page of that listing. Nothing else says which.
    [COMMANDS.loadMore]: ({ node }: CommandArgs) => {
      if (node?.type !== 'loadMore' && node?.type !== 'resource') return undefined;
      return vscode.window.withProgress({ location: { viewId: SITES_VIEW_ID } }, () => ctx.model.loadMore({ site: node.site, model: node.model }));
    },

    [COMMANDS.filter]: async (args: CommandArgs) => {
      const picked = await pickSiteAndResource(ctx, listingRow(args.node), vscode.l10n.t('Filter which records?'));
      if (!picked) return;
      const ref = { site: picked.site.name, model: picked.resource.model };
      const current = ctx.model.state(ref).query;
      // A listing filter that does not fit this resource asks instead.
      const listing = args.listing === undefined ? undefined : parseSavedListing(picked.resource, { filter: args.listing })?.filter;
      const given: FilterChange | undefined = listing ?? filterChange(args.given[0]);
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

    [COMMANDS.clearFilter]: async ({ node }: CommandArgs) => {
      const picked = await pickSiteAndResource(ctx, listingRow(node), vscode.l10n.t('Clear the filter of which records?'));
      if (!picked) return;
      // The sort stays: it is not a filter.
      await ctx.model.setQuery({ site: picked.site.name, model: picked.resource.model }, undefined);
    },

    [COMMANDS.sort]: async (args: CommandArgs) => {
      const given = sortGiven(args.given);
      const picked = await pickSiteAndResource(ctx, listingRow(args.node), vscode.l10n.t('Sort which records?'));
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

    [COMMANDS.findRecord]: (args: CommandArgs) => findRecord(ctx, args.node, givenString(args, 0)),

    // A record row (a click on it, its menu), else the selected record; anything else opens nothing.
    [COMMANDS.openRecord]: async ({ node }: CommandArgs) => {
      const selected = ctx.treeView.selection[0];
      const target = node?.type === 'record' ? node : !node && selected?.type === 'record' ? (selected as RecordNode) : undefined;
      if (!target) return;
      const uri = recordUri(target.site, target.model, target.id);
      await ctx.store.reload(uri);
      const doc = await showRecord(uri, true);
      return doc.uri.toString();
    },

    [COMMANDS.openRecordById]: async (args: CommandArgs) => {
      const id = givenString(args, 0);
      const selected = ctx.treeView.selection[0];
      const node = args.node?.type === 'message' ? undefined : (args.node ?? (selected?.type !== 'message' ? selected : undefined));
      const site = await pickSite(ctx, node, vscode.l10n.t('Open Record by ID: on which site?'));
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
      if (bd && !ID.test(typed.trim())) return findRecord(ctx, { type: 'site', site: site.name }, typed.trim());
      resource ??= await pickResource(site, vscode.l10n.t('Open record {0}: which kind of record on {1}?', typed.trim(), site.name));
      if (!resource) return;
      const picked = { site, resource };
      const safeId = checkRecordId(typed.trim(), `${picked.resource.singular} id`);
      const uri = recordUri(picked.site.name, picked.resource.model, safeId);
      try {
        const api = await ctx.connections.require(picked.site.name);
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


/** A resource or record row (its resource), or nothing: a site row or a message asks which resource. */
function listingRow(node: TreeNode | undefined): TreeNode | undefined {
  return node?.type === 'resource' || node?.type === 'record' || node?.type === 'loadMore' || node?.type === 'site' ? node : undefined;
}

/** A test's change to the filter (CommandArgs.given), when it has one of FilterChange's shapes. */
function filterChange(value: unknown): FilterChange | undefined {
  if (!isObject(value)) return undefined;
  if (value['kind'] === 'bd' || value['kind'] === 'copernica') return value as ListingFilter;
  if (typeof value['field'] === 'string' && typeof value['operator'] === 'string' && typeof value['value'] === 'string') return value as unknown as RecordFilter;
  if (typeof value['remove'] === 'number') return { remove: value['remove'] };
  if (typeof value['change'] === 'number' && isObject(value['to'])) return value as unknown as FilterChange;
  return undefined;
}

/** A test's sort (CommandArgs.given): an order, or null for newest first; undefined asks. */
function sortGiven(given: readonly unknown[]): ListingSort | null | undefined {
  if (given.length === 0) return undefined;
  const [value] = given;
  if (value === null) return null;
  return isObject(value) && typeof value['field'] === 'string' && (value['direction'] === 'ASC' || value['direction'] === 'DESC') ? (value as unknown as ListingSort) : undefined;
}

/** The conditions after a change given to Filter… (see FilterChange). */
function changedConditions(conditions: readonly RecordFilter[], change: FilterChange): readonly RecordFilter[] {
  if ('kind' in change) return change.kind === 'bd' ? change.filters : conditions;
  if ('field' in change) return [...conditions, change];
  if ('to' in change) return conditions.map((c, i) => (i === change.change ? change.to : c));
  return conditions.filter((_, i) => i !== change.remove);
}
