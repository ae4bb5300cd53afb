import { strict as assert } from 'node:assert';
import { likeValueProblem, filterQuery, presetBeginTime } from '../../../src/api/filters';
import { CONTACTS, COPERNICA_CLICKS } from '../../../src/api/resources';
import { renderText } from '../../../src/api/text';
import { listingQuery, normaliseFilter, normaliseSort, parseSavedListing } from '../../../src/tree/listingQuery';
import { throwsWithKind } from '../support/apiAssert';

const NOW = new Date(Date.UTC(2026, 0, 15, 10, 30, 45, 600));

describe('Filters and sorts as the tree keeps them (listingQuery)', () => {
  it('no conditions is no filter; a Copernica range with nothing set is none either; a preset replaces a typed start', () => {
    assert.equal(normaliseFilter({ kind: 'bd', filters: [] }), undefined);
    assert.equal(normaliseFilter({ kind: 'copernica' }), undefined);
    assert.deepEqual(normaliseFilter({ kind: 'copernica', preset: 'last7', begintime: '2020-01-01 00:00:00', unique: false }), { kind: 'copernica', preset: 'last7' });
  });

  it('the default order (newest first by key) is no sort; Copernica only knows oldest first', () => {
    assert.equal(normaliseSort(CONTACTS, { field: 'contact_id', direction: 'DESC' }), undefined);
    assert.deepEqual(normaliseSort(CONTACTS, { field: 'contact_id', direction: 'ASC' }), { field: 'contact_id', direction: 'ASC' });
    assert.deepEqual(normaliseSort(CONTACTS, { field: 'member_tier', direction: 'DESC' }), { field: 'member_tier', direction: 'DESC' }, 'a custom column');
    assert.equal(normaliseSort(CONTACTS, { field: 'last name', direction: 'DESC' }), undefined, 'not a column name');
    assert.equal(normaliseSort(COPERNICA_CLICKS, { field: 'timestamp', direction: 'DESC' }), undefined);
    assert.deepEqual(normaliseSort(COPERNICA_CLICKS, { field: 'ID', direction: 'ASC' }), { field: 'ID', direction: 'ASC' });
  });

  it('BD: the conditions and the order go to the listing together', () => {
    const filters = [{ field: 'country_code', operator: 'eq' as const, value: 'US' }];
    assert.deepEqual(listingQuery('brilliantDirectories', { kind: 'bd', filters }, { field: 'last_name', direction: 'DESC' }, NOW), { kind: 'bd', filters, order: { field: 'last_name', direction: 'DESC' } });
    assert.deepEqual(listingQuery('brilliantDirectories', undefined, { field: 'last_name', direction: 'ASC' }, NOW), { kind: 'bd', filters: [], order: { field: 'last_name', direction: 'ASC' } });
    assert.equal(listingQuery('brilliantDirectories', undefined, undefined, NOW), undefined);
  });

  it('Copernica: a preset becomes a begintime as of the first page (UTC); oldest first is a flag', () => {
    assert.deepEqual(listingQuery('copernica', { kind: 'copernica', preset: 'last7', unique: true }, undefined, NOW), { kind: 'copernica', begintime: '2026-01-08 10:30:45', endtime: undefined, unique: true, oldestFirst: undefined });
    assert.deepEqual(listingQuery('copernica', undefined, { field: 'ID', direction: 'ASC' }, NOW), { kind: 'copernica', begintime: undefined, endtime: undefined, unique: undefined, oldestFirst: true });
    assert.equal(listingQuery('copernica', undefined, undefined, NOW), undefined);
  });

  it('presets: today from 00:00:00 UTC, the last 7/30/90 days from this second back', () => {
    assert.equal(presetBeginTime('today', NOW), '2026-01-15 00:00:00');
    assert.equal(presetBeginTime('last7', NOW), '2026-01-08 10:30:45');
    assert.equal(presetBeginTime('last30', NOW), '2025-12-16 10:30:45');
    assert.equal(presetBeginTime('last90', NOW), '2025-10-17 10:30:45');
  });

  it('a saved listing is read back only when it is one (an older or damaged entry is dropped)', () => {
    const saved = { filter: { kind: 'bd', filters: [{ field: 'member_tier', operator: 'eq', value: 'gold' }] }, sort: { field: 'last_name', direction: 'DESC' } };
    assert.deepEqual(parseSavedListing(CONTACTS, JSON.parse(JSON.stringify(saved))), saved);
    assert.equal(parseSavedListing(CONTACTS, { filter: { kind: 'bd', filters: [{ field: 'x', operator: '<', value: '1' }] } }), undefined);
    assert.equal(parseSavedListing(CONTACTS, { filter: { kind: 'copernica', unique: true } }), undefined, 'a Copernica filter on a BD resource');
    assert.equal(parseSavedListing(CONTACTS, 'nonsense'), undefined);
    assert.deepEqual(parseSavedListing(COPERNICA_CLICKS, { filter: { kind: 'copernica', preset: 'last30', begintime: 'yesterday' }, sort: { field: 'ID', direction: 'ASC' } }), { filter: { kind: 'copernica', preset: 'last30' }, sort: { field: 'ID', direction: 'ASC' } });
  });
});

describe('like never sees "%" (BD strips it)', () => {
  it('refuses a "%" in a like / not_like value before sending, pointing to contains', () => {
    const problem = likeValueProblem('like', 'smi%');
    assert.ok(problem);
    assert.match(renderText(problem), /contains/);
    assert.equal(likeValueProblem('like', 'sm_th'), undefined);
    assert.equal(likeValueProblem('contains', '50%'), undefined);
    throwsWithKind(() => filterQuery([{ field: 'last_name', operator: 'not_like', value: '%son' }]), 'invalidInput');
    assert.deepEqual(filterQuery([{ field: 'last_name', operator: 'like', value: 'Sm_th' }]), { property: 'last_name', property_value: 'Sm_th', property_operator: 'like' });
  });
});
