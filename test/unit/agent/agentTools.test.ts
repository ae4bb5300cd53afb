import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { redactSecrets } from '../../../src/api/redact';
import { CONTACTS } from '../../../src/api/resources';
import type { ApiRecord } from '../../../src/api/schemas';
import { renderText } from '../../../src/api/text';
import type { BulkPlan } from '../../../src/bulk/bulkPlan';
import { BdClickAggregator } from '../../../src/insights/clickAggregates';
import type { ListRequest, SiteReads } from '../../../src/sites/siteApi';
import type { SiteConfig } from '../../../src/sites/siteConfig';
import { holdsMask, maskRecord, maskText, maskValue } from '../../../src/agent/masking';
import { clickSummary, recordLine, runTool, type ToolHost } from '../../../src/agent/toolCore';
import { TOOL_INPUTS } from '../../../src/agent/toolInput';
import { TOOL_NAMES, type ToolKey } from '../../../src/agent/toolNames';

const KEY = 'bdkey-0123456789abcdef0123';
const JANE: ApiRecord = { contact_id: '5', first_name: 'Jane', last_name: 'Smith', email: 'jane.smith@example.com', phone_number: '+1 (407) 555-0123', ip: '203.0.113.9', token: 'tok-abcdef', city: 'Orlando', additional: null };

interface FakeSite {
  readonly host: ToolHost;
  /** Every read the tools asked of the site's client. */
  readonly reads: string[];
  readonly proposed: { readonly kind: string; readonly detail: unknown }[];
}

/** A host with one BD site (and a Read-only one) whose client answers from `records` and counts each call. */
function fakeHost(options: { readonly unmasked?: boolean; readonly records?: readonly ApiRecord[]; readonly echoKey?: boolean } = {}): FakeSite {
  const reads: string[] = [];
  const proposed: { kind: string; detail: unknown }[] = [];
  const records = options.records ?? [JANE];
  const sites: SiteConfig[] = [
    { name: 'BD', kind: 'brilliantDirectories', url: 'https://bd.example' },
    { name: 'Locked', kind: 'brilliantDirectories', url: 'https://locked.example', writeProfile: 'readOnly' },
  ];
  const api: SiteReads = {
    kind: 'brilliantDirectories',
    resources: [CONTACTS],
    verify: () => Promise.resolve(),
    listPage: (resource, request: ListRequest) => {
      reads.push(`list ${resource.model} ${JSON.stringify(request.query)}`);
      return Promise.resolve({ records, total: records.length + 7, nextCursor: undefined, paging: 'stable' });
    },
    get: (resource, id) => {
      reads.push(`get ${resource.model} ${id}`);
      if (options.echoKey) return Promise.resolve({ ...JANE, additional: `sent with X-Api-Key ${KEY}` });
      return Promise.resolve(records.find((r) => r[resource.primaryKey] === id) ?? JANE);
    },
    needsSearch: () => false,
    dispose: () => Promise.resolve(),
  };
  const host: ToolHost = {
    sites: () => sites,
    reads: () => Promise.resolve(api),
    unmasked: () => options.unmasked === true,
    secrets: () => Promise.resolve([KEY]),
    redact: (text, secrets) => redactSecrets(text, secrets),
    openRecord: (site, resource, id) => {
      proposed.push({ kind: 'open', detail: [site, resource.model, id] });
      return Promise.resolve();
    },
    openTable: () => Promise.resolve({ template: 'table', args: [] }),
    proposeChanges: (site, resource, id, fields) => {
      proposed.push({ kind: 'changes', detail: [site, resource.model, id, fields] });
      return Promise.resolve({ changes: Object.entries(fields).map(([field, after]) => ({ field, before: JANE[field] ?? null, after })) });
    },
    proposeBulk: (plan: BulkPlan) => {
      proposed.push({ kind: 'bulk', detail: plan.entries.map((e) => e.changes) });
      return Promise.resolve({ template: 'previewed', args: [] });
    },
    render: (text) => renderText(text),
    now: () => new Date('2026-03-31T12:00:00Z'),
  };
  return { host, reads, proposed };
}

