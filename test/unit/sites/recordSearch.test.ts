import { strict as assert } from 'node:assert';
import { BD_RESOURCES } from '../../../src/api/resources';
import { LatestSearch, MAX_SEARCH_REQUESTS, RESULTS_PER_REQUEST, isSearchable, planSearch, searchRecords, type SearchResult } from '../../../src/sites/recordSearch';
import type { SiteApi } from '../../../src/sites/siteApi';
import { rejectsWithKind } from '../support/apiAssert';
import { settle } from '../support/sandboxHelpers';
import { withSandboxApi } from '../support/sandboxApi';

const conditions = (text: string): string[] =>
  planSearch(text, BD_RESOURCES).map((r) => `${r.resource.model}: ${r.filters.map((f) => `${f.field} ${f.operator} ${f.value}`).join(' & ')}`);

describe('Find Record: what a search asks (planSearch)', () => {
  it('a word: contains, in each searched field, one request per field (BD ORs only within one field)', () => {
    assert.deepEqual(conditions('smith'), [
      'contacts: email contains smith',
      'contacts: first_name contains smith',
      'contacts: last_name contains smith',
      'contacts: company contains smith',
      'website_notifications: notification_title contains smith',
      'website_notifications: notification_message contains smith',
    ]);
    assert.equal(planSearch('smith', BD_RESOURCES).length, MAX_SEARCH_REQUESTS, 'the cap is what a word costs');
  });

  it('an email: contacts by email only', () => {
    assert.deepEqual(conditions('jane@exa'), ['contacts: email contains jane@exa', 'website_notifications: notification_title contains jane@exa', 'website_notifications: notification_message contains jane@exa']);
  });

  it('a name of several words: first words in first_name AND the last in last_name, one request; the whole in company, title and message', () => {
    assert.deepEqual(conditions('Mary Kate  White'), [
      'contacts: first_name contains Mary Kate & last_name contains White',
      'contacts: company contains Mary Kate White',
      'website_notifications: notification_title contains Mary Kate White',
      'website_notifications: notification_message contains Mary Kate White',
    ]);
  });

  it('digits: the primary key of every resource, from one digit on', () => {
    assert.deepEqual(conditions(' 42 '), ['contacts: contact_id eq 42', 'website_notifications: notification_id eq 42', 'users_clicks: click_id eq 42']);
    assert.equal(isSearchable('7'), true);
  });

  it('nothing under three characters; "%" dropped (the firewall strips it) and commas as spaces (BD would read "or")', () => {
    assert.deepEqual(planSearch('ab', BD_RESOURCES), []);
    assert.equal(isSearchable('a%b'), false);
    assert.equal(isSearchable('0'), false);
    assert.deepEqual(conditions('12%')[0], 'contacts: contact_id eq 12', 'what is left of "12%" is an id');
    assert.deepEqual(conditions('smith,jones')[0], 'contacts: first_name contains smith & last_name contains jones');
    for (const plan of [planSearch('a,b,c,d', BD_RESOURCES), planSearch('x % y', BD_RESOURCES)]) for (const r of plan) for (const f of r.filters) assert.doesNotMatch(f.value, /[%,]/);
  });
});

