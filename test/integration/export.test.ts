import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import * as vscode from 'vscode';
import type { ExportResult } from '../../src/commands/exportCommands';
import type { RecordNode, ResourceNode, TreeNode } from '../../src/tree/treeNodes';
import { apiRequests, child, children, clearSites, control, sandboxInfo, sandboxSite, useFreshSandbox, useSites, waitFor } from './support/world';

// Issue 11, item 1: Export Records… — a listing with its filter and sort, or a multi-selection,
// streamed to CSV / JSON / NDJSON; Cancel keeps a partial file or deletes it.
// The expected records are read straight from the sandbox's API here (plain fetch), never
// through the extension's clients.

const BD = 'Export BD';
const COPERNICA = 'Export Copernica';

type Row = Record<string, string | null>;

async function resource(site: string, label: string): Promise<ResourceNode> {
  return (await child(await child(undefined, site), label)) as ResourceNode;
}

function exportRecords(node: TreeNode | undefined, nodes: readonly TreeNode[] | undefined, request: Record<string, unknown>): Thenable<ExportResult | undefined> {
  return vscode.commands.executeCommand<ExportResult | undefined>('directoryRecords.exportRecords', node, nodes, request);
}

/** Every record of a BD listing, read page by page with BD's own cursor. */
async function bdListing(model: string, params: Record<string, string>): Promise<Row[]> {
  const sb = sandboxInfo();
  const out: Row[] = [];
  let query = new URLSearchParams({ limit: '100', ...params });
  for (;;) {
    const reply = (await (await fetch(`${sb.url}/api/v2/${model}/get?${query}`, { headers: { 'X-Api-Key': sb.bdKey } })).json()) as { message: Row[]; current_page: number; total_pages: number; next_page: string };
    out.push(...reply.message);
    if (reply.current_page >= reply.total_pages || reply.message.length === 0) return out;
    query = new URLSearchParams({ ...params, page: reply.next_page });
  }
}

async function copernicaClicks(params: Record<string, string>): Promise<Row[]> {
  const sb = sandboxInfo();
  const query = new URLSearchParams({ access_token: sb.copernicaToken, limit: '1000', ...params });
  const reply = (await (await fetch(`${sb.url}/v2/ms/clicks?${query}`)).json()) as { data: Row[]; total: number };
  assert.ok(reply.data.length === reply.total && reply.total < 1000, 'one page holds the range');
  return reply.data;
}

function csvObjects(file: string): { header: string[]; rows: Record<string, string>[] } {
  const [header, ...rows] = parse(fs.readFileSync(file), { bom: true }) as string[][];
  return { header: header!, rows: rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]!]))) };
}

/** A request of the export's own (the view's unread badge lists unread notifications on its own). */
function isListing(request: { path: string; query: Record<string, string | string[]> }, model: string): boolean {
  return request.path === `/api/v2/${model}/get` && request.query['property'] !== 'notification_view';
}

