import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportToFile, type ExportPage } from '../../../src/export/exportFile';

const HOUR_MS = 60 * 60 * 1000;

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-sweep-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A file in `dir` last written `ageMs` ago. */
function fileAged(name: string, ageMs: number): void {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'id,name\r\n1,a\r\n');
  const when = new Date(Date.now() - ageMs);
  fs.utimesSync(file, when, when);
}

async function* onePage(): AsyncGenerator<ExportPage> {
  yield { records: [{ id: '1', name: 'a' }], total: 1 };
}

describe('An export sweeps stale temporary files of earlier exports that crashed', () => {
  it('removes its own temporary files older than a day in the target folder, and nothing else', async () => {
    const stale = [
      '.contacts-2026-12-01.csv.0123abcd.tmp',
      // The CSV header pass's file (`<temporary>.full`).
      '.contacts-2026-12-01.csv.0123abcd.tmp.full',
      '.out.csv.deadbeef.tmp',
      '.clicks export.ndjson.9f8e7d6c.tmp',
    ];
    const kept = {
      fresh: ['.fresh.csv.89abcdef.tmp', '.fresh.csv.89abcdef.tmp.full'],
      // 23 hours: not older than a day.
      almostStale: ['.almost.csv.12345678.tmp'],
      // Old, but not the export's name pattern, or not in the target folder.
      lookAlikes: [
        'contacts.csv.0123abcd.tmp',
        '.contacts.csv.0123abc.tmp',
        '.contacts.csv.0123abcde.tmp',
        '.contacts.csv.0123ABCD.tmp',
        '.contacts.csv.0123abcg.tmp',
        '.contacts.csv.0123abcd.tmp.bak',
        '.contacts.csv.0123abcd.tmp.full.full',
        '.contacts.csv.0123abcd.TMP',
        '.contacts.csv.0123abcd.temp',
        '.contacts.csv-0123abcd.tmp',
        '.0123abcd.tmp',
        'notes.txt',
        'out.partial.csv',
        path.join('sub', '.nested.csv.0123abcd.tmp'),
      ],
    };
    for (const name of stale) fileAged(name, 48 * HOUR_MS);
    for (const name of kept.fresh) fileAged(name, HOUR_MS);
    for (const name of kept.almostStale) fileAged(name, 23 * HOUR_MS);
    for (const name of kept.lookAlikes) fileAged(name, 48 * HOUR_MS);
    // A folder and a symbolic link with the pattern's name: only regular files are the export's.
    fs.mkdirSync(path.join(dir, '.folder.csv.0123abcd.tmp'));
    fs.symlinkSync(path.join(dir, 'notes.txt'), path.join(dir, '.link.csv.0123abcd.tmp'));
    const old = new Date(Date.now() - 48 * HOUR_MS);
    fs.utimesSync(path.join(dir, '.folder.csv.0123abcd.tmp'), old, old);
    fs.lutimesSync(path.join(dir, '.link.csv.0123abcd.tmp'), old, old);

    const outcome = await exportToFile(onePage(), { target: path.join(dir, 'out.csv'), format: 'csv', csv: { columns: ['id', 'name'], formulaGuard: true, byteOrderMark: false } });
    assert.equal(outcome.status, 'done');

    const left = new Set(fs.readdirSync(dir, { recursive: true }).map(String));
    for (const name of stale) assert.ok(!left.has(name), `stale ${name} was removed`);
    for (const name of [...kept.fresh, ...kept.almostStale, ...kept.lookAlikes, '.folder.csv.0123abcd.tmp', '.link.csv.0123abcd.tmp', 'out.csv']) assert.ok(left.has(name), `${name} is kept`);
    assert.equal(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8'), 'id,name\r\n1,a\r\n', 'the link\'s target is untouched');
  });

  it('a stopped export sweeps too, and its own temporary file is the caller\'s to keep or delete', async () => {
    fileAged('.old.json.0a0b0c0d.tmp', 25 * HOUR_MS);
    const abort = new AbortController();
    async function* cancelled(): AsyncGenerator<ExportPage> {
      yield { records: [{ id: '1' }] };
      abort.abort();
      yield { records: [{ id: '2' }] };
    }
    const outcome = await exportToFile(cancelled(), { target: path.join(dir, 'out.json'), format: 'json', csv: { columns: [], formulaGuard: true, byteOrderMark: false }, signal: abort.signal });
    assert.equal(outcome.status, 'stopped');
    const left = fs.readdirSync(dir);
    assert.equal(left.length, 1, `only this export's temporary file: ${left.join(', ')}`);
    assert.match(left[0]!, /^\.out\.json\.[0-9a-f]{8}\.tmp$/);
    if (outcome.status === 'stopped') await outcome.discard();
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
