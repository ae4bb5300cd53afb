// Self-check for the API sandbox: the quirks other tests rely on must hold.

import * as assert from 'node:assert/strict';
import { SandboxControl } from '../../../sandbox/control';
import { withSandboxApi } from '../support/sandboxApi';

type Json = Record<string, unknown>;

describe('sandbox server', () => {
  const fx = withSandboxApi('none');

  const bd = async (path: string, init: RequestInit & { key?: string | null } = {}) => {
    const headers: Record<string, string> = {};
    const key = init.key === undefined ? fx.sandbox.bdKey : init.key;
    if (key !== null) headers['X-Api-Key'] = key;
    const res = await fetch(`${fx.sandbox.url}/api/v2/${path}`, { ...init, headers });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) as Json };
  };
  const form = (method: string, path: string, fields: Record<string, string>) =>
    bd(path, { method, body: new URLSearchParams(fields) });
  const cursor = (page: number, limit: number) => Buffer.from(`${page}*_*${limit}`).toString('base64');

  it('verifies keys and separates 401 from 403', async () => {
    assert.deepEqual((await bd('token/verify')).json(), { status: 'success', message: { website: fx.sandbox.url, key: 'Sandbox key' } });
    const none = await bd('contacts/get', { key: null });
    assert.equal(none.status, 401);
    assert.deepEqual(none.json(), { status: 'error', message: 'API Key is invalid or missing' });
    const limited = await bd('users_clicks/get', { key: fx.sandbox.bdLimitedKey });
    assert.equal(limited.status, 403);
    assert.equal((await bd('token/verify', { key: fx.sandbox.bdLimitedKey })).status, 200);
  });

  it('clamps limit to 100 and defaults bad limits to 25', async () => {
    const big = (await bd('website_notifications/get?limit=500')).json();
    assert.equal((big.message as unknown[]).length, 100);
    assert.equal(big.total, '12100');
    assert.equal(big.total_pages, 121);
    assert.equal(big.next_page, cursor(2, 100));
    assert.equal(big.prev_page, '');
    assert.equal(((await bd('contacts/get?limit=0')).json().message as unknown[]).length, 25);
  });

  it('decodes page cursors, ignores limit with a cursor, treats page=2 as page 1', async () => {
    assert.equal(cursor(2, 25), 'MipfKjI1');
    const second = (await bd('contacts/get?page=MipfKjI1&limit=5')).json();
    assert.equal(second.current_page, 2);
    assert.equal((second.message as unknown[]).length, 25);
    assert.equal(second.prev_page, cursor(1, 25));
    const numeric = (await bd('contacts/get?page=2')).json();
    assert.equal(numeric.current_page, 1);
    const first = (await bd('contacts/get')).json();
    assert.deepEqual(numeric.message, first.message);
  });

  it('keeps next_page non-empty on and past the last page; default order is not by id', async () => {
    const last = (await bd(`contacts/get?page=${cursor(10, 25)}`)).json();
    assert.equal(last.total, '238');
    assert.equal(last.current_page, 10);
    assert.equal(last.total_pages, 10);
    assert.equal((last.message as unknown[]).length, 13);
    assert.equal(last.next_page, cursor(11, 25));
    const past = (await bd(`contacts/get?page=${last.next_page as string}`)).json();
    assert.deepEqual(past.message, []);
    assert.notEqual(past.next_page, '');

    const ids = ((await bd('contacts/get?limit=100')).json().message as Json[]).map((r) => Number(r.contact_id));
    assert.notDeepEqual(ids, [...ids].sort((a, b) => a - b));
    const ordered = ((await bd('contacts/get?limit=5&order_column=contact_id&order_type=DESC')).json().message as Json[]).map((r) => r.contact_id);
    assert.deepEqual(ordered, ['238', '237', '236', '235', '234']);
  });

  it('filters, with the empty-result shape and 400 on malformed filters', async () => {
    const empty = { status: 'success', message: [], total: 0, current_page: 1, total_pages: 0, next_page: '', prev_page: '' };
    assert.deepEqual((await bd('contacts/get?property=no_such_column&property_value=1')).json(), empty);
    assert.deepEqual((await bd('contacts/get?property=email&property_value=nobody@nowhere.invalid')).json(), empty);
    const bad = await bd('contacts/get?property=contact_id&property_value=5&property_operator=%3C');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json(), { status: 'error', message: 'Invalid filter parameters' });
    assert.equal((await bd('contacts/get?property[]=city&property[]=active&property_value[]=Miami')).status, 400);
    const both = (await bd('website_notifications/get?property[]=notification_status&property_value[]=4&property[]=notification_id&property_value[]=1,10&property_operator[]=eq&property_operator[]=between')).json();
    assert.ok((both.message as Json[]).every((r) => r.notification_status === '4' && Number(r.notification_id) <= 10));
    const zips = (await bd('contacts/get?property=zip_code&property_value=02134')).json();
    assert.ok((zips.message as Json[]).length >= 1);
    assert.ok((zips.message as Json[]).every((r) => r.zip_code === '02134'));
  });

  it('returns get/{id} as an array of one, 404 when missing, 400 when not numeric', async () => {
    const one = (await bd('contacts/get/1')).json();
    assert.equal(one.total, '1');
    const [jane] = one.message as Json[];
    assert.equal(jane.first_name, 'Jane');
    assert.equal(jane.email, 'jane@example.com');
    assert.deepEqual(Object.keys(jane).slice(0, 4), ['contact_id', 'first_name', 'last_name', 'email']);
    assert.equal((await bd('contacts/get/99999')).status, 404);
    assert.equal((await bd('contacts/get/abc')).status, 400);
  });

  it('update ignores empty values unless named in __clear_fields and echoes part of the record', async () => {
    const before = fx.sandbox.store.getRecord('contacts', 1);
    assert.ok(before);
    const res = await form('PUT', 'contacts/update', { contact_id: '1', company: '', city: '', __clear_fields: 'city', nickname: 'x' });
    assert.equal(res.status, 200);
    const echo = res.json().message as Json;
    assert.deepEqual(Object.keys(echo), ['contact_id', 'company', 'city', 'revision_timestamp']);
    const after = fx.sandbox.store.getRecord('contacts', 1);
    assert.equal(after?.company, 'Acme Corp');
    assert.equal(after?.city, '');
    assert.ok((after?.revision_timestamp ?? '') > (before.revision_timestamp ?? ''));
    assert.match(after?.date_updated ?? '', /^\d{14}$/);

    // One-second resolution, as BD: two real changes in the same second share the revision.
    fx.sandbox.freezeClock('2026-01-02 03:04:05');
    const r1 = (await form('PUT', 'contacts/update', { contact_id: '1', city: 'A' })).json().message as Json;
    const r2 = (await form('PUT', 'contacts/update', { contact_id: '1', city: 'B' })).json().message as Json;
    assert.equal(r1.revision_timestamp, '2026-01-02 03:04:05');
    assert.equal(r2.revision_timestamp, r1.revision_timestamp);

    assert.deepEqual((await form('PUT', 'contacts/update', { city: 'x' })).json(), { status: 'error', message: 'Missing required parameter: contact_id' });
    assert.equal((await form('PUT', 'contacts/update', { contact_id: '99999', city: 'x' })).status, 404);
    assert.equal((await form('POST', 'contacts/update', { contact_id: '1' })).status, 405);
  });

  it('creates and deletes with form bodies', async () => {
    const missing = await form('POST', 'website_notifications/create', { notification_title: 'Hi' });
    assert.deepEqual(missing.json(), { status: 'error', message: 'Missing required fields: notification_status, notification_message' });
    const created = (await form('POST', 'contacts/create', { contact_id: '5', first_name: 'Zoë', zip_code: '02134' })).json().message as Json;
    assert.equal(created.contact_id, '239');
    assert.equal(created.zip_code, '02134');
    assert.equal(created.fax_number, null);
    const json = await fetch(`${fx.sandbox.url}/api/v2/website_notifications/create`, {
      method: 'POST',
      headers: { 'X-Api-Key': fx.sandbox.bdKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ notification_status: '1', notification_title: 'x', notification_message: 'y' }),
    });
    assert.equal(json.status, 400);
    assert.deepEqual(await json.json(), { status: 'error', message: 'Missing required parameters' });
    assert.deepEqual((await form('DELETE', 'contacts/delete', { contact_id: '239' })).json(), { status: 'success', message: 'contacts record was deleted' });
    assert.equal((await form('DELETE', 'contacts/delete', { contact_id: '239' })).status, 404);
  });

  it('answers 429 past a short sliding window without counting rejects', async () => {
    // A 2 s window: wide enough that a loaded machine's delays between these requests stay inside it.
    const windowMs = 2000;
    fx.sandbox.configure({ rateLimit: { requests: 2, windowMs } });
    assert.equal((await bd('token/verify')).status, 200);
    assert.equal((await bd('token/verify')).status, 200);
    const lastAccepted = Date.now();
    await new Promise((r) => setTimeout(r, 100));
    const firstReject = Date.now();
    const limited = await bd('token/verify');
    assert.equal(limited.status, 429);
    assert.deepEqual(limited.json(), { status: 'error', message: 'Too many API requests per minute' });
    assert.equal((await bd('token/verify')).status, 429);
    // Another key has its own window.
    assert.equal((await bd('token/verify', { key: fx.sandbox.bdLimitedKey })).status, 200);
    // The two accepted requests have left the window while the rejects would still be in it: had
    // the rejects counted, this would be 429.
    await new Promise((r) => setTimeout(r, Math.max(0, lastAccepted + windowMs + 50 - Date.now())));
    const accepted = await bd('token/verify');
    assert.ok(Date.now() < firstReject + windowMs, 'the last request went out while the rejects were still inside the window');
    assert.equal(accepted.status, 200);
  });

  it('serves a firewall HTML page in HTML mode', async () => {
    fx.sandbox.configure({ htmlMode: { status: 403 } });
    const res = await bd('contacts/get');
    assert.equal(res.status, 403);
    assert.match(res.type, /^text\/html/);
    assert.match(res.text, /^<!DOCTYPE html><html><head><title>403 Forbidden<\/title>/);
    fx.sandbox.configure({ htmlMode: null });
    assert.equal((await bd('contacts/get')).status, 200);
  });

  it('injects seeded faults before processing', async () => {
    fx.sandbox.configure({ faults: { serverErrorRate: 1, dropRate: 0 } });
    const err = await form('DELETE', 'contacts/delete', { contact_id: '2' });
    assert.equal(err.status, 500);
    assert.deepEqual(err.json(), { status: 'error', message: 'Internal server error' });
    assert.ok(fx.sandbox.store.getRecord('contacts', 2), 'a faulted request must not mutate');
    fx.sandbox.configure({ faults: { serverErrorRate: 0, dropRate: 1 } });
    await assert.rejects(bd('contacts/get'));
    assert.equal(fx.sandbox.requests().at(-1)?.status, 0);
  });

  it('serves Copernica clicks', async () => {
    const url = `${fx.sandbox.url}/v2/ms/clicks?access_token=${fx.sandbox.copernicaToken}`;
    const all = (await (await fetch(`${url}&limit=5`)).json()) as Json;
    assert.equal(all.total, 335);
    assert.equal(all.count, 5);
    assert.deepEqual((all.data as Json[]).map((c) => c.ID), ['1', '2', '3', '4', '5']);
    const unique = (await (await fetch(`${url}&unique=true&total=false`)).json()) as Json;
    assert.ok(!('total' in unique));
    assert.equal((await fetch(`${fx.sandbox.url}/v2/ms/clicks?access_token=nope`)).status, 400);
  });

  it('round-trips the control API over HTTP', async () => {
    const control = new SandboxControl(fx.sandbox.url);
    await control.clearRequests();
    await bd('contacts/get/3');
    const log = await control.requests();
    assert.equal(log.length, 1);
    assert.equal(log[0].path, '/api/v2/contacts/get/3');
    assert.equal(log[0].status, 200);
    assert.equal(log[0].apiKeyPresent, true);

    const original = await control.getRecord('contacts', 3);
    const edited = await control.putRecord('contacts', 3, { city: 'Edited elsewhere' });
    assert.equal(edited.city, 'Edited elsewhere');
    assert.ok((edited.revision_timestamp ?? '') > (original?.revision_timestamp ?? ''));
    assert.equal((await control.getRecord('contacts', 3))?.city, 'Edited elsewhere');
    assert.equal(await control.getRecord('contacts', 99999), undefined);

    const config = await control.configure({ latencyMs: 1 });
    assert.equal(config.latencyMs, 1);
    await control.reset();
    assert.equal((await control.getRecord('contacts', 3))?.city, original?.city);
    assert.equal((await control.config()).latencyMs, 0);
    assert.deepEqual(await control.requests(), []);
    assert.deepEqual(await control.info(), { url: fx.sandbox.url, bdKey: fx.sandbox.bdKey, bdLimitedKey: fx.sandbox.bdLimitedKey, copernicaToken: fx.sandbox.copernicaToken });
  });
});