describe('Agent tools: masking', () => {
  it('masks emails (anywhere in a text), phone numbers, IP addresses and tokens, each with ***', () => {
    assert.equal(maskValue('email', 'jane.smith@example.com'), 'j***@example.com');
    assert.equal(maskText('jane@example.com saved a post from 198.51.100.7'), 'j***@example.com saved a post from 198.***');
    assert.equal(maskValue('phone_number', '+1 (407) 555-0123'), '***23');
    assert.equal(maskValue('ip', '203.0.113.9'), '203.***');
    assert.equal(maskValue('click_ip', '2001:db8::1'), '2001:***');
    assert.equal(maskValue('visitor_token', 'v-123456'), '***');
    assert.equal(maskValue('city', 'Orlando'), 'Orlando');
    assert.equal(maskValue('email', null), null);
  });

  it('a masked record keeps every field, names and cities as they are; unmasked it is the record itself', () => {
    const masked = maskRecord(JANE, false);
    assert.deepEqual(Object.keys(masked), Object.keys(JANE));
    assert.equal(masked['first_name'], 'Jane');
    assert.equal(masked['email'], 'j***@example.com');
    assert.equal(masked['token'], '***');
    for (const field of ['email', 'phone_number', 'ip', 'token']) assert.ok(holdsMask(masked[field]), field);
    assert.equal(maskRecord(JANE, true), JANE);
  });
});

describe('Agent tools: inputs are checked inside the tool, before any request', () => {
  const invalid: [ToolKey, unknown][] = [
    ['findRecords', { site: 'BD' }],
    ['findRecords', { site: 'BD', text: 'jane', filters: [] }],
    ['findRecords', { site: 'BD', resource: 'contacts', limit: 1000 }],
    ['findRecords', { site: 'BD', resource: 'contacts', filters: [{ field: 'city; DROP', operator: 'eq', value: 'x' }] }],
    ['getRecord', { site: 'BD', resource: 'contacts', id: '../5' }],
    ['getRecord', { site: 'BD', resource: 'members', id: '5' }],
    ['getRecord', 'not an object'],
    ['summarizeClicks', { site: 'BD', from: '2026-03-01' }],
    ['summarizeClicks', { site: 'BD', preset: 'last7', maxRequests: 500 }],
    ['proposeChanges', { site: 'BD', resource: 'contacts', id: '5', fields: {} }],
    ['proposeChanges', { site: 'BD', resource: 'contacts', id: '5', fields: { city: 5 } }],
    ['proposeBulk', { site: 'BD', action: 'delete', resource: 'contacts', ids: ['5'] }],
    ['proposeBulk', { site: 'BD', action: 'setField', resource: 'contacts', ids: ['5'] }],
    ['listSites', { extra: true }],
  ];
  for (const [key, input] of invalid) {
    it(`${key} refuses ${JSON.stringify(input)}: nothing read, nothing proposed`, async () => {
      const site = fakeHost();
      const answer = await runTool(key, input, site.host);
      assert.equal(answer.refused, true, answer.text);
      assert.match(answer.text, /^Refused: Invalid input, nothing was sent: /);
      assert.deepEqual(site.reads, []);
      assert.deepEqual(site.proposed, []);
    });
  }

  it('valid input passes the same check (find lists with one request)', async () => {
    const site = fakeHost();
    const answer = await runTool('findRecords', { site: 'BD', resource: 'contacts', filters: [{ field: 'city', operator: 'eq', value: 'Orlando' }], limit: 5 }, site.host);
    assert.equal(answer.refused, false, answer.text);
    assert.equal(site.reads.length, 1);
  });
});

