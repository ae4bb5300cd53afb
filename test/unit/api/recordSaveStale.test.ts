import { strict as assert } from 'node:assert';
import { OpenRecord } from '../../../src/api/openRecord';
import { WEBSITE_NOTIFICATIONS } from '../../../src/api/resources';
import { FakeClock } from '../support/fakeClock';
import { withSandboxApi } from '../support/sandboxApi';

const MODEL = 'website_notifications';
const PUT = '/api/v2/website_notifications/update';

/**
 * A single save whose PUT is answered 429 must not send it, after the wait, from the read it was
 * merged against (issue 16: a bulk job did; a save takes the same path): past the bound the
 * record is read again and the merge decided anew. Paced on a fake clock; the colleague edits
 * through the sandbox during the wait.
 */
describe('A save after a rate-limit wait is merged against a fresh read (fake clock, sandbox)', function () {
  this.timeout(20_000);
  let clock: FakeClock;
  beforeEach(() => {
    clock = new FakeClock();
  });
  const fx = withSandboxApi('brilliantDirectories', { perTest: true, api: () => ({ rateLimit: { requests: 100, windowMs: 60_000 }, pacingClock: clock }) });

  async function saveWithColleague(id: number, edit: Record<string, string>, colleague: Record<string, string>) {
    const open = new OpenRecord(await clock.run(fx.api.get(WEBSITE_NOTIFICATIONS, String(id))), 1);
    fx.sandbox.addFault({ method: 'PUT', path: PUT, kind: 'status', status: 429, retryAfter: 90 });
    fx.sandbox.clearRequests();
    let edited = false;
    const result = await clock.run(open.save(async () => fx.api, WEBSITE_NOTIFICATIONS, String(id), { ...open.shown, ...edit }, false, clock), () => {
      if (edited || !fx.sandbox.requests().some((r) => r.status === 429)) return;
      edited = true;
      fx.sandbox.store.putRecord(MODEL, id, colleague);
    });
    assert.ok(edited, 'the site never answered 429, so nobody edited during the wait');
    return result;
  }

  it('the same field changed by a colleague during the wait: a conflict, their value kept, nothing more sent', async () => {
    const result = await saveWithColleague(30, { notification_title: 'Mine' }, { notification_title: 'Theirs' });
    assert.equal(result.kind, 'conflict');
    assert.deepEqual(result.kind === 'conflict' ? result.fields : [], ['notification_title']);
    assert.equal(fx.sandbox.store.getRecord(MODEL, 30)!['notification_title'], 'Theirs');
    assert.deepEqual(fx.sandbox.requests().filter((r) => r.method === 'PUT').map((r) => r.status), [429], 'only the refused PUT went out');
  });

  it('another field changed by a colleague during the wait: merged, both kept', async () => {
    const result = await saveWithColleague(31, { notification_title: 'Mine' }, { notification_message: 'Theirs' });
    assert.equal(result.kind, 'saved');
    const stored = fx.sandbox.store.getRecord(MODEL, 31)!;
    assert.equal(stored['notification_title'], 'Mine');
    assert.equal(stored['notification_message'], 'Theirs');
  });
});
