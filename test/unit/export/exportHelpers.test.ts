import { strict as assert } from 'node:assert';
import { CONTACTS } from '../../../src/api/resources';
import type { ApiRecord } from '../../../src/api/schemas';
import { csvCell, guardFormula } from '../../../src/export/csvCells';
import { defaultExportName, partialPathOf } from '../../../src/export/exportFormat';
import { EXPORT_PAGE_SIZE, listingPages } from '../../../src/export/exportPages';
import { estimateTimeLeftMs } from '../../../src/export/timeLeft';
import type { ListRequest, ListedPage, SiteApi } from '../../../src/sites/siteApi';

describe('Export helpers (src/export)', () => {
  it('the formula guard prefixes =, +, -, @, tab, CR and LF, but not plain numbers', () => {
    for (const cell of ['=1+1', '+A1', '-A1', '@x', '\tx', '\rx', '\nx', '\n=4+4', '-2+3', '+1 (555) 123']) assert.equal(guardFormula(cell), `'${cell}`, cell);
    for (const cell of ['-5', '+5', '-1.5e3', '0012', 'a=b', '', ' =x', "'=x"]) assert.equal(guardFormula(cell), cell, cell);
  });

  it('a cell is the string as sent; null and missing are empty', () => {
    assert.equal(csvCell('0012', true), '0012');
    assert.equal(csvCell(null, true), '');
    assert.equal(csvCell(undefined, false), '');
    assert.equal(csvCell('=x', false), '=x');
  });

  it('names: <site>-<resource>-<date>.<format>; partial files say so before the extension', () => {
    assert.equal(defaultExportName('My Site', 'contacts', 'csv', new Date(Date.UTC(2026, 10, 26, 23, 0))), 'My-Site-contacts-2026-11-26.csv');
    assert.equal(defaultExportName('a/b', 'ms_clicks', 'ndjson', new Date(Date.UTC(2026, 0, 2))), 'a-b-ms_clicks-2026-01-02.ndjson');
    assert.equal(partialPathOf('/tmp/x/out.csv'), '/tmp/x/out.partial.csv');
    assert.equal(partialPathOf('/tmp/x/out'), '/tmp/x/out.partial');
  });

  it('time left: never less than the rate limit allows, else the pace seen', () => {
    assert.equal(estimateTimeLeftMs({ requestsLeft: 0, msPerRequest: 50, limit: 100, used: 0, windowMs: 60_000 }), 0);
    assert.equal(estimateTimeLeftMs({ requestsLeft: 10, msPerRequest: 50, limit: 100, used: 0, windowMs: 60_000 }), 500);
    // 121 requests from an empty window: the 101st waits a window.
    assert.equal(estimateTimeLeftMs({ requestsLeft: 121, msPerRequest: 50, limit: 100, used: 0, windowMs: 60_000 }), 60_000);
    assert.equal(estimateTimeLeftMs({ requestsLeft: 30, msPerRequest: 50, limit: 100, used: 80, windowMs: 60_000 }), 60_000);
    assert.equal(estimateTimeLeftMs({ requestsLeft: 250, msPerRequest: 10, limit: 100, used: 0, windowMs: 60_000 }), 120_000);
  });

  it('listing pages: the largest page size, each cursor followed; repeats of a shifting listing skipped', async () => {
    const requests: ListRequest[] = [];
    const replies: ListedPage[] = [
      { records: [{ contact_id: '3' }, { contact_id: '2' }], total: 3, nextCursor: 'c1', paging: 'shifting' },
      { records: [{ contact_id: '2' }, { contact_id: '1' }], total: undefined, nextCursor: undefined, paging: 'shifting' },
    ];
    const api = { listPage: async (_r: unknown, request: ListRequest) => (requests.push(request), replies[requests.length - 1]!) } as unknown as SiteApi;
    const pages: { records: readonly ApiRecord[]; total?: number }[] = [];
    for await (const page of listingPages(api, CONTACTS, { kind: 'bd', filters: [] })) pages.push(page);
    assert.deepEqual(requests.map((r) => [r.pageSize, r.cursor]), [[EXPORT_PAGE_SIZE.brilliantDirectories, undefined], [100, 'c1']]);
    assert.deepEqual(pages.map((p) => p.records.map((r) => r['contact_id'])), [['3', '2'], ['1']]);
    assert.equal(pages[0]!.total, 3);
  });
});
