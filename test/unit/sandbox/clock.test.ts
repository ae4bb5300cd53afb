// The sandbox clock: BD's one-second revision_timestamp, and a clock tests can freeze.

import * as assert from 'node:assert/strict';
import { SandboxControl, SandboxControlError } from '../../../sandbox/control';
import { SandboxStore } from '../../../sandbox/data';
import { startSandbox } from '../../../sandbox/server';
import { sandboxHttp, type Json } from './http';
import { withSandboxApi } from '../support/sandboxApi';

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe('sandbox clock', () => {
  const fx = withSandboxApi('none');
  const { form, list } = sandboxHttp(() => fx.sandbox);

  it('stamps the current wall-clock second, so writes within one second share the revision', async () => {
    // Real time: retried until both writes land in one second (two local writes take a few ms).
    for (let attempt = 0; ; attempt++) {
      const before = new Date().toISOString().slice(0, 19).replace('T', ' ');
      const r1 = (await form('PUT', 'contacts/update', { contact_id: '3', city: `A${attempt}` })).json().message as Json;
      const r2 = (await form('PUT', 'contacts/update', { contact_id: '3', city: `B${attempt}` })).json().message as Json;
      const after = new Date().toISOString().slice(0, 19).replace('T', ' ');
      assert.match(r1.revision_timestamp as string, DATETIME);
      assert.ok((r1.revision_timestamp as string) >= before && (r2.revision_timestamp as string) <= after, 'the revision is the real UTC second');
      if (before === after) {
        assert.equal(r2.revision_timestamp, r1.revision_timestamp, 'no artificial second added per write');
        break;
      }
      assert.ok(attempt < 20, 'never managed two writes within one second');
    }
  });

  it('freezes at a given second: updates, creates, putRecord and createRecord stamp it; unfreeze returns to real time', async () => {
    fx.sandbox.freezeClock('2026-01-02 03:04:05');
    assert.deepEqual(fx.sandbox.clock(), { now: '2026-01-02 03:04:05', frozen: true });
    const updated = (await form('PUT', 'contacts/update', { contact_id: '5', city: 'Frozen' })).json().message as Json;
    assert.equal(updated.revision_timestamp, '2026-01-02 03:04:05');
    assert.equal(fx.sandbox.store.getRecord('contacts', 5)?.date_updated, '20260102030405');

    const created = (await form('POST', 'contacts/create', { first_name: 'Ada' })).json().message as Json;
    assert.equal(created.revision_timestamp, '2026-01-02 03:04:05');
    assert.equal(created.date_created, '20260102030405');
    assert.equal(created.date_updated, null);

    const put = fx.sandbox.store.putRecord('contacts', 6, { city: 'Elsewhere' });
    assert.equal(put.revision_timestamp, '2026-01-02 03:04:05');
    assert.equal(put.date_updated, '20260102030405');
    const notification = fx.sandbox.store.createRecord('website_notifications', { notification_title: 'x' });
    assert.equal(notification.notification_date, '202601020304');

    // A second later, by freezing again.
    fx.sandbox.freezeClock(new Date(Date.UTC(2026, 0, 2, 3, 4, 6, 900)));
    assert.equal(fx.sandbox.clock().now, '2026-01-02 03:04:06');
    assert.equal(fx.sandbox.store.putRecord('contacts', 6, { city: 'Again' }).revision_timestamp, '2026-01-02 03:04:06');

    fx.sandbox.unfreezeClock();
    assert.equal(fx.sandbox.clock().frozen, false);
    const real = fx.sandbox.store.putRecord('contacts', 6, { city: 'Live' }).revision_timestamp as string;
    assert.ok(Math.abs(Date.parse(`${real.replace(' ', 'T')}Z`) - Date.now()) < 5000, `${real} is about now`);
  });

  it('a frozen clock may stand in the past: the revision then goes back, as a clock can', async () => {
    fx.sandbox.freezeClock('2020-05-06 07:08:09');
    const updated = (await form('PUT', 'contacts/update', { contact_id: '1', city: 'Back' })).json().message as Json;
    assert.equal(updated.revision_timestamp, '2020-05-06 07:08:09');
    assert.ok((updated.revision_timestamp as string) < '2024-03-01 12:00:00');
  });

  it('since_days / until_days count from the sandbox clock', async () => {
    fx.sandbox.freezeClock('2022-05-15 00:00:00');
    // Notifications start 2022-05-05 07:04 and rise with the id.
    const recent = await list('website_notifications', { property: 'notification_date', property_operator: 'since_days', property_value: '3', order_column: 'notification_id', limit: '100' });
    assert.ok(recent.total > 0);
    const old = await list('website_notifications', { property: 'notification_date', property_operator: 'until_days', property_value: '3', limit: '100' });
    assert.ok(old.total > 0);
    // Every seeded notification is either in the last 3 days (up to now) or older; the future ones are in since_days.
    const all = await list('website_notifications', { limit: '1' });
    assert.equal(recent.total + old.total, all.total);
    assert.ok(old.total < 100, 'only the first ten days lie before the frozen now − 3 days');
  });

  it('validates the clock config; reset() and the startSandbox option give the defaults', async () => {
    for (const bad of [{ frozenAt: '2026-02-30 00:00:00' }, { frozenAt: '20260102030405' }, { frozenAt: 5 }, { at: '2026-01-02 03:04:05' }, 'now']) {
      assert.throws(() => fx.sandbox.configure({ clock: bad as never }), TypeError, JSON.stringify(bad));
    }
    fx.sandbox.configure({ clock: { frozenAt: '2026-01-02T03:04:05Z' } });
    assert.deepEqual(fx.sandbox.clock(), { now: '2026-01-02 03:04:05', frozen: true });
    fx.sandbox.reset();
    assert.equal(fx.sandbox.clock().frozen, false);

    const pinned = await startSandbox({ port: 0, clock: { frozenAt: '2030-01-01 00:00:00' } });
    try {
      pinned.unfreezeClock();
      pinned.reset();
      assert.deepEqual(pinned.clock(), { now: '2030-01-01 00:00:00', frozen: true });
    } finally {
      await pinned.close();
    }
  });

  it('over HTTP: freezeClock, clock, unfreezeClock; a bad instant is a 400', async () => {
    const control = new SandboxControl(fx.sandbox.url);
    const config = await control.freezeClock('2026-01-02 03:04:05');
    assert.deepEqual(config.clock, { frozenAt: '2026-01-02 03:04:05' });
    assert.deepEqual(await control.clock(), { now: '2026-01-02 03:04:05', frozen: true });
    assert.equal((await control.putRecord('contacts', 7, { city: 'x' })).revision_timestamp, '2026-01-02 03:04:05');
    await control.freezeClock(new Date(Date.UTC(2026, 0, 2, 3, 4, 6)));
    assert.equal((await control.clock()).now, '2026-01-02 03:04:06');
    assert.equal((await control.unfreezeClock()).clock, null);
    assert.equal((await control.clock()).frozen, false);
    await assert.rejects(control.freezeClock('tomorrow'), (e: unknown) => e instanceof SandboxControlError && e.status === 400);
  });

  it('a SandboxStore made without a clock uses the real one', () => {
    const store = new SandboxStore();
    const stamp = store.putRecord('contacts', 1, { city: 'x' }).revision_timestamp as string;
    assert.ok(Math.abs(Date.parse(`${stamp.replace(' ', 'T')}Z`) - Date.now()) < 5000);
    const fixed = new SandboxStore(() => Date.UTC(2026, 6, 1, 12, 0, 0, 999));
    assert.equal(fixed.now().toISOString(), '2026-07-01T12:00:00.000Z');
  });
});