describe('Export Records (in-host)', function () {
  this.timeout(120_000);
  let dir: string;

  before(async () => {
    await useFreshSandbox([
      sandboxSite(BD, 'brilliantDirectories'),
      sandboxSite(COPERNICA, 'copernica'),
    ]);
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-export-'));
  });

  afterEach(async () => {
    await control().configure({ latencyMs: 0, rateLimit: null });
    await vscode.workspace.getConfiguration('directoryRecords').update('export.csvFormulaGuard', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  after(async () => {
    await control().reset();
    await clearSites();
  });

  it('contacts with a filter and a sort, to CSV: the file parsed equals the sandbox\'s own records for that filter, in that order', async () => {
    // A contact from a public form whose company would run as a formula in a spreadsheet.
    await control().putRecord('contacts', 7, { company: '=HYPERLINK("http://evil.example")', zip_code: '0012', email: 'jo.ann@example.org' });
    const contacts = await resource(BD, 'Contacts');
    await vscode.commands.executeCommand('directoryRecords.filter', contacts, { kind: 'bd', filters: [{ field: 'email', operator: 'contains', value: 'example' }] });
    await vscode.commands.executeCommand('directoryRecords.sort', contacts, { field: 'last_name', direction: 'ASC' });
    const expected = await bdListing('contacts', { property: 'email', property_value: 'example', property_operator: 'contains', order_column: 'last_name', order_type: 'ASC' });
    assert.ok(expected.length > 100, `more than one export page (${expected.length})`);

    await vscode.workspace.getConfiguration('directoryRecords').update('export.csvFormulaGuard', false, vscode.ConfigurationTarget.Global);
    const exact = path.join(dir, 'contacts.csv');
    const result = await exportRecords(contacts, undefined, { format: 'csv', target: exact });
    assert.deepEqual(result, { status: 'done', path: exact, records: expected.length });
    const { header, rows } = csvObjects(exact);
    assert.deepEqual(header.slice(0, 3), ['contact_id', 'first_name', 'last_name'], 'API order first');
    for (const record of expected) for (const column of Object.keys(record)) assert.ok(header.includes(column), `header has ${column}`);
    assert.deepEqual(rows, expected.map((record) => Object.fromEntries(header.map((column) => [column, record[column] ?? '']))));
    assert.equal(rows.find((r) => r['contact_id'] === '7')?.['zip_code'], '0012');
    assert.deepEqual(fs.readdirSync(dir), ['contacts.csv'], 'no temporary file left');

    // The guard on (the default): the formula is shown as text; the rest is unchanged.
    await vscode.workspace.getConfiguration('directoryRecords').update('export.csvFormulaGuard', undefined, vscode.ConfigurationTarget.Global);
    const guarded = path.join(dir, 'guarded.csv');
    await exportRecords(contacts, undefined, { format: 'csv', target: guarded });
    const guardedRows = csvObjects(guarded).rows;
    assert.equal(guardedRows.find((r) => r['contact_id'] === '7')?.['company'], `'=HYPERLINK("http://evil.example")`);
    assert.equal(guardedRows.length, expected.length);
    await vscode.commands.executeCommand('directoryRecords.filter', contacts, { kind: 'bd', filters: [] });
    await vscode.commands.executeCommand('directoryRecords.sort', contacts, null);
  });

  it('a multi-selection of records: exactly those, to JSON, without listing anything', async () => {
    const contacts = await resource(BD, 'Contacts');
    const nodes = (await children(contacts)).filter((n): n is RecordNode => n.type === 'record');
    const selected = [nodes[1]!, nodes[3]!, nodes[4]!];
    await control().clearRequests();
    const target = path.join(dir, 'picked.json');
    const result = await exportRecords(selected[0], selected, { format: 'json', target });
    assert.deepEqual(result, { status: 'done', path: target, records: 3 });
    assert.deepEqual(JSON.parse(fs.readFileSync(target, 'utf8')), selected.map((n) => n.record));
    assert.deepEqual((await apiRequests()).filter((r) => isListing(r, 'contacts')), []);

    // Records of two resources are refused, and nothing is written.
    const notification = (await children(await resource(BD, 'Website Notifications'))).find((n) => n.type === 'record')!;
    const mixed = path.join(dir, 'mixed.json');
    assert.equal(await exportRecords(selected[0], [selected[0]!, notification], { format: 'json', target: mixed }), undefined);
    assert.equal(fs.existsSync(mixed), false);
  });

  for (const answer of ['keep', 'delete'] as const) {
    it(`cancelled mid-way on a slow site: stops within one request, and the partial file is ${answer === 'keep' ? 'kept, named partial' : 'deleted'}`, async () => {
      await control().configure({ latencyMs: 150 });
      const notifications = await resource(BD, 'Website Notifications');
      await control().clearRequests();
      const abort = new AbortController();
      const target = path.join(dir, 'notifications.csv');
      const running = exportRecords(notifications, undefined, { format: 'csv', target, signal: abort.signal, partial: answer });
      // The export's pages are 100 each; the tree's own first page (25), if it lands late, is not one.
      const exportPages = async (): Promise<number> => (await apiRequests()).filter((r) => isListing(r, 'website_notifications') && r.query['limit'] === '100').length;
      await waitFor('three pages exported', async () => (await exportPages()) >= 3, 30_000);
      abort.abort();
      const sentAtCancel = await exportPages();
      const result = await running;
      await new Promise((r) => setTimeout(r, 400));
      const sent = await exportPages();
      assert.ok(sent <= sentAtCancel + 1, `at most the request in flight after Cancel (${sentAtCancel} → ${sent})`);
      assert.ok(result && result.records >= 300 && result.records < 12_100, JSON.stringify(result));
      if (answer === 'keep') {
        const partial = path.join(dir, 'notifications.partial.csv');
        assert.deepEqual(result, { status: 'partial', path: partial, records: result.records });
        assert.deepEqual(fs.readdirSync(dir), ['notifications.partial.csv']);
        const { rows } = csvObjects(partial);
        assert.equal(rows.length, result.records);
        assert.equal(rows[0]!['notification_id'], '12100', 'newest first, as the tree lists them');
      } else {
        assert.deepEqual(result, { status: 'deleted', records: result.records });
        assert.deepEqual(fs.readdirSync(dir), [], 'neither the file nor its temporary');
      }
    });
  }

  it('a listing the key may not read: the reason, no question and no file', async () => {
    const sb = sandboxInfo();
    await useSites([
      { name: BD, kind: 'brilliantDirectories', url: sb.url, key: sb.bdKey },
      { name: COPERNICA, kind: 'copernica', url: sb.url, key: sb.copernicaToken },
      { name: 'Export Limited', kind: 'brilliantDirectories', url: sb.url, key: sb.bdLimitedKey },
    ]);
    const clicks = await resource('Export Limited', 'Users Clicks');
    const target = path.join(dir, 'clicks.csv');
    assert.equal(await exportRecords(clicks, undefined, { format: 'csv', target }), undefined);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('Copernica clicks with a time range and unique clicks, to NDJSON: the clicks the API gives for that range, newest first', async () => {
    const clicks = await resource(COPERNICA, 'Clicks');
    const range = { begintime: '2014-11-01 00:00:00', endtime: '2015-01-01 00:00:00' };
    await vscode.commands.executeCommand('directoryRecords.filter', clicks, { kind: 'copernica', ...range, unique: true });
    const expected = await copernicaClicks({ ...range, unique: 'true' });
    assert.ok(expected.length > 10, `clicks in the range (${expected.length})`);
    assert.ok(expected.length < (await copernicaClicks(range)).length, 'unique leaves some out');
    await control().clearRequests();
    const target = path.join(dir, 'clicks.ndjson');
    const result = await exportRecords(clicks, undefined, { format: 'ndjson', target });
    assert.deepEqual(result, { status: 'done', path: target, records: expected.length });
    const lines = fs.readFileSync(target, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Row);
    assert.deepEqual(lines, [...expected].reverse());
    const sent = (await apiRequests()).filter((r) => r.path === '/v2/ms/clicks');
    assert.ok(sent.length > 0 && sent.every((r) => r.query['begintime'] === range.begintime && r.query['endtime'] === range.endtime && r.query['unique'] === 'true'), JSON.stringify(sent.map((r) => r.query)));
    await vscode.commands.executeCommand('directoryRecords.filter', clicks, { kind: 'copernica' });
  });
});
