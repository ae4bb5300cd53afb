import * as vscode from 'vscode';
import type { TimePreset } from '../api/filters';
import { resourceFor, type ModelName } from '../api/resources';
import { describeCondition } from '../messages/filterOperators';
import type { ListingFilter, ListingSort } from './listingQuery';


/** The active filter in a few words, for the resource node's description. */
export function describeQuery(query: ListingFilter): string {
  if (query.kind === 'bd') return query.filters.map(describeCondition).join(vscode.l10n.t(' and '));
  const parts: string[] = [];
  if (query.preset) parts.push(presetLabel(query.preset));
  else if (query.begintime) parts.push(vscode.l10n.t('from {0}', query.begintime));
  if (query.endtime) parts.push(vscode.l10n.t('until {0}', query.endtime));
  if (query.unique) parts.push(vscode.l10n.t('unique only'));
  return parts.join(', ');
}

/** A preset time range in words ("last 7 days"). */
export function presetLabel(preset: TimePreset): string {
  switch (preset) {
    case 'today':
      return vscode.l10n.t('today');
    case 'last7':
      return vscode.l10n.t('last 7 days');
    case 'last30':
      return vscode.l10n.t('last 30 days');
    case 'last90':
      return vscode.l10n.t('last 90 days');
  }
}

/** The order in a few words: "last_name ↓", or "oldest first" for the primary key ascending. */
export function describeSort(model: ModelName, sort: ListingSort): string {
  if (sort.field === resourceFor(model)?.primaryKey) return sort.direction === 'ASC' ? vscode.l10n.t('oldest first') : vscode.l10n.t('newest first');
  return `${sort.field} ${sort.direction === 'ASC' ? '↑' : '↓'}`;
}

/** The order in a sentence, for a tooltip. */
export function explainSort(model: ModelName, sort: ListingSort): string {
  if (sort.field === resourceFor(model)?.primaryKey) return sort.direction === 'ASC' ? vscode.l10n.t('Sorted oldest first.') : vscode.l10n.t('Sorted newest first.');
  return sort.direction === 'ASC'
    ? vscode.l10n.t('Sorted by {0}, ascending (A to Z, 0 to 9; empty values first).', sort.field)
    : vscode.l10n.t('Sorted by {0}, descending (Z to A, 9 to 0; empty values last).', sort.field);
}

/**
 * What narrows and orders a resource's listing, in a few words for its description (empty
 * when it is the plain listing, newest first): `country_code is "US" · last_name ↓`.
 */
export function describeListing(model: ModelName, state: { readonly query: ListingFilter | undefined; readonly sort: ListingSort | undefined }): string {
  return [state.query ? describeQuery(state.query) : '', state.sort ? describeSort(model, state.sort) : ''].filter(Boolean).join(' · ');
}
