import * as assert from 'node:assert/strict';
import { generateSeed } from '../../../sandbox/data';
import { startSandbox } from '../../../sandbox/server';
import { parseCommandLine } from '../../../sandbox/main';

describe('sandbox extra notifications (for the export memory benchmark)', () => {
  it('N more notifications after the seed\'s, the seed itself unchanged; reset keeps them', async () => {
    const plain = generateSeed();
    const bigger = generateSeed(50);
    assert.equal(bigger.website_notifications.length, 12150);
    assert.deepEqual(bigger.website_notifications.slice(0, 12100), plain.website_notifications);
    assert.equal(bigger.website_notifications[12149]!['notification_id'], '12150');
    const sb = await startSandbox({ port: 0, extraNotifications: 1000 });
    try {
      assert.equal(sb.store.count('website_notifications'), 13100);
      sb.reset();
      assert.equal(sb.store.count('website_notifications'), 13100);
      assert.equal(sb.store.count('contacts'), 238);
    } finally {
      await sb.close();
    }
  });

  it('--extra-notifications N on the command line', () => {
    assert.equal(parseCommandLine(['--extra-notifications', '100000']).options.extraNotifications, 100000);
    assert.throws(() => parseCommandLine(['--extra-notifications=-1']), /invalid value/);
  });
});
