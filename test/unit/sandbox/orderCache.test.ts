// Lists in key order are kept sorted between requests: an update (in place) shows at once, and
// adding or removing a record re-sorts; another order re-sorts on every change.

import * as assert from 'node:assert/strict';
import { sandboxHttp, type Json } from './http';
import { withSandboxApi } from '../support/sandboxApi';

describe('sandbox list order across changes', () => {
  const fx = withSandboxApi('none');
  const { list } = sandboxHttp(() => fx.sandbox);
  const first = async (order: string, direction = 'ASC') => {
    const page = await list('contacts', [['order_column', order], ['order_type', direction], ['limit', '3']]);
    return (page.body.message as Json[]).map((r) => `${String(r['contact_id'])}:${String(r['city'])}`);
  };

  it('by primary key: an update shows in place; a new record and a deleted one change the list', async () => {
    await first('contact_id');
    fx.sandbox.store.putRecord('contacts', 2, { city: 'Updated Town' });
    assert.equal((await first('contact_id'))[1], '2:Updated Town');
    fx.sandbox.store.deleteRecord('contacts', 1);
    assert.deepEqual((await first('contact_id')).map((s: string) => s.split(':')[0]), ['2', '3', '4']);
    const created = fx.sandbox.store.createRecord('contacts', { city: 'Newest' });
    assert.equal((await first('contact_id', 'DESC'))[0], `${created['contact_id']}:Newest`);
  });

  it('by another column: an update that moves a record re-sorts', async () => {
    await first('city');
    fx.sandbox.store.putRecord('contacts', 7, { city: '   AAA first' });
    assert.equal((await first('city'))[0], '7:   AAA first');
  });
});
