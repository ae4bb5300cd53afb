import * as vscode from 'vscode';
import type { FilterOperator } from '../api/filters';

interface OperatorChoice {
  readonly operator: FilterOperator;
  readonly label: string;
  readonly hint?: string;
}

/** Plain-language names for BD's filter words, in the order people reach for them. */
export function operatorChoices(): readonly OperatorChoice[] {
  const t = vscode.l10n.t;
  return [
    { operator: 'eq', label: t('is') },
    { operator: 'ne', label: t('is not') },
    { operator: 'contains', label: t('contains') },
    { operator: 'not_contains', label: t('does not contain') },
    { operator: 'starts_with', label: t('starts with') },
    { operator: 'ends_with', label: t('ends with') },
    { operator: 'in', label: t('is one of'), hint: t('comma-separated values') },
    { operator: 'not_in', label: t('is none of'), hint: t('comma-separated values') },
    { operator: 'gt', label: t('is greater than') },
    { operator: 'gte', label: t('is at least') },
    { operator: 'lt', label: t('is less than') },
    { operator: 'lte', label: t('is at most') },
    { operator: 'between', label: t('is between'), hint: t('two values separated by a comma') },
    { operator: 'like', label: t('matches pattern'), hint: t('% matches any text') },
    { operator: 'not_like', label: t('does not match pattern'), hint: t('% matches any text') },
    { operator: 'is_set', label: t('is not empty') },
    { operator: 'is_not_set', label: t('is empty') },
    { operator: 'is_null', label: t('is null') },
    { operator: 'is_not_null', label: t('is not null') },
    { operator: 'since_days', label: t('within the last N days') },
    { operator: 'until_days', label: t('older than N days') },
    { operator: 'year_eq', label: t('year is') },
    { operator: 'month_eq', label: t('month is') },
    { operator: 'day_eq', label: t('day is') },
    { operator: 'length_eq', label: t('length is') },
  ];
}

export function operatorLabel(operator: FilterOperator): string {
  return operatorChoices().find((c) => c.operator === operator)?.label ?? operator;
}
