import { strict as assert } from 'node:assert';
import { applyChanges, mergeRecord, myChanges, type MergeResult } from '../../../src/api/recordMerge';
import { CONTACTS } from '../../../src/api/resources';
import type { ApiRecord } from '../../../src/api/schemas';
import { throwsWithKind } from '../support/apiAssert';

const base: ApiRecord = {
  contact_id: '7',
  first_name: 'Ann',
  city: 'Oslo',
  phone_number: '555-0100',
  company: null,
  custom_status: 'gold', // a column the seed tables don't list, as live sites have
  revision_timestamp: '2026-01-02 03:04:05',
};
const later = '2026-01-02 03:04:06';

interface Case {
  readonly name: string;
  readonly mine: Record<string, unknown>;
  readonly theirs: ApiRecord;
  readonly preferMine?: boolean;
  readonly expect: MergeResult;
}

const cases: Case[] = [
  { name: 'nothing changed anywhere', mine: { ...base }, theirs: base, expect: { kind: 'unchanged' } },
  { name: 'only they changed: nothing of mine to send', mine: { ...base }, theirs: { ...base, phone_number: '555-0199', revision_timestamp: later }, expect: { kind: 'unchanged' } },
  {
    name: 'disjoint fields: send only mine, report theirs',
    mine: { ...base, city: 'Bergen' },
    theirs: { ...base, phone_number: '555-0199', revision_timestamp: later },
    expect: { kind: 'merged', send: { city: 'Bergen' }, mine: ['city'], theirs: ['phone_number'] },
  },
  {
    name: 'disjoint within the same second (revision unchanged): still merged, never mistaken for "nothing changed"',
    mine: { ...base, city: 'Bergen' },
    theirs: { ...base, phone_number: '555-0199' },
    expect: { kind: 'merged', send: { city: 'Bergen' }, mine: ['city'], theirs: ['phone_number'] },
  },
  {
    name: 'the same field changed to different values: conflict, nothing to send',
    mine: { ...base, city: 'Bergen' },
    theirs: { ...base, city: 'Tromsø' },
    expect: { kind: 'conflict', fields: ['city'], mine: ['city'], theirs: ['city'] },
  },
  {
    name: 'overlap resolved by Overwrite: my fields only, theirs kept elsewhere',
    mine: { ...base, city: 'Bergen' },
    theirs: { ...base, city: 'Tromsø', phone_number: '555-0199' },
    preferMine: true,
    expect: { kind: 'merged', send: { city: 'Bergen' }, mine: ['city'], theirs: ['city', 'phone_number'] },
  },
  {
    name: 'the same value on both sides: already there, saved without a request',
    mine: { ...base, city: 'Bergen' },
    theirs: { ...base, city: 'Bergen', revision_timestamp: later },
    expect: { kind: 'alreadyThere', mine: ['city'], theirs: ['city'] },
  },
  {
    name: 'one field the same on both sides, another only mine: send just the other',
    mine: { ...base, city: 'Bergen', first_name: 'Anna' },
    theirs: { ...base, city: 'Bergen' },
    expect: { kind: 'merged', send: { first_name: 'Anna' }, mine: ['first_name', 'city'], theirs: ['city'] },
  },
  {
    name: 'clearing a field is a change to empty (null)',
    mine: { ...base, phone_number: '' },
    theirs: base,
    expect: { kind: 'merged', send: { phone_number: '' }, mine: ['phone_number'], theirs: [] },
  },
  { name: 'null and "" compare equal: no change', mine: { ...base, company: '' }, theirs: base, expect: { kind: 'unchanged' } },
  {
    name: 'cleared on their side while I changed it: conflict',
    mine: { ...base, phone_number: '555-0123' },
    theirs: { ...base, phone_number: '' },
    expect: { kind: 'conflict', fields: ['phone_number'], mine: ['phone_number'], theirs: ['phone_number'] },
  },
  {
    name: 'an extra column is merged like any other',
    mine: { ...base, custom_status: 'platinum' },
    theirs: { ...base, first_name: 'Annie' },
    expect: { kind: 'merged', send: { custom_status: 'platinum' }, mine: ['custom_status'], theirs: ['first_name'] },
  },
  {
    name: 'a field left out of my document is not a change',
    mine: Object.fromEntries(Object.entries(base).filter(([k]) => k !== 'city')),
    theirs: { ...base, city: 'Tromsø' },
    expect: { kind: 'unchanged' },
  },
];

describe('mergeRecord: a field-level three-way merge', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(mergeRecord({ resource: CONTACTS, base, mine: myChanges(CONTACTS, base, c.mine), theirs: c.theirs, preferMine: c.preferMine }), c.expect);
    });
  }

  it('refuses a changed read-only field the editor never showed, naming it', () => {
    assert.match(throwsWithKind(() => myChanges(CONTACTS, base, { ...base, revision_timestamp: '1999-01-01 00:00:00' }), 'invalidInput').message, /revision_timestamp/);
    assert.match(throwsWithKind(() => myChanges(CONTACTS, base, { ...base, contact_id: '8' }), 'invalidInput').message, /contact_id/);
  });

  it('refuses an unknown field and a non-string value before anything is sent', () => {
    assert.match(throwsWithKind(() => myChanges(CONTACTS, base, { ...base, citty: 'x' }), 'invalidInput').message, /citty/);
    assert.match(throwsWithKind(() => myChanges(CONTACTS, base, { ...base, city: 3 }), 'invalidInput').message, /city/);
  });

  it('applyChanges gives the record as the server will hold it after the update', () => {
    assert.deepEqual(applyChanges(base, { city: 'Bergen', phone_number: null }), { ...base, city: 'Bergen', phone_number: '' });
  });
});
