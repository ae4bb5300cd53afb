import { msg, type LocalisableText } from './text';
import { ApiError } from './errors';

/** The word forms BD accepts; symbol forms such as `<` or `%` are stripped by the firewall. */
export const FILTER_OPERATORS = [
  'eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'not_in', 'between', 'like', 'not_like', 'contains', 'not_contains',
  'starts_with', 'ends_with', 'is_set', 'is_not_set', 'is_null', 'is_not_null', 'since_days', 'until_days',
  'year_eq', 'month_eq', 'day_eq', 'length_eq',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** Operators that test presence and take no value. */
export const VALUELESS_OPERATORS: ReadonlySet<FilterOperator> = new Set(['is_set', 'is_not_set', 'is_null', 'is_not_null']);

export interface RecordFilter {
  readonly field: string;
  readonly operator: FilterOperator;
  /** Comma-separated for `in`, `not_in` and `between`. */
  readonly value: string;
}

export interface ListOrder {
  readonly field: string;
  readonly direction: 'ASC' | 'DESC';
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether `name` can be sent as a filter or order column (a plain identifier, as BD's columns are). */
export function isFieldName(name: string): boolean {
  return FIELD_NAME.test(name);
}

/**
 * Why a value cannot go to BD with this operator, or undefined when it can. `like`/`not_like`
 * never see `%` (the firewall strips it, so `a%b` would silently become `ab`): `_` is their only
 * wildcard, and text within a value is what `contains`, `starts_with` and `ends_with` are for.
 */
export function likeValueProblem(operator: FilterOperator, value: string): LocalisableText | undefined {
  if ((operator === 'like' || operator === 'not_like') && value.includes('%')) {
    return msg`The site's firewall strips "%" from a pattern, so "${value}" would not match what you mean. In a pattern "_" stands for any one character; for text anywhere in a value use "contains", "starts with" or "ends with".`;
  }
  return undefined;
}

/** Builds the query parameters for one or several ANDed filters, refusing malformed ones before sending. */
export function filterQuery(filters: readonly RecordFilter[]): Record<string, string | string[]> {
  for (const filter of filters) {
    if (!FIELD_NAME.test(filter.field)) throw new ApiError('invalidInput', msg`"${filter.field}" is not a field name a filter can use.`, { field: filter.field });
    if (!(FILTER_OPERATORS as readonly string[]).includes(filter.operator)) {
      throw new ApiError('invalidInput', msg`"${filter.operator}" is not a filter operator the API accepts (use word forms such as eq, contains, in).`, { field: filter.field });
    }
    const like = likeValueProblem(filter.operator, filter.value);
    if (like) throw new ApiError('invalidInput', like, { field: filter.field });
    const needsValue = !VALUELESS_OPERATORS.has(filter.operator);
    if (needsValue && filter.value.trim() === '') throw new ApiError('invalidInput', msg`The filter on "${filter.field}" needs a value.`, { field: filter.field });
    if (filter.operator === 'between' && filter.value.split(',').filter((part) => part.trim() !== '').length !== 2) {
      throw new ApiError('invalidInput', msg`"between" takes two values separated by a comma, e.g. 10,20.`, { field: filter.field });
    }
  }
  if (filters.length === 0) return {};
  const valueOf = (filter: RecordFilter): string => (VALUELESS_OPERATORS.has(filter.operator) ? '' : filter.value);
  if (filters.length === 1) {
    const [only] = filters as [RecordFilter];
    return { property: only.field, property_value: valueOf(only), property_operator: only.operator };
  }
  return {
    'property[]': filters.map((filter) => filter.field),
    'property_value[]': filters.map(valueOf),
    'property_operator[]': filters.map((filter) => filter.operator),
  };
}

/**
 * The condition that continues a listing ordered by its primary key after the last key seen
 * (keyset paging): `pk lt key` newest first, `pk gt key` oldest first. ANDed with the user's
 * filters it makes a fresh first page that records created or deleted meanwhile cannot shift.
 */
export function keysetFilter(order: ListOrder, lastKey: string): RecordFilter {
  return { field: order.field, operator: order.direction === 'DESC' ? 'lt' : 'gt', value: lastKey };
}

/**
 * Whether `key` lies past `bound` in `direction` (integer keys compare as numbers, as BD
 * compares them; anything else by code unit).
 */
export function isPastKey(key: string, bound: string, direction: ListOrder['direction']): boolean {
  const numeric = INTEGER.test(key) && INTEGER.test(bound);
  const cmp = numeric ? compareIntegers(key, bound) : key < bound ? -1 : key > bound ? 1 : 0;
  return direction === 'DESC' ? cmp < 0 : cmp > 0;
}

const INTEGER = /^-?\d+$/;

function compareIntegers(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function orderQuery(order: ListOrder | undefined): Record<string, string> {
  if (!order) return {};
  if (!FIELD_NAME.test(order.field)) throw new ApiError('invalidInput', msg`"${order.field}" is not a field a listing can be ordered by.`, { field: order.field });
  return { order_column: order.field, order_type: order.direction };
}

/** Copernica time ranges relative to now, as the filter offers them beside typed times. */
export const TIME_PRESETS = ['today', 'last7', 'last30', 'last90'] as const;
export type TimePreset = (typeof TIME_PRESETS)[number];

/**
 * Where a preset range begins, as Copernica's `begintime` (`YYYY-MM-DD HH:MM:SS`, UTC like
 * the listing's frozen `endtime`): today from 00:00:00, the last N days from this second N×24 h ago.
 */
export function presetBeginTime(preset: TimePreset, now: Date): string {
  const start = preset === 'today' ? Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) : Math.floor(now.getTime() / 1000) * 1000 - PRESET_DAYS[preset] * 86_400_000;
  return new Date(start).toISOString().slice(0, 19).replace('T', ' ');
}

const PRESET_DAYS: Record<Exclude<TimePreset, 'today'>, number> = { last7: 7, last30: 30, last90: 90 };