describe('Agent tools: a masked value is never proposed', () => {
  for (const [key, input] of [
    ['proposeChanges', { site: 'BD', resource: 'contacts', id: '5', fields: { email: 'j***@example.com' } }],
    ['proposeChanges', { site: 'BD', resource: 'contacts', id: '5', fields: { city: 'Tampa', phone_number: '***23' } }],
    ['proposeBulk', { site: 'BD', action: 'setField', resource: 'contacts', ids: ['5'], field: 'email', value: 'j***@example.com' }],
    ['findRecords', { site: 'BD', text: 'j***@example.com' }],
  ] as [ToolKey, unknown][]) {
    it(`${key} ${JSON.stringify(input)} is refused, nothing read or proposed`, async () => {
      const site = fakeHost();
      const answer = await runTool(key, input, site.host);
      assert.equal(answer.refused, true, answer.text);
      assert.match(answer.text, /\*\*\*/);
      assert.deepEqual(site.reads, []);
      assert.deepEqual(site.proposed, []);
    });
  }

  it('a real value is proposed, and the answer shows old → new masked', async () => {
    const site = fakeHost();
    const answer = await runTool('proposeChanges', { site: 'BD', resource: 'contacts', id: '5', fields: { email: 'jane@new.example', city: 'Tampa' } }, site.host);
    assert.equal(answer.refused, false, answer.text);
    assert.deepEqual(site.proposed, [{ kind: 'changes', detail: ['BD', 'contacts', '5', { email: 'jane@new.example', city: 'Tampa' }] }]);
    assert.match(answer.text, /email: "j\*\*\*@example\.com" → "j\*\*\*@new\.example"/);
    assert.match(answer.text, /city: "Orlando" → "Tampa"/);
    assert.match(answer.text, /nothing is sent until the user reviews and saves/);
  });

  it('on a Read-only site both proposing tools refuse before reading anything', async () => {
    for (const [key, input] of [
      ['proposeChanges', { site: 'Locked', resource: 'contacts', id: '5', fields: { city: 'Tampa' } }],
      ['proposeBulk', { site: 'Locked', action: 'setField', resource: 'contacts', ids: ['5'], field: 'city', value: 'Tampa' }],
    ] as [ToolKey, unknown][]) {
      const site = fakeHost();
      const answer = await runTool(key, input, site.host);
      assert.equal(answer.refused, true);
      assert.match(answer.text, /"Locked" is Read-only/);
      assert.deepEqual(site.reads, []);
      assert.deepEqual(site.proposed, []);
    }
  });
});

describe('Agent tools: what the model reads', () => {
  it('getRecord masks the record unless the site is allowed, and never shows a key', async () => {
    const masked = await runTool('getRecord', { site: 'BD', resource: 'contacts', id: '5' }, fakeHost().host);
    assert.match(masked.text, /"email": "j\*\*\*@example\.com"/);
    assert.doesNotMatch(masked.text, /jane\.smith@|555-0123|113\.9|tok-abcdef/);
    const open = await runTool('getRecord', { site: 'BD', resource: 'contacts', id: '5' }, fakeHost({ unmasked: true }).host);
    assert.match(open.text, /"email": "jane\.smith@example\.com"/);
    const echoed = await runTool('getRecord', { site: 'BD', resource: 'contacts', id: '5' }, fakeHost({ echoKey: true }).host);
    assert.ok(!echoed.text.includes(KEY.slice(0, 8)), echoed.text);
  });

  it('a record line is its id and non-empty fields, masked', () => {
    assert.equal(recordLine(CONTACTS, JANE, false), '- contacts 5: {"first_name":"Jane","last_name":"Smith","email":"j***@example.com","phone_number":"***23","ip":"203.***","token":"***","city":"Orlando"}');
  });

  it('a listing says how many of the total it shows and how many were left out', async () => {
    const answer = await runTool('findRecords', { site: 'BD', resource: 'contacts', limit: 1 }, fakeHost().host);
    assert.match(answer.text.split('\n')[0]!, /^1 of 8 contacts matching \(no filter\) on "BD", newest first, 1 request\(s\); 7 left out/);
  });

  it('the click summary gives totals, the top of each ranking and what was left out', () => {
    const aggregator = new BdClickAggregator(new Date('2026-03-31T12:00:00Z'));
    const click = (id: number, user: string, visitor: string): ApiRecord => ({ click_id: String(id), user_id: user, click_type: 'link', click_from: 'profile_page', visitor_token: visitor, date_clicked: '20260310120000' });
    aggregator.add([click(1, '7', 'a'), click(2, '7', 'b'), click(3, '8', 'a'), click(4, '9', 'c')]);
    const bounds = { start: '2026-03-01', end: '2026-04-01' };
    const text = clickSummary({ render: (t) => renderText(t), unmasked: () => false }, { name: 'BD', kind: 'brilliantDirectories' }, bounds, aggregator.result(bounds), 1);
    assert.match(text, /4 in all, 3 unique visitors, 0 undated/);
    assert.match(text, /Members \(user_id\): 7: 2 \(2 unique\); 2 more left out/);
  });
});

