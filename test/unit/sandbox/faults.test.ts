// Faults aimed at one request (method + path), each for the next N matching requests.

import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { SandboxControl, SandboxControlError } from '../../../sandbox/control';
import type { FaultSpec } from '../../../sandbox/server';
import { sandboxHttp } from './http';
import { withSandboxApi } from '../support/sandboxApi';

describe('sandbox faults aimed at one request', () => {
  const fx = withSandboxApi('none');
  const { bd, form } = sandboxHttp(() => fx.sandbox);

  const cityOf = (id: number) => fx.sandbox.store.getRecord('contacts', id)?.city;

  it('status: answers with the BD error envelope for the next matching request only; the write is not applied', async () => {
    const added = fx.sandbox.addFault({ method: 'PUT', path: '/api/v2/contacts/update', kind: 'status', status: 503 });
    assert.deepEqual(added, { id: added.id, method: 'PUT', path: '/api/v2/contacts/update', kind: 'status', count: 1, status: 503 });
    const before = cityOf(3);
    const faulted = await form('PUT', 'contacts/update', { contact_id: '3', city: 'Lost' });
    assert.equal(faulted.status, 503);
    assert.match(faulted.type, /^application\/json/);
    assert.deepEqual(faulted.json(), { status: 'error', message: 'Service Unavailable' });
    assert.equal(cityOf(3), before, 'not applied');
    assert.deepEqual(fx.sandbox.faults(), [], 'used up');
    assert.equal((await form('PUT', 'contacts/update', { contact_id: '3', city: 'Kept' })).status, 200);
    assert.equal(cityOf(3), 'Kept');
    const log = fx.sandbox.requests();
    assert.equal(log[0].fault, 'status');
    assert.equal(log[0].status, 503);
    assert.equal('fault' in log[1], false);
  });

  it('Retry-After in both forms: seconds, an HTTP-date from the sandbox clock (frozen or not), or a text sent verbatim', async () => {
    fx.sandbox.freezeClock('2026-01-02 03:04:05');
    fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get', kind: 'status', status: 429, retryAfter: 90, retryAfterForm: 'date' });
    assert.equal((await bd('contacts/get')).headers.get('retry-after'), 'Fri, 02 Jan 2026 03:05:35 GMT');
    fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get', kind: 'status', status: 429, retryAfter: 90, retryAfterForm: 'seconds' });
    assert.equal((await bd('contacts/get')).headers.get('retry-after'), '90');
    fx.sandbox.unfreezeClock();
    const before = Date.now();
    fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get', kind: 'status', status: 429, retryAfter: 3, retryAfterForm: 'date' });
    const at = Date.parse((await bd('contacts/get')).headers.get('retry-after')!);
    assert.ok(at >= Math.floor(before / 1000) * 1000 + 3000 && at <= Date.now() + 3000, 'three seconds after the real now');
    for (const text of ['Wed, 21 Oct 2065 07:28:00 GMT', 'soon', '-5']) {
      fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get', kind: 'status', status: 429, retryAfter: text });
      assert.equal((await bd('contacts/get')).headers.get('retry-after'), text);
    }
    for (const bad of [{ retryAfter: 'a\r\nX-Injected: 1' }, { retryAfter: '' }, { retryAfter: 5, retryAfterForm: 'http' }, { retryAfter: '5', retryAfterForm: 'date' }, { retryAfter: 1.5 }]) {
      assert.throws(() => fx.sandbox.addFault({ method: 'GET', path: '/x', kind: 'status', status: 429, ...bad } as FaultSpec), TypeError, JSON.stringify(bad));
    }
    const control = new SandboxControl(fx.sandbox.url);
    await control.addFault({ method: 'GET', path: '/api/v2/contacts/get', kind: 'status', status: 429, retryAfter: 60, retryAfterForm: 'date' });
    assert.match((await bd('contacts/get')).headers.get('retry-after')!, /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  });

  it('status: default 500, BD messages by status, a custom message, Retry-After, the Copernica shape under /v2/', async () => {
    fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get', kind: 'status' });
    assert.deepEqual((await bd('contacts/get')).json(), { status: 'error', message: 'Internal server error' });
    fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get', kind: 'status', status: 429, retryAfter: 7 });
    const limited = await bd('contacts/get');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.deepEqual(limited.json(), { status: 'error', message: 'Too many API requests per minute' });
    fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get/5', kind: 'status', status: 404 });
    assert.deepEqual((await bd('contacts/get/5')).json(), { status: 'error', message: 'Record not found' });
    fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get/5', kind: 'status', status: 400, message: 'Something odd' });
    assert.deepEqual((await bd('contacts/get/5')).json(), { status: 'error', message: 'Something odd' });
    fx.sandbox.addFault({ method: 'GET', path: '/v2/ms/clicks', kind: 'status', status: 429 });
    const res = await fetch(`${fx.sandbox.url}/v2/ms/clicks?access_token=${fx.sandbox.copernicaToken}`);
    assert.equal(res.status, 429);
    assert.deepEqual(await res.json(), { error: { message: 'Too many requests' } });
  });

  it('after: lets that many matching requests through first, then answers the next `count`', async () => {
    fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get/5', kind: 'status', status: 500, after: 1, count: 2 });
    assert.equal((await bd('contacts/get/5')).status, 200);
    assert.equal((await bd('contacts/get/5')).status, 500);
    assert.equal((await bd('contacts/get/5')).status, 500);
    assert.equal((await bd('contacts/get/5')).status, 200);
    assert.deepEqual(fx.sandbox.faults(), []);
  });

  it('drop: the connection closes without a reply and the write is not applied', async () => {
    fx.sandbox.addFault({ method: 'DELETE', path: '/api/v2/contacts/delete', kind: 'drop' });
    await assert.rejects(form('DELETE', 'contacts/delete', { contact_id: '4' }));
    assert.ok(fx.sandbox.store.getRecord('contacts', 4), 'not deleted');
    const [rec] = fx.sandbox.requests();
    assert.equal(rec.status, 0);
    assert.equal(rec.fault, 'drop');
    assert.equal((await form('DELETE', 'contacts/delete', { contact_id: '4' })).status, 200);
  });

  it('applyThenDrop: the write is applied, then the reply is lost (update, create, delete)', async () => {
    fx.sandbox.freezeClock('2026-01-02 03:04:05');
    fx.sandbox.addFault({ method: 'PUT', path: '/api/v2/contacts/update', kind: 'applyThenDrop' });
    await assert.rejects(form('PUT', 'contacts/update', { contact_id: '3', city: 'Applied' }));
    const stored = fx.sandbox.store.getRecord('contacts', 3);
    assert.equal(stored?.city, 'Applied');
    assert.equal(stored?.revision_timestamp, '2026-01-02 03:04:05');

    fx.sandbox.addFault({ method: 'POST', path: '/api/v2/contacts/create', kind: 'applyThenDrop' });
    await assert.rejects(form('POST', 'contacts/create', { first_name: 'Ghost' }));
    assert.equal(fx.sandbox.store.getRecord('contacts', 239)?.first_name, 'Ghost', 'created though the client never heard');

    fx.sandbox.addFault({ method: 'DELETE', path: '/api/v2/contacts/delete', kind: 'applyThenDrop' });
    await assert.rejects(form('DELETE', 'contacts/delete', { contact_id: '239' }));
    assert.equal(fx.sandbox.store.getRecord('contacts', 239), undefined);
    assert.deepEqual(fx.sandbox.requests().map((r) => [r.status, r.fault]), [[0, 'applyThenDrop'], [0, 'applyThenDrop'], [0, 'applyThenDrop']]);
    // The next request (a re-read) goes through.
    assert.equal((await bd('contacts/get/3')).status, 200);
  });

  it('html: a firewall page with the status (default 403)', async () => {
    fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get', kind: 'html' });
    const page = await bd('contacts/get');
    assert.equal(page.status, 403);
    assert.match(page.type, /^text\/html/);
    assert.match(page.text, /<title>403 Forbidden<\/title>/);
    fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get', kind: 'html', status: 200 });
    const ok = await bd('contacts/get');
    assert.equal(ok.status, 200);
    assert.match(ok.type, /^text\/html/);
  });

  it('redirect: 301 (or the given status) with a Location header and an empty body, as a site that moved to www', async () => {
    fx.sandbox.addFault({ method: '*', path: '/api/v2/token/verify', kind: 'redirect', location: 'https://www.example.com/api/v2/token/verify' });
    const moved = await bd('token/verify');
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.get('location'), 'https://www.example.com/api/v2/token/verify');
    assert.equal(moved.text, '');
    fx.sandbox.addFault({ method: 'PUT', path: '/api/v2/contacts/update', kind: 'redirect', status: 302, location: 'https://www.example.com/api/v2/contacts/update' });
    const found = await form('PUT', 'contacts/update', { contact_id: '3', city: 'Nope' });
    assert.equal(found.status, 302);
    assert.notEqual(cityOf(3), 'Nope');
  });

  it('matches method (case-insensitive, * for any) and path (exact, or a prefix ending in *); count and order', async () => {
    fx.sandbox.addFault({ method: 'get', path: '/api/v2/contacts/get/5', kind: 'status', status: 500, count: 2 });
    assert.equal((await bd('contacts/get/50')).status, 200, 'exact path: /get/50 is not /get/5');
    assert.equal((await bd('contacts/get')).status, 200);
    assert.equal((await form('PUT', 'contacts/update', { contact_id: '5', city: 'x' })).status, 200, 'other method');
    assert.equal((await bd('contacts/get/5')).status, 500);
    assert.equal(fx.sandbox.faults()[0].count, 1);
    assert.equal((await bd('contacts/get/5')).status, 500);
    assert.equal((await bd('contacts/get/5')).status, 200);

    fx.sandbox.addFault({ method: '*', path: '/api/v2/website_notifications/*', kind: 'status', status: 502 });
    fx.sandbox.addFault({ method: '*', path: '/api/v2/website_notifications/*', kind: 'status', status: 504 });
    assert.equal((await bd('contacts/get')).status, 200);
    assert.equal((await bd('website_notifications/get/1')).status, 502, 'oldest first');
    assert.equal((await form('POST', 'website_notifications/search', {})).status, 504);
    assert.equal((await bd('website_notifications/get')).status, 200);
  });

  it('comes before HTML mode and the random faults, and takes no draw from their sequence', async () => {
    fx.sandbox.configure({ htmlMode: { status: 403 } });
    fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get/1', kind: 'status', status: 500 });
    assert.equal((await bd('contacts/get/1')).status, 500);
    assert.equal((await bd('contacts/get/1')).status, 403);
    fx.sandbox.configure({ htmlMode: null });

    const pattern = async (withFault: boolean) => {
      fx.sandbox.configure({ faults: { serverErrorRate: 0.5, dropRate: 0, seed: 11 } });
      if (withFault) fx.sandbox.addFault({ method: 'GET', path: '/api/v2/token/verify', kind: 'status', status: 400 });
      const out: number[] = [];
      if (withFault) assert.equal((await bd('token/verify')).status, 400);
      for (let i = 0; i < 12; i++) out.push((await bd('token/verify')).status);
      return out;
    };
    assert.deepEqual(await pattern(true), await pattern(false));
  });

  it('clearFaults() and reset() remove pending faults', async () => {
    fx.sandbox.addFault({ method: '*', path: '/*', kind: 'drop', count: 5 });
    fx.sandbox.clearFaults();
    assert.equal((await bd('contacts/get/1')).status, 200);
    fx.sandbox.addFault({ method: '*', path: '/*', kind: 'drop' });
    fx.sandbox.reset();
    assert.deepEqual(fx.sandbox.faults(), []);
    assert.equal((await bd('contacts/get/1')).status, 200);
  });

  it('refuses bad faults with a TypeError', () => {
    const bad: unknown[] = [
      null,
      { method: 'GET', path: '/api/v2/contacts/get', kind: 'explode' },
      { method: 'GET', path: 'api/v2/contacts/get', kind: 'drop' },
      { method: 'GET', path: '/api/v2/contacts/get?limit=1', kind: 'drop' },
      { method: 'G E T', path: '/x', kind: 'drop' },
      { method: 'GET', path: '/x', kind: 'drop', count: 0 },
      { method: 'GET', path: '/x', kind: 'drop', status: 500 },
      { method: 'GET', path: '/x', kind: 'status', status: 200 },
      { method: 'GET', path: '/x', kind: 'status', location: 'https://x' },
      { method: 'GET', path: '/x', kind: 'status', retryAfter: -1 },
      { method: 'GET', path: '/x', kind: 'redirect' },
      { method: 'GET', path: '/x', kind: 'redirect', location: 'https://x', status: 200 },
      { method: 'GET', path: '/x', kind: 'html', status: 99 },
    ];
    for (const spec of bad) assert.throws(() => fx.sandbox.addFault(spec as FaultSpec), TypeError, JSON.stringify(spec));
    assert.deepEqual(fx.sandbox.faults(), []);
  });

  it('over HTTP: addFault, faults, clearFaults; 400 on a bad fault', async () => {
    const control = new SandboxControl(fx.sandbox.url);
    const added = await control.addFault({ method: 'PUT', path: '/api/v2/contacts/update', kind: 'applyThenDrop', count: 2 });
    assert.equal(added.count, 2);
    assert.deepEqual(await control.faults(), [added]);
    await assert.rejects(form('PUT', 'contacts/update', { contact_id: '8', city: 'Once' }));
    assert.equal(cityOf(8), 'Once');
    assert.equal((await control.faults())[0].count, 1);
    await control.clearFaults();
    assert.deepEqual(await control.faults(), []);
    await assert.rejects(control.addFault({ method: 'PUT', path: '/x', kind: 'redirect' }), (e: unknown) => e instanceof SandboxControlError && e.status === 400);
    // Control requests themselves are never faulted.
    await control.addFault({ method: '*', path: '/*', kind: 'drop' });
    assert.equal((await control.faults()).length, 1);
    await control.reset();
    assert.deepEqual(await control.faults(), []);
  });

  it('a dropped reply really is no reply: the socket closes without a status line', async () => {
    fx.sandbox.addFault({ method: 'GET', path: '/api/v2/contacts/get/1', kind: 'drop' });
    const outcome = await new Promise<string>((resolve) => {
      const req = http.get(`${fx.sandbox.url}/api/v2/contacts/get/1`, { headers: { 'X-Api-Key': fx.sandbox.bdKey } }, (res) => resolve(`status ${res.statusCode}`));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    assert.equal(outcome, 'ECONNRESET');
    assert.equal(fx.sandbox.requests()[0].status, 0);
  });
});