describe('Find Record: searching the sandbox (searchRecords)', function () {
  this.timeout(30_000);
  const fx = withSandboxApi('none');
  const bd = (key?: string, rateLimit: { requests: number; windowMs: number } | null = null): SiteApi => fx.make('brilliantDirectories', { secret: key ?? fx.sandbox.bdKey, rateLimit });

  it('finds a contact by part of its email, in any case, grouped by resource with what found it; one request per field, limit 10, newest first', async () => {
    const contact = fx.sandbox.store.getRecord('contacts', 200)!;
    const part = contact['email']!.split('@')[0]!.slice(0, 10).toUpperCase();
    const updates: SearchResult[] = [];
    const result = await searchRecords(bd(), part, { onUpdate: (r) => updates.push(r) });
    assert.equal(result.done, true);
    assert.equal(result.requests, 6);
    assert.equal(updates.length, 6, 'an update after every reply');
    assert.ok(updates.slice(0, -1).every((u) => !u.done));
    const contacts = result.groups.find((g) => g.resource.model === 'contacts')!;
    assert.ok(contacts.records.some((r) => r['contact_id'] === '200'));
    assert.match(contacts.matchedBy.get('200')!, /email/);
    assert.deepEqual(result.groups.map((g) => g.resource.model), ['contacts', 'website_notifications'], 'in the site\'s resource order');
    const requests = fx.sandbox.requests();
    assert.equal(requests.length, 6);
    for (const r of requests) {
      assert.equal(r.query['property_operator'], 'contains');
      assert.equal(r.query['limit'], String(RESULTS_PER_REQUEST));
      assert.equal(r.query['order_type'], 'DESC');
    }
  });

  it('a common word: at most 10 per request, each record once (found by several fields), and says there are more', async () => {
    const result = await searchRecords(bd(), 'smith');
    const contacts = result.groups.find((g) => g.resource.model === 'contacts')!;
    assert.equal(contacts.more, true);
    const ids = contacts.records.map((r) => r['contact_id']);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([...ids].sort((a, b) => Number(b) - Number(a)), ids, 'newest first');
    assert.ok([...contacts.matchedBy.values()].some((m) => m.includes(', ')), 'a record found by two fields says both');
  });

  it('an id finds the record of that id in each resource', async () => {
    const result = await searchRecords(bd(), '5');
    assert.deepEqual(result.groups.map((g) => [g.resource.model, g.records.map((r) => r[g.resource.primaryKey])]), [['contacts', ['5']], ['website_notifications', ['5']], ['users_clicks', ['5']]]);
  });

  it('custom text nothing matches: empty groups, no error', async () => {
    const result = await searchRecords(bd(), 'zzqqxx');
    assert.ok(result.groups.every((g) => g.records.length === 0 && g.error === undefined));
  });

  it('a resource the key may not read answers with its error; the others still answer', async () => {
    const result = await searchRecords(bd(fx.sandbox.bdLimitedKey), '5');
    const clicks = result.groups.find((g) => g.resource.model === 'users_clicks')!;
    assert.ok(clicks.error, 'users_clicks: 403');
    assert.equal(result.groups.find((g) => g.resource.model === 'contacts')!.records.length, 1);
  });

  it('cancelled: requests still waiting for the rate limit are never sent, and nothing is reported after', async () => {
    const api = bd(undefined, { requests: 2, windowMs: 1500 });
    const abort = new AbortController();
    const updates: SearchResult[] = [];
    const search = searchRecords(api, 'smith', { signal: abort.signal, onUpdate: (r) => updates.push(r) });
    await settle(fx.sandbox, 2);
    abort.abort();
    const reported = updates.length;
    await rejectsWithKind(search, 'cancelled');
    await new Promise((r) => setTimeout(r, 1800));
    assert.equal(fx.sandbox.requests().length, 2, 'the four requests behind the limit were dropped');
    assert.equal(updates.length, reported);
  });
});

describe('Find Record: only the latest text is searched (LatestSearch)', () => {
  it('waits for a pause in typing, then searches once, for the last text', async () => {
    const ran: string[] = [];
    const latest = new LatestSearch(async (text) => {
      ran.push(text);
    }, 50);
    for (const text of ['smi', 'smit', 'smith']) latest.search(text);
    await new Promise((r) => setTimeout(r, 120));
    assert.deepEqual(ran, ['smith']);
    latest.cancel();
  });

  it('a new text aborts the search under way; cancel aborts the last one', async () => {
    const signals: [string, AbortSignal][] = [];
    const latest = new LatestSearch(async (text, signal) => {
      signals.push([text, signal]);
      await new Promise((r) => setTimeout(r, 200));
    }, 10);
    latest.search('first');
    await new Promise((r) => setTimeout(r, 40));
    latest.search('second');
    await new Promise((r) => setTimeout(r, 40));
    assert.deepEqual(signals.map(([t, s]) => [t, s.aborted]), [['first', true], ['second', false]]);
    latest.cancel();
    assert.equal(signals[1]![1].aborted, true);
  });
});
