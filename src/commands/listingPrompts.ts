import * as vscode from 'vscode';
import { VALUELESS_OPERATORS, isFieldName, likeValueProblem, type FilterOperator, type RecordFilter, type TimePreset } from '../api/filters';
import type { ResourceDescriptor } from '../api/resources';
import { renderText } from '../api/text';
import { operatorChoicesFor } from '../messages/filterOperators';
import type { ListingFilter, ListingSort } from '../tree/listingQuery';
import { describeCondition } from '../messages/filterOperators';
import { describeQuery, presetLabel } from '../tree/queryDescription';

// The prompts behind Filter… and Sort…: what the user picks and types, returned as a value for
// the tree model. Nothing here changes a listing; every function resolves undefined on Escape.

interface Picked<T> extends vscode.QuickPickItem {
  readonly value?: T;
}

/** A quick pick of `items` with `active` highlighted (matched by `same`); resolves to the chosen item's value. */
async function choose<T>(items: readonly Picked<T>[], options: { title: string; placeholder?: string; active?: T; same?: (a: T, b: T) => boolean }): Promise<T | undefined> {
  const pick = vscode.window.createQuickPick<Picked<T>>();
  pick.title = options.title;
  pick.placeholder = options.placeholder;
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = true;
  pick.items = items;
  const same = options.same ?? ((a: T, b: T) => a === b);
  const active = options.active === undefined ? undefined : items.find((item) => item.value !== undefined && same(item.value, options.active as T));
  if (active) pick.activeItems = [active];
  return new Promise<T | undefined>((resolve) => {
    let done = false;
    const finish = (value: T | undefined): void => {
      if (done) return;
      done = true;
      resolve(value);
      pick.dispose();
    };
    pick.onDidAccept(() => {
      const value = (pick.selectedItems[0] ?? pick.activeItems[0])?.value;
      if (value !== undefined) finish(value);
    });
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
}

const separator = (label: string): Picked<never> => ({ label, kind: vscode.QuickPickItemKind.Separator });
const current = (): string => vscode.l10n.t('current');

// ---- BD: the conditions ----

type ConditionAction = { readonly change: number } | { readonly remove: number } | 'add' | 'clear';

/**
 * Filter… on a BD resource: with no condition yet, asks for one; otherwise lists the current
 * conditions (all must match) to change or remove one, add another, or remove them all.
 * Resolves to the new list of conditions (empty: no filter).
 */
export async function editConditions(resource: ResourceDescriptor, conditions: readonly RecordFilter[], seenColumns: readonly string[]): Promise<readonly RecordFilter[] | undefined> {
  if (conditions.length === 0) {
    const added = await askCondition(resource, seenColumns, undefined, vscode.l10n.t('Filter {0}', resource.plural));
    return added && [added];
  }
  const trash: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: vscode.l10n.t('Remove this condition') };
  const items: Picked<ConditionAction>[] = [
    separator(vscode.l10n.t('All of these must match')),
    ...conditions.map((condition, index) => ({
      label: `$(filter) ${describeCondition(condition)}`,
      description: vscode.l10n.t('change or remove'),
      buttons: [trash],
      value: { change: index },
    })),
    separator(''),
    { label: vscode.l10n.t('$(add) Add a condition…'), description: vscode.l10n.t('records must match it too'), value: 'add' },
    { label: vscode.l10n.t('$(clear-all) Remove all conditions'), value: 'clear' },
  ];
  const pick = vscode.window.createQuickPick<Picked<ConditionAction>>();
  pick.title = vscode.l10n.t('Filter {0}', resource.plural);
  pick.placeholder = vscode.l10n.t('Choose a condition to change or remove it, or add another');
  pick.ignoreFocusOut = true;
  pick.items = items;
  pick.activeItems = [items[1]!];
  const action = await new Promise<ConditionAction | undefined>((resolve) => {
    let done = false;
    const finish = (value: ConditionAction | undefined): void => {
      if (done) return;
      done = true;
      resolve(value);
      pick.dispose();
    };
    pick.onDidTriggerItemButton((event) => {
      const value = event.item.value;
      if (value && typeof value === 'object' && 'change' in value) finish({ remove: value.change });
    });
    pick.onDidAccept(() => finish((pick.selectedItems[0] ?? pick.activeItems[0])?.value));
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
  if (action === undefined) return undefined;
  if (action === 'clear') return [];
  if (action === 'add') {
    const added = await askCondition(resource, seenColumns, undefined, vscode.l10n.t('Add a condition to {0}', resource.plural));
    return added && [...conditions, added];
  }
  if ('remove' in action) return conditions.filter((_, i) => i !== action.remove);
  const index = action.change;
  const condition = conditions[index]!;
  const what = await choose<'change' | 'remove'>(
    [
      { label: vscode.l10n.t('$(edit) Change this condition…'), value: 'change' },
      { label: vscode.l10n.t('$(trash) Remove this condition'), value: 'remove' },
    ],
    { title: describeCondition(condition) },
  );
  if (what === undefined) return undefined;
  if (what === 'remove') return conditions.filter((_, i) => i !== index);
  const changed = await askCondition(resource, seenColumns, condition, vscode.l10n.t('Change {0}', describeCondition(condition)));
  return changed && conditions.map((c, i) => (i === index ? changed : c));
}

const OTHER_COLUMN = '\u0000other';

/** The columns a listing can be filtered or sorted by: the resource's fields, then custom columns seen on its records. */
function columnItems(resource: ResourceDescriptor, seenColumns: readonly string[], options: { sorting: boolean }): Picked<string>[] {
  const fields = resource.fields.filter((field) => !(options.sorting && field.filterOnly));
  const items: Picked<string>[] = fields.map((field) => ({ label: field.name, detail: field.description, value: field.name }));
  if (seenColumns.length > 0) {
    items.push(separator(vscode.l10n.t('Custom columns seen on loaded records')));
    items.push(...seenColumns.map((name) => ({ label: name, detail: vscode.l10n.t('A column of this site that the vendor documentation does not list.'), value: name })));
  }
  items.push(separator(''));
  items.push({ label: vscode.l10n.t('$(edit) Another column…'), detail: vscode.l10n.t('Type its name (a column Brilliant Directories does not know answers as "no match").'), value: OTHER_COLUMN });
  return items;
}

async function askColumn(resource: ResourceDescriptor, seenColumns: readonly string[], options: { title: string; active?: string; sorting: boolean }): Promise<string | undefined> {
  const column = await choose(columnItems(resource, seenColumns, options), { title: options.title, active: options.active });
  if (column !== OTHER_COLUMN) return column;
  const typed = await vscode.window.showInputBox({
    title: options.title,
    prompt: vscode.l10n.t('The column name as the site stores it, e.g. member_tier'),
    ignoreFocusOut: true,
    validateInput: (v) => (isFieldName(v.trim()) ? undefined : vscode.l10n.t('A column name is letters, digits and _, not starting with a digit.')),
  });
  return typed?.trim() || undefined;
}

/** Asks for one condition (column, operator, value), prefilled from `existing` when changing one. */
async function askCondition(resource: ResourceDescriptor, seenColumns: readonly string[], existing: RecordFilter | undefined, title: string): Promise<RecordFilter | undefined> {
  const field = await askColumn(resource, seenColumns, { title: vscode.l10n.t('{0} (1/3): column', title), active: existing?.field, sorting: false });
  if (!field) return undefined;
  const descriptor = resource.fields.find((f) => f.name === field);
  const columnKind = !descriptor ? 'unknown' : descriptor.dateFormat ? 'date' : 'other';
  const choices = operatorChoicesFor(columnKind);
  const operator = await choose<FilterOperator>(
    choices.map((c) => ({ label: c.label, description: c.operator, detail: c.hint, value: c.operator })),
    { title: vscode.l10n.t('{0} (2/3): {1} …', title, field), active: existing?.operator },
  );
  if (!operator) return undefined;
  if (VALUELESS_OPERATORS.has(operator)) return { field, operator, value: '' };
  const label = choices.find((c) => c.operator === operator)?.label ?? operator;
  const dateHint = descriptor?.dateFormat && !['since_days', 'until_days', 'year_eq', 'month_eq', 'day_eq'].includes(operator)
    ? vscode.l10n.t('Dates are compared as stored: {0}, e.g. {1}.', descriptor.dateFormat, descriptor.dateFormat === 'YYYY-MM-DD HH:MM:SS' ? '2024-01-31 23:59:59' : descriptor.dateFormat === 'YYYYMMDDHHMM' ? '202401312359' : '20240131235959')
    : undefined;
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('{0} (3/3): {1} {2} …', title, field, label),
    prompt: [choices.find((c) => c.operator === operator)?.hint, dateHint].filter(Boolean).join(' ') || undefined,
    value: existing && !VALUELESS_OPERATORS.has(existing.operator) ? existing.value : '',
    ignoreFocusOut: true,
    validateInput: (v) => conditionValueProblem(operator, v),
  });
  return value === undefined ? undefined : { field, operator, value: value.trim() };
}

function conditionValueProblem(operator: FilterOperator, value: string): string | vscode.InputBoxValidationMessage | undefined {
  if (value.trim() === '') return vscode.l10n.t('Enter a value.');
  if (operator === 'between' && value.split(',').filter((part) => part.trim() !== '').length !== 2) return vscode.l10n.t('Two values separated by a comma, e.g. 10,20.');
  if (['since_days', 'until_days', 'length_eq', 'day_eq', 'month_eq'].includes(operator) && !/^\d+$/.test(value.trim())) return vscode.l10n.t('A whole number.');
  if (operator === 'year_eq' && !/^\d{4}$/.test(value.trim())) return vscode.l10n.t('A year, e.g. 2024.');
  const like = likeValueProblem(operator, value);
  if (like) return renderText(like, (template, args) => vscode.l10n.t(template, ...args));
  if ((operator === 'like' || operator === 'not_like') && !value.includes('_')) {
    return { message: vscode.l10n.t('Without "_" a pattern matches the whole value only, as "is" does.'), severity: vscode.InputBoxValidationSeverity.Info };
  }
  return undefined;
}

// ---- Copernica: the time range ----

type RangeChoice = TimePreset | 'any' | 'custom';
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/;

/**
 * Filter… on Copernica clicks: when (any time, today, the last 7, 30 or 90 days, or a typed
 * range), then all or unique clicks, each step showing what is set now. Resolves to the new
 * filter (`null`: none), undefined on Escape.
 */
export async function editClickRange(now: ListingFilter | undefined): Promise<ListingFilter | null | undefined> {
  const range = now?.kind === 'copernica' ? now : undefined;
  const set: RangeChoice = range?.preset ?? (range?.begintime || range?.endtime ? 'custom' : 'any');
  const typed = range && !range.preset && (range.begintime || range.endtime) ? describeQuery({ kind: 'copernica', begintime: range.begintime, endtime: range.endtime }) : undefined;
  const mark = (choice: RangeChoice): string | undefined => (choice === set ? current() : undefined);
  const when = await choose<RangeChoice>(
    [
      { label: vscode.l10n.t('Any time'), description: mark('any'), value: 'any' },
      ...(['today', 'last7', 'last30', 'last90'] as const).map((preset) => ({ label: capitalise(presetLabel(preset)), description: mark(preset), value: preset })),
      { label: vscode.l10n.t('Custom range…'), description: typed ? `${current()}: ${typed}` : undefined, detail: vscode.l10n.t('Type a start and an end (YYYY-MM-DD HH:MM:SS, UTC)'), value: 'custom' },
    ],
    { title: vscode.l10n.t('Filter Clicks (1/2): when'), placeholder: vscode.l10n.t('Times are UTC, as Copernica lists them'), active: set },
  );
  if (when === undefined) return undefined;
  let times: { begintime?: string; endtime?: string; preset?: TimePreset } = {};
  if (when === 'custom') {
    const check = (v: string): string | undefined => (v.trim() === '' || TIMESTAMP.test(v.trim()) ? undefined : vscode.l10n.t('Use the form 2024-01-31 23:59:59 (or just 2024-01-31), or leave it empty.'));
    const full = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim().length === 10 ? `${v.trim()} 00:00:00` : v.trim());
    const begintime = await vscode.window.showInputBox({ title: vscode.l10n.t('Filter Clicks: from'), prompt: vscode.l10n.t('Clicks at or after this time (YYYY-MM-DD HH:MM:SS, UTC), empty for no start'), value: range?.begintime ?? '', validateInput: check, ignoreFocusOut: true });
    if (begintime === undefined) return undefined;
    const endtime = await vscode.window.showInputBox({ title: vscode.l10n.t('Filter Clicks: until'), prompt: vscode.l10n.t('Clicks before this time (YYYY-MM-DD HH:MM:SS, UTC), empty for no end'), value: range?.endtime ?? '', validateInput: check, ignoreFocusOut: true });
    if (endtime === undefined) return undefined;
    times = { begintime: full(begintime), endtime: full(endtime) };
  } else if (when !== 'any') {
    times = { preset: when };
  }
  const unique = await choose<boolean>(
    [
      { label: vscode.l10n.t('All clicks'), description: range?.unique ? undefined : current(), value: false },
      { label: vscode.l10n.t('Unique clicks only'), description: range?.unique ? current() : undefined, detail: vscode.l10n.t('One click per destination per link'), value: true },
    ],
    { title: vscode.l10n.t('Filter Clicks (2/2): which clicks'), active: range?.unique === true },
  );
  if (unique === undefined) return undefined;
  const filter: ListingFilter = { kind: 'copernica', ...times, ...(unique ? { unique } : {}) };
  return filter.begintime || filter.endtime || filter.preset || filter.unique ? filter : null;
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

// ---- Sort ----

/**
 * Sort… on a BD resource: newest or oldest first (by its primary key, the paging that holds
 * while the data changes), or any column, then the direction. Resolves to the order chosen
 * (`null`: the default, newest first).
 */
export async function askBdSort(resource: ResourceDescriptor, now: ListingSort | undefined, seenColumns: readonly string[]): Promise<ListingSort | null | undefined> {
  const key = resource.primaryKey;
  const isNow = (field: string, direction?: 'ASC' | 'DESC'): string | undefined =>
    (now ? now.field === field && (direction === undefined || now.direction === direction) : field === key && direction === 'DESC') ? current() : undefined;
  const items: Picked<string>[] = [
    { label: vscode.l10n.t('$(arrow-down) Newest first'), description: isNow(key, 'DESC'), detail: vscode.l10n.t('The default: by {0}, descending', key), value: `${key} DESC` },
    { label: vscode.l10n.t('$(arrow-up) Oldest first'), description: isNow(key, 'ASC'), detail: vscode.l10n.t('By {0}, ascending', key), value: `${key} ASC` },
    // A short separator: a long one is cut and hides the first column under it.
    separator(vscode.l10n.t('By a column')),
    ...columnItems(resource, seenColumns, { sorting: true })
      .filter((item) => item.value !== key)
      .map((item) => (item.value && item.value !== OTHER_COLUMN ? { ...item, description: isNow(item.value) } : item)),
  ];
  const active = now ? (now.field === key ? `${key} ${now.direction}` : now.field) : `${key} DESC`;
  const title = vscode.l10n.t('Sort {0}', resource.plural);
  let column = await choose(items, {
    title: vscode.l10n.t('{0} (1/2): by', title),
    placeholder: vscode.l10n.t('By a column, Load more follows the site\'s page cursor: records added meanwhile can shift the pages'),
    active,
  });
  if (column === undefined) return undefined;
  if (column === `${key} DESC`) return null;
  if (column === `${key} ASC`) return { field: key, direction: 'ASC' };
  if (column === OTHER_COLUMN) {
    column = await vscode.window.showInputBox({
      title: vscode.l10n.t('{0} (1/2): by', title),
      prompt: vscode.l10n.t('The column name as the site stores it, e.g. member_tier (a column the site does not know leaves the order as it was)'),
      ignoreFocusOut: true,
      validateInput: (v) => (isFieldName(v.trim()) ? undefined : vscode.l10n.t('A column name is letters, digits and _, not starting with a digit.')),
    });
    column = column?.trim();
    if (!column) return undefined;
  }
  const field = column;
  const direction = await choose<'ASC' | 'DESC'>(
    [
      { label: vscode.l10n.t('$(arrow-up) Ascending'), description: now?.field === field && now.direction === 'ASC' ? current() : undefined, detail: vscode.l10n.t('A to Z, 0 to 9, earliest dates first; empty values first'), value: 'ASC' },
      { label: vscode.l10n.t('$(arrow-down) Descending'), description: now?.field === field && now.direction === 'DESC' ? current() : undefined, detail: vscode.l10n.t('Z to A, 9 to 0, latest dates first; empty values last'), value: 'DESC' },
    ],
    { title: vscode.l10n.t('{0} (2/2): {1}', title, field), active: now?.field === field ? now.direction : 'ASC' },
  );
  return direction && { field, direction };
}

/** Sort… on Copernica clicks: its API has no sort parameter, so newest or oldest first is all there is. */
export async function askClickSort(resource: ResourceDescriptor, now: ListingSort | undefined): Promise<ListingSort | null | undefined> {
  const oldest = now?.direction === 'ASC';
  const choice = await choose<'newest' | 'oldest'>(
    [
      { label: vscode.l10n.t('$(arrow-down) Newest first'), description: oldest ? undefined : current(), detail: vscode.l10n.t('The default'), value: 'newest' },
      { label: vscode.l10n.t('$(arrow-up) Oldest first'), description: oldest ? current() : undefined, value: 'oldest' },
    ],
    { title: vscode.l10n.t('Sort {0}', resource.plural), placeholder: vscode.l10n.t("Copernica's API has no sort parameter: clicks can be listed newest or oldest first, not by a column."), active: oldest ? 'oldest' : 'newest' },
  );
  if (choice === undefined) return undefined;
  return choice === 'oldest' ? { field: resource.primaryKey, direction: 'ASC' } : null;
}