describe('Agent tools: the manifest agrees with the code', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as { contributes: { languageModelTools: { name: string; inputSchema: unknown }[] } };

  it('package.json contributes exactly TOOL_NAMES, each with the JSON schema of its zod input', () => {
    const tools = manifest.contributes.languageModelTools;
    assert.deepEqual(tools.map((t) => t.name).sort(), Object.values(TOOL_NAMES).sort());
    for (const [key, name] of Object.entries(TOOL_NAMES) as [ToolKey, string][]) {
      const schema = z.toJSONSchema(TOOL_INPUTS[key], { io: 'input' }) as Record<string, unknown>;
      delete schema['$schema'];
      assert.deepEqual(tools.find((t) => t.name === name)!.inputSchema, schema, name);
    }
  });
});

describe('Agent tools: proposeBulk', () => {
  it('reads the named records once and hands the preview a plan of exactly the change, old → new', async () => {
    const site = fakeHost({ records: [JANE, { ...JANE, contact_id: '6', city: 'Tampa' }] });
    const answer = await runTool('proposeBulk', { site: 'BD', action: 'setField', resource: 'contacts', ids: ['5', '6', '99'], field: 'city', value: 'Miami' }, site.host);
    assert.equal(answer.refused, false, answer.text);
    assert.equal(site.reads.length, 1);
    assert.match(site.reads[0]!, /"operator":"in","value":"5,6,99"/);
    assert.deepEqual(site.proposed, [{ kind: 'bulk', detail: [[{ field: 'city', before: 'Orlando', after: 'Miami' }], [{ field: 'city', before: 'Tampa', after: 'Miami' }]] }]);
    assert.match(answer.text, /Not found \(left out\): 99\./);
  });

  it('when every record already has the value, nothing is proposed', async () => {
    const site = fakeHost();
    const answer = await runTool('proposeBulk', { site: 'BD', action: 'setField', resource: 'contacts', ids: ['5'], field: 'city', value: 'Orlando' }, site.host);
    assert.match(answer.text, /^All 1 contacts already have it: nothing to propose/);
    assert.deepEqual(site.proposed, []);
  });

  it('Mark as Viewed is for website notifications only, and a read-only field cannot be set', async () => {
    const viewed = await runTool('proposeBulk', { site: 'BD', action: 'markViewed', resource: 'contacts', ids: ['5'] }, fakeHost().host);
    assert.match(viewed.text, /^Refused: Mark as Viewed is for website_notifications/);
    const fixed = await runTool('proposeBulk', { site: 'BD', action: 'setField', resource: 'contacts', ids: ['5'], field: 'contact_id', value: '7' }, fakeHost().host);
    assert.match(fixed.text, /^Refused: "contact_id" is read-only/);
  });
});
