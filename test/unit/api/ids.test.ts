import { strict as assert } from 'node:assert';
import { checkRecordId } from '../../../src/api/ids';
import { throwsWithKind } from '../support/apiAssert';

describe('checkRecordId', () => {
  it('accepts positive whole numbers, as numbers or strings, and answers a string', () => {
    assert.equal(checkRecordId(1), '1');
    assert.equal(checkRecordId('239'), '239');
    assert.equal(checkRecordId(' 42 '), '42');
    assert.equal(checkRecordId(String(Number.MAX_SAFE_INTEGER)), String(Number.MAX_SAFE_INTEGER));
  });

  it('refuses everything else', () => {
    for (const id of [0, -1, 1.5, '', '0', '007', '1 OR 1=1', '../x', '1/../2', '1e3', 'NaN', NaN, Infinity, '9007199254740993', '99999999999999999999', null, undefined, {}]) {
      throwsWithKind(() => checkRecordId(id), 'invalidInput');
    }
  });
});
