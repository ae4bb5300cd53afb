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
    { operator: 'eq', label: vscode.l10n.t('is'), hint: vscode.l10n.t('the whole value, upper and lower case alike') },
    { operator: 'ne', label: vscode.l10n.t('is not') },
    { operator: 'contains', label: vscode.l10n.t('contains'), hint: vscode.l10n.t('text anywhere in the value, upper and lower case alike; a comma means "or"') },
    { operator: 'not_contains', label: vscode.l10n.t('does not contain'), hint: vscode.l10n.t('a comma means "or": none of them') },
    { operator: 'starts_with', label: vscode.l10n.t('starts with'), hint: vscode.l10n.t('a comma means "or"') },
    { operator: 'ends_with', label: vscode.l10n.t('ends with'), hint: vscode.l10n.t('a comma means "or", e.g. .com,.org') },
    { operator: 'in', label: vscode.l10n.t('is one of'), hint: vscode.l10n.t('comma-separated values') },
    { operator: 'not_in', label: vscode.l10n.t('is none of'), hint: vscode.l10n.t('comma-separated values') },
    { operator: 'gt', label: vscode.l10n.t('is greater than') },
    { operator: 'gte', label: vscode.l10n.t('is at least') },
    { operator: 'lt', label: vscode.l10n.t('is less than') },
    { operator: 'lte', label: vscode.l10n.t('is at most') },
    { operator: 'between', label: vscode.l10n.t('is between'), hint: vscode.l10n.t('two values separated by a comma') },
    { operator: 'like', label: vscode.l10n.t('matches pattern'), hint: vscode.l10n.t('_ stands for any one character (% is stripped by the site: use "contains" for text anywhere)') },
    { operator: 'not_like', label: vscode.l10n.t('does not match pattern'), hint: vscode.l10n.t('_ stands for any one character (% is stripped by the site)') },
    { operator: 'is_set', label: vscode.l10n.t('is not empty') },
    { operator: 'is_not_set', label: vscode.l10n.t('is empty') },
    { operator: 'is_null', label: vscode.l10n.t('is null') },
    { operator: 'is_not_null', label: vscode.l10n.t('is not null') },
    { operator: 'since_days', label: vscode.l10n.t('within the last N days') },
    { operator: 'until_days', label: vscode.l10n.t('older than N days'), hint: vscode.l10n.t('also matches records without a date') },
    { operator: 'year_eq', label: vscode.l10n.t('year is') },
    { operator: 'month_eq', label: vscode.l10n.t('month is') },
    { operator: 'day_eq', label: vscode.l10n.t('day is') },
    { operator: 'length_eq', label: vscode.l10n.t('length is') },
  ];
}

/** Text operators that read a date column's display form, not its stored digits: wrong rows on a date. */
const NOT_FOR_DATES: ReadonlySet<FilterOperator> = new Set(['contains', 'not_contains', 'starts_with', 'ends_with', 'like', 'not_like', 'length_eq']);
const ONLY_FOR_DATES: ReadonlySet<FilterOperator> = new Set(['since_days', 'until_days', 'year_eq', 'month_eq', 'day_eq']);

/**
 * The operators worth offering for a column: a date column gets the calendar ones first and no
 * text matching; a column the extension knows is not a date gets no calendar ones; a custom
 * column (type unknown) gets them all.
 */
export function operatorChoicesFor(column: 'date' | 'other' | 'unknown'): readonly OperatorChoice[] {
  const all = operatorChoices();
  if (column === 'unknown') return all;
  if (column === 'other') return all.filter((c) => !ONLY_FOR_DATES.has(c.operator));
  const dates = all.filter((c) => ONLY_FOR_DATES.has(c.operator));
  return [...dates, ...all.filter((c) => !ONLY_FOR_DATES.has(c.operator) && !NOT_FOR_DATES.has(c.operator))];
}

export function operatorLabel(operator: FilterOperator): string {
  return operatorChoices().find((c) => c.operator === operator)?.label ?? operator;
}

/** One BD condition in words: `country_code is "US"`. */
export function describeCondition(filter: { readonly field: string; readonly operator: Parameters<typeof operatorLabel>[0]; readonly value: string }): string {
  return `${filter.field} ${operatorLabel(filter.operator)}${filter.value ? ` "${filter.value}"` : ''}`;
}
