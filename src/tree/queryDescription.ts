import * as vscode from 'vscode';
import type { ResourceQuery } from '../sites/siteApi';
import { operatorLabel } from '../messages/filterOperators';

/** The active filter in a few words, for the resource node's description. */
export function describeQuery(query: ResourceQuery): string {
  if (query.kind === 'bd') {
    return query.filters.map((f) => `${f.field} ${operatorLabel(f.operator)}${f.value ? ` "${f.value}"` : ''}`).join(vscode.l10n.t(' and '));
  }
  const parts: string[] = [];
  if (query.begintime) parts.push(vscode.l10n.t('from {0}', query.begintime));
  if (query.endtime) parts.push(vscode.l10n.t('until {0}', query.endtime));
  if (query.unique) parts.push(vscode.l10n.t('unique only'));
  return parts.join(', ');
}
