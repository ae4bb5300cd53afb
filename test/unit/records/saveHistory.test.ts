import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HISTORY_COMPACT_MIN_LINES, HISTORY_FOLDER, SaveHistory, type SaveHistoryEntry, type SaveHistoryLimits } from '../../../src/records/saveHistory';

const DAY_MS = 24 * 60 * 60 * 1000;

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'save-history-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function entry(id: string, n: number, ageMs = 0, site = 'S'): SaveHistoryEntry {
  return {
    site,
    model: 'contacts',
    id,
    at: new Date(Date.now() - ageMs).toISOString(),
    door: 'document',
    sent: { first_name: `N${n}` },
    before: { contact_id: id, first_name: `N${n - 1}` },
    after: { contact_id: id, first_name: `N${n}` },
  };
}

const history = (limits?: SaveHistoryLimits): SaveHistory => new SaveHistory({ fsPath: dir }, limits && (() => limits));
const files = (): string[] => {
  const folder = path.join(dir, HISTORY_FOLDER);
  return fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => f.endsWith('.jsonl')).map((f) => path.join(folder, f)) : [];
};
const allText = (): string => files().map((f) => fs.readFileSync(f, 'utf8')).join('');
const lineCount = (): number => allText().split('\n').filter((l) => l.trim() !== '').length;
const sentNames = (entries: readonly SaveHistoryEntry[]): string[] => entries.map((e) => String(e.sent['first_name']));

describe('SaveHistory (append-only, per site and kind)', () => {
  it('reads back an entry of every door, the table\'s included (an unknown door is an unreadable line)', async () => {
    const h = history();
    const doors = ['document', 'table', 'create', 'setFields', 'bulk', 'restore'] as const;
    await h.append(doors.map((door, n) => ({ ...entry('1', n + 1), door })));
    assert.deepEqual((await h.list('S', 'contacts', '1')).map((e) => e.door), [...doors].reverse());
  });

  it('lists a record\'s entries newest first with what was sent, before and after; another instance reads the same', async () => {
    const h = history();
    await h.append([entry('1', 1)]);
    await h.append([entry('1', 2), entry('2', 1)]);
    const listed = await h.list('S', 'contacts', '1');
    assert.deepEqual(sentNames(listed), ['N2', 'N1']);
    assert.deepEqual(listed[0]!.before, { contact_id: '1', first_name: 'N1' });
    assert.deepEqual(listed[0]!.after, { contact_id: '1', first_name: 'N2' });
    assert.deepEqual(sentNames(await history().list('S', 'contacts', '2')), ['N1']);
    assert.deepEqual(await h.list('other site', 'contacts', '1'), []);
  });

  it('a batch is one append: each entry one line, what was there untouched', async () => {
    const h = history();
    await h.append([entry('1', 1)]);
    const before = allText();
    await h.append(Array.from({ length: 50 }, (_, i) => entry(String(i + 2), 1)));
    assert.ok(allText().startsWith(before));
    assert.equal(lineCount(), 51);
  });

  it('keeps at most maxEntriesPerRecord per record, the newest', async () => {
    const h = history({ maxEntriesPerRecord: 3, maxAgeDays: 90 });
    for (let n = 1; n <= 5; n++) await h.append([entry('1', n)]);
    assert.deepEqual(sentNames(await h.list('S', 'contacts', '1')), ['N5', 'N4', 'N3']);
  });

  it('a limit set to 0 keeps one entry: the history is never silently off', async () => {
    const h = history({ maxEntriesPerRecord: 0, maxAgeDays: 0 });
    await h.append([entry('1', 1), entry('1', 2)]);
    assert.deepEqual(sentNames(await h.list('S', 'contacts', '1')), ['N2']);
  });

  it('drops entries older than maxAgeDays', async () => {
    const h = history({ maxEntriesPerRecord: 20, maxAgeDays: 10 });
    await h.append([entry('1', 1, 11 * DAY_MS), entry('1', 2, 9 * DAY_MS), entry('1', 3)]);
    assert.deepEqual(sentNames(await h.list('S', 'contacts', '1')), ['N3', 'N2']);
  });

  it('rewrites a file grown far beyond its live entries with those alone', async () => {
    const h = history({ maxEntriesPerRecord: 2, maxAgeDays: 90 });
    // One record saved many times: every line but the last two is dead weight.
    for (let start = 0; start < HISTORY_COMPACT_MIN_LINES; start += 100) {
      await h.append(Array.from({ length: 100 }, (_, i) => entry('1', start + i + 1)));
    }
    assert.equal(lineCount(), 2);
    assert.deepEqual(sentNames(await h.list('S', 'contacts', '1')), [`N${HISTORY_COMPACT_MIN_LINES}`, `N${HISTORY_COMPACT_MIN_LINES - 1}`]);
  });

  it('skips a line cut short by a crash, and the next append starts on a line of its own', async () => {
    const h = history();
    await h.append([entry('1', 1)]);
    const [file] = files();
    fs.appendFileSync(file!, '{"site":"S","model":"contacts","id":"1","at":"20');
    const again = history();
    assert.deepEqual(sentNames(await again.list('S', 'contacts', '1')), ['N1']);
    await again.append([entry('1', 2)]);
    assert.deepEqual(sentNames(await history().list('S', 'contacts', '1')), ['N2', 'N1']);
  });

  it('writes only the entry\'s own fields: a key carried along by mistake never reaches the file', async () => {
    const h = history();
    const leaky = { ...entry('1', 1), apiKey: 'SECRET-KEY-123', headers: { 'X-Api-Key': 'SECRET-KEY-123' } };
    await h.append([leaky]);
    assert.ok(!allText().includes('SECRET-KEY-123'));
    assert.deepEqual(Object.keys((await h.list('S', 'contacts', '1'))[0]!).sort(), ['after', 'at', 'before', 'door', 'id', 'model', 'sent', 'site']);
  });

  it('keeps sites apart in files named without the site\'s name', async () => {
    const h = history();
    await h.append([entry('1', 1, 0, 'Site A/..'), entry('1', 2, 0, 'Site B')]);
    assert.equal(files().length, 2);
    assert.ok(files().every((f) => !path.basename(f).includes('Site')));
    assert.deepEqual(sentNames(await h.list('Site A/..', 'contacts', '1')), ['N1']);
  });

  it('clear removes every entry, and appending afterwards starts afresh', async () => {
    const h = history();
    await h.append([entry('1', 1), entry('2', 1, 0, 'T')]);
    await h.clear();
    assert.equal(files().length, 0);
    assert.deepEqual(await h.list('S', 'contacts', '1'), []);
    await h.append([entry('1', 2)]);
    assert.deepEqual(sentNames(await h.list('S', 'contacts', '1')), ['N2']);
  });
});
