import * as vscode from 'vscode';
import type { FilterOperator } from '../api/filters';

interface OperatorChoice {
  readonly operator: FilterOperator;
  readonly label: string;
  readonly hint?: string;
}

/** Plain-language names for BD's filter words, in the order people reach for them. */
export function operatorChoices(): readonly OperatorChoice[] {
  return [
    { operator: 'eq', label: vscode.l10n.t('is') },
    { operator: 'ne', label: vscode.l10n.t('is not') },
    { operator: 'contains', label: vscode.l10n.t('contains') },
    { operator: 'not_contains', label: vscode.l10n.t('does not contain') },
    { operator: 'starts_with', label: vscode.l10n.t('starts with') },
    { operator: 'ends_with', label: vscode.l10n.t('ends with') },
    { operator: 'in', label: vscode.l10n.t('is one of'), hint: vscode.l10n.t('comma-separated values') },
    { operator: 'not_in', label: vscode.l10n.t('is none of'), hint: vscode.l10n.t('comma-separated values') },
    { operator: 'gt', label: vscode.l10n.t('is greater than') },
    { operator: 'gte', label: vscode.l10n.t('is at least') },
    { operator: 'lt', label: vscode.l10n.t('is less than') },
    { operator: 'lte', label: vscode.l10n.t('is at most') },
    { operator: 'between', label: vscode.l10n.t('is between'), hint: vscode.l10n.t('two values separated by a comma') },
    { operator: 'like', label: vscode.l10n.t('matches pattern'), hint: vscode.l10n.t('% matches any text') },
    { operator: 'not_like', label: vscode.l10n.t('does not match pattern'), hint: vscode.l10n.t('% matches any text') },
    { operator: 'is_set', label: vscode.l10n.t('is not empty') },
    { operator: 'is_not_set', label: vscode.l10n.t('is empty') },
    { operator: 'is_null', label: vscode.l10n.t('is null') },
    { operator: 'is_not_null', label: vscode.l10n.t('is not null') },
    { operator: 'since_days', label: vscode.l10n.t('within the last N days') },
    { operator: 'until_days', label: vscode.l10n.t('older than N days') },
    { operator: 'year_eq', label: vscode.l10n.t('year is') },
    { operator: 'month_eq', label: vscode.l10n.t('month is') },
    { operator: 'day_eq', label: vscode.l10n.t('day is') },
    { operator: 'length_eq', label: vscode.l10n.t('length is') },
  ];
}

export function operatorLabel(operator: FilterOperator): string {
  return operatorChoices().find((c) => c.operator === operator)?.label ?? operator;
}
