import { msg } from './text';
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

/** Builds the query parameters for one or several ANDed filters, refusing malformed ones before sending. */
export function filterQuery(filters: readonly RecordFilter[]): Record<string, string | string[]> {
  for (const filter of filters) {
    if (!FIELD_NAME.test(filter.field)) throw new ApiError('invalidInput', msg`"${filter.field}" is not a field name a filter can use.`, { field: filter.field });
    if (!(FILTER_OPERATORS as readonly string[]).includes(filter.operator)) {
      throw new ApiError('invalidInput', msg`"${filter.operator}" is not a filter operator the API accepts (use word forms such as eq, contains, in).`, { field: filter.field });
    }
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

export function orderQuery(order: ListOrder | undefined): Record<string, string> {
  if (!order) return {};
  if (!FIELD_NAME.test(order.field)) throw new ApiError('invalidInput', msg`"${order.field}" is not a field a listing can be ordered by.`, { field: order.field });
  return { order_column: order.field, order_type: order.direction };
}
