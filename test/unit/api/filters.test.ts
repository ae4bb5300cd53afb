import { strict as assert } from 'node:assert';
import { filterQuery, orderQuery, type RecordFilter } from '../../../src/api/filters';
import { throwsWithKind } from '../support/apiAssert';

const filter = (field: string, operator: string, value: string): RecordFilter => ({ field, operator: operator as RecordFilter['operator'], value });

describe('filterQuery / orderQuery', () => {
  it('sends nothing for no filter', () => {
    assert.deepEqual(filterQuery([]), {});
  });

  it('sends one filter as property / property_value / property_operator', () => {
    assert.deepEqual(filterQuery([filter('city', 'eq', 'Miami')]), { property: 'city', property_value: 'Miami', property_operator: 'eq' });
  });

  it('sends several ANDed filters as parallel [] arrays, in order', () => {
    assert.deepEqual(filterQuery([filter('city', 'eq', 'Miami'), filter('active', 'ne', '0'), filter('email', 'is_not_null', '')]), {
      'property[]': ['city', 'active', 'email'],
      'property_value[]': ['Miami', '0', ''],
      'property_operator[]': ['eq', 'ne', 'is_not_null'],
    });
  });

  it('sends an empty value for the valueless operators, whatever was typed', () => {
    for (const op of ['is_set', 'is_not_set', 'is_null', 'is_not_null']) {
      assert.deepEqual(filterQuery([filter('company', op, 'ignored')]), { property: 'company', property_value: '', property_operator: op });
    }
  });

  it('passes comma-separated values of in, not_in and between through', () => {
    assert.equal(filterQuery([filter('contact_id', 'in', '1,2,3')])['property_value'], '1,2,3');
    assert.equal(filterQuery([filter('contact_id', 'not_in', '4,5')])['property_value'], '4,5');
    assert.equal(filterQuery([filter('contact_id', 'between', '10,20')])['property_value'], '10,20');
  });

  it('refuses operators the API does not accept, including symbol forms', () => {
    for (const op of ['equals', 'EQ', '<', '>=', '%', '=', '', 'eq;']) throwsWithKind(() => filterQuery([filter('city', op, 'x')]), 'invalidInput');
  });

  it('refuses field names that are not plain identifiers', () => {
    for (const field of ['', 'first name', '1city', 'city;drop', 'a.b', "city'", 'city[]']) {
      throwsWithKind(() => filterQuery([filter(field, 'eq', 'x')]), 'invalidInput');
    }
  });

  it('refuses a missing value for an operator that needs one', () => {
    assert.equal(throwsWithKind(() => filterQuery([filter('city', 'eq', '')]), 'invalidInput').details.field, 'city');
    throwsWithKind(() => filterQuery([filter('city', 'contains', '   ')]), 'invalidInput');
  });

  it('refuses between with other than two values', () => {
    throwsWithKind(() => filterQuery([filter('contact_id', 'between', '10')]), 'invalidInput');
    throwsWithKind(() => filterQuery([filter('contact_id', 'between', '10,20,30')]), 'invalidInput');
  });

  it('refuses between with one of its two values empty', () => {
    throwsWithKind(() => filterQuery([filter('contact_id', 'between', '10,')]), 'invalidInput');
    throwsWithKind(() => filterQuery([filter('contact_id', 'between', ',20')]), 'invalidInput');
    throwsWithKind(() => filterQuery([filter('contact_id', 'between', ',')]), 'invalidInput');
  });

  it('refuses the whole set when any one filter is malformed', () => {
    throwsWithKind(() => filterQuery([filter('city', 'eq', 'Miami'), filter('active', '<', '1')]), 'invalidInput');
  });

  it('turns an order into order_column / order_type, and refuses a bad column', () => {
    assert.deepEqual(orderQuery(undefined), {});
    assert.deepEqual(orderQuery({ field: 'contact_id', direction: 'DESC' }), { order_column: 'contact_id', order_type: 'DESC' });
    throwsWithKind(() => orderQuery({ field: 'contact_id desc', direction: 'ASC' }), 'invalidInput');
  });
});
